-- Exactly 100,000 patients, PATIENT_ID 1..100000, deterministic.
--
-- Per-row variety comes from H(x) = ((x * x) mod p * 48271 + x) mod p with p = 2^31 - 1 and
-- x = PATIENT_ID * 16 + a salt per attribute: integer arithmetic only, so every engine produces the
-- same patients (Snowflake's HASH and DuckDB's hash() differ).
--
-- NHS numbers: NHS_NUMBER(PATIENT_ID - 1), the function sql/seed/nhs_numbers.sql creates; the scale
-- step calls it too, for n = (old id - 1) * multiplier + copy, so numbers stay unique across copies.
INSERT INTO {{ bronze_db }}.RAW_DATA.RAW_PATIENTS
  (PATIENT_ID, NHS_NUMBER, FIRST_NAME, LAST_NAME, SEX, DATE_OF_BIRTH, POSTCODE, REGION)
SELECT
  p.PATIENT_ID,
  {{ bronze_db }}.RAW_DATA.NHS_NUMBER(p.PATIENT_ID - 1) AS NHS_NUMBER,
  f.FIRST_NAME,
  l.LAST_NAME,
  f.SEX,
  -- Born 1935-01-01 .. 2004-12-31.
  DATE '1935-01-01' + CAST(MOD(p.H3, 25567) AS INTEGER) AS DATE_OF_BIRTH,
  -- Inward code: a digit and two letters, never C, I, K, M, O or V.
  pc.OUTWARD || ' ' || CAST(MOD(p.H5, 10) AS VARCHAR)
    || SUBSTR('ABDEFGHJLNPQRSTUWXYZ', 1 + CAST(MOD(p.H6, 20) AS INTEGER), 1)
    || SUBSTR('ABDEFGHJLNPQRSTUWXYZ', 1 + CAST(MOD(p.H7, 20) AS INTEGER), 1) AS POSTCODE,
  pc.REGION
FROM (
  SELECT
    i.PATIENT_ID,
    MOD(MOD((i.PATIENT_ID * 16 + 1) * (i.PATIENT_ID * 16 + 1), 2147483647) * 48271 + i.PATIENT_ID * 16 + 1, 2147483647) AS H1,
    MOD(MOD((i.PATIENT_ID * 16 + 2) * (i.PATIENT_ID * 16 + 2), 2147483647) * 48271 + i.PATIENT_ID * 16 + 2, 2147483647) AS H2,
    MOD(MOD((i.PATIENT_ID * 16 + 3) * (i.PATIENT_ID * 16 + 3), 2147483647) * 48271 + i.PATIENT_ID * 16 + 3, 2147483647) AS H3,
    MOD(MOD((i.PATIENT_ID * 16 + 4) * (i.PATIENT_ID * 16 + 4), 2147483647) * 48271 + i.PATIENT_ID * 16 + 4, 2147483647) AS H4,
    MOD(MOD((i.PATIENT_ID * 16 + 5) * (i.PATIENT_ID * 16 + 5), 2147483647) * 48271 + i.PATIENT_ID * 16 + 5, 2147483647) AS H5,
    MOD(MOD((i.PATIENT_ID * 16 + 6) * (i.PATIENT_ID * 16 + 6), 2147483647) * 48271 + i.PATIENT_ID * 16 + 6, 2147483647) AS H6,
    MOD(MOD((i.PATIENT_ID * 16 + 7) * (i.PATIENT_ID * 16 + 7), 2147483647) * 48271 + i.PATIENT_ID * 16 + 7, 2147483647) AS H7
  FROM (
    SELECT CAST(1 + d1.N + 10 * d2.N + 100 * d3.N + 1000 * d4.N + 10000 * d5.N AS BIGINT) AS PATIENT_ID
    FROM {{ bronze_db }}.RAW_DATA.REF_DIGITS d1
    CROSS JOIN {{ bronze_db }}.RAW_DATA.REF_DIGITS d2
    CROSS JOIN {{ bronze_db }}.RAW_DATA.REF_DIGITS d3
    CROSS JOIN {{ bronze_db }}.RAW_DATA.REF_DIGITS d4
    CROSS JOIN {{ bronze_db }}.RAW_DATA.REF_DIGITS d5
  ) i
) p
CROSS JOIN (SELECT COUNT(*) AS N FROM {{ bronze_db }}.RAW_DATA.REF_FIRST_NAMES) first_names
CROSS JOIN (SELECT COUNT(*) AS N FROM {{ bronze_db }}.RAW_DATA.REF_LAST_NAMES) last_names
CROSS JOIN (SELECT MAX(CUM_TO) AS N FROM {{ bronze_db }}.RAW_DATA.REF_POSTCODE_DISTRICTS) districts
JOIN {{ bronze_db }}.RAW_DATA.REF_FIRST_NAMES f ON f.IDX = MOD(p.H1, first_names.N)
JOIN {{ bronze_db }}.RAW_DATA.REF_LAST_NAMES l ON l.IDX = MOD(p.H2, last_names.N)
JOIN {{ bronze_db }}.RAW_DATA.REF_POSTCODE_DISTRICTS pc
  ON MOD(p.H4, districts.N) >= pc.CUM_FROM AND MOD(p.H4, districts.N) < pc.CUM_TO;

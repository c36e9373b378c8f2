-- Exactly 100,000 patients, PATIENT_ID 1..100000, deterministic.
--
-- Per-row variety comes from H(x) = ((x * x) mod p * 48271 + x) mod p with p = 2^31 - 1 and
-- x = PATIENT_ID * 16 + a salt per attribute: integer arithmetic only, so every engine produces the
-- same patients (Snowflake's HASH and DuckDB's hash() differ).
--
-- NHS numbers: patient n = PATIENT_ID - 1 gets s = n * 123456791 mod 360,000,000 (a bijection:
-- the multiplier is coprime with 360,000,000). The first eight digits are 40,000,000 + s div 9, the
-- ninth is the (s mod 9)-th digit that leaves a valid check digit (exactly one value of the ninth
-- digit would need check digit 10, which is never issued), the tenth is the modulus-11 check digit.
-- Numbers are unique, valid, and in the 400 000 0000 - 799 999 9999 range; the scale step uses
-- the same mapping for n = new PATIENT_ID - multiplier, so they stay unique across copies.
INSERT INTO {{ bronze_db }}.RAW_DATA.RAW_PATIENTS
  (PATIENT_ID, NHS_NUMBER, FIRST_NAME, LAST_NAME, SEX, DATE_OF_BIRTH, POSTCODE, REGION)
SELECT
  p.PATIENT_ID,
  CAST(p.NHS_STEM AS VARCHAR) || CAST(p.NHS_D9 AS VARCHAR)
    || CAST(MOD(11 - MOD(p.NHS_S8 + 2 * p.NHS_D9, 11), 11) AS VARCHAR) AS NHS_NUMBER,
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
    s.*,
    s.NHS_K + CASE WHEN s.NHS_K >= MOD(6 * MOD(12 - MOD(s.NHS_S8, 11), 11), 11) THEN 1 ELSE 0 END AS NHS_D9
  FROM (
    SELECT
      t.*,
      CAST(
        10 * MOD(FLOOR(t.NHS_STEM / 10000000), 10)
        + 9 * MOD(FLOOR(t.NHS_STEM / 1000000), 10)
        + 8 * MOD(FLOOR(t.NHS_STEM / 100000), 10)
        + 7 * MOD(FLOOR(t.NHS_STEM / 10000), 10)
        + 6 * MOD(FLOOR(t.NHS_STEM / 1000), 10)
        + 5 * MOD(FLOOR(t.NHS_STEM / 100), 10)
        + 4 * MOD(FLOOR(t.NHS_STEM / 10), 10)
        + 3 * MOD(t.NHS_STEM, 10)
      AS INTEGER) AS NHS_S8
    FROM (
      SELECT
        i.PATIENT_ID,
        CAST(40000000 + FLOOR(MOD((i.PATIENT_ID - 1) * 123456791, 360000000) / 9) AS BIGINT) AS NHS_STEM,
        CAST(MOD(MOD((i.PATIENT_ID - 1) * 123456791, 360000000), 9) AS INTEGER) AS NHS_K,
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
    ) t
  ) s
) p
CROSS JOIN (SELECT COUNT(*) AS N FROM {{ bronze_db }}.RAW_DATA.REF_FIRST_NAMES) first_names
CROSS JOIN (SELECT COUNT(*) AS N FROM {{ bronze_db }}.RAW_DATA.REF_LAST_NAMES) last_names
CROSS JOIN (SELECT MAX(CUM_TO) AS N FROM {{ bronze_db }}.RAW_DATA.REF_POSTCODE_DISTRICTS) districts
JOIN {{ bronze_db }}.RAW_DATA.REF_FIRST_NAMES f ON f.IDX = MOD(p.H1, first_names.N)
JOIN {{ bronze_db }}.RAW_DATA.REF_LAST_NAMES l ON l.IDX = MOD(p.H2, last_names.N)
JOIN {{ bronze_db }}.RAW_DATA.REF_POSTCODE_DISTRICTS pc
  ON MOD(p.H4, districts.N) >= pc.CUM_FROM AND MOD(p.H4, districts.N) < pc.CUM_TO;

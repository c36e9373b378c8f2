-- Multiply BRONZE by {{ multiplier }}: one set-based statement per table, a CROSS JOIN of the
-- originals with a table of copy numbers. Always built from the *_ORIGINAL tables, so running it
-- again (with any multiplier) starts from the 100K base, never from an already scaled table.
-- The warehouse goes back to {{ base_size }} in this step's cleanup, which runs even if this fails.
ALTER WAREHOUSE {{ warehouse }} SET WAREHOUSE_SIZE = {{ scale_size }} WAIT_FOR_COMPLETION = TRUE;

-- Copy numbers 0 .. multiplier - 1, gap-free by construction (SEQ4() may leave gaps) and
-- materialized once, so both tables below use exactly the same copies.
CREATE OR REPLACE TABLE {{ bronze_db }}.RAW_DATA.SCALE_COPIES AS
SELECT COPY_NO
FROM (
  SELECT CAST(d1.N + 10 * d2.N + 100 * d3.N + 1000 * d4.N AS BIGINT) AS COPY_NO
  FROM {{ bronze_db }}.RAW_DATA.REF_DIGITS d1
  CROSS JOIN {{ bronze_db }}.RAW_DATA.REF_DIGITS d2
  CROSS JOIN {{ bronze_db }}.RAW_DATA.REF_DIGITS d3
  CROSS JOIN {{ bronze_db }}.RAW_DATA.REF_DIGITS d4
) copies
WHERE COPY_NO < {{ multiplier }};

-- Keys: new_id = old_id * multiplier + copy_no is a bijection, so every foreign key still points
-- at its own patient's copy, a NULL stays NULL and an orphan stays an orphan.
-- NHS numbers: the seed's mapping applied to n = (old_id - 1) * multiplier + copy_no, unique across
-- all copies and valid (see sql/seed/bronze_patients.sql; room for 360 million patients).
-- Dates: moved by -30..+30 days by an integer hash of (old_id, copy_no), the same on every run.
CREATE OR REPLACE TABLE {{ bronze_db }}.RAW_DATA.RAW_PATIENTS AS
SELECT
  d.PATIENT_ID,
  CAST(d.NHS_STEM AS VARCHAR) || CAST(d.NHS_D9 AS VARCHAR)
    || CAST(MOD(11 - MOD(d.NHS_S8 + 2 * d.NHS_D9, 11), 11) AS VARCHAR) AS NHS_NUMBER,
  d.FIRST_NAME,
  d.LAST_NAME,
  d.SEX,
  d.DATE_OF_BIRTH,
  d.POSTCODE,
  d.REGION
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
        o.PATIENT_ID * {{ multiplier }} + c.COPY_NO AS PATIENT_ID,
        CAST(40000000 + FLOOR(MOD(((o.PATIENT_ID - 1) * {{ multiplier }} + c.COPY_NO) * 123456791, 360000000) / 9) AS BIGINT) AS NHS_STEM,
        CAST(MOD(MOD(((o.PATIENT_ID - 1) * {{ multiplier }} + c.COPY_NO) * 123456791, 360000000), 9) AS INTEGER) AS NHS_K,
        o.FIRST_NAME,
        o.LAST_NAME,
        o.SEX,
        -- x = old_id * 4096 + copy_no stays below 2^31 - 1 (multiplier at most 3,600), so x * x fits in 64 bits.
        o.DATE_OF_BIRTH + CAST(MOD(MOD(
          MOD((o.PATIENT_ID * 4096 + c.COPY_NO) * (o.PATIENT_ID * 4096 + c.COPY_NO), 2147483647) * 48271
            + o.PATIENT_ID * 4096 + c.COPY_NO,
          2147483647), 61) - 30 AS INTEGER) AS DATE_OF_BIRTH,
        o.POSTCODE,
        o.REGION
      FROM {{ bronze_db }}.RAW_DATA.RAW_PATIENTS_ORIGINAL o
      CROSS JOIN {{ bronze_db }}.RAW_DATA.SCALE_COPIES c
    ) t
  ) s
) d;

CREATE OR REPLACE TABLE {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS AS
SELECT
  o.PRESCRIPTION_ID * {{ multiplier }} + c.COPY_NO AS PRESCRIPTION_ID,
  o.PATIENT_ID * {{ multiplier }} + c.COPY_NO AS PATIENT_ID,
  o.PRESCRIBED_DATE + CAST(MOD(MOD(
    MOD((o.PRESCRIPTION_ID * 4096 + c.COPY_NO) * (o.PRESCRIPTION_ID * 4096 + c.COPY_NO), 2147483647) * 48271
      + o.PRESCRIPTION_ID * 4096 + c.COPY_NO,
    2147483647), 61) - 30 AS INTEGER) AS PRESCRIBED_DATE,
  o.BNF_CODE,
  o.DRUG_NAME,
  o.QUANTITY,
  o.PRICE_GBP,
  o.PAYLOAD
FROM {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS_ORIGINAL o
CROSS JOIN {{ bronze_db }}.RAW_DATA.SCALE_COPIES c;

-- Replacing a table drops its change tracking; the dynamic tables need it to refresh.
ALTER TABLE {{ bronze_db }}.RAW_DATA.RAW_PATIENTS SET CHANGE_TRACKING = TRUE;
ALTER TABLE {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS SET CHANGE_TRACKING = TRUE;

SELECT TABLE_NAME, ROW_COUNT
FROM (
  SELECT 1 AS SORT_KEY, 'RAW_PATIENTS' AS TABLE_NAME, COUNT(*) AS ROW_COUNT FROM {{ bronze_db }}.RAW_DATA.RAW_PATIENTS
  UNION ALL
  SELECT 2, 'RAW_PRESCRIPTIONS', COUNT(*) FROM {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS
) scaled
ORDER BY SORT_KEY;

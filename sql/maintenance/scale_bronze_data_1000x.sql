-- Multiply BRONZE by {{ multiplier }}: one set-based statement per table, a CROSS JOIN of the
-- originals with the copy numbers 0 .. multiplier - 1. Always built from the *_ORIGINAL tables, so
-- running it again (with any multiplier) starts from the 100K base, never from an already scaled
-- table. The warehouse stays at {{ scale_size }} after this step: SILVER's catch-up, the counts and the
-- benchmarks need it; the idle-cost step, restore and the runbook's teardown size it back down.
USE WAREHOUSE {{ warehouse }};
ALTER WAREHOUSE {{ warehouse }} SET WAREHOUSE_SIZE = {{ scale_size }} WAIT_FOR_COMPLETION = TRUE;

-- SILVER waits while BRONZE is replaced: a scheduled refresh against a half-replaced BRONZE would
-- fail, and five failures in a row suspend a dynamic table for good. The catch-up step refreshes
-- and resumes them.
ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PRESCRIPTIONS SUSPEND;
ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PATIENTS SUSPEND;

-- Keys: new_id = old_id * multiplier + copy_no is a bijection, so every foreign key still points
-- at its own patient's copy, a NULL stays NULL and an orphan stays an orphan.
-- NHS numbers: NHS_NUMBER(n) (sql/seed/nhs_numbers.sql) for n = (old_id - 1) * multiplier + copy_no,
-- unique across all copies and valid (room for 360 million patients).
-- Dates: moved by -30..+30 days by an integer hash of (old_id, copy_no), the same on every run.
-- Copy numbers come from REF_COPY_NUMBERS, reference data of the seed (gap-free, unlike SEQ4()).
-- Columns keep the seed's types (sql/seed/bronze_tables.sql); NOT NULL and change tracking, which a
-- CREATE TABLE AS does not carry over, are set right after.
CREATE OR REPLACE TABLE {{ bronze_db }}.RAW_DATA.RAW_PATIENTS AS
SELECT
  CAST(o.PATIENT_ID * {{ multiplier }} + c.COPY_NO AS BIGINT) AS PATIENT_ID,
  CAST({{ bronze_db }}.RAW_DATA.NHS_NUMBER((o.PATIENT_ID - 1) * {{ multiplier }} + c.COPY_NO) AS VARCHAR(10)) AS NHS_NUMBER,
  o.FIRST_NAME,
  o.LAST_NAME,
  o.SEX,
  -- x = old_id * 4096 + copy_no stays below 2^31 - 1 (multiplier at most 3,600), so x * x fits in 64 bits.
  CAST(o.DATE_OF_BIRTH + CAST(MOD(MOD(
    MOD((o.PATIENT_ID * 4096 + c.COPY_NO) * (o.PATIENT_ID * 4096 + c.COPY_NO), 2147483647) * 48271
      + o.PATIENT_ID * 4096 + c.COPY_NO,
    2147483647), 61) - 30 AS INTEGER) AS DATE) AS DATE_OF_BIRTH,
  o.POSTCODE,
  o.REGION
FROM {{ bronze_db }}.RAW_DATA.RAW_PATIENTS_ORIGINAL o
CROSS JOIN {{ bronze_db }}.RAW_DATA.REF_COPY_NUMBERS c
WHERE c.COPY_NO < {{ multiplier }};
ALTER TABLE {{ bronze_db }}.RAW_DATA.RAW_PATIENTS ALTER COLUMN PATIENT_ID SET NOT NULL;
ALTER TABLE {{ bronze_db }}.RAW_DATA.RAW_PATIENTS SET CHANGE_TRACKING = TRUE;

CREATE OR REPLACE TABLE {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS AS
SELECT
  CAST(o.PRESCRIPTION_ID * {{ multiplier }} + c.COPY_NO AS BIGINT) AS PRESCRIPTION_ID,
  CAST(o.PATIENT_ID * {{ multiplier }} + c.COPY_NO AS BIGINT) AS PATIENT_ID,
  CAST(o.PRESCRIBED_DATE + CAST(MOD(MOD(
    MOD((o.PRESCRIPTION_ID * 4096 + c.COPY_NO) * (o.PRESCRIPTION_ID * 4096 + c.COPY_NO), 2147483647) * 48271
      + o.PRESCRIPTION_ID * 4096 + c.COPY_NO,
    2147483647), 61) - 30 AS INTEGER) AS DATE) AS PRESCRIBED_DATE,
  o.BNF_CODE,
  o.DRUG_NAME,
  o.QUANTITY,
  o.PRICE_GBP,
  o.PAYLOAD
FROM {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS_ORIGINAL o
CROSS JOIN {{ bronze_db }}.RAW_DATA.REF_COPY_NUMBERS c
WHERE c.COPY_NO < {{ multiplier }};
ALTER TABLE {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS ALTER COLUMN PRESCRIPTION_ID SET NOT NULL;
ALTER TABLE {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS SET CHANGE_TRACKING = TRUE;

SELECT TABLE_NAME, ROW_COUNT
FROM (
  SELECT 1 AS SORT_KEY, 'RAW_PATIENTS' AS TABLE_NAME, COUNT(*) AS ROW_COUNT FROM {{ bronze_db }}.RAW_DATA.RAW_PATIENTS
  UNION ALL
  SELECT 2, 'RAW_PRESCRIPTIONS', COUNT(*) FROM {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS
) scaled
ORDER BY SORT_KEY;

-- Zero-copy clones: they cost no storage until either side changes.
--
-- The *_ORIGINAL tables are the restore point and are never overwritten: they are created only
-- when missing, and only from data that still holds the base counts (100,000 / 500,809), so a run
-- after scaling cannot turn them into copies of scaled data.
EXECUTE IMMEDIATE $$
DECLARE
  originals INTEGER;
  patients INTEGER;
  prescriptions INTEGER;
  not_base EXCEPTION (-20001, 'RAW_PATIENTS / RAW_PRESCRIPTIONS do not hold the 100,000 / 500,809 base rows: refusing to create *_ORIGINAL from them. Rebuild the base (build-pipeline) first.');
BEGIN
  SELECT COUNT(*) INTO :originals
  FROM {{ bronze_db }}.INFORMATION_SCHEMA.TABLES
  WHERE TABLE_SCHEMA = 'RAW_DATA' AND TABLE_NAME IN ('RAW_PATIENTS_ORIGINAL', 'RAW_PRESCRIPTIONS_ORIGINAL');
  IF (originals < 2) THEN
    SELECT COUNT(*) INTO :patients FROM {{ bronze_db }}.RAW_DATA.RAW_PATIENTS;
    SELECT COUNT(*) INTO :prescriptions FROM {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS;
    IF (patients <> 100000 OR prescriptions <> 500809) THEN
      RAISE not_base;
    END IF;
    CREATE TABLE IF NOT EXISTS {{ bronze_db }}.RAW_DATA.RAW_PATIENTS_ORIGINAL CLONE {{ bronze_db }}.RAW_DATA.RAW_PATIENTS;
    CREATE TABLE IF NOT EXISTS {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS_ORIGINAL CLONE {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS;
  END IF;
  RETURN 'originals in place';
END;
$$;

-- Secondary backups of the current data, replaced on every run.
CREATE OR REPLACE TABLE {{ bronze_db }}.RAW_DATA.RAW_PATIENTS_BACKUP CLONE {{ bronze_db }}.RAW_DATA.RAW_PATIENTS;
CREATE OR REPLACE TABLE {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS_BACKUP CLONE {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS;

-- Whole layers. Cloned dynamic tables start suspended, so the SILVER backup costs no refreshes.
-- The role that runs this owns the clones it makes; replacing a *_BACKUP database made earlier by
-- another role (ACCOUNTADMIN) needs its ownership first: see sql/setup/least_privilege_role.sql.
CREATE OR REPLACE DATABASE {{ bronze_db }}_BACKUP CLONE {{ bronze_db }};
CREATE OR REPLACE DATABASE {{ silver_db }}_BACKUP CLONE {{ silver_db }};
CREATE OR REPLACE DATABASE {{ gold_db }}_BACKUP CLONE {{ gold_db }};

SELECT "BACKUP", ROW_COUNT
FROM (
  SELECT 1 AS SORT_KEY, 'RAW_PATIENTS_ORIGINAL' AS "BACKUP", COUNT(*) AS ROW_COUNT
  FROM {{ bronze_db }}.RAW_DATA.RAW_PATIENTS_ORIGINAL
  UNION ALL
  SELECT 2, 'RAW_PRESCRIPTIONS_ORIGINAL', COUNT(*) FROM {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS_ORIGINAL
  UNION ALL
  SELECT 3, 'RAW_PATIENTS_BACKUP', COUNT(*) FROM {{ bronze_db }}.RAW_DATA.RAW_PATIENTS_BACKUP
  UNION ALL
  SELECT 4, 'RAW_PRESCRIPTIONS_BACKUP', COUNT(*) FROM {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS_BACKUP
) backups
ORDER BY SORT_KEY;

-- DuckDB twin of sql/backup/create_backups.sql. DuckDB has no scripting block, so the guard is a
-- query that raises error() when the originals are missing and the current data is not the base.
-- The local engine runs CLONE as a full copy and CREATE DATABASE ... CLONE as a copy of the
-- database file: nothing is zero-copy here, but the result is the same.
SELECT CASE
  WHEN (
    SELECT COUNT(*) FROM duckdb_tables()
    WHERE UPPER(database_name) = UPPER('{{ bronze_db }}') AND schema_name = 'RAW_DATA'
      AND table_name IN ('RAW_PATIENTS_ORIGINAL', 'RAW_PRESCRIPTIONS_ORIGINAL')
  ) < 2
  AND (
    (SELECT COUNT(*) FROM {{ bronze_db }}.RAW_DATA.RAW_PATIENTS) <> 100000
    OR (SELECT COUNT(*) FROM {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS) <> 500809
  )
  THEN error('RAW_PATIENTS / RAW_PRESCRIPTIONS do not hold the 100,000 / 500,809 base rows: refusing to create *_ORIGINAL from them. Rebuild the base (build-pipeline) first.')
  ELSE 'originals can be taken'
END AS GUARD;

CREATE TABLE IF NOT EXISTS {{ bronze_db }}.RAW_DATA.RAW_PATIENTS_ORIGINAL CLONE {{ bronze_db }}.RAW_DATA.RAW_PATIENTS;
CREATE TABLE IF NOT EXISTS {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS_ORIGINAL CLONE {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS;

CREATE OR REPLACE TABLE {{ bronze_db }}.RAW_DATA.RAW_PATIENTS_BACKUP CLONE {{ bronze_db }}.RAW_DATA.RAW_PATIENTS;
CREATE OR REPLACE TABLE {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS_BACKUP CLONE {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS;

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

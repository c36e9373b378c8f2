-- Back to the 100K base: clone the originals over the scaled tables (zero-copy, near instant),
-- then let SILVER rebuild from them. The warehouse returns to {{ base_size }} in the step's cleanup.
CREATE OR REPLACE TABLE {{ bronze_db }}.RAW_DATA.RAW_PATIENTS CLONE {{ bronze_db }}.RAW_DATA.RAW_PATIENTS_ORIGINAL;
CREATE OR REPLACE TABLE {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS CLONE {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS_ORIGINAL;
DROP TABLE IF EXISTS {{ bronze_db }}.RAW_DATA.SCALE_COPIES;

-- A replaced table loses change tracking (error 091930 on the next refresh without it).
ALTER TABLE {{ bronze_db }}.RAW_DATA.RAW_PATIENTS SET CHANGE_TRACKING = TRUE;
ALTER TABLE {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS SET CHANGE_TRACKING = TRUE;

-- Replacing a base table reinitializes the dynamic tables: a full rebuild, at base size.
ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PATIENTS REFRESH;
ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PRESCRIPTIONS REFRESH;

-- Back to the 100K base: clone the originals over BRONZE (zero-copy, near instant), then rebuild
-- SILVER from them. Safe to run again, after a half-finished scale or a half-finished restore:
-- every statement puts its object in the same end state whatever state it finds.
USE WAREHOUSE {{ warehouse }};

-- SILVER waits while BRONZE is replaced (a scheduled refresh against a half-restored BRONZE would
-- fail, and five failures suspend a dynamic table for good).
ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PRESCRIPTIONS SUSPEND;
ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PATIENTS SUSPEND;

-- A replaced table loses change tracking (error 091930 on the next refresh without it).
CREATE OR REPLACE TABLE {{ bronze_db }}.RAW_DATA.RAW_PATIENTS CLONE {{ bronze_db }}.RAW_DATA.RAW_PATIENTS_ORIGINAL;
ALTER TABLE {{ bronze_db }}.RAW_DATA.RAW_PATIENTS SET CHANGE_TRACKING = TRUE;
CREATE OR REPLACE TABLE {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS CLONE {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS_ORIGINAL;
ALTER TABLE {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS SET CHANGE_TRACKING = TRUE;

-- A manual refresh works on a suspended dynamic table; after a replaced base table it is a full
-- rebuild. Then SILVER is scheduled again, upstream first.
ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PATIENTS REFRESH;
ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PRESCRIPTIONS REFRESH;
ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PATIENTS RESUME;
ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PRESCRIPTIONS RESUME;

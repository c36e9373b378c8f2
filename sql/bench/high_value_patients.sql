-- A benchmark must make the warehouse do the work: demo runs every statement with the result cache
-- off (USE_CACHED_RESULT = FALSE, a statement parameter: the session keeps its own setting), on
-- the demo's warehouse whatever the connection's default is.
USE WAREHOUSE {{ warehouse }};

SELECT COUNT(*) AS HIGH_VALUE_PATIENTS
FROM {{ gold_db }}.ANALYTICS.V_PATIENT_360
WHERE LIFETIME_VALUE_GBP > 2000;

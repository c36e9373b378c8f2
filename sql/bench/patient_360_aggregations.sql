-- A benchmark must make the warehouse do the work: demo runs every statement with the result cache
-- off (USE_CACHED_RESULT = FALSE, a statement parameter: the session keeps its own setting), on
-- the demo's warehouse whatever the connection's default is.
USE WAREHOUSE {{ warehouse }};

SELECT
  REGION,
  COUNT(*) AS PATIENTS,
  ROUND(AVG(LIFETIME_VALUE_GBP), 2) AS AVG_LIFETIME_VALUE_GBP,
  ROUND(AVG(PRESCRIPTION_COUNT), 1) AS AVG_PRESCRIPTIONS
FROM {{ gold_db }}.ANALYTICS.V_PATIENT_360
GROUP BY REGION
ORDER BY PATIENTS DESC, REGION;

-- A benchmark must make the warehouse do the work: no answers from the 24-hour result cache.
ALTER SESSION SET USE_CACHED_RESULT = FALSE;

SELECT COUNT(*) AS HIGH_VALUE_PATIENTS
FROM {{ gold_db }}.ANALYTICS.V_PATIENT_360
WHERE LIFETIME_VALUE_GBP > 2000;

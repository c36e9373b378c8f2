-- Rows per layer. The runbook's expectations and the layer-counts display read OBJECT and ROW_COUNT.
-- Heavy at scale: on the demo's warehouse whatever the connection's default is.
USE WAREHOUSE {{ warehouse }};

SELECT LAYER, "OBJECT", ROW_COUNT
FROM (
  SELECT 1 AS SORT_KEY, 'BRONZE' AS LAYER, 'RAW_PATIENTS' AS "OBJECT", COUNT(*) AS ROW_COUNT
  FROM {{ bronze_db }}.RAW_DATA.RAW_PATIENTS
  UNION ALL
  SELECT 2, 'BRONZE', 'RAW_PRESCRIPTIONS', COUNT(*) FROM {{ bronze_db }}.RAW_DATA.RAW_PRESCRIPTIONS
  UNION ALL
  SELECT 3, 'SILVER', 'PATIENTS', COUNT(*) FROM {{ silver_db }}.GOVERNED_DATA.PATIENTS
  UNION ALL
  SELECT 4, 'SILVER', 'PRESCRIPTIONS', COUNT(*) FROM {{ silver_db }}.GOVERNED_DATA.PRESCRIPTIONS
  UNION ALL
  SELECT 5, 'GOLD', 'V_PATIENT_360', COUNT(*) FROM {{ gold_db }}.ANALYTICS.V_PATIENT_360
) layer_counts
ORDER BY SORT_KEY;

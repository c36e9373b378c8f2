-- SILVER catches up with the scaled BRONZE, then is scheduled again. The scale suspended both
-- dynamic tables; a manual refresh works on a suspended table, and replacing BRONZE makes it a full
-- rebuild (REINITIALIZE). It runs on the dynamic tables' own warehouse, still at the scale size.
USE WAREHOUSE {{ warehouse }};
ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PATIENTS REFRESH;
ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PRESCRIPTIONS REFRESH;

-- Upstream first: PRESCRIPTIONS reads PATIENTS.
ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PATIENTS RESUME;
ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PRESCRIPTIONS RESUME;

-- The last refresh that did work (if a scheduled refresh had already caught up, the manual one
-- found no new data and the scheduled one is the one to show), and whether each is scheduled again.
-- The pipe operator (->>) reads SHOW's own result, whatever else runs on the session.
SHOW DYNAMIC TABLES IN SCHEMA {{ silver_db }}.GOVERNED_DATA
->> SELECT h.NAME AS DYNAMIC_TABLE, h.REFRESH_ACTION, h.STATE, s."scheduling_state" AS SCHEDULING_STATE
FROM TABLE({{ silver_db }}.INFORMATION_SCHEMA.DYNAMIC_TABLE_REFRESH_HISTORY(RESULT_LIMIT => 10000)) h
JOIN $1 s ON s."name" = h.NAME
-- Unquoted identifiers are upper case on Snowflake; the param may not be.
WHERE h.QUALIFIED_NAME LIKE UPPER('{{ silver_db }}') || '.GOVERNED_DATA.%'
  AND h.REFRESH_ACTION <> 'NO_DATA'
QUALIFY ROW_NUMBER() OVER (PARTITION BY h.NAME ORDER BY h.REFRESH_START_TIME DESC) = 1
ORDER BY DYNAMIC_TABLE;

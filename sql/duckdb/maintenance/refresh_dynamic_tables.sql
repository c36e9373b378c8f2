-- DuckDB twin of sql/maintenance/refresh_dynamic_tables.sql. The local engine rebuilds a dynamic
-- table in full from its definition on REFRESH and keeps no refresh history, so the result states
-- what happened: both refreshes above were full rebuilds (a failure would have stopped the step
-- before this line). The scheduling state is the one the local engine recorded (SUSPEND, RESUME).
USE WAREHOUSE {{ warehouse }};
ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PATIENTS REFRESH;
ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PRESCRIPTIONS REFRESH;

ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PATIENTS RESUME;
ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PRESCRIPTIONS RESUME;

SHOW DYNAMIC TABLES IN SCHEMA {{ silver_db }}.GOVERNED_DATA
->> SELECT "name" AS DYNAMIC_TABLE, 'FULL' AS REFRESH_ACTION, 'SUCCEEDED' AS STATE, "scheduling_state" AS SCHEDULING_STATE
FROM $1
ORDER BY DYNAMIC_TABLE;

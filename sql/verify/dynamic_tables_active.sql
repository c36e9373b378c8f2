-- SILVER's dynamic tables and whether Snowflake schedules their refreshes (ACTIVE) or not
-- (SUSPENDED: by us, by five failed refreshes in a row, or as clones).
SHOW DYNAMIC TABLES IN SCHEMA {{ silver_db }}.GOVERNED_DATA
->> SELECT "name" AS DYNAMIC_TABLE, "scheduling_state" AS SCHEDULING_STATE
FROM $1
ORDER BY DYNAMIC_TABLE;

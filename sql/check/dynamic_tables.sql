-- `demo check`: SILVER's dynamic tables are scheduled, their last refresh succeeded (SKIPPED, a
-- refresh with nothing to do or overtaken by the next, is healthy too), and their data is not far
-- older than their target lag: the lag is best effort, and just before a refresh lands the data
-- is regularly older than the target, so the check allows twice the target and a minute. One row
-- per condition; VALUE is how many tables break it (DYNAMIC_TABLES_FOUND: how many there are).
-- Reading these needs MONITOR on the tables. Unquoted identifiers are upper case on Snowflake, a
-- param may not be: compared upper-cased.
WITH graph AS (
  SELECT NAME, SCHEDULING_STATE:state::STRING AS SCHEDULING
  FROM TABLE({{ silver_db }}.INFORMATION_SCHEMA.DYNAMIC_TABLE_GRAPH_HISTORY())
  WHERE DATABASE_NAME = UPPER('{{ silver_db }}') AND VALID_TO IS NULL
),
health AS (
  SELECT NAME, LAST_COMPLETED_REFRESH_STATE, TARGET_LAG_SEC,
         DATEDIFF('second', LATEST_DATA_TIMESTAMP, CURRENT_TIMESTAMP()) AS CURRENT_LAG_SEC
  FROM TABLE({{ silver_db }}.INFORMATION_SCHEMA.DYNAMIC_TABLES(RESULT_LIMIT => 10000))
  WHERE DATABASE_NAME = UPPER('{{ silver_db }}')
)
SELECT CHECK_NAME, "VALUE"
FROM (
  SELECT 1 AS SORT_KEY, 'DYNAMIC_TABLES_FOUND' AS CHECK_NAME, COUNT(*) AS "VALUE" FROM graph
  UNION ALL
  SELECT 2, 'NOT_ACTIVE', COUNT_IF(SCHEDULING IS DISTINCT FROM 'ACTIVE') FROM graph
  UNION ALL
  SELECT 3, 'LAST_REFRESH_NOT_SUCCEEDED', COUNT_IF(COALESCE(LAST_COMPLETED_REFRESH_STATE, '') NOT IN ('SUCCEEDED', 'SKIPPED')) FROM health
  UNION ALL
  SELECT 4, 'OVER_TARGET_LAG', COUNT_IF(CURRENT_LAG_SEC > 2 * TARGET_LAG_SEC + 60) FROM health
)
ORDER BY SORT_KEY;

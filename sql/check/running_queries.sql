-- `demo check`: no statement of ours (QUERY_TAG 'demo-runbook:…') is still running or queued from an
-- earlier session, e.g. a scale that was never cancelled. This session's own statements (the other
-- checks, running alongside) are left out. Without END_TIME_RANGE_END, running queries are included.
-- Query history is read through a database's INFORMATION_SCHEMA: the check's `requires`
-- (sql/check/demo_database_exists.sql) runs first, and before the first build, when there is no
-- demo database and nothing of ours can be running, the check passes without running this.
SELECT COUNT(*) AS RUNNING_QUERIES,
       COALESCE(LISTAGG(QUERY_ID, ', ') WITHIN GROUP (ORDER BY START_TIME), '') AS QUERY_IDS
FROM TABLE({{ bronze_db }}.INFORMATION_SCHEMA.QUERY_HISTORY_BY_USER(RESULT_LIMIT => 10000))
WHERE QUERY_TAG LIKE 'demo-runbook:%'
  AND EXECUTION_STATUS IN ('RUNNING', 'QUEUED', 'BLOCKED', 'RESUMING_WAREHOUSE')
  AND SESSION_ID <> TO_NUMBER(CURRENT_SESSION());

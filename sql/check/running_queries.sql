-- `demo check`: no statement of ours (QUERY_TAG 'demo-runbook:…') is still running or queued from an
-- earlier session, e.g. a scale that was never cancelled. This session's own statements (the other
-- checks, running alongside) are left out. Without END_TIME_RANGE_END, running queries are included.
-- Query history is read through a database's INFORMATION_SCHEMA: before the first build there is
-- none of ours, and nothing of ours can be running, which is a pass, not an error. A scripting
-- block, because only it can look before it reads; it only reads. SHOW's result is read by the id
-- of that very statement (SQLID), not LAST_QUERY_ID(), which the checks alongside would confuse.
EXECUTE IMMEDIATE $$
DECLARE
  shown VARCHAR;
  databases INTEGER;
  result RESULTSET;
BEGIN
  SHOW DATABASES LIKE '{{ bronze_db }}';
  shown := SQLID;
  SELECT COUNT(*) INTO :databases FROM TABLE(RESULT_SCAN(:shown));
  IF (databases = 0) THEN
    result := (SELECT 0 AS RUNNING_QUERIES, 'no demo database yet' AS QUERY_IDS);
  ELSE
    result := (
      SELECT COUNT(*) AS RUNNING_QUERIES,
             COALESCE(LISTAGG(QUERY_ID, ', ') WITHIN GROUP (ORDER BY START_TIME), '') AS QUERY_IDS
      FROM TABLE({{ bronze_db }}.INFORMATION_SCHEMA.QUERY_HISTORY_BY_USER(RESULT_LIMIT => 10000))
      WHERE QUERY_TAG LIKE 'demo-runbook:%'
        AND EXECUTION_STATUS IN ('RUNNING', 'QUEUED', 'BLOCKED', 'RESUMING_WAREHOUSE')
        AND SESSION_ID <> TO_NUMBER(CURRENT_SESSION())
    );
  END IF;
  RETURN TABLE(result);
END;
$$;

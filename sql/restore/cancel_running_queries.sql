-- Restore, first: stop every statement of ours (QUERY_TAG 'demo-runbook:…') still running in another
-- session. A scale left running by a crashed or closed demo would otherwise finish after the
-- restore and put the scaled data back. This session's own statements (the restore) are left
-- alone. Cancelling is asked again every second until none is left, for at most a minute.
EXECUTE IMMEDIATE $$
DECLARE
  query_id VARCHAR;
  still_there INTEGER DEFAULT 0;
  cancelled INTEGER DEFAULT 0;
  ours CURSOR FOR
    SELECT QUERY_ID
    FROM TABLE({{ bronze_db }}.INFORMATION_SCHEMA.QUERY_HISTORY_BY_USER(RESULT_LIMIT => 10000))
    WHERE QUERY_TAG LIKE 'demo-runbook:%'
      AND EXECUTION_STATUS IN ('RUNNING', 'QUEUED', 'BLOCKED', 'RESUMING_WAREHOUSE')
      AND SESSION_ID <> TO_NUMBER(CURRENT_SESSION());
  still_running EXCEPTION (-20002, 'statements tagged demo-runbook still run after a minute of cancelling: cancel them in Snowsight (Monitoring, Query History), then restore again');
BEGIN
  FOR attempt IN 1 TO 60 DO
    still_there := 0;
    FOR q IN ours DO
      query_id := q.QUERY_ID;
      SELECT SYSTEM$CANCEL_QUERY(:query_id);
      still_there := still_there + 1;
    END FOR;
    IF (attempt = 1) THEN
      cancelled := still_there;
    END IF;
    IF (still_there = 0) THEN
      RETURN CASE WHEN cancelled = 0 THEN 'nothing of ours was running elsewhere'
                  ELSE cancelled || ' statement(s) of ours were running elsewhere: cancelled' END;
    END IF;
    SELECT SYSTEM$WAIT(1);
  END FOR;
  RAISE still_running;
END;
$$;

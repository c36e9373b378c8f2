-- The dynamic tables would catch up on their own within TARGET_LAG; refreshing now makes the step
-- wait until SILVER holds the scaled data. Replacing BRONZE means a full rebuild (REINITIALIZE).
ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PATIENTS REFRESH;
ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PRESCRIPTIONS REFRESH;

-- The last refresh that did work: if a scheduled refresh already caught up, the manual one above
-- found no new data, and the scheduled one is the one to show.
SELECT NAME AS DYNAMIC_TABLE, REFRESH_ACTION, STATE
FROM TABLE({{ silver_db }}.INFORMATION_SCHEMA.DYNAMIC_TABLE_REFRESH_HISTORY(
  NAME_PREFIX => '{{ silver_db }}.GOVERNED_DATA.', RESULT_LIMIT => 100
))
WHERE REFRESH_ACTION <> 'NO_DATA'
QUALIFY ROW_NUMBER() OVER (PARTITION BY NAME ORDER BY REFRESH_START_TIME DESC) = 1
ORDER BY NAME;

-- What the warehouse costs while nobody queries it: size, auto-suspend, auto-resume, state.
SHOW WAREHOUSES LIKE '{{ warehouse }}';

SELECT
  "name" AS WAREHOUSE,
  "size" AS SIZE,
  "auto_suspend" AS AUTO_SUSPEND_SECONDS,
  "auto_resume" AS AUTO_RESUME,
  "state" AS STATE
FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()));

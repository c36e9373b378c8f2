-- What the warehouse costs while nobody queries it: size, auto-suspend, auto-resume, state.
-- The pipe operator (->>) reads SHOW's own result, whatever else ran on the session meanwhile.
SHOW WAREHOUSES LIKE '{{ warehouse }}'
->> SELECT
  "name" AS WAREHOUSE,
  "size" AS SIZE,
  "auto_suspend" AS AUTO_SUSPEND_SECONDS,
  "auto_resume" AS AUTO_RESUME,
  "state" AS STATE
FROM $1;

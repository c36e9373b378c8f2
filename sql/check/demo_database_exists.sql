-- Whether the demo's BRONZE database exists yet (1) or not (0): before the first build, checks that
-- read through it have nothing to check. The pipe reads SHOW's own result, whatever else runs.
SHOW DATABASES LIKE '{{ bronze_db }}'
->> SELECT COUNT(*) AS DEMO_DATABASE_EXISTS FROM $1;

-- DuckDB twin of sql/maintenance/refresh_dynamic_tables.sql. The local engine rebuilds a dynamic
-- table in full from its definition on REFRESH; DuckDB keeps no refresh history, so the result
-- states what happened: both refreshes above were full rebuilds, and a failure would have stopped
-- the step before this line.
ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PATIENTS REFRESH;
ALTER DYNAMIC TABLE {{ silver_db }}.GOVERNED_DATA.PRESCRIPTIONS REFRESH;

SELECT 'PATIENTS' AS DYNAMIC_TABLE, 'FULL' AS REFRESH_ACTION, 'SUCCEEDED' AS STATE
UNION ALL
SELECT 'PRESCRIPTIONS', 'FULL', 'SUCCEEDED';

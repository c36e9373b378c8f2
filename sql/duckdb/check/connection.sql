-- DuckDB twin of sql/check/connection.sql. The local engine has no roles and no warehouses: every
-- statement runs in the one local database, so "on the demo's warehouse" holds by construction,
-- and the check still proves that the database answers.
SELECT
  'none (local DuckDB)' AS ROLE_NAME,
  'none (local DuckDB)' AS WAREHOUSE_NAME,
  1 AS ON_DEMO_WAREHOUSE;

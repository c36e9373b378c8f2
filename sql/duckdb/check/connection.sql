-- `demo check` on the local engine: the DuckDB database answers. There is no role and no
-- warehouse on a laptop, so the row says so rather than inventing names.
SELECT
  'none (DuckDB)' AS ROLE_NAME,
  'none (DuckDB)' AS WAREHOUSE_NAME,
  1 AS ON_DEMO_WAREHOUSE;

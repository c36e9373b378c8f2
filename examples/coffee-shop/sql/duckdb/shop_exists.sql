-- DuckDB twin of sql/shop_exists.sql: DuckDB has no SHOW DATABASES LIKE, and lists its databases
-- (one attached file each on the local engine) in duckdb_databases().
SELECT COUNT(*) AS SHOP_EXISTS
FROM duckdb_databases()
WHERE UPPER(database_name) = UPPER('{{ database }}');

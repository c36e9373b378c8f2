-- A zero-copy clone on Snowflake (a full copy on DuckDB). Taken once per build: IF NOT EXISTS keeps
-- the first one, so running this step again after the mistake cannot back up the wrong prices.
CREATE TABLE IF NOT EXISTS {{ database }}.SALES.PRODUCTS_BACKUP CLONE {{ database }}.SALES.PRODUCTS;

SELECT 'PRODUCTS_BACKUP' AS "BACKUP", COUNT(*) AS ROW_COUNT, SUM(PRICE_PENCE) AS PRICES_PENCE
FROM {{ database }}.SALES.PRODUCTS_BACKUP;

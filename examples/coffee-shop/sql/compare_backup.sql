-- The damage, and what the backup still holds: the sum of the prices in each table.
SELECT "TABLE", PRICES_PENCE
FROM (
  SELECT 1 AS SORT_KEY, 'PRODUCTS' AS "TABLE", SUM(PRICE_PENCE) AS PRICES_PENCE FROM {{ database }}.SALES.PRODUCTS
  UNION ALL
  SELECT 2, 'PRODUCTS_BACKUP', SUM(PRICE_PENCE) FROM {{ database }}.SALES.PRODUCTS_BACKUP
) prices
ORDER BY SORT_KEY;

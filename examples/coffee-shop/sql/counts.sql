-- Rows per layer, as display: layer-counts and display: architecture read them (LAYER, OBJECT, a
-- column whose name holds COUNT).
SELECT LAYER, "OBJECT", ROW_COUNT
FROM (
  SELECT 1 AS SORT_KEY, 'SALES' AS LAYER, 'PRODUCTS' AS "OBJECT", COUNT(*) AS ROW_COUNT FROM {{ database }}.SALES.PRODUCTS
  UNION ALL
  SELECT 2, 'SALES', 'ORDERS', COUNT(*) FROM {{ database }}.SALES.ORDERS
  UNION ALL
  SELECT 3, 'REPORTING', 'V_REVENUE', COUNT(*) FROM {{ database }}.SALES.V_REVENUE
) counts
ORDER BY SORT_KEY;

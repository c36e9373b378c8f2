-- Revenue per product, highest first, and the total: read through the view, so it follows PRODUCTS.
SELECT NAME, ORDERS, REVENUE_PENCE
FROM (
  SELECT 1 AS SORT_KEY, NAME, ORDERS, REVENUE_PENCE FROM {{ database }}.SALES.V_REVENUE
  UNION ALL
  SELECT 2, 'TOTAL', SUM(ORDERS), SUM(REVENUE_PENCE) FROM {{ database }}.SALES.V_REVENUE
) revenue
ORDER BY SORT_KEY, REVENUE_PENCE DESC, NAME;

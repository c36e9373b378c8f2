-- `demo check`: the warehouse waits at its base size, suspends when idle, and was not left at the
-- scale size by an interrupted step. One row per condition; VALUE 1 means it holds.
-- The pipe operator (->>) reads SHOW's own result: unlike RESULT_SCAN(LAST_QUERY_ID()) it is not
-- confused by the other checks' statements running at the same time on this session.
-- SHOW spells sizes its own way (X-Small, Large, 2X-Large); SIZE is the runbook's spelling (XSMALL,
-- LARGE, XXLARGE), to compare with the params.
SHOW WAREHOUSES LIKE '{{ warehouse }}'
->> WITH sized AS (
  SELECT "size", "auto_suspend", "auto_resume",
         CASE REPLACE(UPPER("size"), '-', '')
           WHEN '2XLARGE' THEN 'XXLARGE'
           WHEN '3XLARGE' THEN 'XXXLARGE'
           ELSE REPLACE(UPPER("size"), '-', '')
         END AS SIZE
  FROM $1
)
SELECT CHECK_NAME, "VALUE", ACTUAL
FROM (
  SELECT 1 AS SORT_KEY, 'WAREHOUSE_EXISTS' AS CHECK_NAME, IFF(COUNT(*) = 1, 1, 0) AS "VALUE",
         TO_VARCHAR(COUNT(*)) AS ACTUAL
  FROM sized
  UNION ALL
  SELECT 2, 'AT_BASE_SIZE', IFF(SIZE = '{{ base_size }}', 1, 0), "size" FROM sized
  UNION ALL
  SELECT 3, 'NOT_AT_SCALE_SIZE', IFF(SIZE = '{{ scale_size }}', 0, 1), "size" FROM sized
  UNION ALL
  SELECT 4, 'AUTO_SUSPEND_AS_EXPECTED', IFF("auto_suspend" = {{ auto_suspend_seconds }}, 1, 0), TO_VARCHAR("auto_suspend") FROM sized
  UNION ALL
  SELECT 5, 'AUTO_RESUME_ON', IFF("auto_resume" = 'true', 1, 0), "auto_resume" FROM sized
)
ORDER BY SORT_KEY;

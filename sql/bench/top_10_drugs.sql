-- A benchmark must make the warehouse do the work: demo runs every statement with the result cache
-- off (USE_CACHED_RESULT = FALSE, a statement parameter: the session keeps its own setting), on
-- the demo's warehouse whatever the connection's default is.
USE WAREHOUSE {{ warehouse }};

SELECT DRUG_NAME, COUNT(*) AS PRESCRIPTIONS, SUM(PRICE_GBP) AS TOTAL_GBP
FROM {{ silver_db }}.GOVERNED_DATA.PRESCRIPTIONS
GROUP BY DRUG_NAME
ORDER BY PRESCRIPTIONS DESC, DRUG_NAME
LIMIT 10;

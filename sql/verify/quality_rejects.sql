-- Why SILVER holds fewer prescriptions than BRONZE: rejects per rule (see sql/silver/dynamic_tables.sql).
-- Heavy at scale: on the demo's warehouse whatever the connection's default is.
USE WAREHOUSE {{ warehouse }};

SELECT RULE_NAME, SOURCE_TABLE, REJECTED_ROWS
FROM {{ silver_db }}.GOVERNED_DATA.V_QUALITY_REJECTS
ORDER BY RULE_ORDER;

-- Why SILVER holds fewer prescriptions than BRONZE: rejects per rule (see sql/silver/dynamic_tables.sql).
SELECT RULE_NAME, SOURCE_TABLE, REJECTED_ROWS
FROM {{ silver_db }}.GOVERNED_DATA.V_QUALITY_REJECTS
ORDER BY RULE_ORDER;

-- Placeholder until the SQL issue lands.
SELECT 1 AS PLACEHOLDER;

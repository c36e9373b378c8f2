-- `demo check`: the connection answers, with a role, and on the show's warehouse (heavy steps say
-- USE WAREHOUSE themselves; the light ones run on the connection's default). Unquoted identifiers
-- are upper case on Snowflake, a param may not be: compared upper-cased.
SELECT
  CURRENT_ROLE() AS ROLE_NAME,
  CURRENT_WAREHOUSE() AS WAREHOUSE_NAME,
  IFF(CURRENT_WAREHOUSE() = UPPER('{{ warehouse }}'), 1, 0) AS ON_DEMO_WAREHOUSE;

-- `demo check`: the connection answers, with a role, and on the show's warehouse (every step but
-- the build assumes the connection's default warehouse is the demo's).
SELECT
  CURRENT_ROLE() AS ROLE_NAME,
  CURRENT_WAREHOUSE() AS WAREHOUSE_NAME,
  IFF(CURRENT_WAREHOUSE() = '{{ warehouse }}', 1, 0) AS ON_DEMO_WAREHOUSE;

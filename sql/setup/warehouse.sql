-- The demo's only compute: XSMALL between steps, suspended when idle, resumed on demand.
-- Generation and query acceleration are pinned so that timings and credit estimates are honest:
-- new warehouses may otherwise default to Gen2 (other rates) with query acceleration on. Gen2
-- standard warehouses exist only in some cloud regions: with warehouse_generation = 2 elsewhere,
-- this fails; keep 1 there.
CREATE WAREHOUSE IF NOT EXISTS {{ warehouse }}
  WAREHOUSE_SIZE = {{ base_size }}
  GENERATION = '{{ warehouse_generation }}'
  ENABLE_QUERY_ACCELERATION = FALSE
  AUTO_SUSPEND = {{ auto_suspend_seconds }}
  AUTO_RESUME = TRUE
  INITIALLY_SUSPENDED = TRUE
  COMMENT = 'Pharmacy2U medallion demo';

-- An existing warehouse keeps its old settings through CREATE ... IF NOT EXISTS: set them again, so
-- running this twice is harmless and a warehouse left large by an interrupted step comes back down.
ALTER WAREHOUSE {{ warehouse }} SET
  WAREHOUSE_SIZE = {{ base_size }}
  GENERATION = '{{ warehouse_generation }}'
  ENABLE_QUERY_ACCELERATION = FALSE
  AUTO_SUSPEND = {{ auto_suspend_seconds }}
  AUTO_RESUME = TRUE;

USE WAREHOUSE {{ warehouse }};

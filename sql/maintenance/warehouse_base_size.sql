-- Back to the base size: the runbook's teardown (after a failed or cancelled step, and when the
-- show ends), and the restore and idle-cost steps. A resize applies to new queries only.
USE WAREHOUSE {{ warehouse }};
ALTER WAREHOUSE {{ warehouse }} SET WAREHOUSE_SIZE = {{ base_size }};

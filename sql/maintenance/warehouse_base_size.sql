-- Back to the base size. Runs after the scale and restore steps whatever happened to them
-- (their `cleanup:`), so a failed or cancelled step never leaves a LARGE warehouse billing.
ALTER WAREHOUSE {{ warehouse }} SET WAREHOUSE_SIZE = {{ base_size }};

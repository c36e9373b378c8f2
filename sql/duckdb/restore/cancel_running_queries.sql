-- DuckDB twin of sql/restore/cancel_running_queries.sql. The local engine runs one statement at a
-- time, in this process: a statement of a demo that crashed or was closed died with it, so there
-- is nothing elsewhere to cancel.
SELECT 'nothing to cancel: the local engine runs in this process only' AS STATUS;

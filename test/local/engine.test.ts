import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEngine, localDatabasePath } from '../../src/engine/local/index.js';
import { CancelledError, EngineError } from '../../src/engine/types.js';
import { openEngine, query, scalar, tempDir } from './helpers.js';

describe('the local engine', () => {
  let dir: string;
  let remove: () => void;
  let engine: LocalEngine;

  beforeAll(async () => {
    ({ dir, remove } = tempDir());
    engine = openEngine(dir);
    await engine.connect(new AbortController().signal);
  });

  afterAll(async () => {
    await engine.close();
    remove();
  });

  it('keeps only maxRows rows of a large result and counts the rest', async () => {
    const result = await query(engine, 'SELECT range AS N FROM range(3000000)', 5);
    expect(result.rows).toHaveLength(5);
    for (const row of result.rows) expect(row).toEqual([expect.any(Number)]);
    expect(result.rowCount).toBe(3_000_000);
    expect(result.truncated).toBe(true);
    expect(result.source).toBe('local');
    expect(result.elapsedMs).toBeGreaterThan(0);
  });

  it('hands over plain JSON cells: numbers as numbers unless a double would round them', async () => {
    const result = await query(
      engine,
      `SELECT 42::BIGINT AS I, 12345678901234567890::HUGEINT AS BIG, 57853200.25::DECIMAL(12, 2) AS GBP,
         DATE '2024-02-29' AS D, TIMESTAMP '2024-02-29 13:45:00' AS TS, TRUE AS B, '{"a": 1}'::JSON AS J,
         [1, 2] AS L, NULL::VARCHAR AS NOTHING`,
    );
    expect(result.rows[0]).toEqual([42, '12345678901234567890', 57853200.25, '2024-02-29', '2024-02-29 13:45:00', true, '{"a": 1}', '[1,2]', null]);
    expect(result.columns.map((c) => c.type)).toEqual(['number', 'number', 'number', 'date', 'timestamp', 'boolean', 'json', 'json', 'text']);
  });

  it('says what a statement that is not a query did, as Snowflake does', async () => {
    expect((await query(engine, 'CREATE TABLE counted (N INTEGER)')).rows).toEqual([['Statement executed successfully.']]);
    const inserted = await query(engine, 'INSERT INTO counted SELECT range FROM range(7)');
    expect(inserted.columns).toEqual([{ name: 'number of rows inserted', type: 'number' }]);
    expect(inserted.rows).toEqual([[7]]);
    expect((await query(engine, 'CREATE TABLE counted_too AS SELECT * FROM counted')).rows).toEqual([['Table successfully created (7 rows).']]);
  });

  it('skips warehouse, role and session statements, and says so', async () => {
    const result = await query(engine, 'ALTER WAREHOUSE PHARMACY2U_DEMO_WH SET WAREHOUSE_SIZE = LARGE WAIT_FOR_COMPLETION = TRUE');
    expect(result.rows).toEqual([['Skipped: warehouse is a no-op on DuckDB.']]);
    expect(result.notice).toBe('warehouse statement: no-op on DuckDB');
  });

  it('cancels a running statement by interrupting it, and keeps working afterwards', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const running = engine.run(
      { sql: 'SELECT SUM(hash(a.range * b.range)) FROM range(100000) a CROSS JOIN range(1000000) b', stepId: 't', index: 0, count: 1 },
      { signal: controller.signal, maxRows: 10 },
    );
    setTimeout(() => controller.abort(), 300);
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(await scalar(engine, 'SELECT 1 + 1')).toBe(2);
  });

  it('does not start a statement whose signal has already been aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      engine.run({ sql: 'CREATE TABLE never_made (N INTEGER)', stepId: 't', index: 0, count: 1 }, { signal: controller.signal, maxRows: 10 }),
    ).rejects.toBeInstanceOf(CancelledError);
    await expect(query(engine, 'SELECT * FROM never_made')).rejects.toThrow(/never_made/);
  });

  it('names a missing object and says how to get it', async () => {
    const error = await query(engine, 'SELECT * FROM NOWHERE_DB.RAW_DATA.RAW_PATIENTS').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).message).toMatch(/NOWHERE_DB/);
    expect((error as EngineError).hint).toMatch(/run the step that creates it on the local engine first/);
  });

  it('makes each Snowflake database an attached file, so three-part names work, also after a restart', async () => {
    await query(engine, 'CREATE DATABASE IF NOT EXISTS SHOP');
    await query(engine, 'CREATE SCHEMA IF NOT EXISTS SHOP.SALES');
    await query(engine, 'CREATE TABLE SHOP.SALES.ORDERS AS SELECT range AS ID FROM range(3)');
    expect((await query(engine, 'CREATE DATABASE IF NOT EXISTS SHOP')).rows).toEqual([['SHOP already exists, statement succeeded.']]);
    await expect(query(engine, 'CREATE DATABASE SHOP')).rejects.toThrow(/already exists/);

    await engine.close();
    engine = openEngine(dir);
    expect(await scalar(engine, 'SELECT COUNT(*) FROM SHOP.SALES.ORDERS')).toBe(3);
  });

  it('clones a database as an independent copy, views included', async () => {
    await query(engine, 'CREATE VIEW SHOP.SALES.BIG_ORDERS AS SELECT ID FROM SHOP.SALES.ORDERS WHERE ID > 0');
    const cloned = await query(engine, 'CREATE OR REPLACE DATABASE SHOP_BACKUP CLONE SHOP');
    expect(cloned.notice).toBe('zero-copy clone: a full copy on DuckDB');
    await query(engine, 'INSERT INTO SHOP.SALES.ORDERS VALUES (3)');
    expect(await scalar(engine, 'SELECT COUNT(*) FROM SHOP_BACKUP.SALES.ORDERS')).toBe(3);
    // As on Snowflake, a cloned view still reads the fully qualified table it names: the live one.
    expect(await scalar(engine, 'SELECT COUNT(*) FROM SHOP_BACKUP.SALES.BIG_ORDERS')).toBe(3);

    await query(engine, 'CREATE OR REPLACE DATABASE SHOP_BACKUP CLONE SHOP');
    expect(await scalar(engine, 'SELECT COUNT(*) FROM SHOP_BACKUP.SALES.ORDERS')).toBe(4);
    await query(engine, 'DROP DATABASE SHOP_BACKUP');
    await expect(query(engine, 'SELECT * FROM SHOP_BACKUP.SALES.ORDERS')).rejects.toThrow(EngineError);
  });

  it('keeps a dynamic table as a table that REFRESH rebuilds from its definition, across restarts', async () => {
    const created = await query(
      engine,
      "CREATE OR REPLACE DYNAMIC TABLE SHOP.SALES.EVEN_ORDERS TARGET_LAG = '1 minute' WAREHOUSE = WH AS SELECT ID FROM SHOP.SALES.ORDERS WHERE ID % 2 = 0",
    );
    expect(created.rows).toEqual([['Dynamic table EVEN_ORDERS successfully created (2 rows).']]);
    await query(engine, 'INSERT INTO SHOP.SALES.ORDERS VALUES (4), (6)');
    expect(await scalar(engine, 'SELECT COUNT(*) FROM SHOP.SALES.EVEN_ORDERS')).toBe(2);

    await engine.close();
    engine = openEngine(dir);
    const refreshed = await query(engine, 'ALTER DYNAMIC TABLE shop.sales.even_orders REFRESH');
    expect(refreshed.rows).toEqual([['Dynamic table EVEN_ORDERS refreshed: full rebuild, 4 rows.']]);
    expect(await scalar(engine, 'SELECT COUNT(*) FROM SHOP.SALES.EVEN_ORDERS')).toBe(4);
    await expect(query(engine, 'ALTER DYNAMIC TABLE SHOP.SALES.ORDERS REFRESH')).rejects.toThrow(/not a dynamic table/);
  });

  it('records SUSPEND and RESUME of a dynamic table, as SHOW DYNAMIC TABLES reports them, across restarts', async () => {
    const schedule = async () => (await query(engine, "SHOW DYNAMIC TABLES LIKE 'even%' IN SCHEMA shop.sales")).rows.map((r) => [r[0], r[3]]);
    expect(await schedule()).toEqual([['EVEN_ORDERS', 'ACTIVE']]);
    const suspended = await query(engine, 'ALTER DYNAMIC TABLE SHOP.SALES.EVEN_ORDERS SUSPEND');
    expect(suspended.notice).toBe('dynamic table: no scheduler on DuckDB; SUSPEND and RESUME only record the state');
    // A manual refresh works on a suspended table and leaves it suspended, as on Snowflake.
    await query(engine, 'ALTER DYNAMIC TABLE SHOP.SALES.EVEN_ORDERS REFRESH');
    await engine.close();
    engine = openEngine(dir);
    expect(await schedule()).toEqual([['EVEN_ORDERS', 'SUSPENDED']]);
    await query(engine, 'ALTER DYNAMIC TABLE SHOP.SALES.EVEN_ORDERS RESUME');
    expect(await schedule()).toEqual([['EVEN_ORDERS', 'ACTIVE']]);
    await expect(query(engine, 'ALTER DYNAMIC TABLE SHOP.SALES.NOPE SUSPEND')).rejects.toThrow(/Dynamic table 'SHOP.SALES.NOPE' does not exist/);
    // The pipe operator reads SHOW's result as $1.
    const piped = await query(engine, 'SHOW DYNAMIC TABLES IN DATABASE SHOP ->> SELECT "name" AS N, "scheduling_state" AS S FROM $1 WHERE "schema_name" = \'SALES\'');
    expect(piped.rows).toEqual([['EVEN_ORDERS', 'ACTIVE']]);
  });

  it('copies a table for CLONE, its NOT NULL columns included', async () => {
    await query(engine, 'CREATE TABLE SHOP.SALES.STRICT (ID BIGINT NOT NULL, NOTE VARCHAR)');
    await query(engine, "INSERT INTO SHOP.SALES.STRICT VALUES (1, 'a')");
    const result = await query(engine, 'CREATE OR REPLACE TABLE SHOP.SALES.STRICT_COPY CLONE SHOP.SALES.STRICT');
    expect(result.notice).toBe('zero-copy clone: a full copy on DuckDB');
    expect(await scalar(engine, 'SELECT COUNT(*) FROM SHOP.SALES.ORDERS')).toBe(6);
    const nullable = await query(engine, "SELECT column_name, is_nullable FROM duckdb_columns() WHERE table_name = 'STRICT_COPY' ORDER BY column_index");
    expect(nullable.rows).toEqual([['ID', false], ['NOTE', true]]);
    expect((await query(engine, 'CREATE TABLE IF NOT EXISTS SHOP.SALES.STRICT_COPY CLONE SHOP.SALES.ORDERS')).rows).toEqual([['STRICT_COPY already exists, statement succeeded.']]);
    await expect(query(engine, 'CREATE TABLE SHOP.SALES.X CLONE SHOP.SALES.MISSING')).rejects.toThrow(/does not exist/);
  });

  it('makes a SQL function a macro, in its database, that keeps working after a restart', async () => {
    const created = await query(
      engine,
      "CREATE OR REPLACE FUNCTION SHOP.SALES.TENS(X NUMBER)\n  RETURNS NUMBER\n  COMMENT = 'tens digit'\nAS $$\n  MOD((X - MOD(X, 10)) / 10, 10)\n$$",
    );
    expect(created.rows).toEqual([['Function TENS successfully created.']]);
    // Arguments and results are converted to the declared NUMBER (scale 0) as Snowflake does.
    expect((await query(engine, 'SELECT SHOP.SALES.TENS(1234), SHOP.SALES.TENS(59.6)')).rows).toEqual([[3, 6]]);
    await engine.close();
    engine = openEngine(dir);
    expect(await scalar(engine, 'SELECT shop.sales.tens(987)')).toBe(8);
  });

  it('answers the Snowflake JSON and regex functions the runbook uses as Snowflake would', async () => {
    const result = await query(
      engine,
      `SELECT GET_PATH(PARSE_JSON('{"order": {"channel": "app", "repeat": true}, "amount": 9.90}'), 'order.channel')::VARCHAR,
              GET_PATH(PARSE_JSON('{"order": {"repeat": true}}'), 'order.repeat')::BOOLEAN,
              GET_PATH(PARSE_JSON('{"amount": 9.90}'), 'amount')::DECIMAL(6, 2),
              GET_PATH(PARSE_JSON('{}'), 'missing')::VARCHAR,
              REGEXP_LIKE('0501013B0AAABAB', '[0-9]{7}[0-9A-Z]{8}'),
              REGEXP_LIKE('X0501013B0AAABAB', '[0-9]{7}[0-9A-Z]{8}')`,
    );
    expect(result.rows[0]).toEqual(['app', true, 9.9, null, true, false]);
  });
});

describe('where the local database lives', () => {
  it('is local.duckdb in the state directory unless DEMO_LOCAL_DB says otherwise', () => {
    expect(localDatabasePath('.demo', {})).toBe(path.resolve('.demo', 'local.duckdb'));
    expect(localDatabasePath('.demo', { DEMO_LOCAL_DB: '/data/show.duckdb' })).toBe('/data/show.duckdb');
  });
});

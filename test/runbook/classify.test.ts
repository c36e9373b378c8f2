import { describe, expect, it } from 'vitest';
import { classifyScript, strongest, type StatementClass } from '../../src/runbook/classify.js';
import { changedObjects } from '../../src/runbook/objects.js';

const R: StatementClass = 'read-only';
const W: StatementClass = 'warehouse';
const C: StatementClass = 'changes';

/** [SQL, class as Snowflake reads it, class as DuckDB reads it]. Each text may hold several statements. */
const TABLE: Array<[string, StatementClass, StatementClass]> = [
  // Read-only, recognised positively.
  ['SELECT 1', R, R],
  ["select count(*) from t where note = 'DELETE FROM y; DROP TABLE z'", R, R],
  ['-- DROP TABLE x;\nSELECT 1', R, R],
  ['/* TRUNCATE t; */ SELECT LAST_UPDATE, DROPPED_AT, COPY_NO FROM t', R, R],
  ['WITH a AS (SELECT 1 AS n) SELECT n FROM a', R, R],
  ['(SELECT 1) UNION ALL (SELECT 2)', R, R],
  ['VALUES (1), (2)', R, R],
  ['SHOW TABLES', R, R],
  ['DESCRIBE TABLE t', R, R],
  ['DESC t', R, R],
  ['EXPLAIN SELECT * FROM t', R, R],
  ['USE WAREHOUSE wh', R, R],
  ['ALTER SESSION SET USE_CACHED_RESULT = FALSE', R, R],
  ['ALTER SESSION UNSET QUERY_TAG', R, R],
  ['SET n = 10', R, R],
  ['UNSET n', R, R],
  ["SHOW WAREHOUSES LIKE 'WH' ->> SELECT \"name\", REPLACE(\"size\", '-', '') FROM $1", R, R],
  ['SELECT "DELETE" FROM "UPDATE"', R, R],
  ['SELECT $$DROP TABLE t$$ AS s', R, R],
  ['SELECT SYSTEM$TYPEOF(1)', R, R],
  ["SELECT GET_PATH(payload, 'a') FROM t", R, R],
  // DuckDB's own query forms; not Snowflake SQL, so not recognised there.
  ['FROM t SELECT x', C, R],
  ["SELECT j->>'a' FROM t", C, R],
  // Compute only.
  ['ALTER WAREHOUSE wh SET WAREHOUSE_SIZE = LARGE WAIT_FOR_COMPLETION = TRUE', W, W],
  ['ALTER WAREHOUSE IF EXISTS wh SUSPEND', W, W],
  ['ALTER WAREHOUSE wh RESUME IF SUSPENDED', W, W],
  ['ALTER WAREHOUSE wh RENAME TO other_wh', C, C],
  ['ALTER WAREHOUSE wh ABORT ALL QUERIES', C, C],
  // Changes: plain, hidden behind WITH, renames, dialect forms.
  ['WITH x AS (SELECT 1) DELETE FROM PHARMACY2U_BRONZE.RAW_DATA.RAW_PATIENTS', C, C],
  ['DROP TABLE a', C, C],
  ['TRUNCATE TABLE e', C, C],
  ['CREATE OR REPLACE TABLE b AS SELECT 1', C, C],
  ['CREATE OR ALTER TABLE t (x INT)', C, C],
  ['INSERT OR REPLACE INTO t VALUES (1)', C, C],
  ['INSERT OVERWRITE INTO t SELECT 1', C, C],
  ['UPDATE d SET x = 1', C, C],
  ['MERGE INTO h USING i ON 1 = 1 WHEN MATCHED THEN DELETE', C, C],
  ['ALTER TABLE a RENAME TO b', C, C],
  ['ALTER DATABASE d RENAME TO e', C, C],
  ['ALTER TABLE f SWAP WITH g', C, C],
  ['ALTER DYNAMIC TABLE s.g.p REFRESH', C, C],
  ["COPY t TO '/tmp/out.csv'", C, C],
  ['COPY (SELECT 1) TO \'out.parquet\'', C, C],
  ['COPY INTO @stage FROM t', C, C],
  ['SELECT * INTO newtable FROM t', C, C],
  ['EXPLAIN ANALYZE DELETE FROM t', C, C],
  ["ATTACH '/tmp/x.duckdb' AS x", C, C],
  ['SET GLOBAL threads = 1', C, C],
  ["SELECT SYSTEM$CANCEL_QUERY('01b2')", C, R],
  // Scripting and dynamic SQL: never read-only, whatever the body holds.
  ['EXECUTE IMMEDIATE $$ BEGIN DROP TABLE t; END; $$', C, C],
  ["EXECUTE IMMEDIATE 'DROP TABLE t'", C, C],
  ['EXECUTE IMMEDIATE $$ BEGIN TRUNCATE TABLE t; END $$', C, C],
  ['EXECUTE IMMEDIATE $$ SELECT 1 $$', C, C],
  ['DECLARE n INTEGER', C, C],
  ['CALL my_proc()', C, C],
  ['SELECT 1; DROP TABLE t', C, C],
  ['GRANT SELECT ON TABLE t TO ROLE r', C, C],
  ['COMMIT', C, C],
  // Where the two dialects read strings and comments differently, each is read by its own rules.
  ["SELECT 'a\\'; DROP TABLE t; --'", R, C],
  ["SELECT $x$ ' $x$; DROP TABLE t; --'", R, C],
  ["SELECT 1 /* /* */ 'x */ ; DROP TABLE t; -- '", R, C],
  ["SELECT 1 // '\n; DROP TABLE t; --'", C, R],
  ['SELECT 1 AS x$$, 2; DROP TABLE t; SELECT $$', C, C],
  ["SELECT E'\\''; DROP TABLE t; --'", C, C],
  // A control character no parser agrees on: never read-only.
  ['SELECT 1 --\r DELETE FROM t', C, C],
  ['SELECT 1\u0000', C, C],
];

describe('the read-only classifier', () => {
  it(`classifies ${TABLE.length} statements as Snowflake and as DuckDB read them`, () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(40);
    const wrong = TABLE.flatMap(([sql, snowflake, duckdb]) => {
      const got = { snowflake: strongest(sql, 'snowflake').class, duckdb: strongest(sql, 'duckdb').class };
      return got.snowflake === snowflake && got.duckdb === duckdb ? [] : [`${JSON.stringify(sql)}: expected ${snowflake}/${duckdb}, got ${got.snowflake}/${got.duckdb}`];
    });
    expect(wrong).toEqual([]);
  });

  it('names what makes a statement change things, at its position', () => {
    expect(classifyScript('SELECT 1;\n  WITH x AS (SELECT 1) DELETE FROM t;\nINSERT OR REPLACE INTO t VALUES (1)', 'duckdb')).toEqual([
      expect.objectContaining({ class: 'read-only', line: 1, column: 1 }),
      expect.objectContaining({ class: 'changes', reason: 'DELETE (after WITH)', line: 2, column: 3 }),
      expect.objectContaining({ class: 'changes', reason: 'INSERT OR REPLACE', line: 3, column: 1 }),
    ]);
    expect(strongest("EXECUTE IMMEDIATE 'DROP TABLE t'", 'snowflake').reason).toBe('EXECUTE IMMEDIATE (dynamic SQL)');
    expect(strongest('ALTER TABLE a RENAME TO b', 'snowflake').reason).toBe('ALTER TABLE … RENAME');
  });
});

describe('objects a statement changes', () => {
  const objects = (sql: string, dialect: 'snowflake' | 'duckdb' = 'snowflake') => changedObjects(sql, dialect);

  it('reads the target of each kind of statement, qualified names upper-cased as the engine resolves them', () => {
    expect(objects('CREATE OR REPLACE TABLE prod.raw.t AS SELECT 1').objects).toEqual([{ kind: 'table', name: 'PROD.RAW.T', action: 'replace' }]);
    expect(objects('CREATE OR REPLACE DATABASE X_BACKUP CLONE X').objects).toEqual([{ kind: 'database', name: 'X_BACKUP', action: 'replace', cloneOf: 'X' }]);
    expect(objects('create dynamic table if not exists "Mixed".s.t target_lag = \'1 minute\' as select 1').objects).toEqual([
      { kind: 'dynamic table', name: 'Mixed.S.T', action: 'create if missing' },
    ]);
    expect(objects('WITH x AS (SELECT 1) DELETE FROM a.b.c').objects).toEqual([{ kind: 'table', name: 'A.B.C', action: 'delete rows' }]);
    expect(objects('ALTER TABLE a.b.t RENAME TO a.b.u').objects.map((o) => `${o.name} ${o.action}`)).toEqual(['A.B.T rename', 'A.B.U rename to']);
    expect(objects('ALTER WAREHOUSE wh SET WAREHOUSE_SIZE = LARGE').objects).toEqual([{ kind: 'warehouse', name: 'WH', action: 'change settings' }]);
    expect(objects("COPY (SELECT 1) TO '/tmp/out.csv'", 'duckdb').objects).toEqual([{ kind: 'file', name: '/tmp/out.csv', action: 'write' }]);
    expect(objects('DROP TABLE IF EXISTS a, b', 'duckdb').objects.map((o) => o.name)).toEqual(['A', 'B']);
    expect(objects('SELECT 1').objects).toEqual([]);
  });

  it('reads inside an EXECUTE IMMEDIATE block, and says so when the targets cannot be read', () => {
    const block = "EXECUTE IMMEDIATE $$\nDECLARE n INTEGER;\nBEGIN\n  SELECT COUNT(*) INTO :n FROM d.s.t;\n  IF (n < 1) THEN\n    CREATE TABLE IF NOT EXISTS d.s.o CLONE d.s.t;\n  END IF;\n  RETURN 'done';\nEND;\n$$";
    expect(objects(block).objects).toEqual([{ kind: 'table', name: 'D.S.O', action: 'create if missing', cloneOf: 'D.S.T' }]);
    expect(objects("EXECUTE IMMEDIATE 'DROP TABLE ' || :name").unknown).toMatch(/built at run time/);
    expect(objects('CALL cleanup_everything()').unknown).toMatch(/CALL CLEANUP_EVERYTHING: a procedure/);
  });
});

describe('what a confirmation lists', () => {
  it("marks what the local engine skips (a warehouse) as Snowflake's, and lists the rest as it will run", async () => {
    const { changeLines } = await import('../../src/core/changes.js');
    const { loadRunbook } = await import('../../src/runbook/load.js');
    const { resolveParams } = await import('../../src/runbook/params.js');
    const runbook = loadRunbook(new URL('../../runbook.yml', import.meta.url).pathname);
    const scale = runbook.steps.find((s) => s.id === 'scale-1000x')!;
    const local = changeLines(scale, 'local', resolveParams(runbook.params, 'local'));
    expect(local).toContain('warehouse PHARMACY2U_DEMO_WH: change settings (on Snowflake; skipped on DuckDB)');
    expect(local).toContain('table PHARMACY2U_BRONZE.RAW_DATA.RAW_PATIENTS: replace, alter, change settings');
    const live = changeLines(scale, 'snowflake', resolveParams(runbook.params, 'snowflake'));
    expect(live).toContain('warehouse PHARMACY2U_DEMO_WH: change settings');
  });
});

import { describe, expect, it } from 'vitest';
import { macroFor, pipeStages, translate } from '../../src/engine/local/dialect.js';

describe('Snowflake statements on the local engine', () => {
  it.each([
    ['ALTER WAREHOUSE PHARMACY2U_DEMO_WH SET WAREHOUSE_SIZE = LARGE WAIT_FOR_COMPLETION = TRUE', 'warehouse statement: no-op on DuckDB'],
    ["CREATE WAREHOUSE IF NOT EXISTS WH WAREHOUSE_SIZE = XSMALL COMMENT = 'x'", 'warehouse statement: no-op on DuckDB'],
    ['USE WAREHOUSE WH', 'warehouse statement: no-op on DuckDB'],
    ['  -- why\n  use role PHARMACY2U_DEMO_ROLE', 'role and grant statements: no-op on DuckDB'],
    ['GRANT CREATE DATABASE ON ACCOUNT TO ROLE R', 'role and grant statements: no-op on DuckDB'],
    ['ALTER SESSION SET USE_CACHED_RESULT = FALSE', 'session setting: no-op on DuckDB (no result cache to turn off)'],
    ['ALTER TABLE DB.RAW_DATA.RAW_PATIENTS SET CHANGE_TRACKING = TRUE', 'change tracking: no-op on DuckDB'],
  ])('skips %j and says so', (sql, notice) => {
    expect(translate(sql)).toMatchObject({ kind: 'noop', notice });
  });

  it('passes ordinary SQL through untouched, even when a string mentions a Snowflake statement', () => {
    const sql = "SELECT 'ALTER WAREHOUSE X SUSPEND' AS TEXT FROM DB.S.T";
    expect(translate(sql)).toEqual({ kind: 'sql', sql });
  });

  it('reads database statements, folding unquoted names to upper case as Snowflake does', () => {
    expect(translate('CREATE DATABASE IF NOT EXISTS pharmacy2u_bronze COMMENT = \'raw\'')).toEqual({
      kind: 'create-database', name: 'PHARMACY2U_BRONZE', replace: false, ifNotExists: true, cloneOf: undefined,
    });
    expect(translate('CREATE OR REPLACE DATABASE PHARMACY2U_BRONZE_BACKUP CLONE PHARMACY2U_BRONZE')).toEqual({
      kind: 'create-database', name: 'PHARMACY2U_BRONZE_BACKUP', replace: true, ifNotExists: false, cloneOf: 'PHARMACY2U_BRONZE',
    });
    expect(translate('DROP DATABASE IF EXISTS "Mixed"')).toEqual({ kind: 'drop-database', name: 'Mixed', ifExists: true });
  });

  it('refuses Time Travel clones, which DuckDB cannot do', () => {
    expect(translate('CREATE DATABASE B CLONE A AT (OFFSET => -60)')).toMatchObject({ kind: 'unsupported' });
  });

  it('takes the query of a dynamic table from after its Snowflake-only properties', () => {
    const action = translate(
      "CREATE OR REPLACE DYNAMIC TABLE s.g.p TARGET_LAG = '1 minute' WAREHOUSE = WH REFRESH_MODE = AUTO\n" +
        "  COMMENT = 'not AS SELECT this' AS\nSELECT A, B FROM s.g.v WHERE C = 'x'",
    );
    expect(action).toEqual({
      kind: 'create-dynamic-table', name: 'S.G.P', replace: true, ifNotExists: false, query: "SELECT A, B FROM s.g.v WHERE C = 'x'",
    });
  });

  it('recognizes a manual refresh, suspend and resume, and refuses other dynamic-table statements rather than run them wrongly', () => {
    expect(translate('ALTER DYNAMIC TABLE S.G.PATIENTS REFRESH')).toEqual({ kind: 'refresh-dynamic-table', name: 'S.G.PATIENTS' });
    expect(translate('ALTER DYNAMIC TABLE S.G.PATIENTS SUSPEND')).toEqual({ kind: 'dynamic-table-state', name: 'S.G.PATIENTS', state: 'SUSPENDED' });
    expect(translate('alter dynamic table s.g."Patients" resume')).toEqual({ kind: 'dynamic-table-state', name: 'S.G.Patients', state: 'ACTIVE' });
    expect(translate("ALTER DYNAMIC TABLE S.G.PATIENTS SET TARGET_LAG = '5 minutes'")).toMatchObject({ kind: 'noop' });
    expect(translate('DROP DYNAMIC TABLE S.G.PATIENTS')).toMatchObject({ kind: 'unsupported' });
  });

  it('reads SHOW DYNAMIC TABLES with its LIKE and IN clauses', () => {
    expect(translate('SHOW DYNAMIC TABLES')).toEqual({ kind: 'show-dynamic-tables', like: undefined, database: undefined, schema: undefined });
    expect(translate("SHOW DYNAMIC TABLES LIKE 'PAT%' IN SCHEMA silver.governed_data")).toEqual({
      kind: 'show-dynamic-tables', like: 'PAT%', database: 'SILVER', schema: 'GOVERNED_DATA',
    });
    expect(translate('SHOW DYNAMIC TABLES IN DATABASE SILVER')).toMatchObject({ database: 'SILVER', schema: undefined });
  });

  it("splits Snowflake's pipe operator into its statements, and leaves DuckDB's JSON operator alone", () => {
    expect(pipeStages("SHOW DYNAMIC TABLES ->> SELECT \"name\" FROM $1 WHERE \"text\" <> '->> SELECT'")).toEqual([
      'SHOW DYNAMIC TABLES',
      "SELECT \"name\" FROM $1 WHERE \"text\" <> '->> SELECT'",
    ]);
    expect(translate("SELECT payload ->> '$.a' FROM t")).toEqual({ kind: 'sql', sql: "SELECT payload ->> '$.a' FROM t" });
    expect(translate('SHOW DYNAMIC TABLES ->> SELECT COUNT(*) FROM $1 ->> SELECT * FROM $2')).toEqual({
      kind: 'pipe', stages: ['SHOW DYNAMIC TABLES', 'SELECT COUNT(*) FROM $1', 'SELECT * FROM $2'],
    });
    // A chain that starts with a no-op is a no-op as a whole.
    expect(translate("SHOW WAREHOUSES LIKE 'WH' ->> SELECT \"size\" FROM $1")).toMatchObject({ kind: 'noop' });
  });

  it('reads a SQL function: name, typed arguments (commas inside types too), return type and body', () => {
    const action = translate(
      "CREATE OR REPLACE FUNCTION db.raw.nhs(N NUMBER(38, 0), K integer)\n  RETURNS VARCHAR(10)\n  LANGUAGE SQL\n  COMMENT = 'AS $$ not the body'\nAS $$\n  CAST(N * 10 + K AS VARCHAR(10))\n$$",
    );
    expect(action).toEqual({
      kind: 'create-function', name: 'DB.RAW.NHS', replace: true, ifNotExists: false,
      params: [{ name: 'N', type: 'NUMBER(38, 0)' }, { name: 'K', type: 'integer' }],
      returns: 'VARCHAR(10)', body: 'CAST(N * 10 + K AS VARCHAR(10))',
    });
    expect(translate("CREATE FUNCTION F(X NUMBER) RETURNS NUMBER AS 'X * ''2'''")).toMatchObject({ body: "X * '2'" });
    expect(translate("CREATE FUNCTION F(X NUMBER) RETURNS TABLE (A NUMBER) AS 'SELECT 1'")).toMatchObject({ kind: 'unsupported' });
    expect(translate("CREATE FUNCTION F(X NUMBER) RETURNS NUMBER LANGUAGE PYTHON RUNTIME_VERSION = '3.11' HANDLER = 'f' AS $$ x $$")).toMatchObject({
      kind: 'unsupported', message: 'LANGUAGE PYTHON functions have no DuckDB equivalent',
    });
  });

  it('makes a SQL function a DuckDB macro that converts its arguments and result as Snowflake does', () => {
    const action = translate('CREATE OR REPLACE FUNCTION DB.RAW.F(STEM NUMBER, K NUMBER) RETURNS VARCHAR(10) AS $$ DB.RAW.G(STEM) + t.STEM + K * 2 $$');
    if (action.kind !== 'create-function') throw new Error(action.kind);
    expect(macroFor(action)).toBe(
      'CREATE OR REPLACE MACRO "DB"."RAW"."F"(STEM, K) AS CAST((DB.RAW.G(CAST(STEM AS BIGINT)) + t.STEM + CAST(K AS BIGINT) * 2) AS VARCHAR)',
    );
  });

  it('reads a table clone, for the engine to copy', () => {
    expect(translate('CREATE OR REPLACE TABLE B.R.T_BACKUP CLONE B.R.T')).toEqual({
      kind: 'clone-table', name: 'B.R.T_BACKUP', source: 'B.R.T', replace: true, ifNotExists: false,
    });
    expect(translate('CREATE TABLE IF NOT EXISTS B.R."T o" CLONE B.R.T')).toMatchObject({ name: 'B.R.T o', ifNotExists: true, replace: false });
  });
});

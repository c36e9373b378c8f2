import { describe, expect, it } from 'vitest';
import { translate } from '../../src/engine/local/dialect.js';

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

  it('recognizes a manual refresh, and refuses other dynamic-table statements rather than run them wrongly', () => {
    expect(translate('ALTER DYNAMIC TABLE S.G.PATIENTS REFRESH')).toEqual({ kind: 'refresh-dynamic-table', name: 'S.G.PATIENTS' });
    expect(translate('ALTER DYNAMIC TABLE S.G.PATIENTS SUSPEND')).toMatchObject({ kind: 'noop' });
    expect(translate('DROP DYNAMIC TABLE S.G.PATIENTS')).toMatchObject({ kind: 'unsupported' });
  });

  it('turns a table clone into a full copy', () => {
    expect(translate('CREATE OR REPLACE TABLE B.R.T_BACKUP CLONE B.R.T')).toEqual({
      kind: 'sql', sql: 'CREATE OR REPLACE TABLE B.R.T_BACKUP AS SELECT * FROM B.R.T', notice: 'zero-copy clone: a full copy on DuckDB',
      clone: { name: 'B.R.T_BACKUP', source: 'B.R.T' },
    });
    expect(translate('CREATE TABLE IF NOT EXISTS B.R."T o" CLONE B.R.T')).toMatchObject({
      sql: 'CREATE TABLE IF NOT EXISTS B.R."T o" AS SELECT * FROM B.R.T',
    });
  });
});

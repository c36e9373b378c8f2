import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/runbook/errors.js';
import { parseParamFlags, resolveParams } from '../../src/runbook/params.js';
import type { ParamSpec } from '../../src/runbook/schema.js';
import { renderTemplate, splitStatements } from '../../src/runbook/sql.js';

describe('splitStatements', () => {
  it('splits on semicolons in code only, with each statement’s position', () => {
    const script = `-- a comment; not a split
SELECT 'a;b' AS s;
/* block; comment */ SELECT "odd;name" FROM t;

EXECUTE IMMEDIATE $$ BEGIN SELECT 1; END $$;
SELECT 'it''s; fine'`;
    const statements = splitStatements(script);
    expect(statements.map((s) => s.sql)).toEqual([
      "-- a comment; not a split\nSELECT 'a;b' AS s".replace('-- a comment; not a split\n', ''),
      'SELECT "odd;name" FROM t',
      'EXECUTE IMMEDIATE $$ BEGIN SELECT 1; END $$',
      "SELECT 'it''s; fine'",
    ]);
    expect(statements.map((s) => [s.line, s.column])).toEqual([
      [2, 1],
      [3, 22],
      [5, 1],
      [6, 1],
    ]);
  });

  it('drops empty statements and trailing comments', () => {
    expect(splitStatements('SELECT 1;;\n-- done\n').map((s) => s.sql)).toEqual(['SELECT 1']);
  });
});

describe('renderTemplate', () => {
  it('substitutes typed values into placeholders', () => {
    const { sql, issues } = renderTemplate('SELECT * FROM {{ db }}.T WHERE n < {{n}}', 'x.sql', { db: 'BRONZE', n: 1000 });
    expect(issues).toEqual([]);
    expect(sql).toBe('SELECT * FROM BRONZE.T WHERE n < 1000');
  });

  it('reports an unknown placeholder with its line and column and leaves nothing substituted', () => {
    const { issues } = renderTemplate('SELECT 1;\n  SELECT {{ missing }}', 'x.sql', { db: 'B' });
    expect(issues).toEqual([expect.objectContaining({ file: 'x.sql', line: 2, column: 10, message: expect.stringContaining("unknown param 'missing'") })]);
  });
});

describe('params', () => {
  const specs: Record<string, ParamSpec> = {
    multiplier: { type: 'integer', default: 1000, min: 1, engines: { local: 10 } },
    warehouse: { type: 'identifier', default: 'DEMO_WH' },
    size: { type: 'enum', values: ['XSMALL', 'LARGE'], default: 'LARGE' },
  };

  it('takes the default, then the engine’s value, then the command line’s', () => {
    expect(resolveParams(specs, 'snowflake')).toEqual({ multiplier: 1000, warehouse: 'DEMO_WH', size: 'LARGE' });
    expect(resolveParams(specs, 'local').multiplier).toBe(10);
    expect(resolveParams(specs, 'local', { multiplier: '1000' }).multiplier).toBe(1000);
  });

  it('rejects values that do not fit their type, so nothing can be pasted into SQL', () => {
    expect(() => resolveParams(specs, 'local', { warehouse: 'WH; DROP TABLE x' })).toThrow(UsageError);
    expect(() => resolveParams(specs, 'local', { warehouse: 'WH; DROP TABLE x' })).toThrow(/expected an SQL identifier/);
    expect(() => resolveParams(specs, 'local', { multiplier: '10abc' })).toThrow(/expected an integer/);
    expect(() => resolveParams(specs, 'local', { multiplier: '0' })).toThrow(/at least 1/);
    expect(() => resolveParams(specs, 'local', { size: "LARGE'" })).toThrow(/one of XSMALL, LARGE/);
    expect(() => resolveParams(specs, 'local', { nope: '1' })).toThrow(/unknown param 'nope'.*multiplier, warehouse, size/);
  });

  it('parses --param KEY=VALUE flags', () => {
    expect(parseParamFlags(['multiplier=100', 'size=LARGE'])).toEqual({ multiplier: '100', size: 'LARGE' });
    expect(() => parseParamFlags(['multiplier'])).toThrow(/expected KEY=VALUE/);
  });
});

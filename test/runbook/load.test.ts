import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunbookError } from '../../src/runbook/errors.js';
import { loadRunbook } from '../../src/runbook/load.js';
import { COUNTS_SQL, MINIMAL, scratch } from '../helpers.js';

function issuesOf(runbook: string, files: Record<string, string> = { 'sql/counts.sql': COUNTS_SQL }): string[] {
  const dir = scratch({ 'runbook.yml': runbook, ...files });
  try {
    loadRunbook(path.join(dir, 'runbook.yml'));
  } catch (error) {
    if (error instanceof RunbookError) return error.issues.map((i) => `${path.basename(i.file)}:${i.line}:${i.column}: ${i.path ?? ''}: ${i.message}`);
    throw error;
  }
  return [];
}

describe('loadRunbook', () => {
  it('loads a valid runbook into steps, restore and params', () => {
    const dir = scratch({ 'runbook.yml': MINIMAL, 'sql/counts.sql': COUNTS_SQL });
    const runbook = loadRunbook(path.join(dir, 'runbook.yml'));
    expect(runbook.steps.map((s) => s.id)).toEqual(['counts', 'scale', 'talk-only']);
    expect(runbook.steps[0]!.talk).toEqual([
      { kind: 'say', text: 'We have data.' },
      { kind: 'pause', text: 'for effect' },
    ]);
    expect(runbook.steps[0]!.targetMs).toBe(60_000);
    expect(runbook.steps[0]!.queries[0]!.mock).toMatchObject({ durationMs: 50, rows: [['PATIENTS', 1000]] });
    expect(runbook.steps[0]!.queries[0]!.mock!.columns).toEqual([
      { name: 'OBJECT', type: 'text' },
      { name: 'N', type: 'number' },
    ]);
    expect(runbook.steps[2]!.display).toBe('none');
    expect(runbook.restore.id).toBe('restore');
  });

  it('reports a YAML syntax error with its line and column', () => {
    const broken = MINIMAL.replace('title: Counts', 'title: [Counts');
    const issues = issuesOf(broken);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatch(/^runbook\.yml:\d+:\d+: : YAML syntax error/);
  });

  it('reports a schema error at the offending node with its path and what was expected', () => {
    const broken = MINIMAL.replace('    target: 1m', '    target: soon');
    expect(issuesOf(broken)).toEqual([expect.stringMatching(/^runbook\.yml:8:13: steps\[0\]\.target: .*duration/)]);
  });

  it('reports an unknown key where the key is', () => {
    const broken = MINIMAL.replace('    target: 1m', '    target: 1m\n    destrutive: true');
    expect(issuesOf(broken)).toEqual([expect.stringMatching(/^runbook\.yml:9:5: steps\[0\]\.destrutive: unknown key 'destrutive'/)]);
  });

  it('takes the live engine\'s limits from `snowflake:`, and reports a bad one where it is', () => {
    const withLimits = MINIMAL.replace('params:', 'snowflake:\n  login_timeout: 10s\n  submit_timeout: 20\n  lost_after: 1m\n  result_timeout: 1m 30s\nparams:');
    const dir = scratch({ 'runbook.yml': withLimits, 'sql/counts.sql': COUNTS_SQL });
    expect(loadRunbook(path.join(dir, 'runbook.yml')).snowflake).toEqual({ loginTimeoutMs: 10_000, submitTimeoutMs: 20_000, lostAfterMs: 60_000, resultTimeoutMs: 90_000 });
    const broken = MINIMAL.replace('params:', 'snowflake:\n  submit_timeout: 0s\n  lost_afer: 20s\nparams:');
    expect(issuesOf(broken).sort()).toEqual([
      expect.stringMatching(/^runbook\.yml:3:19: snowflake\.submit_timeout: a duration above zero, such as "15s"/),
      expect.stringMatching(/^runbook\.yml:4:3: snowflake\.lost_afer: unknown key 'lost_afer'/),
    ]);
  });

  it('reports a missing required field', () => {
    const broken = MINIMAL.replace('    title: Scale\n', '');
    expect(issuesOf(broken)).toEqual([expect.stringMatching(/steps\[1\]\.title: required/)]);
  });

  it('rejects duplicate step ids, pointing at the second one', () => {
    const broken = MINIMAL.replace('id: talk-only', 'id: counts');
    expect(issuesOf(broken)).toEqual([expect.stringMatching(/^runbook\.yml:25:9: steps\[2\]\.id: duplicate step id 'counts' \(also at steps\[0\]\)/)]);
  });

  it('rejects a missing SQL file', () => {
    expect(issuesOf(MINIMAL, {})).toEqual([expect.stringMatching(/^runbook\.yml:12:10: steps\[0\]\.sql: SQL file not found: .*sql\/counts\.sql/)]);
  });

  it('rejects an unknown placeholder in a SQL file at its own line and column', () => {
    const issues = issuesOf(MINIMAL, { 'sql/counts.sql': "SELECT 1;\nSELECT {{ nope }} AS N;\n" });
    expect(issues[0]).toMatch(/^counts\.sql:2:8: : unknown param 'nope'/);
  });

  it('rejects a bad identifier default where it is', () => {
    const broken = MINIMAL.replace('default: BRONZE', 'default: 1BRONZE');
    expect(issuesOf(broken)).toEqual([expect.stringMatching(/^runbook\.yml:4:36: params\.db\.default: expected an SQL identifier/)]);
  });

  it('rejects an engine override outside the param range, and an enum default not among its values', () => {
    const broken = MINIMAL.replace('engines: { local: 2 }', 'min: 5, engines: { local: 2 }').replace(
      '  db: {',
      '  size: { type: enum, values: [SMALL, LARGE], default: HUGE }\n  db: {',
    );
    const issues = issuesOf(broken);
    expect(issues).toContainEqual(expect.stringMatching(/^runbook\.yml:3:\d+: params\.multiplier\.engines\.local: must be at least 5, got 2/));
    expect(issues).toContainEqual(expect.stringMatching(/params\.size\.default: expected one of SMALL, LARGE, got 'HUGE'/));
  });

  it('rejects an expectation that names an unknown param', () => {
    const broken = MINIMAL.replace('"100 * multiplier"', '"100 * multiplyer"');
    expect(issuesOf(broken)).toEqual([expect.stringMatching(/steps\[0\]\.expect\[0\]\.equals: 'multiplyer' is neither a number nor a param/)]);
  });

  it('rejects a destructive statement in a step not marked destructive, at the file and line', () => {
    const issues = issuesOf(MINIMAL, { 'sql/counts.sql': `SELECT 1;\n-- DROP in a comment is fine\nSELECT 'DROP TABLE x' AS s;\n  DROP TABLE {{db}}.RAW.PATIENTS;\n` });
    expect(issues).toEqual([expect.stringMatching(/^counts\.sql:4:3: steps\[0\]: DROP TABLE in step 'counts', which is not marked destructive/)]);
  });

  it('accepts the destructive statement once the step is marked destructive', () => {
    const marked = MINIMAL.replace('    sql: sql/counts.sql', '    destructive: true\n    sql: sql/counts.sql');
    expect(issuesOf(marked, { 'sql/counts.sql': 'DROP TABLE {{db}}.RAW.PATIENTS;' })).toEqual([]);
  });

  it('rejects inline destructive SQL with the runbook line', () => {
    const broken = MINIMAL.replace('    destructive: true\n    changes', '    changes');
    expect(issuesOf(broken)).toEqual([expect.stringMatching(/^runbook\.yml:2\d:\d+: steps\[1\]: CREATE OR REPLACE TABLE in step 'scale'/)]);
  });

  it('rejects every known way around the destructive lint, in the step that is not marked destructive', () => {
    const bypasses = [
      'WITH x AS (SELECT 1) DELETE FROM {{db}}.RAW_DATA.RAW_PATIENTS',
      'EXECUTE IMMEDIATE $$ BEGIN DROP TABLE {{db}}.RAW.T; END; $$',
      "EXECUTE IMMEDIATE 'DROP TABLE {{db}}.RAW.T'",
      'ALTER TABLE {{db}}.RAW.T RENAME TO {{db}}.RAW.U',
      'ALTER DATABASE {{db}} RENAME TO OLD_DB',
      'CREATE OR ALTER TABLE {{db}}.RAW.T (N INTEGER)',
      'INSERT OR REPLACE INTO {{db}}.RAW.T VALUES (1)',
      "COPY {{db}}.RAW.T TO '/tmp/patients.csv'",
      'EXECUTE IMMEDIATE $$ BEGIN TRUNCATE TABLE {{db}}.RAW.T; END $$',
      'CALL {{db}}.RAW.PURGE()',
      // Only DuckDB reads this as two statements (no backslash escapes in its strings).
      "SELECT 'a\\'; DROP TABLE {{db}}.RAW.T; --' AS N",
    ];
    for (const sql of bypasses) {
      expect(issuesOf(MINIMAL, { 'sql/counts.sql': `-- ${sql.length} characters\n${sql};\n` }), sql).toEqual([
        expect.stringMatching(/^counts\.sql:2:\d+: steps\[0\]: .+ in step 'counts', which is not marked destructive \(it may only read\); add 'destructive: true'/),
      ]);
    }
  });

  it('reads SQL as DuckDB does only for steps that run on the local engine', () => {
    const hidden = { 'sql/counts.sql': "SELECT 'a\\'; DROP TABLE {{db}}.RAW.T; --' AS N;\n" };
    expect(issuesOf(MINIMAL, hidden)).toEqual([expect.stringMatching(/^counts\.sql:1:\d+: steps\[0\]: DROP TABLE in step 'counts'/)]);
    expect(issuesOf(MINIMAL.replace('    target: 1m', '    target: 1m\n    engines: [snowflake]'), hidden)).toEqual([]);
  });

  it("lets a step's cleanup size a warehouse, but not change data unless the step is destructive", () => {
    const withCleanup = MINIMAL.replace('    sql: sql/counts.sql', '    sql: sql/counts.sql\n    cleanup: sql/cleanup.sql');
    expect(issuesOf(withCleanup, { 'sql/counts.sql': COUNTS_SQL, 'sql/cleanup.sql': 'ALTER WAREHOUSE WH SET WAREHOUSE_SIZE = XSMALL;' })).toEqual([]);
    expect(issuesOf(withCleanup, { 'sql/counts.sql': COUNTS_SQL, 'sql/cleanup.sql': 'DROP TABLE {{db}}.RAW.T;' })).toEqual([
      expect.stringMatching(/^cleanup\.sql:1:1: steps\[0\]\.cleanup: DROP TABLE in the cleanup of step 'counts', which is not marked destructive \(it may only read or size a warehouse\)/),
    ]);
  });

  it('refuses a __proto__ key (a param, a step field), which an object would silently drop', () => {
    const param = MINIMAL.replace('  db: { type: identifier, default: BRONZE }', '  db: { type: identifier, default: BRONZE }\n  __proto__: { type: integer, default: 1 }');
    expect(issuesOf(param)).toEqual([expect.stringMatching(/^runbook\.yml:5:3: params\.__proto__: '__proto__' cannot be a key/)]);
    const field = MINIMAL.replace('    title: Counts', '    title: Counts\n    __proto__: { destructive: true }');
    expect(issuesOf(field)).toEqual([expect.stringMatching(/^runbook\.yml:8:5: steps\[0\]\.__proto__: '__proto__' cannot be a key/)]);
  });

  it('says the file is missing when the runbook does not exist', () => {
    expect(() => loadRunbook('/nonexistent/runbook.yml')).toThrow(/file not found; pass --runbook FILE/);
  });

  it('loads the real show in runbook.yml', () => {
    const runbook = loadRunbook('runbook.yml');
    expect(runbook.steps.length).toBeGreaterThanOrEqual(10);
    expect(runbook.restore.destructive).toBe(true);
    expect(runbook.checklist.length).toBeGreaterThan(0);
  });
});

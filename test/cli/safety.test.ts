/**
 * `demo` as a careless or hostile runbook author, param or recording would have it: each case here
 * was reproduced on an earlier version (issue 11). Run through the real binary, without a terminal.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNTS_SQL, MINIMAL, scratch } from '../helpers.js';

const BIN = path.resolve('dist/cli/main.js');
const SECRET = 'password = "hunter2-from-connections-toml"';

function demo(args: string[], options: { cwd?: string; state?: string; timeout?: number } = {}) {
  const state = options.state ?? mkdtempSync(path.join(tmpdir(), 'demo-safety-state-'));
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH, CI: 'true', DEMO_STATE_DIR: state },
    encoding: 'utf8',
    timeout: options.timeout ?? 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, state, timedOut: result.error !== undefined };
}

/** Nothing a terminal would act on: no C0 control but line feed and tab, no DEL, no C1. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Every file under a folder, with its mode. */
function filesUnder(dir: string): Array<{ file: string; mode: number; folder: boolean }> {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).map((d) => {
    const file = path.join(d.parentPath, d.name);
    return { file, mode: statSync(file).mode & 0o777, folder: d.isDirectory() };
  });
}

/** The minimal runbook with the counts step's `sql:` pointing somewhere else. */
function pointingAt(sqlPath: string): string {
  return MINIMAL.replace('    sql: sql/counts.sql', `    sql: ${sqlPath}`);
}

describe('SQL files stay inside the runbook folder (item 1)', () => {
  it("refuses a path out of the folder, and the file's text goes nowhere: not to an engine, not to the cache", () => {
    const root = scratch({ 'secret/connections.toml': `[demo]\n${SECRET}\n`, 'show/runbook.yml': pointingAt('../secret/connections.toml') });
    const { code, stderr, stdout, state } = demo(['--rehearse', '--speed', '1000'], { cwd: path.join(root, 'show') });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^runbook\.yml:12:10: steps\[0\]\.sql: '\.\.\/secret\/connections\.toml' is not a \.sql file; SQL files are \.sql files inside the runbook's folder$/m);
    expect(stdout).toBe('');
    expect(`${stdout}${stderr}`).not.toContain('hunter2');
    const cached = existsSync(path.join(state, 'cache')) ? filesUnder(path.join(state, 'cache')).filter((f) => !f.folder) : [];
    for (const { file } of cached) expect(readFileSync(file, 'utf8')).not.toContain('hunter2');
  });

  it('refuses an absolute path, ../, a link out of the folder, a folder, a FIFO and a huge file, each at file:line:col', () => {
    const outside = scratch({ 'stolen.sql': `SELECT '${SECRET}'` });
    const dir = scratch({ 'runbook.yml': MINIMAL, 'sql/counts.sql': COUNTS_SQL, 'sql/huge.sql': `SELECT 1;\n${'-- padding\n'.repeat(200_000)}` });
    symlinkSync(path.join(outside, 'stolen.sql'), path.join(dir, 'sql/link.sql'));
    mkdirSync(path.join(dir, 'sql/folder.sql'));
    execFileSync('mkfifo', [path.join(dir, 'sql/pipe.sql')]);
    const cases: Array<[string, RegExp]> = [
      [path.join(outside, 'stolen.sql'), /is an absolute path: give a path relative to the runbook's folder/],
      ['../stolen.sql', /'\.\.\/stolen\.sql' is outside the runbook's folder/],
      ['sql/link.sql', /'sql\/link\.sql' leads outside the runbook's folder \(through a link\)/],
      ['sql/folder.sql', /a folder, not a file/],
      ['sql/pipe.sql', /not a regular file \(a FIFO, socket or device\)/],
      ['sql/huge.sql', /too large/],
    ];
    for (const [sqlPath, says] of cases) {
      writeFileSync(path.join(dir, 'runbook.yml'), pointingAt(sqlPath));
      const started = performance.now();
      const { code, stderr, timedOut } = demo(['validate', 'runbook.yml'], { cwd: dir, timeout: 20_000 });
      expect(timedOut, sqlPath).toBe(false);
      expect(performance.now() - started, sqlPath).toBeLessThan(15_000);
      expect(code, sqlPath).toBe(2);
      expect(stderr, sqlPath).toMatch(/^runbook\.yml:12:10: steps\[0\]\.sql: /m);
      expect(stderr, sqlPath).toMatch(says);
      expect(stderr, sqlPath).not.toMatch(/\n\s+at /);
    }
  });

  it('creates everything under the state folder owner-only: folders 0700, files 0600', () => {
    const dir = scratch({
      'runbook.yml': `title: Private state
steps:
  - id: build
    title: Build
    destructive: true
    changes: [Creates a table]
    inline: CREATE OR REPLACE TABLE T AS SELECT 1 AS N
  - id: read
    title: Read
    inline: SELECT N FROM T
restore: { id: restore, title: Restore, destructive: true, inline: DROP TABLE IF EXISTS T }
`,
    });
    const { code, state } = demo(['--engine', 'local', '--yes'], { cwd: dir });
    expect(code).toBe(0);
    const files = filesUnder(state);
    expect(files.map((f) => path.relative(state, f.file))).toEqual(expect.arrayContaining(['cache', 'recordings', 'local.duckdb']));
    for (const f of files) expect(`${path.relative(state, f.file)} ${f.mode.toString(8)}`).toBe(`${path.relative(state, f.file)} ${f.folder ? '700' : '600'}`);
  });
});

describe('params cannot aim destructive SQL elsewhere (item 3)', () => {
  const SHOW = `title: Declared objects
may_change: [TEST_*]
params:
  db: { type: identifier, default: TEST_DB }
steps:
  - id: build
    title: Build
    destructive: true
    changes: [Builds the test table]
    inline: |
      CREATE DATABASE IF NOT EXISTS {{ db }};
      CREATE SCHEMA IF NOT EXISTS {{ db }}.RAW;
      CREATE OR REPLACE TABLE {{ db }}.RAW.T AS SELECT 1 AS N
restore: { id: restore, title: Restore, destructive: true, changes: [Empties the test table], inline: "DELETE FROM {{ db }}.RAW.T" }
`;

  it('refuses --param that points a destructive step outside may_change (exit 2, naming the param and the object), and runs nothing', () => {
    const dir = scratch({ 'runbook.yml': SHOW });
    const cases: Array<[string[], string]> = [
      [['--engine', 'local', '--yes'], "step 'build' changes table PROD_DB.RAW.T (replace) at runbook.yml:13"],
      [['restore', '--engine', 'local', '--yes'], "step 'restore' changes table PROD_DB.RAW.T (delete rows) at runbook.yml:14"],
      [['validate'], "step 'build' changes database PROD_DB (create if missing) at runbook.yml:11"],
    ];
    for (const [args, names] of cases) {
      const { code, stdout, stderr, state } = demo([...args, '--param', 'db=PROD_DB'], { cwd: dir });
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toMatch(/^demo: --param db=PROD_DB would make the (local|snowflake) engine change objects outside this runbook's may_change \(TEST_\*\):$/m);
      expect(stderr).toContain(names);
      expect(stderr).toMatch(/Nothing was run\. If that is what you mean, say so: --allow-object 'PROD_DB\*'\.$/m);
      expect(stdout).toBe('');
      expect(existsSync(path.join(state, 'local.PROD_DB.duckdb'))).toBe(false);
    }
  });

  it('runs it when the presenter says so with --allow-object', () => {
    const dir = scratch({ 'runbook.yml': SHOW });
    const { code, stdout, state } = demo(['--engine', 'local', '--yes', '--param', 'db=PROD_DB', '--allow-object', 'PROD_DB*'], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toMatch(/The step is done\./);
    expect(existsSync(path.join(state, 'local.PROD_DB.duckdb'))).toBe(true);
  });

  it('says what the rendered statements change, not only what the runbook claims, when it asks first', () => {
    const dir = scratch({ 'runbook.yml': SHOW });
    const { code, stdout } = demo(['--engine', 'local', '--param', 'db=TEST_OTHER'], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ not run: 'build' is destructive; on the LOCAL · DUCKDB engine its SQL changes:\n\s+- database TEST_OTHER: create if missing\n\s+- schema TEST_OTHER\.RAW: create if missing\n\s+- table TEST_OTHER\.RAW\.T: replace\n\s+The runbook says:\n\s+- Builds the test table/);
  });

  it("rejects a runbook whose own SQL changes objects outside its may_change, at the statement's line", () => {
    const dir = scratch({ 'runbook.yml': SHOW.replace('CREATE OR REPLACE TABLE {{ db }}.RAW.T', 'CREATE OR REPLACE TABLE OTHER_DB.RAW.T') });
    const { code, stderr } = demo(['validate'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^runbook\.yml:13:1: steps\[0\]: step 'build' changes table OTHER_DB\.RAW\.T \(replace\) at runbook\.yml:13 on the snowflake engine, outside may_change \(TEST_\*\)/m);
  });
});

describe('bad input is a clear error, exit 2, no stack trace (items 6 and 8)', () => {
  it('refuses params named after Object.prototype members, __proto__ included', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      const { code, stderr } = demo(['--rehearse', '--speed', '1000', '--param', `${name}=1`]);
      expect(code, name).toBe(2);
      expect(stderr, name).toMatch(new RegExp(`unknown param '${name}' \\(this runbook has: multiplier`));
      expect(stderr, name).not.toMatch(/TypeError|\n\s+at /);
    }
  });

  it('never pastes an Object.prototype member into SQL through a placeholder', () => {
    const dir = scratch({ 'runbook.yml': MINIMAL, 'sql/counts.sql': 'SELECT {{ constructor }} AS N' });
    const { code, stderr } = demo(['validate'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(/counts\.sql:1:8: unknown param 'constructor' in placeholder/);
  });

  it('stops a YAML alias bomb at once', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g'].entries()) levels.push(`${name}: &${name} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`);
    const dir = scratch({ 'runbook.yml': `${levels.join('\n')}\ntitle: *g\n` });
    const started = performance.now();
    const { code, stderr } = demo(['validate'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^runbook\.yml:1:1: YAML: aliases expand too far/m);
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it('refuses --speed outside its bounds instead of playing at once with Node warnings', () => {
    for (const speed of ['1e-300', '0', '-1', '1e300', 'fast']) {
      const { code, stderr, stdout } = demo(['--rehearse', `--speed=${speed}`]);
      expect(code, speed).toBe(2);
      expect(stderr, speed).toMatch(/--speed .*: expected a number from 0\.01 to 1,000,000/);
      expect(stderr, speed).not.toMatch(/Warning/);
      expect(stdout).toBe('');
    }
  });

  it('refuses report --out FOLDER and leaves no temporary file behind', () => {
    const dir = scratch({ 'runbook.yml': MINIMAL, 'sql/counts.sql': 'SELECT 1 AS N' });
    const state = mkdtempSync(path.join(tmpdir(), 'demo-safety-state-'));
    expect(demo(['--engine', 'local', '--yes'], { cwd: dir, state }).code).toBe(1);
    mkdirSync(path.join(dir, 'out'));
    const { code, stderr } = demo(['report', '--out', 'out'], { cwd: dir, state });
    expect(code).toBe(2);
    expect(stderr).toMatch(/--out out: that is a folder; give a file name, e\.g\. --out out\/report\.md/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(path.join(dir, 'out'))).toEqual([]);
  });

  it('validates with --param, and fails on a param that does not fit', () => {
    expect(demo(['validate', '--param', 'multiplier=10'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/valid — .* and multiplier=10\./) });
    expect(demo(['validate', '--param', 'multiplier=lots'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--param multiplier=lots: expected an integer/) });
    expect(demo(['validate', '--param', 'nope=1'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown param 'nope'/) });
    expect(demo(['validate', '--param', 'bronze_db=PROD_DB'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--param bronze_db=PROD_DB would make the snowflake engine change objects outside/) });
  });
});

describe('nothing printed can act on the terminal (item 7)', () => {
  const ESCAPES = `title: "Escapes \\e]0;TITLE\\a"
steps:
  - id: title
    title: "Sets the terminal title \\e[2J"
    talk: ["\\e[31mred\\e[0m"]
    inline: SELECT chr(27) || ']0;PWNED' || chr(7) AS X, chr(155) || '2J' AS Y
    mock: { columns: [X], rows: [["\\e]0;MOCK\\a"]] }
restore: { id: restore, title: Restore, destructive: true, inline: SELECT 1 AS N }
`;

  it('plain output, the report and error messages show control characters escaped', () => {
    const dir = scratch({ 'runbook.yml': ESCAPES });
    const state = mkdtempSync(path.join(tmpdir(), 'demo-safety-state-'));
    const local = demo(['--engine', 'local'], { cwd: dir, state });
    expect(local.code).toBe(0);
    expect(local.stdout).toContain('\\x1b]0;PWNED\\x07');
    const rehearsal = demo(['--rehearse', '--speed', '1000'], { cwd: dir, state: mkdtempSync(path.join(tmpdir(), 'demo-safety-state-')) });
    expect(rehearsal.stdout).toContain('\\x1b]0;MOCK\\x07');
    const report = demo(['report'], { cwd: dir, state });
    expect(report.code).toBe(0);
    expect(report.stdout).toContain('\\x1b]0;PWNED\\x07');
    writeFileSync(path.join(dir, 'runbook.yml'), ESCAPES.replace('    talk:', '    "\\e]0;KEY\\a": 1\n    talk:'));
    const invalid = demo(['validate'], { cwd: dir });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("unknown key '\\x1b]0;KEY\\x07'");
    for (const text of [local.stdout, local.stderr, rehearsal.stdout, rehearsal.stderr, report.stdout, report.stderr, invalid.stderr]) {
      expect(text).not.toMatch(RAW_CONTROL);
    }
  });
});

/** The real `demo` binary, as a script or a presenter's shell would run it (no TTY here). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../../src/cli/args.js';
import { COUNTS_SQL, MINIMAL, scratch } from '../helpers.js';

const BIN = path.resolve('dist/cli/main.js');

// A state folder of its own: recordings left by someone's local run must not change what is replayed.
const STATE = mkdtempSync(path.join(tmpdir(), 'demo-cli-state-'));

function demo(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, CI: 'true', DEMO_STATE_DIR: STATE, ...options.env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('demo (the binary)', () => {
  it('documents every flag and exit code in --help', () => {
    const { code, stdout } = demo(['--help']);
    expect(code).toBe(0);
    for (const flag of ['--runbook', '--engine', '--rehearse', '--connection', '--param', '--yes', '--json', '--login-timeout', '--submit-timeout', '--lost-after', '--result-timeout', 'validate', 'restore', 'check']) {
      expect(stdout).toContain(flag);
    }
    expect(stdout).toMatch(/130\s+interrupted/);
  });

  it('prints its version', () => {
    expect(demo(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('validates the real runbook', () => {
    const { code, stdout } = demo(['validate']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/runbook\.yml: valid/);
  });

  it('exits 2 with file:line:column on a broken runbook, and runs nothing', () => {
    const dir = scratch({ 'runbook.yml': MINIMAL.replace('    target: 1m', '    target: 1m\n    sql: sql/other.sql'), 'sql/counts.sql': COUNTS_SQL });
    const { code, stderr } = demo(['validate', 'runbook.yml'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^runbook\.yml:13:5: YAML syntax error: Map keys must be unique/m);
    expect(stderr).toMatch(/nothing was run/);
  });

  it('rejects a destructive statement in a step not marked destructive', () => {
    const dir = scratch({ 'runbook.yml': MINIMAL, 'sql/counts.sql': 'TRUNCATE TABLE {{db}}.RAW.PATIENTS;' });
    const { code, stderr } = demo(['validate', 'runbook.yml'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(/sql\/counts\.sql:1:1: steps\[0\]: TRUNCATE in step 'counts', which is not marked destructive/);
  });

  it('walks the whole show as plain text when piped, and exits 0', () => {
    const { code, stdout } = demo(['--rehearse', '--speed', '1000']);
    expect(code).toBe(0);
    expect(stdout).toContain('[REHEARSAL]');
    expect(stdout).toMatch(/Step 1\/\d+/);
    expect(stdout).toContain('100,000,000');
    expect(stdout).toMatch(/All \d+ steps done\./);
    // Plain text only: no cursor movement or alternate screen.
    expect(stdout).not.toMatch(/\x1b\[\?1049h|\x1b\[\d*[ABCDHJK]/);
  });

  it('stops at a failed step and names the restore command for the engine in use', () => {
    const failing = MINIMAL.replace('equals: "100 * multiplier"', 'equals: "7 * multiplier"');
    const dir = scratch({ 'runbook.yml': failing, 'sql/counts.sql': COUNTS_SQL });
    const { code, stdout } = demo(['--rehearse', '--speed', '1000', '--param', 'multiplier=3', '--runbook', path.join(dir, 'runbook.yml')]);
    expect(code).toBe(1);
    expect(stdout).toContain('Stopped at step 1/3 (counts). To return to the original data: demo restore --rehearse --param multiplier=3');
  });

  it('exits 2 on bad flags and params, naming the problem', () => {
    expect(demo(['--engine', 'oracle'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--engine oracle: expected one of snowflake, local, rehearsal/) });
    expect(demo(['--bogus'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/Unknown option '--bogus'/) });
    expect(demo(['--rehearse', '--param', 'multiplier=lots'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/expected an integer/) });
    expect(demo(['--rehearse', '--param', 'nope=1'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown param 'nope'/) });
    expect(demo(['--rehearse', '--submit-timeout', '0s'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--submit-timeout 0s: expected a duration above zero, e\.g\. --submit-timeout 15s/) });
    expect(demo(['--rehearse', '--lost-after', 'soon'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--lost-after soon: expected a duration above zero/) });
  });

  it('with no Snowflake configuration at all, points to the local engine, rehearsal and the README', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'demo-cli-home-'));
    const env = { HOME: empty, SNOWFLAKE_HOME: empty, SNOWFLAKE_ACCOUNT: '', SNOWFLAKE_DEFAULT_CONNECTION_NAME: '' };
    const { code, stderr } = demo([], { env });
    expect(code).toBe(2);
    for (const pointer of ['demo --engine local', 'demo --rehearse', 'Going live on Snowflake']) expect(stderr).toContain(pointer);
  });

  it('runs the restore step without the TUI', () => {
    const { code, stdout } = demo(['restore', '--rehearse', '--speed', '1000']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/✓ done in/);
  });
});

describe('the live engine limits on the command line', () => {
  it('take durations, or bare seconds, and are passed on as milliseconds', () => {
    expect(parseCli(['check', '--login-timeout', '10s', '--submit-timeout', '20', '--lost-after', '1m', '--result-timeout', '1m 30s']).limits).toEqual({
      loginTimeoutMs: 10_000,
      submitTimeoutMs: 20_000,
      lostAfterMs: 60_000,
      resultTimeoutMs: 90_000,
    });
    expect(parseCli(['check']).limits).toEqual({});
  });
});

/**
 * `demo check -c NAME`, `demo -c NAME` and `demo restore` as a presenter runs them, against the
 * fake Snowflake: the built binary (npm test builds first), the real driver, a temp SNOWFLAKE_HOME.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { waitFor } from '../helpers.js';
import { FakeSnowflake } from '../snowflake-server/server.js';
import { fakeSection, figure, filesUnder, PASSWORD, printFigures, snowflakeHome, tempDir } from './helpers.js';

const BIN = path.resolve('dist/cli/main.js');
const RUNBOOK = `title: Fake show
connection: fake
steps:
  - id: counts
    title: Counts
    inline: SELECT 'PATIENTS' AS OBJECT, COUNT(*) AS N FROM PATIENTS
    expect:
      - { row: PATIENTS, column: N, equals: 100 }
  - id: scale
    title: Scale up
    long: true
    destructive: true
    changes: [Resizes the warehouse]
    inline: ALTER WAREHOUSE DEMO_WH SET WAREHOUSE_SIZE = 'LARGE'
restore:
  id: restore
  title: Restore
  destructive: true
  inline: SELECT 1 AS RESTORED
checklist:
  - id: connection
    title: Connection answers
    inline: SELECT CURRENT_ROLE() AS ROLE_NAME
  - id: backups
    title: Backups exist
    inline: SELECT * FROM BACKUPS
    fix: run the backups step
`;

let server: FakeSnowflake;
let cwd: string;
let home: string;
const outputs: string[] = [];

beforeAll(async () => {
  server = await FakeSnowflake.start();
  server.script(
    { match: /FROM PATIENTS/, plan: { columns: [{ name: 'OBJECT', type: 'text' }, { name: 'N', type: 'fixed' }], rows: [['PATIENTS', '100']] } },
    { match: /FROM BACKUPS/, plan: { error: { code: '002003', sqlState: '42S02', message: "SQL compilation error:\nObject 'BACKUPS' does not exist or not authorized." } } },
    { match: /SET WAREHOUSE_SIZE/, plan: { runMs: 600, states: ['QUEUED', 'RUNNING'], columns: [{ name: 'status', type: 'text' }], rows: [['Statement executed successfully.']] } },
  );
  home = snowflakeHome(`${fakeSection(server, `password = "${PASSWORD}"`)}\n${fakeSection(server, 'password = "not-the-password"', 'wrong')}`);
  cwd = tempDir('cli');
  fs.writeFileSync(path.join(cwd, 'runbook.yml'), RUNBOOK);
});

afterAll(async () => {
  await server.close();
  printFigures();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function demo(args: string[], watch?: (stdout: string, child: ReturnType<typeof spawn>) => void, env: Record<string, string> = {}): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    // Asynchronous on purpose: the fake Snowflake answers from this very process.
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: cwd, CI: 'true', SNOWFLAKE_HOME: home, DEMO_STATE_DIR: path.join(cwd, '.demo'), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      watch?.(stdout, child);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      outputs.push(stdout, stderr);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

test('demo check -c fake: passes what passes, fails what fails with the fix, exit 1', async () => {
  const { code, stdout, stderr } = await demo(['check', '-c', 'fake']);
  expect(stderr).toBe('');
  expect(stdout).toContain('LIVE · SNOWFLAKE');
  expect(stdout).toMatch(/✓ Connection answers/);
  expect(stdout).toMatch(/✗ Backups exist[\s\S]*Object 'BACKUPS' does not exist or not authorized\.[\s\S]*fix: run the backups step/);
  expect(code).toBe(1);
});

test('demo -c fake walks the show live (the long step runs asynchronously), restore runs too', async () => {
  const walk = await demo(['-c', 'fake', '--yes']);
  expect(walk.stdout).toMatch(/All 2 steps done\./);
  expect(walk.code).toBe(0);
  expect(server.find(/SET WAREHOUSE_SIZE/)!.async).toBe(true);
  expect(server.find(/SET WAREHOUSE_SIZE/)!.parameters.QUERY_TAG).toBe('demo-runbook:Fake show:scale');
  const restore = await demo(['restore', '--yes', '-c', 'fake']);
  expect(restore.code).toBe(0);
});

test('the network dies during a step: a clear error on screen within the step timeout, then restore works', async () => {
  fs.writeFileSync(
    path.join(cwd, 'outage.yml'),
    RUNBOOK.replace(/steps:\n/, 'steps:\n  - id: stuck\n    title: Big query\n    timeout: 2s\n    inline: SELECT * FROM HUGE_TABLE\n'),
  );
  server.script({ match: /FROM HUGE_TABLE/, plan: { runMs: 60_000 } });
  const started = waitFor(() => server.find(/FROM HUGE_TABLE/)?.polls, 10_000).then(() => {
    server.stopAnswering();
    return performance.now();
  });
  let shown = 0;
  const run = await demo(['--runbook', 'outage.yml', '-c', 'fake', '--yes'], (stdout) => {
    if (shown || !/the step's time limit of 2 s passed/.test(stdout)) return;
    shown = performance.now();
    // The network comes back; until it does, the driver's own retries keep the process alive.
    server.resumeAnswering();
  });
  const fault = await started;
  expect(run.stdout).toMatch(/✗ failed.*: the step's time limit of 2 s passed before query [0-9a-f-]{36} finished: .*the connection will be rebuilt/);
  expect(run.code).toBe(1);
  // The watchdog fires 2 s after the statement was sent; the engine then has the runner's 2 s grace.
  expect(shown).toBeGreaterThan(0);
  expect(shown - fault).toBeLessThan(4_500);
  figure('CLI: network dies mid-step (timeout 2 s), to on-screen error', shown - fault, 'demo -c fake: ✗ failed, exit 1');
  const restore = await demo(['restore', '--yes', '-c', 'fake']);
  expect(restore.code).toBe(0);
});

test('Ctrl-C during a slow query: cancelled on the server, exit 130', async () => {
  fs.writeFileSync(
    path.join(cwd, 'slow.yml'),
    RUNBOOK.replace(/steps:\n/, 'steps:\n  - id: slow\n    title: Slow query\n    inline: SELECT * FROM SLOW_TABLE\n'),
  );
  server.script({ match: /FROM SLOW_TABLE/, plan: { runMs: 60_000 } });
  let interrupted = 0;
  let shown = 0;
  const cancelled = waitFor(() => server.find(/FROM SLOW_TABLE/)?.polls, 10_000);
  const run = demo(['--runbook', 'slow.yml', '-c', 'fake', '--yes'], (stdout, child) => {
    if (interrupted && !shown && /✗ cancelled/.test(stdout)) shown = performance.now();
    void cancelled.then(() => {
      if (interrupted) return;
      interrupted = performance.now();
      child.kill('SIGINT');
    });
  });
  const { code, stdout, ms } = await run;
  const query = server.find(/FROM SLOW_TABLE/)!;
  expect(server.aborts).toContain(query.id);
  expect(stdout).toMatch(/✗ cancelled/);
  expect(code).toBe(130);
  expect(shown - interrupted).toBeLessThan(2_000);
  figure('CLI: Ctrl-C on a slow query, to on-screen "cancelled"', shown - interrupted, `exit 130 after ${Math.round(ms)} ms in all`);
});

test("restore against a Snowflake that never answers a statement ends at the submit limit: the runbook's `snowflake:`, or the flag", async () => {
  const silent = await FakeSnowflake.start();
  silent.fault('query', 'hang');
  const env = { SNOWFLAKE_HOME: snowflakeHome(fakeSection(silent, `password = "${PASSWORD}"`)) };
  fs.writeFileSync(path.join(cwd, 'limits.yml'), RUNBOOK.replace('connection: fake\n', 'connection: fake\nsnowflake:\n  submit_timeout: 3s\n'));
  try {
    const [fromRunbook, fromFlag] = await Promise.all([
      demo(['restore', '--yes', '--runbook', 'limits.yml'], undefined, env),
      demo(['restore', '--yes', '--runbook', 'limits.yml', '--submit-timeout', '1.5s'], undefined, env),
    ]);
    for (const [run, limit] of [[fromRunbook, '3'], [fromFlag, '1.5']] as const) {
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`demo: Snowflake did not answer the request to run the statement within ${limit} s: the request was withdrawn (SUBMIT_TIMEOUT)`);
    }
    // Startup, the login, the limit, the withdrawal: seconds, not the 30 minutes of the step's own timeout.
    expect(fromFlag.ms).toBeLessThan(fromRunbook.ms);
    expect(fromRunbook.ms).toBeLessThan(3_000 + 1_000 + 5_000);
    figure('CLI: restore, query requests never answered (submit_timeout 3 s)', fromRunbook.ms, 'exit 1, whole process');
  } finally {
    await silent.close();
  }
});

test('a wrong password fails in seconds with a clear message', async () => {
  const { code, stdout, stderr, ms } = await demo(['check', '-c', 'wrong']);
  expect(`${stdout}${stderr}`).toContain("Snowflake rejected the login of user 'demo' on account 'testaccount': incorrect user name or password");
  expect(code).not.toBe(0);
  expect(ms).toBeLessThan(10_000);
});

test('an unknown connection is bad input (exit 2) naming the file', async () => {
  const { code, stderr } = await demo(['check', '-c', 'nope']);
  expect(code).toBe(2);
  expect(stderr).toMatch(/no connection named 'nope' in .*connections\.toml \(it has: fake, wrong\)/);
});

test('no secret on screen or under .demo/, and no snowflake.log in the working directory', () => {
  const texts = [...outputs, ...filesUnder(path.join(cwd, '.demo')).map((f) => f.text)];
  for (const text of texts) {
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('not-the-password');
  }
  expect(fs.existsSync(path.join(cwd, 'snowflake.log'))).toBe(false);
  expect(fs.existsSync(path.join(cwd, '.demo', 'logs', 'snowflake.log'))).toBe(true);
});


/**
 * `demo check -c NAME`, `demo -c NAME` and `demo restore` as a presenter runs them, against the
 * fake Snowflake: the built binary (npm test builds first), the real driver, a temp SNOWFLAKE_HOME.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { FakeSnowflake } from '../snowflake-server/server.js';
import { fakeSection, filesUnder, PASSWORD, snowflakeHome, tempDir } from './helpers.js';

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
});

function demo(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    // Asynchronous on purpose: the fake Snowflake answers from this very process.
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: cwd, CI: 'true', SNOWFLAKE_HOME: home, DEMO_STATE_DIR: path.join(cwd, '.demo') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
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

/**
 * `demo check` with the real runbook, the built CLI and the real snowflake-sdk, against a
 * Snowflake that is silent, answers nothing but heartbeats, resets every query, or dies during a
 * check — with the default limits. Each run ends in well under a minute, exit 1, with every check
 * accounted for: the one that met the fault says what happened, with the time it really took, and
 * the rest say they were not run because of the connection. The connection's account, user, host
 * and file reach the presenter's screen, never --json or the recording.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import schemaJson from '../../src/check/check-result.schema.json' with { type: 'json' };
import type { CheckResult } from '../../src/check/checklist.js';
import { waitFor } from '../helpers.js';
import { FakeSnowflake } from '../snowflake-server/server.js';
import { fakeSection, filesUnder, PASSWORD, tempDir } from '../snowflake/helpers.js';

const BIN = path.resolve('dist/cli/main.js');
const RUNBOOK_FILE = path.resolve('runbook.yml');
const CHECKS = 10;
const schema = z.fromJSONSchema(schemaJson as Parameters<typeof z.fromJSONSchema>[0]);
const servers: FakeSnowflake[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close().catch(() => {})));
});

interface Setup {
  server: FakeSnowflake;
  home: string;
  stateDir: string;
}

/**
 * A fake Snowflake and a SNOWFLAKE_HOME whose connections.toml others can read and has a typo in
 * it: `demo check` must say both, as `demo` does.
 */
async function setUp(): Promise<Setup> {
  const server = await FakeSnowflake.start();
  servers.push(server);
  const home = tempDir('unreachable-home');
  const file = path.join(home, 'connections.toml');
  fs.writeFileSync(file, fakeSection(server, `password = "${PASSWORD}"\nwarehuose = "OTHER_WH"`));
  fs.chmodSync(file, 0o644);
  return { server, home, stateDir: tempDir('unreachable-state') };
}

function demoCheck(setup: Setup, args: string[] = []) {
  return demo(setup, ['check', '-c', 'fake', '--runbook', RUNBOOK_FILE, ...args]);
}

function demo(setup: Setup, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    // Asynchronous on purpose: the fake Snowflake answers from this very process.
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH, HOME: setup.stateDir, CI: 'true', SNOWFLAKE_HOME: setup.home, DEMO_STATE_DIR: setup.stateDir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

/** What the presenter's screen may name but a shared document may not. */
function connectionDetails(setup: Setup): string[] {
  return ['testaccount', '127.0.0.1', setup.home, `:${setup.server.port}`, "'demo'"];
}

/** The first check met the fault: it says so, with the time it really waited (the limit, and startup on a busy machine). */
function expectAccountedFor(stdout: string, first: RegExp, notRun: RegExp) {
  expect(stdout).toMatch(first);
  expect(Number(first.exec(stdout)![1])).toBeGreaterThanOrEqual(15);
  expect(stdout.match(/^– /gm) ?? []).toHaveLength(CHECKS - 1);
  expect(stdout.match(notRun) ?? []).toHaveLength(CHECKS - 1);
  expect(stdout).toContain(`1 of ${CHECKS} checks failed: connection (${CHECKS - 1} not run: the connection failed).`);
}

describe.concurrent('demo check against a Snowflake that does not answer', { timeout: 90_000 }, () => {
  test('silent (nothing answered at all): the login limit, 15 s; "did not answer"; every check accounted for', async () => {
    const setup = await setUp();
    setup.server.stopAnswering();
    const [plain, json] = await Promise.all([demoCheck(setup), demoCheck(setup, ['--json'])]);

    expect(plain.code).toBe(1);
    expect(plain.ms).toBeLessThan(60_000);
    expectAccountedFor(
      plain.stdout,
      /✗ Connection, role and warehouse answer {2}\((\d+(?:\.\d)?) s\)\n {4}could not connect: Snowflake did not answer the login within 15 s \(account testaccount at http:\/\/127\.0\.0\.1:\d+\)\n/,
      /\n {4}not run: no connection\n/g,
    );
    // The fix names the connection's real file (SNOWFLAKE_HOME), and the engine's own hint.
    expect(plain.stdout).toContain(`fix: Check connection 'fake' in ${path.join(setup.home, 'connections.toml')}: its role must be able to use PHARMACY2U_DEMO_WH`);
    expect(plain.stdout).toMatch(/\(check the network \(and any VPN or proxy\); --login-timeout, or login_timeout in connections\.toml, raises the limit\)/);
    // The connections.toml warnings, as `demo` prints them.
    expect(plain.stderr).toContain(`warning: ${path.join(setup.home, 'connections.toml')} can be read by other users (mode 644)`);
    expect(plain.stderr).toMatch(/warning: .*connections\.toml \[fake\]: unknown key 'warehuose' \(ignored\): did you mean 'warehouse'\?/);

    expect(json.code).toBe(1);
    const document = JSON.parse(json.stdout);
    expect(schema.safeParse(document).error).toBeUndefined();
    expect(document.counts).toEqual({ pass: 0, fail: 1, skip: CHECKS - 1 });
    const checks = document.checks as CheckResult[];
    expect(checks).toHaveLength(CHECKS);
    expect(checks[0]).toMatchObject({ id: 'connection', status: 'fail', message: 'could not connect: Snowflake did not answer the login within 15 s (account <account> at <endpoint>)' });
    expect(checks[0]!.elapsedMs).toBeGreaterThanOrEqual(15_000);
    expect(checks[0]!.fix).toMatch(/^Check connection 'fake' in connections\.toml: /);
    expect(checks.slice(1).every((c) => c.status === 'skip' && c.notRun === 'connection' && c.message === 'not run: no connection')).toBe(true);
    const report = await demo(setup, ['report', document.recording, '--runbook', RUNBOOK_FILE]);
    expect(report.stdout).toContain('Snowflake did not answer the login within 15 s (account <account> at <endpoint>)');
    for (const text of [json.stdout, report.stdout, ...filesUnder(path.join(setup.stateDir, 'recordings')).map((f) => f.text)]) {
      for (const detail of connectionDetails(setup)) expect(text).not.toContain(detail);
    }
  });

  test('heartbeats answered but query requests never: the submit limit, 15 s', async () => {
    const setup = await setUp();
    setup.server.fault('query', 'hang');
    const { code, stdout, ms } = await demoCheck(setup);
    expect(code).toBe(1);
    expect(ms).toBeLessThan(60_000);
    expectAccountedFor(
      stdout,
      /✗ Connection, role and warehouse answer {2}\((\d+(?:\.\d)?) s\)\n {4}could not connect: Snowflake did not answer the request to run the statement within 15 s: the request was withdrawn\n/,
      /\n {4}not run: no connection\n/g,
    );
  });

  test('a connection reset on every query: the submit limit, 15 s', async () => {
    const setup = await setUp();
    setup.server.fault('query', 'reset');
    const { code, stdout, ms } = await demoCheck(setup);
    expect(code).toBe(1);
    expect(ms).toBeLessThan(60_000);
    expectAccountedFor(stdout, /✗ Connection, role and warehouse answer {2}\((\d+(?:\.\d)?) s\)\n {4}could not connect: Snowflake did not answer the request to run the statement within 15 s/, /\n {4}not run: no connection\n/g);
  });

  test('the server dies during the first check: lost at 20 s, the rest not run because of it', async () => {
    const setup = await setUp();
    setup.server.script({ match: /IFF\(CURRENT_WAREHOUSE\(\)/, plan: { runMs: 10 * 60_000 } });
    const running = demoCheck(setup, ['--json']);
    await waitFor(() => setup.server.find(/IFF\(CURRENT_WAREHOUSE\(\)/)?.polls, 20_000);
    await setup.server.close();
    const { code, stdout, ms } = await running;
    expect(code).toBe(1);
    expect(ms).toBeLessThan(60_000);
    const checks = JSON.parse(stdout).checks as CheckResult[];
    expect(checks).toHaveLength(CHECKS);
    expect(checks[0]).toMatchObject({ status: 'fail', message: expect.stringMatching(/^Snowflake did not answer about query [0-9a-f-]{36} for 20 s /) });
    expect(checks[0]!.elapsedMs).toBeGreaterThanOrEqual(19_000);
    expect(checks.slice(1).map((c) => c.message)).toEqual(Array(CHECKS - 1).fill("not run: the connection failed during 'connection'"));
  });
});

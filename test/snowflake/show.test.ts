/**
 * The real runbook, live, against the fake Snowflake answering the whole show (show.ts): the built
 * binary and the real driver, as a presenter runs `demo -c NAME`, `demo restore` and `demo check`.
 * The fake records every statement with the state it found; these tests assert the order that
 * matters on a real account, which the local engine cannot show.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers.js';
import { FakeSnowflake, type FakeQuery, type Rule } from '../snowflake-server/server.js';
import { FakeShow } from '../snowflake-server/show.js';
import { fakeSection, PASSWORD, snowflakeHome, tempDir } from './helpers.js';

const BIN = path.resolve('dist/cli/main.js');
const RUNBOOK = path.resolve('runbook.yml');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let server: FakeSnowflake | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function fake(scaleMs?: number, ...rules: Rule[]): Promise<{ server: FakeSnowflake; show: FakeShow; demo: (args: string[], watch?: (out: string, kill: () => void) => void) => Promise<Run> }> {
  server = await FakeSnowflake.start();
  const show = new FakeShow(server, scaleMs);
  server.script(...rules, show.rule());
  const home = snowflakeHome(fakeSection(server, `password = "${PASSWORD}"`));
  const cwd = tempDir('show');
  const demo = (args: string[], watch?: (out: string, kill: () => void) => void) =>
    new Promise<Run>((resolve) => {
      // Asynchronous on purpose: the fake Snowflake answers from this very process.
      const child = spawn(process.execPath, [BIN, '--runbook', RUNBOOK, '-c', 'fake', ...args], {
        cwd,
        env: { PATH: process.env.PATH, HOME: cwd, CI: 'true', SNOWFLAKE_HOME: home, DEMO_STATE_DIR: path.join(cwd, '.demo') },
      });
      let stdout = '';
      let stderr = '';
      const kill = () => child.kill('SIGKILL');
      // Asked on every output and every 20 ms: a statement may run long with nothing printed.
      const poll = watch ? setInterval(() => watch(stdout, kill), 20) : undefined;
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        watch?.(stdout, kill);
      });
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => {
        clearInterval(poll);
        resolve({ code, stdout, stderr });
      });
    });
  return { server, show, demo };
}

const stepOf = (q: FakeQuery) => String(q.parameters.QUERY_TAG ?? '').split(':').pop()!;
/** The show's statements, as the runbook has them (not the engine's own, such as its timings queries). */
const ours = (s: FakeSnowflake) => s.statements.filter((q) => String(q.parameters.QUERY_TAG ?? '').startsWith('demo-runbook:') && q.plan.note);
const index = (list: FakeQuery[], step: string, sql: RegExp) => list.findIndex((q) => stepOf(q) === step && sql.test(q.sql));
const resize = /^ALTER WAREHOUSE (IF EXISTS )?\w+ SET\s+WAREHOUSE_SIZE = (\w+)/;

/** A built show, scaled 1000x, warehouse still large: what the fake holds after the benchmarks. */
function scaled(show: FakeShow): void {
  Object.assign(show.state, {
    warehouse: { name: 'PHARMACY2U_DEMO_WH', size: 'LARGE', autoSuspend: 300 },
    databases: new Set(['PHARMACY2U_BRONZE', 'PHARMACY2U_SILVER', 'PHARMACY2U_GOLD']),
    bronze: { patients: 1000, prescriptions: 1000 },
    originals: true,
    silver: { PATIENTS: { scheduling: 'ACTIVE', copies: 1000 }, PRESCRIPTIONS: { scheduling: 'ACTIVE', copies: 1000 } },
  });
}

describe('the show on a (fake) Snowflake account at 1000x', () => {
  it('walks the whole show: SILVER suspended before the scale and resumed after, the warehouse large through the benchmarks and back to base after', async () => {
    const { server: s, show, demo } = await fake();
    const walk = await demo(['--yes']);
    expect(walk.stderr).toBe('');
    expect(walk.stdout).toMatch(/All 13 steps done\./);
    expect(walk.code).toBe(0);
    const sent = ours(s);
    const found = (q: FakeQuery) => FakeShow.found(q);

    // Dynamic tables: suspended before BRONZE is replaced, resumed once SILVER has caught up.
    const suspend = index(sent, 'scale-1000x', /SUSPEND$/);
    const patientsCtas = index(sent, 'scale-1000x', /RAW_PATIENTS AS/);
    const prescriptionsCtas = index(sent, 'scale-1000x', /RAW_PRESCRIPTIONS AS/);
    const resume = index(sent, 'dynamic-tables-catch-up', /RESUME$/);
    expect(suspend).toBeGreaterThan(-1);
    expect([suspend < patientsCtas, patientsCtas < prescriptionsCtas, prescriptionsCtas < resume]).toEqual([true, true, true]);
    for (const ctas of [patientsCtas, prescriptionsCtas]) expect(found(sent[ctas]!).schedule).toEqual({ PATIENTS: 'SUSPENDED', PRESCRIPTIONS: 'SUSPENDED' });
    expect(index(sent, 'dynamic-tables-catch-up', /REFRESH$/)).toBeLessThan(resume);
    expect(show.state.silver).toEqual({ PATIENTS: { scheduling: 'ACTIVE', copies: 1000 }, PRESCRIPTIONS: { scheduling: 'ACTIVE', copies: 1000 } });

    // The warehouse: scale size from the scale through the benchmarks, base size from the idle-cost step on.
    const heavy = ['dynamic-tables-catch-up', 'scaled-counts', 'data-quality', 'benchmarks'];
    const sizes = new Map(sent.map((q) => [q, found(q).size]));
    expect([...sizes].filter(([q]) => heavy.includes(stepOf(q))).map(([, size]) => size)).toEqual(Array(sent.filter((q) => heavy.includes(stepOf(q))).length).fill('LARGE'));
    expect(sizes.get(sent[prescriptionsCtas]!)).toBe('LARGE');
    expect(sent.filter((q) => resize.test(q.sql)).map((q) => `${stepOf(q)} ${resize.exec(q.sql)![2]}`)).toEqual([
      'build-pipeline XSMALL', 'scale-1000x LARGE', 'idle-cost XSMALL', 'teardown XSMALL',
    ]);
    expect(stepOf(sent.at(-1)!)).toBe('teardown');
    expect(show.state.warehouse!.size).toBe('XSMALL');
    expect(walk.stdout).toMatch(/note: teardown \S*warehouse_base_size\.sql ran when the show ended: done/);

    // Every step that resizes or works hard says which warehouse first; nothing sets session-wide caching.
    for (const step of ['scale-1000x', 'dynamic-tables-catch-up', 'scaled-counts', 'data-quality', 'benchmarks', 'idle-cost', 'teardown']) {
      expect(sent.find((q) => stepOf(q) === step)!.sql).toMatch(/^USE WAREHOUSE PHARMACY2U_DEMO_WH$/);
    }
    expect(sent.filter((q) => /ALTER SESSION|SCALE_COPIES/i.test(q.sql))).toEqual([]);
    expect(sent.filter((q) => stepOf(q) === 'benchmarks' && /^SELECT/.test(q.sql)).map((q) => q.parameters.USE_CACHED_RESULT)).toEqual([false, false, false]);

    // The checklist afterwards (a show that starts scaled): everything holds, the warehouse at base.
    const check = await demo(['check', '--json', '--param', 'start_scale=1000']);
    const document = JSON.parse(check.stdout) as { checks: { id: string; status: string; message?: string }[] };
    expect(document.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(check.code).toBe(0);
  });

  it('restores twice in a row: our queries elsewhere cancelled first, SILVER suspended before the clones and scheduled after, the warehouse at base', async () => {
    const { server: s, show, demo } = await fake();
    scaled(show);
    for (const round of [1, 2]) {
      const before = s.statements.length;
      const restore = await demo(['restore', '--yes']);
      expect(restore.stdout).toMatch(/✓ done/);
      expect(restore.code).toBe(0);
      const sent = ours(s).filter((q) => s.statements.indexOf(q) >= before);
      const order = sent.filter((q) => stepOf(q) === 'restore').map((q) => q.sql.split('\n')[0]!.replace(/PHARMACY2U_\w+\./g, ''));
      expect(order.slice(0, 2)).toEqual(['EXECUTE IMMEDIATE $$', 'USE WAREHOUSE PHARMACY2U_DEMO_WH']);
      const at = (pattern: RegExp) => order.findIndex((line) => pattern.test(line));
      expect(at(/SUSPEND$/)).toBeLessThan(at(/RAW_PATIENTS CLONE/));
      expect(at(/RAW_PRESCRIPTIONS CLONE/)).toBeLessThan(at(/PATIENTS REFRESH$/));
      expect(at(/PRESCRIPTIONS REFRESH$/)).toBeLessThan(at(/PATIENTS RESUME$/));
      expect(at(/WAREHOUSE_SIZE = XSMALL/)).toBeGreaterThan(at(/PRESCRIPTIONS RESUME$/));
      expect(show.state.bronze).toEqual({ patients: 1, prescriptions: 1 });
      expect(show.state.silver).toEqual({ PATIENTS: { scheduling: 'ACTIVE', copies: 1 }, PRESCRIPTIONS: { scheduling: 'ACTIVE', copies: 1 } });
      expect(show.state.warehouse!.size).toBe('XSMALL');
      expect(restore.stdout, `round ${round}`).toMatch(/nothing of ours was running elsewhere/);
    }
  });

  it('restores after a crash mid-scale: the scale still running is cancelled before anything is restored, and never puts its data back', async () => {
    const { server: s, show, demo } = await fake(4_000);
    // The show is killed while the scale's CREATE TABLE AS runs on the server.
    const crashed = await demo(['--yes'], (_out, kill) => {
      if (s.find(/RAW_PATIENTS AS/)) kill();
    });
    expect(crashed.code).toBe(null);
    const scale = await waitFor(() => s.find(/RAW_PATIENTS AS/));
    expect(scale.abortedAt).toBeUndefined();

    const restore = await demo(['restore', '--yes']);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/1 statement\(s\) of ours were running elsewhere: cancelled/);
    const cancel = s.statements.find((q) => stepOf(q) === 'restore' && /SYSTEM\$CANCEL_QUERY/.test(q.sql))!;
    const firstClone = s.statements.find((q) => stepOf(q) === 'restore' && /CLONE/.test(q.sql))!;
    expect(scale.abortedAt).toBeGreaterThanOrEqual(cancel.startedAt);
    expect(scale.abortedAt).toBeLessThanOrEqual(firstClone.startedAt);
    expect(s.aborts).toContain(scale.id);
    // Long after the scale would have ended, BRONZE still holds the base: it was stopped, not overtaken.
    await waitFor(() => Date.now() > scale.startedAt + 4_200, 10_000);
    show.settle();
    expect(show.state.bronze).toEqual({ patients: 1, prescriptions: 1 });
  });

  it('checks before the first build: no query of ours can be running, which passes instead of erroring', async () => {
    const { demo } = await fake();
    const check = await demo(['check', '--json']);
    const document = JSON.parse(check.stdout) as { checks: { id: string; status: string; message?: string }[] };
    expect(document.checks.find((c) => c.id === 'running-queries')).toMatchObject({ status: 'pass', message: expect.stringMatching(/database yet, so nothing of ours can be running/) });
    // The rest fails as it should before a build, each with its own reason.
    expect(document.checks.find((c) => c.id === 'originals')).toMatchObject({ status: 'fail' });
    expect(check.code).toBe(1);
  });

  it('a step that fails mid-show still leaves the warehouse at its base size, and says so', async () => {
    const broken: Rule = { match: /AS HIGH_VALUE_PATIENTS/, plan: { error: { code: '000630', sqlState: '57014', message: 'Statement reached its statement or warehouse timeout of 330 second(s) and was canceled.' } } };
    const { server: s, show, demo } = await fake(undefined, broken);
    const walk = await demo(['--yes']);
    expect(walk.code).toBe(1);
    expect(walk.stdout).toMatch(/Stopped at step 10\/13 \(benchmarks\)/);
    const failed = s.statements.findIndex((q) => /AS HIGH_VALUE_PATIENTS/.test(q.sql));
    expect(ours(s).filter((q) => s.statements.indexOf(q) > failed).map((q) => `${stepOf(q)}: ${q.sql}`)).toEqual([
      'teardown: USE WAREHOUSE PHARMACY2U_DEMO_WH',
      'teardown: ALTER WAREHOUSE PHARMACY2U_DEMO_WH SET WAREHOUSE_SIZE = XSMALL',
    ]);
    expect(show.state.warehouse!.size).toBe('XSMALL');
    expect(walk.stdout).toMatch(/note: teardown \S*warehouse_base_size\.sql ran when the show ended: done/);
  });
});

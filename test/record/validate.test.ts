/**
 * Recordings are copied between machines: one that parses but is malformed (an entry that is null,
 * a step with fields missing) is skipped with a one-line warning naming it, and never costs the
 * show, the report or the fallback.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ShowSession } from '../../src/core/session.js';
import type { Engine } from '../../src/engine/types.js';
import { listRecordings, readRecording, recordingsDir } from '../../src/record/store.js';
import { loadRunbook } from '../../src/runbook/load.js';
import { scratch } from '../helpers.js';

const BIN = path.resolve('dist/cli/main.js');
const RUNBOOK = `title: Recorded answers
steps:
  - id: answer
    title: The answer
    inline: SELECT 42 AS ANSWER
    mock: { duration: 10ms, columns: [ANSWER], rows: [[0]] }
restore: { id: restore, title: Restore, destructive: true, inline: SELECT 1 AS N }
`;

let dir: string;
let state: string;

function demo(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env: { PATH: process.env.PATH, CI: 'true', DEMO_STATE_DIR: state }, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Copies the good recording under a newer name, changed by `damage`. */
function badCopy(stamp: string, damage: (recording: Record<string, unknown>) => void): string {
  const good = listRecordings(state).at(-1)!;
  const recording = JSON.parse(readFileSync(good.file, 'utf8')) as Record<string, unknown>;
  damage(recording);
  const name = `${stamp}-walk-local.json`;
  writeFileSync(path.join(recordingsDir(state), name), JSON.stringify({ ...recording, id: name.slice(0, -5) }));
  return name;
}

beforeAll(() => {
  dir = scratch({ 'runbook.yml': RUNBOOK });
  state = mkdtempSync(path.join(tmpdir(), 'demo-recordings-'));
  expect(demo(['--engine', 'local']).code).toBe(0);
  badCopy('2999-01-01T00-00-00.000Z', (r) => (r.entries = [null]));
  badCopy('2999-01-02T00-00-00.000Z', (r) => {
    const [entry] = r.entries as Array<Record<string, unknown>>;
    delete entry!.queries;
    delete entry!.status;
  });
});

describe('a malformed recording', () => {
  it('is skipped by the rehearsal with one line naming it; the show replays the good one', () => {
    const { code, stdout, stderr } = demo(['--rehearse', '--speed', '1000']);
    expect(code).toBe(0);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^warning: skipped recording 2999-01-02T00-00-00\.000Z-walk-local\.json: entries\[0\]\.status: /),
      expect.stringMatching(/^warning: skipped recording 2999-01-01T00-00-00\.000Z-walk-local\.json: entries\[0\]: /),
    ]);
    expect(stdout).toMatch(/Rehearsal: replaying local run of/);
    expect(stdout).toMatch(/ANSWER[\s\S]*42/);
    expect(stderr).not.toMatch(/TypeError|\n\s+at /);
  });

  it('is skipped by the report, which reports the newest good one; named, it is refused clearly', () => {
    const report = demo(['report']);
    expect(report.code).toBe(0);
    expect(report.stderr).toMatch(/^warning: skipped recording 2999-01-02T00-00-00\.000Z-walk-local\.json: /m);
    expect(report.stdout).toMatch(/^# Recorded answers — run report/);
    const named = demo(['report', '2999-01-01']);
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(/2999-01-01T00-00-00\.000Z-walk-local\.json: not a valid demo recording \(entries\[0\]: .*\)/);
    expect(named.stderr).not.toMatch(/TypeError|\n\s+at /);
  });

  it('never costs the fallback: the last good recording comes back, the bad ones are passed over', () => {
    const runbook = loadRunbook(path.join(dir, 'runbook.yml'));
    const engine = { kind: 'local', connect: async () => {}, run: async () => Promise.reject(new Error('offline')), close: async () => {} } as Engine;
    const session = new ShowSession(engine, {}, { runbook, stateDir: state });
    const fallback = session.fallback('answer');
    expect(fallback?.queries[0]?.result.rows).toEqual([[42]]);
    expect(session.expectedMs('answer')).toBeGreaterThanOrEqual(0);
  });

  it('is not returned by readRecording, however it is damaged', () => {
    const good = listRecordings(state).at(-1)!;
    const base = JSON.parse(readFileSync(good.file, 'utf8')) as Record<string, unknown>;
    const file = path.join(tmpdir(), `demo-bad-${process.pid}.json`);
    const damages: Array<(r: Record<string, unknown>) => void> = [
      (r) => (r.entries = 'lots'),
      (r) => (r.params = null),
      (r) => ((r.entries as Array<Record<string, unknown>>)[0]!.elapsedMs = -5),
      (r) => ((r.entries as Array<Record<string, unknown>>)[0]!.elapsedMs = 1e300),
      (r) => ((r.entries as Array<Record<string, unknown>>)[0]!.queries = [{ columns: [null] }]),
      (r) => (r.startedAt = 'yesterday-ish'),
      (r) => (r.format = 'demo-recording/0'),
    ];
    for (const damage of damages) {
      const copy = structuredClone(base);
      damage(copy);
      writeFileSync(file, JSON.stringify(copy));
      expect(readRecording(file), damage.toString()).toBeUndefined();
    }
    copyFileSync(good.file, file);
    expect(readRecording(file)?.entries).toHaveLength(1);
  });
});

describe("a recording's params", () => {
  it('are never pasted into the SQL the report prints: only values this runbook accepts are used', () => {
    const runbookDir = scratch({
      'runbook.yml': `title: Params show
params:
  db: { type: identifier, default: SAFE_DB }
steps:
  - { id: answer, title: The answer, inline: SELECT 42 AS ANSWER }
restore: { id: restore, title: Restore, destructive: true, inline: "DELETE FROM {{ db }}.RAW.T" }
`,
    });
    const states = mkdtempSync(path.join(tmpdir(), 'demo-recordings-'));
    const at = '2026-11-20T14:03:00.000Z';
    const recording = {
      format: 'demo-recording/1', id: '2026-11-20T14-03-00.000Z-walk-local', command: 'walk', runbook: { title: 'Params show', file: 'runbook.yml' },
      engine: 'local', startedAt: at, updatedAt: at, params: { db: 'PROD; DROP DATABASE PROD; --', extra: 1 },
      entries: [{ kind: 'step', stepId: 'answer', title: 'The answer', startedAt: at, finishedAt: at, status: 'done', elapsedMs: 5, wallMs: 6, queries: [], statements: [], notices: [] }],
    };
    const recordings = path.join(states, 'recordings');
    mkdirSync(recordings);
    writeFileSync(path.join(recordings, `${recording.id}.json`), JSON.stringify(recording));
    const result = spawnSync(process.execPath, [BIN, 'report'], { cwd: runbookDir, env: { PATH: process.env.PATH, CI: 'true', DEMO_STATE_DIR: states }, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('DELETE FROM SAFE_DB.RAW.T;');
    expect(result.stdout).not.toMatch(/DELETE FROM PROD/);
    expect(result.stdout).toMatch(/The recording's db, extra are not a param this runbook accepts: the runbook's own values were used\./);
  });
});

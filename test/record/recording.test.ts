/**
 * Recordings, replay and fallback on a scripted engine: what the presenter relies on when they
 * rehearse from last night's run or press `f` on stage. (The same paths on the real local engine and
 * on the fake Snowflake are in local.test.ts and fallback-live.test.ts.)
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStep } from '../../src/core/runner.js';
import { ShowSession } from '../../src/core/session.js';
import { RehearsalEngine } from '../../src/engine/rehearsal.js';
import type { Engine, EngineKind, StatementRequest, StatementResult } from '../../src/engine/types.js';
import { listRecordings, pruneRecordings, readRecording, RECORDED_ROWS, recordingsDir } from '../../src/record/store.js';
import { loadRunbook } from '../../src/runbook/load.js';
import type { Runbook } from '../../src/runbook/model.js';
import { resolveParams } from '../../src/runbook/params.js';
import { scratch } from '../helpers.js';

const RUNBOOK = `title: Recorded show
params:
  multiplier: { type: integer, default: 10, engines: { local: 2 } }
steps:
  - id: counts
    title: Counts
    sql: sql/counts.sql
    expect:
      - { row: PATIENTS, column: N, equals: "100 * multiplier" }
    mock: { duration: 2s, columns: [OBJECT, N], rows: [[PATIENTS, 1000]] }
  - id: bench
    title: Benchmarks
    display: benchmark
    queries:
      - label: Many rows
        sql: sql/many.sql
      - label: One number
        inline: SELECT 42 AS ANSWER
  - id: never-run
    title: Never run
    inline: SELECT 'never' AS WHAT
    mock: { duration: 10ms, columns: [WHAT], rows: [[mocked]] }
restore:
  id: restore
  title: Restore
  destructive: true
  inline: SELECT 1 AS RESTORED
`;
const COUNTS = `-- counts\nSET X = 1;\nSELECT 'PATIENTS' AS OBJECT, {{ multiplier }} * 100 AS N;\n`;
const MANY = 'SELECT N FROM MANY;\n';

/** A database stand-in: answers by SQL, with a chosen elapsed time; keeps a secret it must never leak. */
class ScriptedEngine implements Engine {
  readonly connection = { password: 'hunter2-never-written' };
  private n = 0;
  constructor(
    readonly kind: Exclude<EngineKind, 'rehearsal'>,
    private readonly elapsedMs = 120,
    private readonly fail?: RegExp,
  ) {}
  async connect() {}
  async close() {}
  async run(request: StatementRequest): Promise<StatementResult> {
    if (this.fail?.test(request.sql)) throw new Error('network unreachable');
    const base = { elapsedMs: this.elapsedMs, source: this.kind === 'snowflake' ? ('live' as const) : ('local' as const), queryId: `q-${this.kind}-${++this.n}`, truncated: false };
    const server = this.kind === 'snowflake' ? { totalElapsedMs: this.elapsedMs - 20, warehouseSize: 'X-Small' } : undefined;
    if (/FROM MANY/.test(request.sql)) {
      const rows = Array.from({ length: 150 }, (_, i) => [i]);
      return { ...base, server, columns: [{ name: 'N', type: 'number' }], rows, rowCount: 150 };
    }
    if (/AS N/.test(request.sql)) {
      const n = Number(/(\d+) \* 100/.exec(request.sql)?.[1]) * 100;
      return { ...base, server, columns: [{ name: 'OBJECT', type: 'text' }, { name: 'N', type: 'number' }], rows: [['PATIENTS', n]], rowCount: 1 };
    }
    if (/42/.test(request.sql)) return { ...base, server, columns: [{ name: 'ANSWER', type: 'number' }], rows: [[42]], rowCount: 1 };
    return { ...base, columns: [{ name: 'status', type: 'text' }], rows: [['ok']], rowCount: 1 };
  }
}

function setup(files: Record<string, string> = {}) {
  const dir = scratch({ 'runbook.yml': RUNBOOK, 'sql/counts.sql': COUNTS, 'sql/many.sql': MANY, ...files });
  const stateDir = path.join(dir, '.demo');
  const runbook = loadRunbook(path.join(dir, 'runbook.yml'));
  return { dir, stateDir, runbook };
}

function step(runbook: Runbook, id: string) {
  return [...runbook.steps, runbook.restore].find((s) => s.id === id)!;
}

async function recordShow(runbook: Runbook, stateDir: string, engine: Engine, ids = ['counts', 'bench']) {
  const session = new ShowSession(engine, resolveParams(runbook.params, engine.kind), { runbook, stateDir });
  const outcomes = [];
  for (const id of ids) outcomes.push(await session.run(step(runbook, id), () => {}));
  await session.close();
  return { session, outcomes };
}

describe('recordings', () => {
  it('a show on a real engine is recorded step by step: SQL hash, rows, counts, timings, query ids; no secrets', async () => {
    const { runbook, stateDir } = setup();
    const session = new ShowSession(new ScriptedEngine('snowflake'), resolveParams(runbook.params, 'snowflake'), { runbook, stateDir });
    await session.run(step(runbook, 'counts'), () => {});
    // Written after the first step, before the show ends: a crash now loses nothing recorded.
    const file = session.recordingFile!;
    let recording = readRecording(file)!;
    expect(recording).toMatchObject({ command: 'walk', engine: 'snowflake', runbook: { title: 'Recorded show' }, params: { multiplier: 10 } });
    expect(recording.finishedAt).toBeUndefined();
    expect(recording.entries).toHaveLength(1);
    expect(recording.entries[0]).toMatchObject({
      kind: 'step',
      stepId: 'counts',
      status: 'done',
      elapsedMs: 240,
      warehouseSize: 'X-Small',
      queries: [{ rows: [['PATIENTS', 1000]], rowCount: 1, queryId: 'q-snowflake-2', server: { totalElapsedMs: 100 } }],
    });
    expect(recording.entries[0]!.sqlHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Both statements of the step, the SET included, with their query ids.
    expect(recording.entries[0]!.statements.map((s) => s.queryId)).toEqual(['q-snowflake-1', 'q-snowflake-2']);

    await session.run(step(runbook, 'bench'), () => {});
    await session.close();
    recording = readRecording(file)!;
    expect(recording.entries.map((e) => e.stepId)).toEqual(['counts', 'bench']);
    expect(recording.finishedAt).toBeDefined();
    const many = recording.entries[1]!.queries[0]!;
    expect(many.rows).toHaveLength(RECORDED_ROWS);
    expect(many).toMatchObject({ rowCount: 150, truncated: true });
    expect(readdirSync(recordingsDir(stateDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readFileSync(file, 'utf8')).not.toContain('hunter2');
  });

  it('rehearsal records nothing; a recording that cannot be written is a notice, not a stopped show', async () => {
    const { runbook, stateDir, dir } = setup();
    const rehearsal = new ShowSession(new RehearsalEngine({ runbook, stateDir, speed: 100 }), resolveParams(runbook.params, 'rehearsal'), { runbook, stateDir });
    expect((await rehearsal.run(step(runbook, 'counts'), () => {})).status).toBe('done');
    expect(listRecordings(stateDir)).toEqual([]);

    const blocked = path.join(dir, 'not-a-dir');
    writeFileSync(blocked, 'a file where the state dir should be');
    const session = new ShowSession(new ScriptedEngine('local'), resolveParams(runbook.params, 'local'), { runbook, stateDir: blocked });
    const outcome = await session.run(step(runbook, 'counts'), () => {});
    expect(outcome.status).toBe('done');
    expect(outcome.notices.join('\n')).toMatch(/^not recorded: /m);
  });

  it('keeps the newest recordings up to the limit, and always the newest of each command and engine', () => {
    const { stateDir } = setup();
    mkdirSync(recordingsDir(stateDir), { recursive: true });
    const stamp = (i: number) => new Date(Date.UTC(2026, 10, 20, 10, 0, i)).toISOString().replace(/:/g, '-');
    writeFileSync(path.join(recordingsDir(stateDir), `${stamp(0)}-walk-snowflake.json`), '{}');
    for (let i = 1; i <= 8; i++) writeFileSync(path.join(recordingsDir(stateDir), `${stamp(i)}-walk-local.json`), '{}');
    pruneRecordings(stateDir, 5);
    const left = listRecordings(stateDir).map((r) => r.id);
    expect(left).toHaveLength(6);
    expect(left).toContain(`${stamp(0)}-walk-snowflake`);
    expect(left[0]).toBe(`${stamp(8)}-walk-local`);
  });
});

describe('rehearsal replays reality', () => {
  it('replays the last real run: same rows, its durations compressed by --speed, labelled REHEARSAL with its origin', async () => {
    const { runbook, stateDir } = setup();
    await recordShow(runbook, stateDir, new ScriptedEngine('local', 400));
    const engine = new RehearsalEngine({ runbook, stateDir, speed: 10 });
    expect(engine.note).toMatch(/^replaying local run of \d{4}-\d\d-\d\d \d\d:\d\d \(2 from the runbook's mocks\)$/);
    const started = performance.now();
    const outcome = await runStep({ engine, step: step(runbook, 'counts'), params: resolveParams(runbook.params, 'local'), signal: new AbortController().signal });
    const wall = performance.now() - started;
    expect(outcome.status).toBe('done');
    // The local run's figure (multiplier 2), not the mock's 1000.
    expect(outcome.queries[0]!.result).toMatchObject({ rows: [['PATIENTS', 200]], source: 'rehearsal', elapsedMs: 400 });
    expect(outcome.queries[0]!.result.queryId).toBeUndefined();
    expect(outcome.elapsedMs).toBe(800);
    expect(outcome.notices).toEqual([expect.stringMatching(/^replayed from the local run of /)]);
    // 800 ms recorded at speed 10: about 80 ms on the clock.
    expect(wall).toBeGreaterThanOrEqual(75);
    expect(wall).toBeLessThan(600);
    // Never recorded: the runbook's mock, as before.
    const mocked = await runStep({ engine, step: step(runbook, 'never-run'), params: resolveParams(runbook.params, 'local'), signal: new AbortController().signal });
    expect(mocked.queries[0]!.result.rows).toEqual([['mocked']]);
    expect(engine.plannedMs('counts')).toBe(80);
  });

  it('prefers the live run over a newer local one', async () => {
    const { runbook, stateDir } = setup();
    await recordShow(runbook, stateDir, new ScriptedEngine('snowflake', 300));
    await new Promise((r) => setTimeout(r, 5));
    await recordShow(runbook, stateDir, new ScriptedEngine('local', 50));
    const engine = new RehearsalEngine({ runbook, stateDir, speed: 100 });
    expect(engine.note).toMatch(/^replaying live run of /);
    const outcome = await runStep({ engine, step: step(runbook, 'counts'), params: resolveParams(runbook.params, 'snowflake'), signal: new AbortController().signal });
    expect(outcome.queries[0]!.result).toMatchObject({ rows: [['PATIENTS', 1000]], elapsedMs: 300, source: 'rehearsal', server: { totalElapsedMs: 280 } });
  });

  it("marks a step stale when its SQL changed since it was recorded, and only that step", async () => {
    const { runbook, stateDir, dir } = setup();
    await recordShow(runbook, stateDir, new ScriptedEngine('local'));
    writeFileSync(path.join(dir, 'sql/counts.sql'), COUNTS.replace('AS N', 'AS N -- now with a filter'));
    const changed = loadRunbook(path.join(dir, 'runbook.yml'));
    const engine = new RehearsalEngine({ runbook: changed, stateDir, speed: 100 });
    const params = resolveParams(changed.params, 'local');
    const counts = await runStep({ engine, step: step(changed, 'counts'), params, signal: new AbortController().signal });
    expect(counts.notices.join(' ')).toMatch(/stale: this step's SQL changed since it was recorded/);
    const bench = await runStep({ engine, step: step(changed, 'bench'), params, signal: new AbortController().signal });
    expect(bench.notices.join(' ')).not.toMatch(/stale/);
  });

  it('a query added to a step since the run is stale, and its neighbours keep their own results', async () => {
    const { runbook, stateDir, dir } = setup();
    await recordShow(runbook, stateDir, new ScriptedEngine('local'));
    writeFileSync(path.join(dir, 'runbook.yml'), RUNBOOK.replace(`      - label: One number`, `      - label: Added since\n        inline: SELECT 7 AS SEVEN\n        mock: { duration: 10ms, columns: [SEVEN], rows: [[7]] }\n      - label: One number`));
    const changed = loadRunbook(path.join(dir, 'runbook.yml'));
    const engine = new RehearsalEngine({ runbook: changed, stateDir, speed: 100 });
    const bench = await runStep({ engine, step: step(changed, 'bench'), params: resolveParams(changed.params, 'local'), signal: new AbortController().signal });
    expect(bench.queries.map((q) => [q.label, q.result.rows[0]])).toEqual([['Many rows', [0]], ['Added since', [7]], ['One number', [42]]]);
    expect(bench.notices.join(' ')).toMatch(/stale/);
  });
});

describe('fallback', () => {
  it("returns the step's last recorded outcome, marked recorded and not live, from this engine kind first", async () => {
    const { runbook, stateDir } = setup();
    await recordShow(runbook, stateDir, new ScriptedEngine('local', 50));
    await recordShow(runbook, stateDir, new ScriptedEngine('snowflake', 300));
    const live = new ShowSession(new ScriptedEngine('snowflake', 300, /AS N/), resolveParams(runbook.params, 'snowflake'), { runbook, stateDir });
    const failed = await live.run(step(runbook, 'counts'), () => {});
    expect(failed.status).toBe('failed');
    const fallback = live.fallback('counts')!;
    expect(fallback.status).toBe('done');
    expect(fallback.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(fallback.queries[0]!.result).toMatchObject({ source: 'recorded', rows: [['PATIENTS', 1000]], queryId: expect.stringMatching(/^q-snowflake-/) });
    expect(fallback.notices[0]).toMatch(/^recorded \d{4}-\d\d-\d\d \d\d:\d\d on Snowflake( \S+)?, not live$/);
    expect(live.fallback('never-run')).toBeUndefined();
    // The live show's estimate comes from the live run; a local show's from the local run.
    expect(live.expectedMs('counts')).toBeGreaterThanOrEqual(0);
    const local = new ShowSession(new ScriptedEngine('local'), resolveParams(runbook.params, 'local'), { runbook, stateDir });
    expect(local.fallback('counts')!.queries[0]!.result.rows).toEqual([['PATIENTS', 200]]);
    expect(local.fallback('counts')!.notices[0]).toMatch(/on DuckDB, not live$/);
    await live.close();
    await local.close();
  });
});

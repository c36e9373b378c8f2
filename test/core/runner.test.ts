import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStep } from '../../src/core/runner.js';
import { RehearsalEngine } from '../../src/engine/rehearsal.js';
import { CancelledError, type Engine, type StatementRequest } from '../../src/engine/types.js';
import { loadRunbook } from '../../src/runbook/load.js';
import { resolveParams } from '../../src/runbook/params.js';
import { COUNTS_SQL, MINIMAL, scratch } from '../helpers.js';

function show(runbook = MINIMAL, sql = COUNTS_SQL) {
  const dir = scratch({ 'runbook.yml': runbook, 'sql/counts.sql': sql, 'sql/cleanup.sql': 'SELECT 1 AS CLEANED' });
  return loadRunbook(path.join(dir, 'runbook.yml'));
}

/** An engine that records what it was asked and never answers until aborted (a dead network). */
class HangingEngine implements Engine {
  readonly kind = 'local' as const;
  seen: StatementRequest[] = [];
  constructor(private readonly hangOn: (sql: string) => boolean) {}
  async connect() {}
  async close() {}
  run(request: StatementRequest, options: { signal: AbortSignal }) {
    this.seen.push(request);
    if (!this.hangOn(request.sql)) {
      return Promise.resolve({ columns: [], rows: [], rowCount: 0, truncated: false, elapsedMs: 1, source: 'local' as const });
    }
    return new Promise<never>((_, reject) => options.signal.addEventListener('abort', () => reject(new CancelledError())));
  }
}

describe('runStep', () => {
  const runbook = show();
  const params = resolveParams(runbook.params, 'rehearsal');

  it('runs a step on the rehearsal engine and checks its expectations', async () => {
    const outcome = await runStep({ engine: new RehearsalEngine(), step: runbook.steps[0]!, params, signal: new AbortController().signal });
    expect(outcome.status).toBe('done');
    expect(outcome.queries[0]!.result).toMatchObject({ rows: [['PATIENTS', 1000]], rowCount: 1, source: 'rehearsal', elapsedMs: 50 });
    expect(outcome.queries[0]!.expectations).toEqual([expect.objectContaining({ ok: true, expected: 1000, actual: 1000 })]);
  });

  it('fails a step whose result does not meet its expectation, saying what was expected', async () => {
    const outcome = await runStep({
      engine: new RehearsalEngine(),
      step: runbook.steps[0]!,
      params: { ...params, multiplier: 1000 },
      signal: new AbortController().signal,
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toMatch(/PATIENTS\.N: expected 100000, got 1000/);
  });

  it('returns cancelled when aborted mid-statement', async () => {
    const controller = new AbortController();
    const slow = show(MINIMAL.replace('duration: 50ms', 'duration: 10s'));
    const pending = runStep({ engine: new RehearsalEngine(), step: slow.steps[0]!, params, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    expect((await pending).status).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('fails a statement that never answers within its timeout, with a clear message', async () => {
    const slow = show(MINIMAL.replace('    target: 1m', '    target: 1m\n    timeout: 200ms'));
    const engine = new HangingEngine(() => true);
    const started = Date.now();
    const outcome = await runStep({ engine, step: slow.steps[0]!, params, signal: new AbortController().signal });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatchObject({ code: 'WATCHDOG', message: expect.stringMatching(/^no answer within 200 ms/) });
    expect(outcome.error?.where).toMatch(/counts\.sql:2$/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('runs the cleanup SQL even when the step was cancelled', async () => {
    const withCleanup = show(MINIMAL.replace('    sql: sql/counts.sql', '    sql: sql/counts.sql\n    cleanup: sql/cleanup.sql'));
    const engine = new HangingEngine((sql) => sql.includes('COUNT'));
    const controller = new AbortController();
    const pending = runStep({ engine, step: withCleanup.steps[0]!, params, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const outcome = await pending;
    expect(outcome.status).toBe('cancelled');
    expect(engine.seen.map((s) => s.sql)).toEqual([expect.stringContaining('COUNT(*)'), 'SELECT 1 AS CLEANED']);
  });

  it('skips a step limited to other engines', async () => {
    const limited = show(MINIMAL.replace('    target: 1m', '    target: 1m\n    engines: [snowflake]'));
    const outcome = await runStep({ engine: new HangingEngine(() => false), step: limited.steps[0]!, params, signal: new AbortController().signal });
    expect(outcome.status).toBe('skipped');
  });
});

describe('RehearsalEngine', () => {
  const request: StatementRequest = {
    sql: 'SELECT 1',
    stepId: 's',
    index: 0,
    count: 1,
    mock: { columns: [{ name: 'N', type: 'number' }], rows: [[1], [2], [3]], rowCount: 3, durationMs: 300 },
  };

  it('answers deterministically with the simulated duration, divided by --speed', async () => {
    const engine = new RehearsalEngine({ speed: 10 });
    const started = Date.now();
    const a = await engine.run(request, { signal: new AbortController().signal, maxRows: 2 });
    const b = await engine.run(request, { signal: new AbortController().signal, maxRows: 2 });
    expect(a).toEqual(b);
    expect(a).toMatchObject({ rows: [[1], [2]], rowCount: 3, truncated: true, elapsedMs: 300, source: 'rehearsal' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('is cancellable', async () => {
    const engine = new RehearsalEngine();
    const controller = new AbortController();
    const pending = engine.run({ ...request, mock: { ...request.mock!, durationMs: 60_000 } }, { signal: controller.signal, maxRows: 10 });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
  });
});

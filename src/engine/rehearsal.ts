/**
 * Rehearsal: no account, no network. Each step replays its last real run (live first, else local)
 * from the recordings, with that run's durations; a step never recorded answers from the runbook's
 * mocks. `speed` divides the waiting, never the figures shown.
 *
 * Labels: every result here says REHEARSAL (`source: 'rehearsal'`), including a replayed live
 * figure — it is not live on this screen. Where it came from is in the result's notice ("replayed
 * from the live run of …") and in `note` for the header.
 */
import { sleep, throwIfAborted } from '../core/abort.js';
import { libraryFor, planReplay, recordedOrigin, runName, staleNotice, type Replay, type ReplayPlan } from '../record/replay.js';
import { sqlFor, type Runbook, type Step } from '../runbook/model.js';
import { splitStatements } from '../runbook/sql.js';
import type { Engine, RunOptions, StatementRequest, StatementResult } from './types.js';

export interface RehearsalOptions {
  speed?: number;
  /** With both, steps replay their recordings from `<stateDir>/recordings`. */
  runbook?: Runbook;
  stateDir?: string;
  /** What is being rehearsed: the show (steps and restore) or the checklist. */
  scope?: 'show' | 'check';
}

export class RehearsalEngine implements Engine {
  readonly kind = 'rehearsal' as const;
  /** Nothing is shared between statements: checks may run side by side. */
  readonly concurrency = 8;
  private readonly speed: number;
  private plan?: ReplayPlan;

  constructor(private readonly options: RehearsalOptions = {}) {
    this.speed = options.speed && options.speed > 0 ? options.speed : 1;
  }

  get note(): string | undefined {
    return this.replayPlan().note;
  }

  /** Recordings that were skipped because they are not valid, one line each. */
  get warnings(): readonly string[] {
    this.replayPlan();
    return this.options.stateDir ? libraryFor(this.options.stateDir).warnings() : [];
  }

  async connect(signal: AbortSignal): Promise<void> {
    throwIfAborted(signal);
  }

  async run(request: StatementRequest, options: RunOptions): Promise<StatementResult> {
    throwIfAborted(options.signal);
    const step = this.step(request.stepId);
    const replay = this.replayPlan().byStep.get(request.stepId);
    if (step && replay) return this.replay(step, replay, request, options);
    return this.mock(request, options);
  }

  /** How long this rehearsal will take over a step, on the wall clock (for the progress bar). */
  plannedMs(stepId: string): number | undefined {
    const replay = this.replayPlan().byStep.get(stepId);
    if (replay) return replay.entry.elapsedMs / this.speed;
    const step = this.step(stepId);
    const mocks = step?.queries.map((q) => q.mock?.durationMs ?? 0) ?? [];
    return mocks.length ? mocks.reduce((a, b) => a + b, 0) / this.speed : undefined;
  }

  async close(): Promise<void> {}

  private replayPlan(): ReplayPlan {
    const { runbook, stateDir, scope = 'show' } = this.options;
    this.plan ??= runbook && stateDir ? planReplay(runbook, stateDir, scope) : { byStep: new Map(), fromMocks: 0, fromOtherRuns: 0 };
    return this.plan;
  }

  private step(stepId: string): Step | undefined {
    const runbook = this.options.runbook;
    if (!runbook) return undefined;
    const steps = this.options.scope === 'check' ? runbook.checklist : [...runbook.steps, runbook.restore];
    return steps.find((s) => s.id === stepId);
  }

  private async mock(request: StatementRequest, options: RunOptions): Promise<StatementResult> {
    const mock = request.mock;
    if (!mock) {
      return { columns: [], rows: [], rowCount: 0, truncated: false, elapsedMs: 0, source: 'rehearsal',
        notice: request.index === request.count - 1 ? 'no mock result in the runbook for this step' : undefined };
    }
    options.onProgress?.({ state: 'RUNNING' });
    await sleep(mock.durationMs / this.speed, options.signal);
    const rows = mock.rows.slice(0, options.maxRows);
    return {
      columns: mock.columns,
      rows,
      rowCount: mock.rowCount ?? mock.rows.length,
      truncated: rows.length < (mock.rowCount ?? mock.rows.length),
      // The replayed figure, labelled as rehearsal by `source`; not a measurement of this run.
      elapsedMs: mock.durationMs,
      source: 'rehearsal',
      origin: { engine: 'mock' },
    };
  }

  private async replay(step: Step, replay: Replay, request: StatementRequest, options: RunOptions): Promise<StatementResult> {
    const position = locate(step, request);
    // The cleanup's statements (e.g. the warehouse back to its base size) shape no figure.
    if (position.cleanup) return { columns: [], rows: [], rowCount: 0, truncated: false, elapsedMs: 0, source: 'rehearsal' };
    // By label where queries have one: a query added to the step since keeps its neighbours' results apart.
    const label = step.queries[position.queryIndex]?.label;
    const recorded = label !== undefined ? replay.entry.queries.find((q) => q.label === label) : replay.entry.queries[position.queryIndex];
    if (!recorded && position.last) return this.mock(request, options);
    // Each query's last statement replays its recorded time; the rest of the step's recorded time
    // is spread over the statements before them, so the step takes as long as it did.
    const inQueries = replay.entry.queries.reduce((sum, q) => sum + q.elapsedMs, 0);
    const others = Math.max(0, request.count - step.queries.length);
    const durationMs = position.last ? (recorded?.elapsedMs ?? 0) : others ? Math.max(0, replay.entry.elapsedMs - inQueries) / others : 0;
    options.onProgress?.({ state: 'RUNNING' });
    await sleep(durationMs / this.speed, options.signal);
    const notice = [`replayed from ${runName(replay.recording)}`, replay.stale ? staleNotice(replay) : ''].filter(Boolean).join('; ');
    if (!position.last || !recorded) return { columns: [], rows: [], rowCount: 0, truncated: false, elapsedMs: durationMs, source: 'rehearsal', notice };
    const rows = recorded.rows.slice(0, options.maxRows);
    return {
      columns: recorded.columns,
      rows,
      rowCount: recorded.rowCount,
      truncated: recorded.truncated || rows.length < recorded.rows.length,
      elapsedMs: recorded.elapsedMs,
      // Server timings are the recorded run's, shown under the REHEARSAL label; the query id is not
      // repeated, since no query ran now.
      server: recorded.server,
      source: 'rehearsal',
      origin: { ...recordedOrigin(replay.recording, replay.entry), warehouseSize: recorded.server?.warehouseSize ?? replay.entry.warehouseSize },
      notice,
    };
  }
}

/**
 * Which query of the step a statement belongs to. The runner hands us its prepared statements,
 * which say so; for a bare request, count statements per query (a typed param never adds a `;`).
 */
function locate(step: Step, request: StatementRequest): { queryIndex: number; last: boolean; cleanup: boolean } {
  if (step.cleanup && request.file !== undefined && request.file === sqlFor(step.cleanup, 'rehearsal').file &&
      !step.queries.some((q) => sqlFor(q, 'rehearsal').file === request.file)) {
    return { queryIndex: 0, last: true, cleanup: true };
  }
  if (request.queryIndex !== undefined && request.lastOfQuery !== undefined) {
    return { queryIndex: request.queryIndex, last: request.lastOfQuery, cleanup: false };
  }
  let start = 0;
  for (const [queryIndex, query] of step.queries.entries()) {
    const count = splitStatements(sqlFor(query, 'rehearsal').text).length;
    if (request.index < start + count) return { queryIndex, last: request.index === start + count - 1, cleanup: false };
    start += count;
  }
  return { queryIndex: step.queries.length, last: true, cleanup: true };
}

/**
 * Rehearsal: answers every statement from the runbook's mock results, with their simulated
 * durations, deterministically and without any network. Results say REHEARSAL, never LIVE.
 */
import { sleep, throwIfAborted } from '../core/abort.js';
import type { Engine, RunOptions, StatementRequest, StatementResult } from './types.js';

export class RehearsalEngine implements Engine {
  readonly kind = 'rehearsal' as const;
  private readonly speed: number;

  constructor(options: { speed?: number } = {}) {
    this.speed = options.speed && options.speed > 0 ? options.speed : 1;
  }

  async connect(signal: AbortSignal): Promise<void> {
    throwIfAborted(signal);
  }

  async run(request: StatementRequest, options: RunOptions): Promise<StatementResult> {
    throwIfAborted(options.signal);
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
    };
  }

  async close(): Promise<void> {}
}

/**
 * The runbook's teardown (`teardown:`, e.g. the warehouse back to its base size): run without
 * asking after a step fails or is cancelled, and once when the show ends, on an engine that
 * connected (never in rehearsal), under a short watchdog of its own, and never twice in a row with
 * nothing run in between. A failed teardown is a note for the presenter, never a crash.
 */
import type { Engine } from '../engine/types.js';
import { formatDuration } from '../format/numbers.js';
import type { Recorder } from '../record/store.js';
import { sqlFor, type Runbook, type Step } from '../runbook/model.js';
import type { ParamValue } from '../runbook/sql.js';
import { runStep, type RunEvent } from './runner.js';

/** Each teardown statement after a failed or cancelled step: the show goes on meanwhile. */
export const TEARDOWN_TIMEOUT_MS = 2 * 60_000;
/** Each teardown statement when the show ends: the presenter is leaving, do not hold them. */
export const TEARDOWN_ON_EXIT_TIMEOUT_MS = 15_000;

export type TeardownReason = { after: 'failed' | 'cancelled'; stepId: string } | { after: 'end' };

/** The teardown as a step of its own, for the runner and the recording. */
export function teardownStep(runbook: Runbook, timeoutMs = TEARDOWN_TIMEOUT_MS): Step | undefined {
  if (!runbook.teardown) return undefined;
  return {
    id: 'teardown',
    title: 'Teardown',
    talk: [],
    display: 'none',
    // Runs unasked: it may read, or size a warehouse, and nothing else (checked when the runbook is read, too).
    destructive: false,
    allows: 'warehouse',
    long: false,
    timeoutMs,
    cache: false,
    changes: [],
    queries: [runbook.teardown],
  };
}

export class Teardown {
  /** Whether something ran on the engine since the last teardown. */
  private pending = false;

  constructor(
    private readonly options: {
      engine: Engine;
      runbook: Runbook;
      params: Readonly<Record<string, ParamValue>>;
      recorder?: Recorder;
    },
  ) {}

  /** A step ran on the connected engine: the next teardown has something to undo. */
  arm(): void {
    if (this.options.engine.kind !== 'rehearsal') this.pending = true;
  }

  /**
   * Runs the teardown if it is due; returns the sentence that says how it went (undefined when it
   * was not due). Never throws.
   */
  async run(reason: TeardownReason, timeoutMs: number, onEvent?: (event: RunEvent) => void): Promise<string | undefined> {
    const { engine, runbook, params, recorder } = this.options;
    const step = teardownStep(runbook, timeoutMs);
    if (!step || !this.pending) return undefined;
    this.pending = false;
    const file = sqlFor(step.queries[0]!, engine.kind).file;
    const when = reason.after === 'end' ? 'when the show ended' : `after '${reason.stepId}' ${reason.after === 'failed' ? 'had failed' : 'was cancelled'}`;
    const startedAt = new Date();
    try {
      // Its own signal: the show's may already be aborted (Ctrl-C), the teardown must still run.
      const outcome = await runStep({ engine, step, params, signal: new AbortController().signal, onEvent });
      recorder?.record('step', step, outcome, startedAt);
      if (outcome.status === 'done') {
        const notes = outcome.notices.length ? ` (${outcome.notices.join('; ')})` : '';
        return `teardown ${file} ran ${when}: done in ${formatDuration(Date.now() - startedAt.getTime())}${notes}`;
      }
      const where = outcome.error?.where ?? file;
      return `teardown ${where} ${when}: FAILED: ${outcome.error?.message ?? outcome.status} — run ${file} by hand`;
    } catch (error) {
      return `teardown ${file} ${when}: FAILED: ${error instanceof Error ? error.message : String(error)} — run it by hand`;
    }
  }
}

/**
 * A check every engine that can tell adds to the runbook's own: whether restore could run now. On the
 * local engine, the SILVER tables may be there while their dynamic-table definitions are not (the
 * main database file lost), so every other check passes and restore fails halfway; this one says so.
 */
import { prepareStep } from '../core/prepare.js';
import type { StepOutcome } from '../core/runner.js';
import type { Engine } from '../engine/types.js';
import { runsOn, type Runbook, type Step } from '../runbook/model.js';
import type { ParamValue } from '../runbook/sql.js';

export const RESTORE_READY_ID = 'restore-ready';

/** The check as a step (for the recording and the result): it runs no SQL of its own. */
export function restoreReadyItem(runbook: Runbook): Step {
  return {
    id: RESTORE_READY_ID,
    title: `Restore can run: what '${runbook.restore.id}' needs is in place`,
    talk: [],
    display: 'none',
    destructive: false,
    long: false,
    cache: false,
    changes: [],
    queries: [],
    fix: "Rebuild what is missing (the show's build step, then its backups step), then run demo check again.",
  };
}

/** Asks the engine what would stop restore halfway; undefined when the engine cannot tell. */
export async function restoreReadiness(runbook: Runbook, engine: Engine, params: Readonly<Record<string, ParamValue>>, signal: AbortSignal): Promise<StepOutcome | undefined> {
  if (!engine.preflight || !runsOn(runbook.restore, engine.kind)) return undefined;
  const started = performance.now();
  try {
    const problems = await engine.preflight(prepareStep(runbook.restore, engine.kind, params), signal);
    const elapsedMs = performance.now() - started;
    return problems.length === 0
      ? { status: 'done', queries: [], elapsedMs, notices: [] }
      : { status: 'failed', queries: [], elapsedMs, notices: [], error: { message: `restore would stop halfway: ${problems.join('; ')}` } };
  } catch (error) {
    return { status: 'failed', queries: [], elapsedMs: performance.now() - started, notices: [], error: { message: `could not check: ${error instanceof Error ? error.message : String(error)}` } };
  }
}

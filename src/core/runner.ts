/**
 * Runs one step on an engine: its statements in order, each under a watchdog, cancellable through
 * an AbortSignal. No UI here: progress goes out through `onEvent`, the outcome is returned.
 */
import { assertAllowed } from '../engine/guard.js';
import { CancelledError, EngineError, type Engine, type ResultOrigin, type StatementProgress, type StatementResult } from '../engine/types.js';
import { formatDuration } from '../format/numbers.js';
import { dialectOf } from '../runbook/classify.js';
import { runsOn, type Step } from '../runbook/model.js';
import type { ParamValue } from '../runbook/sql.js';
import { checkExpectation, type ExpectationResult } from './expect.js';
import { prepareStep, unconfirmedAllows, type PreparedStatement } from './prepare.js';

export const DEFAULT_TIMEOUT_MS = 5 * 60_000;
export const DEFAULT_LONG_TIMEOUT_MS = 2 * 60 * 60_000;
export const DEFAULT_MAX_ROWS = 1000;
/** After the watchdog fires, how long the engine gets to give up cleanly before we stop waiting. */
const WATCHDOG_GRACE_MS = 2000;

export interface QueryOutcome {
  label?: string;
  result: StatementResult;
  expectations: ExpectationResult[];
}

export type StepStatus = 'done' | 'failed' | 'cancelled' | 'skipped';

export interface StepFailure {
  message: string;
  code?: string;
  hint?: string;
  queryId?: string;
  /** Where the failing statement is: file:line. */
  where?: string;
  /** The connection failed, not the statement (see EngineError.connectionFault). */
  connectionFault?: boolean;
}

export interface StepOutcome {
  status: StepStatus;
  queries: QueryOutcome[];
  error?: StepFailure;
  /** Sum of the statements' elapsed times as the engines measured them. */
  elapsedMs: number;
  notices: string[];
  /** Set when this outcome is a recording replayed (fallback), not this run's: when it was recorded. */
  recordedAt?: string;
  /** And which engine, params and warehouse recorded it. */
  origin?: ResultOrigin;
}

export type RunEvent =
  | { type: 'statement'; index: number; count: number; label?: string; sql: string }
  | { type: 'progress'; progress: StatementProgress };

export interface RunStepOptions {
  engine: Engine;
  step: Step;
  params: Readonly<Record<string, ParamValue>>;
  signal: AbortSignal;
  maxRows?: number;
  onEvent?: (event: RunEvent) => void;
}

export function timeoutFor(step: Step): number {
  return step.timeoutMs ?? (step.long ? DEFAULT_LONG_TIMEOUT_MS : DEFAULT_TIMEOUT_MS);
}

async function runWithWatchdog(
  engine: Engine,
  statement: PreparedStatement,
  step: Step,
  signal: AbortSignal,
  maxRows: number,
  onEvent?: (event: RunEvent) => void,
): Promise<StatementResult> {
  // Every engine passes through here: a statement that does more than its step allows never runs.
  assertAllowed(statement, dialectOf(engine.kind));
  const timeoutMs = timeoutFor(step);
  const local = new AbortController();
  const forward = () => local.abort(signal.reason);
  // A cancel that came before the statement started (e.g. on its 'statement' event) still counts.
  if (signal.aborted) forward();
  else signal.addEventListener('abort', forward, { once: true });
  let timedOut = false;
  let giveUp: ReturnType<typeof setTimeout> | undefined;
  const watchdog = new Promise<never>((_, reject) => {
    giveUp = setTimeout(() => {
      timedOut = true;
      local.abort(new Error('watchdog'));
      giveUp = setTimeout(() => reject(timeoutError(timeoutMs)), WATCHDOG_GRACE_MS);
    }, timeoutMs);
  });
  try {
    return await Promise.race([
      engine.run(statement, {
        signal: local.signal,
        maxRows,
        timeoutMs,
        useCachedResult: step.cache,
        long: step.long,
        onProgress: (progress) => onEvent?.({ type: 'progress', progress }),
      }),
      watchdog,
    ]);
  } catch (error) {
    // An engine that knows more (lost contact, cancel not confirmed) keeps its own words.
    if (timedOut && !signal.aborted) throw error instanceof EngineError ? error : timeoutError(timeoutMs, error);
    throw error;
  } finally {
    clearTimeout(giveUp);
    signal.removeEventListener('abort', forward);
  }
}

function timeoutError(timeoutMs: number, cause?: unknown): EngineError {
  return new EngineError(`no answer within ${formatDuration(timeoutMs)}: the statement was stopped`, {
    code: 'WATCHDOG',
    hint: "raise the step's 'timeout' in the runbook if it is expected to take longer",
    cause,
  });
}

/** How long a step's cleanup (e.g. the warehouse back to its base size) may take. */
const CLEANUP_TIMEOUT_MS = 2 * 60_000;

export async function runStep(options: RunStepOptions): Promise<StepOutcome> {
  const outcome = await runStatements(options);
  const { step, engine, params, onEvent } = options;
  if (!step.cleanup || outcome.status === 'skipped') return outcome;
  // Runs even after a cancel: its own signal, its own short watchdog.
  const cleanupStep: Step = { ...step, long: false, timeoutMs: CLEANUP_TIMEOUT_MS };
  for (const statement of prepareStep(step, engine.kind, params, [step.cleanup], unconfirmedAllows(step))) {
    onEvent?.({ type: 'statement', index: statement.index, count: statement.count, label: 'cleanup', sql: statement.sql });
    try {
      await runWithWatchdog(engine, statement, cleanupStep, new AbortController().signal, 10, onEvent);
    } catch (error) {
      outcome.notices.push(`cleanup failed (${statement.file}:${statement.line}): ${error instanceof Error ? error.message : String(error)}`);
      if (outcome.status === 'done') outcome.status = 'failed';
      outcome.error ??= { message: `cleanup failed: ${error instanceof Error ? error.message : String(error)}`, where: `${statement.file}:${statement.line}` };
      break;
    }
  }
  return outcome;
}

async function runStatements(options: RunStepOptions): Promise<StepOutcome> {
  const { engine, step, params, signal, onEvent } = options;
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  if (!runsOn(step, engine.kind)) {
    return { status: 'skipped', queries: [], elapsedMs: 0, notices: [`not run on the ${engine.kind} engine (runs on ${step.engines?.join(', ')})`] };
  }
  const statements = prepareStep(step, engine.kind, params);
  const queries: QueryOutcome[] = [];
  const notices: string[] = [];
  let elapsedMs = 0;
  // A step that changes things checks first what would stop it halfway (e.g. restore's sources).
  // The check is advice: if it cannot be made, the statements still fail clearly on their own.
  const problems = step.destructive && engine.preflight ? await engine.preflight(statements, signal).catch(() => []) : [];
  if (problems.length > 0) {
    return { status: 'failed', queries, elapsedMs, notices, error: { message: `not started, nothing was changed: ${problems.join('; ')}`, code: 'PREFLIGHT' } };
  }
  for (const statement of statements) {
    if (signal.aborted) return { status: 'cancelled', queries, elapsedMs, notices };
    onEvent?.({ type: 'statement', index: statement.index, count: statement.count, label: statement.label, sql: statement.sql });
    let result: StatementResult;
    try {
      result = await runWithWatchdog(engine, statement, step, signal, maxRows, onEvent);
    } catch (error) {
      if (error instanceof CancelledError || signal.aborted) return { status: 'cancelled', queries, elapsedMs, notices };
      const e = error instanceof EngineError ? error : undefined;
      return {
        status: 'failed',
        queries,
        elapsedMs,
        notices,
        error: {
          message: error instanceof Error ? error.message : String(error),
          code: e?.code,
          hint: e?.hint,
          queryId: e?.queryId,
          where: `${statement.file}:${statement.line}`,
          ...(e?.connectionFault ? { connectionFault: true } : {}),
        },
      };
    }
    elapsedMs += result.elapsedMs;
    if (result.notice && !notices.includes(result.notice)) notices.push(result.notice);
    if (statement.lastOfQuery) {
      const expectations = statement.expect.map((e) => checkExpectation(e, result, params));
      queries.push({ label: statement.label, result, expectations });
    }
  }
  const failed = queries.flatMap((q) => q.expectations).filter((e) => !e.ok);
  if (failed.length > 0) {
    return {
      status: 'failed',
      queries,
      elapsedMs,
      notices,
      error: { message: `expectation not met: ${failed.map((f) => `${f.description}: ${f.message}`).join('; ')}` },
    };
  }
  return { status: 'done', queries, elapsedMs, notices };
}

/**
 * The pre-demo checklist: each item of the runbook's `checklist`, run and judged pass/fail, side by
 * side where the engine can run statements concurrently. Every failure carries a fix.
 */
import { runStep, type StepOutcome } from '../core/runner.js';
import type { Engine, EngineKind } from '../engine/types.js';
import { formatDuration } from '../format/numbers.js';
import { sqlFor, type Runbook, type Step } from '../runbook/model.js';
import type { ParamValue } from '../runbook/sql.js';
import { renderText } from '../runbook/text.js';
import { restoreReadiness, restoreReadyItem } from './restore-ready.js';

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  /** The check's statements, as the engine timed them. */
  elapsedMs: number;
  budgetMs?: number;
  /** Why it failed or was skipped. */
  message?: string;
  /** How to fix it: always present on a failure. */
  fix?: string;
  /** file:line of the failing statement, when a statement failed. */
  where?: string;
  /** Each expectation the check makes, met or not. */
  expectations: { description: string; ok: boolean; message?: string }[];
  queryIds: string[];
  /** Why a skipped check was not run: the engine does not run it, or the connection had failed. */
  notRun?: 'engine' | 'connection';
}

/**
 * How many statements an engine runs at once. An engine says so with a `concurrency` property
 * (DuckDB opens a connection per statement; a single Snowflake session may not); without one, one.
 */
export function concurrencyOf(engine: Engine): number {
  const n = engine.concurrency;
  return typeof n === 'number' && n >= 1 ? Math.floor(n) : 1;
}

/**
 * The item's fix with its placeholders filled in: params, the command that works on this engine, and
 * `{{ connection }}`, the connection in use and its file.
 */
function renderFix(fix: string | undefined, params: Readonly<Record<string, ParamValue>>, engine?: Engine): string | undefined {
  return fix === undefined ? undefined : renderText(fix, { params, engine: engine?.kind ?? 'snowflake', connection: engine?.source ?? 'the Snowflake connection (connections.toml)' });
}

/**
 * A check's verdict. `wallMs` is how long the check took on the clock: a check that failed is
 * shown with it (a statement that never answered took all that time); one that ran is shown with
 * its statements' time, which is what its budget judges. A skipped check was not run on this
 * engine, unless `notRun` says the connection was the reason.
 */
export function judge(
  item: Step,
  outcome: StepOutcome,
  params: Readonly<Record<string, ParamValue>> = {},
  engine?: Engine,
  run: { wallMs?: number; notRun?: 'connection' } = {},
): CheckResult {
  const { wallMs } = run;
  const expectations = outcome.queries.flatMap((q) => q.expectations.map((e) => ({ description: e.description, ok: e.ok, message: e.message })));
  // Every statement answered (a pass, or an expectation missed): the statements' own time.
  const answered = outcome.status === 'done' || (outcome.status === 'failed' && outcome.error?.where === undefined && outcome.queries.length > 0);
  // Key order is the JSON document's: identity and verdict first.
  const base = {
    id: item.id,
    title: item.title,
    status: 'pass' as CheckStatus,
    elapsedMs: answered || wallMs === undefined ? outcome.elapsedMs : Math.round(wallMs),
    budgetMs: item.budgetMs,
    expectations,
    queryIds: outcome.queries.map((q) => q.result.queryId).filter((id): id is string => Boolean(id)),
  };
  if (outcome.status === 'skipped') {
    return { ...base, status: 'skip', message: outcome.notices[0], notRun: run.notRun ?? 'engine' };
  }
  const sqlFile = item.queries[0] ? sqlFor(item.queries[0], engine?.kind ?? 'snowflake').file : undefined;
  const fallbackFix = `Run the check's SQL${sqlFile ? ` (${sqlFile})` : ''} by hand to see the figures.`;
  const fix = renderFix(item.fix, params, engine) ?? outcome.error?.hint ?? fallbackFix;
  if (outcome.status !== 'done') {
    const message = outcome.status === 'cancelled' ? 'cancelled' : (outcome.error?.message ?? outcome.status);
    return { ...base, status: 'fail', message, fix: outcome.error?.hint && item.fix ? `${fix} (${outcome.error.hint})` : fix, where: outcome.error?.where };
  }
  if (item.budgetMs !== undefined && outcome.elapsedMs > item.budgetMs) {
    return { ...base, status: 'fail', message: `took ${formatDuration(outcome.elapsedMs)}, over its budget of ${formatDuration(item.budgetMs)}`, fix };
  }
  // A check with nothing to check (its `requires` found nothing) passes, saying why.
  const unneeded = item.requires && outcome.notices.includes(item.requires.otherwise) ? item.requires.otherwise : undefined;
  return unneeded ? { ...base, status: 'pass', message: unneeded } : { ...base, status: 'pass' };
}

export interface ChecklistOptions {
  runbook: Runbook;
  engine: Engine;
  params: Readonly<Record<string, ParamValue>>;
  signal: AbortSignal;
  /** Override the engine's own concurrency (tests). */
  concurrency?: number;
  onStart?: (item: Step) => void;
  onResult?: (result: CheckResult, item: Step, outcome: StepOutcome, startedAt: Date) => void;
}

/**
 * One check: its `requires` first, when it has one; if that finds nothing (0, false, no rows) the
 * check passes saying why it had nothing to check, without running its own SQL.
 */
async function runCheck(item: Step, engine: Engine, params: Readonly<Record<string, ParamValue>>, signal: AbortSignal): Promise<StepOutcome> {
  if (item.requires) {
    const first = await runStep({ engine, step: { ...item, queries: [item.requires.query], destructive: false, requires: undefined }, params, signal });
    if (first.status !== 'done') return first;
    const value = first.queries[0]?.result.rows[0]?.[0];
    if (value === undefined || value === null || value === false || value === 0 || value === '0') {
      return { ...first, notices: [...first.notices, item.requires.otherwise] };
    }
  }
  return runStep({ engine, step: item, params, signal });
}

/**
 * Connects, then runs every item, `concurrencyOf(engine)` at a time. Results come back in the
 * runbook's order; `onResult` fires as each finishes. Once the connection is known bad (it could
 * not be made, or a check failed because of it) nothing else can be known: every check not yet
 * run is reported at once as not run, and why.
 */
export async function runChecklist(options: ChecklistOptions): Promise<CheckResult[]> {
  const { runbook, engine, params, signal } = options;
  const items = runbook.checklist;
  const results: CheckResult[] = new Array(items.length);
  const finish = (i: number, outcome: StepOutcome, startedAt: Date, run: Parameters<typeof judge>[4]) => {
    const item = items[i]!;
    results[i] = judge(item, outcome, params, engine, run);
    options.onResult?.(results[i]!, item, outcome, startedAt);
  };
  const notRunAll = (why: string) => {
    items.forEach((_, i) => {
      if (!results[i]) finish(i, { status: 'skipped', queries: [], elapsedMs: 0, notices: [`not run: ${why}`] }, new Date(), { notRun: 'connection' });
    });
  };

  const connectAt = new Date();
  const connectStart = performance.now();
  // The first check stands for the connection: it is shown running while the connection is made.
  if (items[0]) options.onStart?.(items[0]);
  try {
    await engine.connect(signal);
  } catch (error) {
    if (items.length === 0) return [];
    const message = `could not connect: ${error instanceof Error ? error.message : String(error)}`;
    const hint = (error as { hint?: string }).hint;
    finish(0, { status: 'failed', queries: [], elapsedMs: 0, notices: [], error: { message, hint, connectionFault: true } }, connectAt, { wallMs: performance.now() - connectStart });
    notRunAll('no connection');
    return results;
  }
  let next = 0;
  let broken: string | undefined;
  const worker = async () => {
    while (next < items.length && !signal.aborted && !broken) {
      const i = next++;
      const item = items[i]!;
      if (i > 0) options.onStart?.(item);
      const startedAt = new Date();
      const started = performance.now();
      const outcome = await runCheck(item, engine, params, signal);
      if (outcome.error?.connectionFault) broken ??= item.id;
      finish(i, outcome, startedAt, { wallMs: performance.now() - started });
    }
  };
  const width = Math.min(options.concurrency ?? concurrencyOf(engine), Math.max(1, items.length));
  await Promise.all(Array.from({ length: width }, worker));
  if (broken) {
    notRunAll(`the connection failed during '${broken}'`);
    return results.filter(Boolean);
  }
  // Then whether restore could run at all, where the engine can tell (the local engine can).
  const startedAt = new Date();
  const readiness = signal.aborted ? undefined : await restoreReadiness(runbook, engine, params, signal);
  if (readiness) {
    const item = restoreReadyItem(runbook);
    results.push(judge(item, readiness, params, engine));
    options.onResult?.(results.at(-1)!, item, readiness, startedAt);
  }
  return results.filter(Boolean);
}

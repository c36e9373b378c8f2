/**
 * The pre-demo checklist: each item of the runbook's `checklist`, run and judged pass/fail, side by
 * side where the engine can run statements concurrently. Every failure carries a fix.
 */
import { runStep, type StepOutcome } from '../core/runner.js';
import type { Engine } from '../engine/types.js';
import { formatDuration } from '../format/numbers.js';
import { sqlFor, type Runbook, type Step } from '../runbook/model.js';
import { renderTemplate, type ParamValue } from '../runbook/sql.js';
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
}

/**
 * How many statements an engine runs at once. An engine says so with a `concurrency` property
 * (DuckDB opens a connection per statement; a single Snowflake session may not); without one, one.
 */
export function concurrencyOf(engine: Engine): number {
  const n = engine.concurrency;
  return typeof n === 'number' && n >= 1 ? Math.floor(n) : 1;
}

/** The item's fix with its `{{ param }}` placeholders filled in (typed values only, as in SQL). */
function renderFix(fix: string | undefined, params: Readonly<Record<string, ParamValue>>): string | undefined {
  if (!fix) return undefined;
  const rendered = renderTemplate(fix, 'fix', params);
  return rendered.issues.length ? fix : rendered.sql;
}

export function judge(item: Step, outcome: StepOutcome, params: Readonly<Record<string, ParamValue>> = {}, engine?: Engine): CheckResult {
  const expectations = outcome.queries.flatMap((q) => q.expectations.map((e) => ({ description: e.description, ok: e.ok, message: e.message })));
  // Key order is the JSON document's: identity and verdict first.
  const base = {
    id: item.id,
    title: item.title,
    status: 'pass' as CheckStatus,
    elapsedMs: outcome.elapsedMs,
    budgetMs: item.budgetMs,
    expectations,
    queryIds: outcome.queries.map((q) => q.result.queryId).filter((id): id is string => Boolean(id)),
  };
  if (outcome.status === 'skipped') return { ...base, status: 'skip', message: outcome.notices[0] };
  const sqlFile = item.queries[0] ? sqlFor(item.queries[0], engine?.kind ?? 'snowflake').file : undefined;
  const fallbackFix = `Run the check's SQL${sqlFile ? ` (${sqlFile})` : ''} by hand to see the figures.`;
  const fix = renderFix(item.fix, params) ?? outcome.error?.hint ?? fallbackFix;
  if (outcome.status !== 'done') {
    const message = outcome.status === 'cancelled' ? 'cancelled' : (outcome.error?.message ?? outcome.status);
    return { ...base, status: 'fail', message, fix: outcome.error?.hint && item.fix ? `${fix} (${outcome.error.hint})` : fix, where: outcome.error?.where };
  }
  if (item.budgetMs !== undefined && outcome.elapsedMs > item.budgetMs) {
    return { ...base, status: 'fail', message: `took ${formatDuration(outcome.elapsedMs)}, over its budget of ${formatDuration(item.budgetMs)}`, fix };
  }
  return { ...base, status: 'pass' };
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
 * Connects, then runs every item, `concurrencyOf(engine)` at a time. Results come back in the
 * runbook's order; `onResult` fires as each finishes. A failed connection fails the first item
 * (with the engine's hint) and skips the rest: nothing else can be known without it.
 */
export async function runChecklist(options: ChecklistOptions): Promise<CheckResult[]> {
  const { runbook, engine, params, signal } = options;
  const items = runbook.checklist;
  const results: CheckResult[] = new Array(items.length);
  try {
    await engine.connect(signal);
  } catch (error) {
    const message = `could not connect: ${error instanceof Error ? error.message : String(error)}`;
    const hint = (error as { hint?: string }).hint;
    items.forEach((item, i) => {
      const outcome: StepOutcome = i === 0
        ? { status: 'failed', queries: [], elapsedMs: 0, notices: [], error: { message, hint } }
        : { status: 'skipped', queries: [], elapsedMs: 0, notices: ['not run: no connection'] };
      results[i] = judge(item, outcome, params, engine);
      options.onResult?.(results[i]!, item, outcome, new Date());
    });
    return results;
  }
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal.aborted) {
      const i = next++;
      const item = items[i]!;
      options.onStart?.(item);
      const startedAt = new Date();
      const outcome = await runStep({ engine, step: item, params, signal });
      results[i] = judge(item, outcome, params, engine);
      options.onResult?.(results[i]!, item, outcome, startedAt);
    }
  };
  const width = Math.min(options.concurrency ?? concurrencyOf(engine), Math.max(1, items.length));
  await Promise.all(Array.from({ length: width }, worker));
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

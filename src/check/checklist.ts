/** The pre-demo checklist: each item of the runbook's `checklist`, run and judged pass/fail. */
import { runStep, type StepOutcome } from '../core/runner.js';
import type { Engine } from '../engine/types.js';
import { formatDuration } from '../format/numbers.js';
import type { Runbook, Step } from '../runbook/model.js';
import type { ParamValue } from '../runbook/sql.js';

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  elapsedMs: number;
  /** Why it failed or was skipped. */
  message?: string;
  /** How to fix it. */
  fix?: string;
}

export function judge(item: Step, outcome: StepOutcome): CheckResult {
  const base = { id: item.id, title: item.title, elapsedMs: outcome.elapsedMs };
  if (outcome.status === 'skipped') return { ...base, status: 'skip', message: outcome.notices[0] };
  if (outcome.status !== 'done') {
    return { ...base, status: 'fail', message: outcome.error?.message ?? outcome.status, fix: item.fix ?? outcome.error?.hint };
  }
  if (item.budgetMs !== undefined && outcome.elapsedMs > item.budgetMs) {
    return {
      ...base,
      status: 'fail',
      message: `took ${formatDuration(outcome.elapsedMs)}, over its budget of ${formatDuration(item.budgetMs)}`,
      fix: item.fix,
    };
  }
  return { ...base, status: 'pass' };
}

export async function runChecklist(options: {
  runbook: Runbook;
  engine: Engine;
  params: Readonly<Record<string, ParamValue>>;
  signal: AbortSignal;
  onResult?: (result: CheckResult) => void;
}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const item of options.runbook.checklist) {
    if (options.signal.aborted) break;
    const outcome = await runStep({ engine: options.engine, step: item, params: options.params, signal: options.signal });
    const result = judge(item, outcome);
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}

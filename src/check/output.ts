/**
 * How `demo check` reports: lines of text (the plain output and the live list share them), and
 * the `--json` document described by check-result.schema.json (keep the two in step).
 */
import { SOURCE_LABELS, engineSource } from '../core/sources.js';
import type { EngineKind } from '../engine/types.js';
import { formatDuration } from '../format/numbers.js';
import { safeText } from '../format/safe-text.js';
import type { CheckResult, CheckStatus } from './checklist.js';

export const CHECK_FORMAT = 'demo-check/1';

export const MARKS: Record<CheckStatus, string> = { pass: '✓', fail: '✗', skip: '–' };

/** "✓ title (1.2 s)", then the reason and the fix on their own lines. */
export function checkLines(result: CheckResult): string[] {
  const budget = result.budgetMs !== undefined ? ` of ${formatDuration(result.budgetMs)} budget` : '';
  const time = result.status === 'skip' ? '' : `  (${formatDuration(result.elapsedMs)}${budget})`;
  const lines = [`${MARKS[result.status]} ${result.title}${time}`];
  if (result.status === 'fail') {
    // Engines' messages may span lines (DuckDB's "Did you mean …"): one line each in the list.
    lines.push(`    ${(result.message ?? 'failed').replace(/\s*\n\s*/g, ' ')}${result.where ? ` at ${result.where}` : ''}`);
    lines.push(`    fix: ${result.fix}`);
    lines.push(`    check: ${result.id}`);
  } else if (result.message) lines.push(`    ${result.message}`);
  // Messages come from servers and runbooks: nothing in them may act on the terminal.
  return lines.map(safeText);
}

export function summaryLine(results: readonly CheckResult[]): string {
  const failed = results.filter((r) => r.status === 'fail');
  const skipped = results.filter((r) => r.status === 'skip');
  const count = (why: CheckResult['notRun']) => skipped.filter((r) => r.notRun === why).length;
  const reasons = [
    count('connection') && `${count('connection')} not run: the connection failed`,
    count('engine') && `${count('engine')} not run on this engine`,
  ].filter(Boolean);
  const skip = reasons.length ? ` (${reasons.join('; ')})` : '';
  return failed.length === 0
    ? `All ${results.length - skipped.length} checks passed${skip}.`
    : `${failed.length} of ${results.length} checks failed: ${failed.map((r) => r.id).join(', ')}${skip}.`;
}

export interface CheckDocument {
  format: typeof CHECK_FORMAT;
  runbook: { title: string; file: string };
  engine: EngineKind;
  /** LIVE, LOCAL or REHEARSAL: where the figures behind the verdicts came from. */
  source: string;
  startedAt: string;
  elapsedMs: number;
  ok: boolean;
  counts: Record<CheckStatus, number>;
  /** The recording this check run wrote, by id (real engines only). */
  recording: string | null;
  checks: CheckResult[];
}

export function checkDocument(options: {
  runbook: { title: string; file: string };
  engine: EngineKind;
  startedAt: Date;
  elapsedMs: number;
  results: CheckResult[];
  recording?: string;
  /** The engine's scrub: a document may be shared, so it names no account, user, host or file of the connection. */
  scrub?: (text: string) => string;
}): CheckDocument {
  const counts = { pass: 0, fail: 0, skip: 0 };
  for (const r of options.results) counts[r.status]++;
  const scrub = options.scrub ?? ((text: string) => text);
  const checks = options.results.map((r) => ({
    ...r,
    ...(r.message !== undefined ? { message: scrub(r.message) } : {}),
    ...(r.fix !== undefined ? { fix: scrub(r.fix) } : {}),
    expectations: r.expectations.map((e) => (e.message !== undefined ? { ...e, message: scrub(e.message) } : e)),
  }));
  return {
    format: CHECK_FORMAT,
    runbook: options.runbook,
    engine: options.engine,
    source: SOURCE_LABELS[engineSource(options.engine)],
    startedAt: options.startedAt.toISOString(),
    elapsedMs: Math.round(options.elapsedMs),
    ok: counts.fail === 0,
    counts,
    recording: options.recording ?? null,
    checks,
  };
}

/**
 * The comparison table's "ours" column: filled only from what this run measured. A claim from the
 * runbook is shown as a claim; a missing measurement says so rather than borrowing a number.
 */
import { formatDuration, formatGBP } from '../format/numbers.js';
import type { Comparison } from '../runbook/schema.js';
import type { StepOutcome } from './runner.js';
import { SOURCE_LABELS } from './sources.js';

export interface ComparisonCell {
  text: string;
  kind: 'measured' | 'estimate' | 'claim' | 'missing';
  /** Where a measured value came from (LIVE, LOCAL, REHEARSAL, RECORDED). */
  source?: string;
  /** The measured time, when the cell is one: drawn as a bar beside the claims. */
  ms?: number;
}

/** Credits per hour by warehouse size (Gen1), for the labelled estimate. */
const CREDITS_PER_HOUR: Record<string, number> = {
  XSMALL: 1, 'X-SMALL': 1, SMALL: 2, MEDIUM: 4, LARGE: 8, XLARGE: 16, 'X-LARGE': 16, XXLARGE: 32, '2X-LARGE': 32,
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function oursCell(
  row: Comparison['rows'][number],
  outcomes: Readonly<Record<string, StepOutcome | undefined>>,
  params: Readonly<Record<string, string | number>>,
): ComparisonCell {
  if (!row.measure) return row.ours ? { text: row.ours.value, kind: 'claim' } : { text: '—', kind: 'missing' };
  const outcome = row.from ? outcomes[row.from] : undefined;
  if (outcome?.status === 'skipped') return { text: 'not measured on this engine', kind: 'missing' };
  if (!outcome || outcome.status !== 'done' || outcome.queries.length === 0) {
    return { text: `not measured yet${row.from ? ` (run '${row.from}')` : ''}`, kind: 'missing' };
  }
  const source = SOURCE_LABELS[outcome.queries[0]!.result.source];
  switch (row.measure) {
    case 'scale-time':
      return { text: formatDuration(outcome.elapsedMs), kind: 'measured', source, ms: outcome.elapsedMs };
    case 'median-benchmark': {
      const ms = median(outcome.queries.map((q) => q.result.elapsedMs));
      return { text: `${formatDuration(ms)} median`, kind: 'measured', source, ms };
    }
    case 'auto-suspend': {
      // The query that reads the setting back, whichever of the step's queries it is.
      const result = outcome.queries.find((q) => q.result.columns.some((c) => /AUTO_SUSPEND/i.test(c.name)))?.result;
      const i = result ? result.columns.findIndex((c) => /AUTO_SUSPEND/i.test(c.name)) : -1;
      const value = i >= 0 ? result!.rows[0]?.[i] : undefined;
      if (value === undefined || value === null || !Number.isFinite(Number(value))) return { text: 'not measured (no AUTO_SUSPEND column)', kind: 'missing' };
      // The warehouse's own setting, read back this run: compute stops costing once it suspends.
      return { text: `${formatGBP(0)} compute idle: suspends after ${formatDuration(Number(value) * 1000)}`, kind: 'measured', source };
    }
    case 'credits-estimate': {
      // Credits are Snowflake's: a time measured on DuckDB says nothing about them.
      if (outcome.queries[0]!.result.source === 'local') return { text: 'no credits on the local engine', kind: 'missing' };
      const size = String(outcome.queries.at(-1)?.result.server?.warehouseSize ?? params.scale_size ?? '').toUpperCase();
      const rate = CREDITS_PER_HOUR[size];
      if (!rate) return { text: 'no estimate (warehouse size unknown)', kind: 'missing' };
      const credits = (rate * outcome.elapsedMs) / 3_600_000;
      return { text: `≈ ${credits.toFixed(2)} credits (estimate: ${size} × ${formatDuration(outcome.elapsedMs)})`, kind: 'estimate', source };
    }
  }
}

const UNIT_MS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * A claim such as "4-6 hours", "20 minutes" or "90 seconds" as a range in ms, for a bar beside a
 * measured time; undefined for anything vaguer ("Minutes", "Still charging").
 */
export function claimRangeMs(text: string): { low: number; high: number } | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:[-–]\s*(\d+(?:\.\d+)?))?\s*(second|minute|hour|day)s?\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = UNIT_MS[match[3]!.toLowerCase()]!;
  const low = Number(match[1]) * unit;
  const high = (match[2] !== undefined ? Number(match[2]) : Number(match[1])) * unit;
  return high >= low ? { low, high } : undefined;
}

/**
 * The comparison table's "ours" column: filled only from what this run measured, each figure with
 * the engine that measured it. A claim from the runbook is shown as a claim; a missing measurement
 * says so rather than borrowing a number; a figure measured at one scale is never set against a
 * claim made at another without saying so (the two are compared in rows/s, or not drawn together).
 */
import type { EngineKind, ResultOrigin } from '../engine/types.js';
import { formatDuration, formatGBP, formatRate, formatShort } from '../format/numbers.js';
import type { Comparison } from '../runbook/schema.js';
import { renderText } from '../runbook/text.js';
import { evaluate } from './expect.js';
import type { StepOutcome } from './runner.js';
import { originLabel, originOf, SOURCE_LABELS } from './sources.js';

type Params = Readonly<Record<string, string | number>>;
type Row = Comparison['rows'][number];

export interface ComparisonCell {
  text: string;
  kind: 'measured' | 'estimate' | 'claim' | 'missing';
  /** Where a measured value came from (LIVE, LOCAL, REHEARSAL · mock, RECORDED). */
  source?: string;
  /** Which engine measured it, at what scale: a rehearsal or the fallback may replay another's figures. */
  origin?: ResultOrigin;
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

/** What the comparison may know of the show's steps: how to name one, whether it runs on this engine. */
export interface StepsInfo {
  /** e.g. "step 6", for "not measured yet (run step 6)"; by default the step's id. */
  name?: (id: string) => string;
  runsHere?: (id: string) => boolean;
}

export function oursCell(row: Row, outcomes: Readonly<Record<string, StepOutcome | undefined>>, params: Params, steps: StepsInfo = {}): ComparisonCell {
  if (!row.measure) return row.ours ? { text: row.ours.value, kind: 'claim' } : { text: '—', kind: 'missing' };
  const outcome = row.from ? outcomes[row.from] : undefined;
  if (outcome?.status === 'skipped' || (row.from && steps.runsHere?.(row.from) === false)) return { text: 'not measured on this engine', kind: 'missing' };
  const stepName = steps.name ?? ((id: string) => `'${id}'`);
  if (!outcome || outcome.status !== 'done' || outcome.queries.length === 0) {
    return { text: `not measured yet${row.from ? ` (run ${stepName(row.from)})` : ''}`, kind: 'missing' };
  }
  const first = outcome.queries[0]!.result;
  const origin = originOf(outcome.queries.at(-1)!.result);
  // The source label alone: which engine measured it is the column's title, or said in the cell.
  const measured = { kind: 'measured' as const, source: SOURCE_LABELS[first.source], origin };
  switch (row.measure) {
    case 'step-time':
      return { ...measured, text: formatDuration(outcome.elapsedMs), ms: outcome.elapsedMs };
    case 'median-benchmark': {
      const ms = median(outcome.queries.map((q) => q.result.elapsedMs));
      return { ...measured, text: `${formatDuration(ms)} median`, ms };
    }
    case 'auto-suspend': {
      // The query that reads the setting back, whichever of the step's queries it is.
      const result = outcome.queries.find((q) => q.result.columns.some((c) => /AUTO_SUSPEND/i.test(c.name)))?.result;
      const i = result ? result.columns.findIndex((c) => /AUTO_SUSPEND/i.test(c.name)) : -1;
      const value = i >= 0 ? result!.rows[0]?.[i] : undefined;
      if (value === undefined || value === null || !Number.isFinite(Number(value))) return { text: 'not measured (no AUTO_SUSPEND column)', kind: 'missing' };
      // The warehouse's own setting, read back this run: compute stops costing once it suspends.
      return { ...measured, text: `${formatGBP(0)} compute idle: suspends after ${formatDuration(Number(value) * 1000)}` };
    }
    case 'credits-estimate': {
      // Credits are Snowflake's: a time measured on DuckDB, or a mock, says nothing about them.
      if (origin.engine !== 'snowflake') return { text: `no credits: measured on ${origin.engine === 'local' ? 'DuckDB' : 'a mock'}`, kind: 'missing' };
      // A recording's estimate needs the size Snowflake reported; a live run may fall back on the size
      // the runbook says the step runs on (`warehouse_size`, e.g. "{{ scale_size }}").
      const intended = row.warehouse_size && !origin.recordedAt ? renderText(row.warehouse_size, { params, engine: 'snowflake' }) : '';
      const size = String(origin.warehouseSize ?? intended).trim().toUpperCase();
      const rate = CREDITS_PER_HOUR[size];
      if (!rate) return { text: 'no estimate (warehouse size unknown)', kind: 'missing' };
      const credits = (rate * outcome.elapsedMs) / 3_600_000;
      return { ...measured, kind: 'estimate', text: `≈ ${credits.toFixed(2)} credits (estimate: ${size} × ${formatDuration(outcome.elapsedMs)})` };
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

const perSecond = (rows: number, ms: number) => formatShort(Math.round((rows * 1000) / ms));

/** Our column's title when nothing is measured yet: the engine that will measure it. */
function engineTitle(engine: EngineKind): string {
  return engine === 'local' ? 'DuckDB on this machine' : engine === 'snowflake' ? 'Snowflake (this run)' : 'rehearsal';
}

export interface ComparisonBar {
  row: number;
  title: string;
  /** Who measured our figure, for the bar's label. */
  label: string;
  /** Longer is better for a rate, shorter for a time. */
  unit: 'time' | 'rate';
  ours: { value: number; text: string };
  claims: Array<{ name: string; low: number; high: number; text: string }>;
}

export interface ComparisonView {
  /** Who measured our column ("DuckDB on this machine", "Snowflake LARGE", "recorded … on DuckDB", "mock …"). */
  oursTitle: string;
  cells: ComparisonCell[];
  /** Set when the claims were made at another scale than our figures: both, in words. */
  scale?: { ours: string; claims: string };
  bars: ComparisonBar[];
  /** Measured times that are not drawn against claims made at another scale, and why. */
  notDrawn: string[];
}

/** The scale of a set of params in words: the runbook's `scale` sentence, else the params that differ. */
function scaleWords(comparison: Comparison, params: Params, engine: EngineKind, differing: readonly string[]): string {
  if (comparison.scale) return renderText(comparison.scale, { params, engine });
  return differing.map((k) => `${k} ${params[k]}`).join(', ');
}

/** The table, its title and the scale of what is set side by side, for the screen, plain text and the report. */
export function comparisonView(
  comparison: Comparison,
  outcomes: Readonly<Record<string, StepOutcome | undefined>>,
  params: Params,
  engine: EngineKind,
  steps: StepsInfo = {},
): ComparisonView {
  const cells = comparison.rows.map((row) => oursCell(row, outcomes, params, steps));
  const labels = [...new Set(cells.flatMap((c) => (c.origin ? [originLabel(c.origin)] : [])))];
  const oursTitle = labels.length === 1 ? labels[0]! : labels.length === 0 ? engineTitle(engine) : 'several sources (each figure says which)';

  // The params our figures were measured at: a replayed recording's own, else this run's.
  const measuredParams = { ...params, ...(cells.find((c) => c.origin?.params)?.origin?.params ?? {}) };
  const claimParams = { ...measuredParams, ...(comparison.claims_at ?? {}) };
  const differing = Object.keys(comparison.claims_at ?? {}).filter((k) => String(claimParams[k]) !== String(measuredParams[k]));
  const scale = differing.length
    ? { ours: scaleWords(comparison, measuredParams, engine, differing), claims: scaleWords(comparison, claimParams, engine, differing) }
    : undefined;

  const bars: ComparisonBar[] = [];
  const notDrawn: string[] = [];
  comparison.rows.forEach((row, r) => {
    const cell = cells[r]!;
    if (cell.ms === undefined) return;
    const claims = comparison.competitors
      .map((name) => ({ name, text: row.others[name]?.value ?? '', range: claimRangeMs(row.others[name]?.value ?? '') }))
      .filter((c): c is { name: string; text: string; range: { low: number; high: number } } => c.range !== undefined);
    if (claims.length === 0) return;
    if (!scale) {
      bars.push({
        row: r,
        label: cell.origin ? originLabel(cell.origin) : oursTitle,
        title: `${row.feature} — time, shorter is better`,
        unit: 'time',
        ours: { value: cell.ms, text: cell.text },
        claims: claims.map((c) => ({ name: c.name, low: c.range.low, high: c.range.high, text: `“${c.text}” claim` })),
      });
      return;
    }
    const ourRows = row.work ? Number(evaluate(row.work, measuredParams)) : NaN;
    const claimRows = row.work ? Number(evaluate(row.work, claimParams)) : NaN;
    if (!(ourRows > 0) || !(claimRows > 0) || !(cell.ms > 0)) {
      notDrawn.push(`${row.feature}: measured at ${scale.ours}, claimed at ${scale.claims}; not drawn side by side`);
      return;
    }
    bars.push({
      row: r,
      label: cell.origin ? originLabel(cell.origin) : oursTitle,
      title: `${row.feature} — rows per second, each at its own scale; longer is better`,
      unit: 'rate',
      ours: { value: (ourRows * 1000) / cell.ms, text: `${formatRate(ourRows, cell.ms)} (${cell.text} for ${scale.ours})` },
      claims: claims.map((c) => ({
        name: c.name,
        low: (claimRows * 1000) / c.range.high,
        high: (claimRows * 1000) / c.range.low,
        text: `${perSecond(claimRows, c.range.high)}–${formatRate(claimRows, c.range.low)} (“${c.text}” claimed for ${scale.claims})`,
      })),
    });
  });
  // Mixed origins: each figure names its own.
  if (labels.length > 1) for (const cell of cells) if (cell.origin) cell.text = `${cell.text} (${originLabel(cell.origin)})`;
  return { oursTitle, cells, scale, bars, notDrawn };
}

/**
 * A step's result as a list of one-row elements, so the screen can window it to any height:
 * tables, layer counts with bars, benchmark timings, the runbook's layers as a diagram.
 */
import { Text } from 'ink';
import React, { type ReactNode } from 'react';
import type { QueryOutcome, StepOutcome } from '../../core/runner.js';
import { sourceTag } from '../../core/sources.js';
import type { Column, StatementResult } from '../../engine/types.js';
import { formatCell, formatCount, formatDuration, formatShort } from '../../format/numbers.js';
import type { Layer } from '../../runbook/model.js';
import type { Display } from '../../runbook/schema.js';
import { clip, oneLine } from '../text.js';
import { color, namedColor } from '../theme.js';

export type Line = ReactNode;

function line(key: string, content: ReactNode): Line {
  return (
    <Text key={key} wrap="truncate">
      {content}
    </Text>
  );
}

/** A horizontal bar of up to `width` cells for `value` out of `max` (at least one cell when above 0). */
export function bar(value: number, max: number, width: number): string {
  if (max <= 0 || width <= 0 || !Number.isFinite(value)) return '';
  const cells = Math.max(value > 0 ? 1 : 0, Math.round((value / max) * width));
  return '█'.repeat(Math.min(width, cells));
}

/** Aligned table: numbers right-aligned, columns shrunk to fit the width. */
export function tableLines(key: string, columns: readonly Column[], rows: StatementResult['rows'], width: number): Line[] {
  if (columns.length === 0) return [];
  const names = columns.map((c) => oneLine(c.name));
  const cells = rows.map((row) => columns.map((c, i) => oneLine(formatCell(row[i] ?? null, c.name))));
  const natural = names.map((n, i) => Math.max(n.length, ...cells.map((r) => r[i]!.length)));
  const gap = 2;
  const budget = width - gap * (columns.length - 1);
  const widths = [...natural];
  // Shrink the widest column until the table fits; numbers are the last to give way.
  while (widths.reduce((a, b) => a + b, 0) > budget && Math.max(...widths) > 4) {
    const widest = widths.indexOf(Math.max(...widths));
    widths[widest] = widths[widest]! - 1;
  }
  const fit = (text: string, i: number) => {
    const clipped = clip(text, widths[i]!);
    return columns[i]!.type === 'number' ? clipped.padStart(widths[i]!) : clipped.padEnd(widths[i]!);
  };
  const sep = ' '.repeat(gap);
  const out: Line[] = [
    line(`${key}-h`, <Text bold color={color('accent')}>{names.map(fit).join(sep)}</Text>),
    line(`${key}-u`, <Text color={color('muted')}>{widths.map((w) => '─'.repeat(w)).join(sep)}</Text>),
  ];
  cells.forEach((row, r) => out.push(line(`${key}-${r}`, row.map(fit).join(sep))));
  return out;
}

function truncatedNote(key: string, result: StatementResult): Line[] {
  return result.truncated
    ? [line(`${key}-t`, <Text color={color('muted')}>… first {formatCount(result.rows.length)} of {formatCount(result.rowCount)} rows</Text>)]
    : [];
}

interface LayerRow {
  layer: string;
  object: string;
  count: number;
}

/** Rows shaped LAYER, OBJECT, ROW_COUNT (or OBJECT, …COUNT…), when the result has that shape. */
export function layerRows(result: StatementResult | undefined): LayerRow[] | undefined {
  if (!result) return undefined;
  const names = result.columns.map((c) => c.name.toUpperCase());
  const countIndex = names.findIndex((n) => n.includes('COUNT'));
  const objectIndex = names.indexOf('OBJECT');
  const layerIndex = names.indexOf('LAYER');
  if (countIndex < 0 || (objectIndex < 0 && layerIndex < 0)) return undefined;
  return result.rows.map((r) => ({
    layer: oneLine(String(r[layerIndex] ?? '')),
    object: oneLine(String(r[objectIndex >= 0 ? objectIndex : 0] ?? '')),
    count: Number(r[countIndex] ?? 0),
  }));
}

/** A layer's colour, as the runbook's `layers:` gives it (none for a layer it does not name). */
function layerColor(layers: readonly Layer[], name: string) {
  return namedColor(layers.find((l) => l.name === name)?.color);
}

/** Counts per layer as bars, each layer in its colour, each count with its check mark. */
function layerCountLines(key: string, query: QueryOutcome, width: number, layers: readonly Layer[]): Line[] {
  const rows = layerRows(query.result);
  if (!rows) return tableLines(key, query.result.columns, query.result.rows, width);
  const max = Math.max(...rows.map((r) => r.count), 1);
  const label = Math.min(32, Math.max(...rows.map((r) => `${r.layer} ${r.object}`.length)));
  const figures = Math.max(...rows.map((r) => `${formatCount(r.count)} (${formatShort(r.count)})`.length));
  const barWidth = Math.max(0, width - label - figures - 7);
  return rows.map((r, i) => {
    const check = query.expectations.find((e) => e.description.startsWith(`${r.object}.`));
    return line(
      `${key}-${i}`,
      <>
        <Text color={layerColor(layers, r.layer)}>{clip(`${r.layer} ${r.object}`, label).padEnd(label)}</Text>
        {'  '}
        <Text bold>{`${formatCount(r.count)} (${formatShort(r.count)})`.padStart(figures)}</Text>
        {'  '}
        <Text color={color('bar')}>{bar(r.count, max, barWidth)}</Text>
        {check ? <Text color={color(check.ok ? 'ok' : 'bad')}>{check.ok ? ' ✓' : ' ✗'}</Text> : null}
      </>,
    );
  });
}

/** Rows of each benchmark answer shown unless every row is asked for. */
export const BENCHMARK_ROWS = 5;

/** Each benchmark query's time as a bar, with its answer underneath (its first rows, or all of them). */
function benchmarkLines(key: string, outcome: StepOutcome, width: number, allRows: boolean, hints: boolean): Line[] {
  const max = Math.max(...outcome.queries.map((q) => q.result.elapsedMs), 1);
  const label = Math.min(Math.max(12, Math.floor(width / 3)), Math.max(...outcome.queries.map((q, i) => oneLine(q.label ?? `query ${i + 1}`).length)));
  const out: Line[] = [];
  outcome.queries.forEach((q, i) => {
    const time = formatDuration(q.result.elapsedMs);
    const server = q.result.server?.executionMs !== undefined ? ` (server ${formatDuration(q.result.server.executionMs)})` : '';
    const tag = ` ${sourceTag(q.result)}`;
    out.push(
      line(
        `${key}-${i}`,
        <>
          <Text bold>{clip(oneLine(q.label ?? `query ${i + 1}`), label).padEnd(label)}</Text>
          {'  '}
          <Text color={color('bar')}>{bar(q.result.elapsedMs, max, Math.max(0, width - label - 12 - server.length - tag.length)).padEnd(Math.max(0, width - label - 12 - server.length - tag.length))}</Text>
          {' '}
          <Text bold color={color('measured')}>{time.padStart(8)}</Text>
          <Text color={color('muted')}>{server}{tag}</Text>
        </>,
      ),
    );
    const shown = allRows ? q.result.rows : q.result.rows.slice(0, BENCHMARK_ROWS);
    out.push(...tableLines(`${key}-${i}-r`, q.result.columns, shown, width - 4).map((l, j) => line(`${key}-${i}-i${j}`, <>{'    '}{l}</>)));
    const hidden = q.result.rowCount - shown.length;
    if (hidden > 0) {
      const more = shown.length < q.result.rows.length ? (hints ? ' (a shows them)' : '') : ' (not fetched)';
      out.push(line(`${key}-${i}-more`, <Text color={color('muted')}>{`    … ${formatCount(hidden)} more row${hidden === 1 ? '' : 's'}${more}`}</Text>));
    }
  });
  return out;
}

/**
 * The runbook's layers, top to bottom, each with the latest counts of its objects from `outcome` (a
 * layer-counts result) when there is one, the words on the arrows between them, and a line saying
 * where those counts came from.
 */
export function architectureLines(outcome: StepOutcome | undefined, width: number, layers: readonly Layer[], origin?: string): Line[] {
  const counts = new Map<string, number>();
  const result = outcome?.queries.find((q) => layerRows(q.result))?.result;
  for (const r of layerRows(result) ?? []) counts.set(r.object, r.count);
  const n = (object: string) => (counts.has(object) ? formatShort(counts.get(object)!) : '…');
  const nameWidth = Math.max(0, ...layers.map((l) => oneLine(l.name).length)) + 3;
  const out: Line[] = [];
  layers.forEach((layer, i) => {
    const objects = layer.objects.map((o) => `${oneLine(o)} ${n(o)}`).join(' · ');
    out.push(line(`arch-${i}`, <Text color={namedColor(layer.color)} bold>{clip(`▣ ${oneLine(layer.name).padEnd(nameWidth)}${objects}`.trimEnd(), width)}</Text>));
    for (const [j, words] of (i < layers.length - 1 ? layer.arrow : []).entries()) {
      out.push(line(`arch-${i}-${j}`, <Text color={color('muted')}>{clip(`    ${j === 0 ? '↓' : ' '}  ${oneLine(words.text)}`, width)}</Text>));
    }
  });
  out.push(
    line(
      'arch-src',
      <Text color={color('muted')}>
        {clip(result ? `counts: ${sourceTag(result)}${origin ? `, ${origin}` : ''}` : 'counts: not measured yet (enter runs the count)', width)}
      </Text>,
    ),
  );
  return out;
}

/** `allRows`: every row held, not the first few; `hints`: false on the audience's screen (no key hints). */
export function resultLines(display: Display, outcome: StepOutcome | undefined, width: number, options: { allRows?: boolean; hints?: boolean; layers?: readonly Layer[] } = {}): Line[] {
  const layers = options.layers ?? [];
  if (display === 'architecture') return architectureLines(outcome, width, layers);
  if (!outcome || display === 'none') return [];
  if (display === 'benchmark') return benchmarkLines('bench', outcome, width, options.allRows ?? false, options.hints ?? true);
  const out: Line[] = [];
  const labelWidth = Math.min(Math.floor(width / 2), Math.max(0, ...outcome.queries.map((q, i) => oneLine(q.label ?? `query ${i + 1}`).length)));
  outcome.queries.forEach((q, i) => {
    // A query of many that answered with one value (a status, a count) takes one row, not four.
    const single = outcome.queries.length > 1 && q.result.columns.length === 1 && q.result.rows.length <= 1 && display === 'table';
    if (single) {
      const value = q.result.rows[0] ? oneLine(formatCell(q.result.rows[0][0] ?? null, q.result.columns[0]!.name)) : '(no rows)';
      out.push(
        line(
          `q${i}-1`,
          <>
            <Text bold>{clip(oneLine(q.label ?? `query ${i + 1}`), labelWidth).padEnd(labelWidth)}</Text>
            <Text color={color('muted')}>{` ${formatDuration(q.result.elapsedMs).padStart(8)} ${sourceTag(q.result)}  `}</Text>
            {value}
          </>,
        ),
      );
      for (const [j, e] of q.expectations.entries()) {
        if (!e.ok) out.push(line(`q${i}-e${j}`, <Text color={color('bad')}>{clip(oneLine(`✗ ${e.description}: ${e.message ?? ''}`), width)}</Text>));
      }
      return;
    }
    if (q.label && outcome.queries.length > 1) {
      out.push(line(`q${i}-l`, <Text bold>{clip(`${oneLine(q.label)} — ${formatDuration(q.result.elapsedMs)} [${sourceTag(q.result)}]`, width)}</Text>));
    }
    out.push(...(display === 'layer-counts' ? layerCountLines(`q${i}`, q, width, layers) : tableLines(`q${i}`, q.result.columns, q.result.rows, width)));
    out.push(...truncatedNote(`q${i}`, q.result));
    for (const [j, e] of q.expectations.entries()) {
      if (!e.ok) out.push(line(`q${i}-e${j}`, <Text color={color('bad')}>{clip(oneLine(`✗ ${e.description}: ${e.message ?? ''}`), width)}</Text>));
    }
  });
  return out;
}

/**
 * A step's result as a list of one-line elements, so the screen can window it to any height:
 * tables, layer counts with bars, benchmark timings, the architecture diagram.
 */
import { Text } from 'ink';
import React, { type ReactNode } from 'react';
import type { QueryOutcome, StepOutcome } from '../../core/runner.js';
import { SOURCE_LABELS } from '../../core/sources.js';
import type { Column, StatementResult } from '../../engine/types.js';
import { formatCell, formatCount, formatDuration, formatShort } from '../../format/numbers.js';
import type { Display } from '../../runbook/schema.js';
import { color } from '../theme.js';

export type Line = ReactNode;

function line(key: string, content: ReactNode): Line {
  return (
    <Text key={key} wrap="truncate">
      {content}
    </Text>
  );
}

/** A horizontal bar of `width` cells for `value` out of `max`. */
export function bar(value: number, max: number, width: number): string {
  if (max <= 0 || width <= 0) return '';
  const cells = Math.max(value > 0 ? 1 : 0, Math.round((value / max) * width));
  return '█'.repeat(Math.min(width, cells));
}

/** Aligned table: numbers right-aligned, columns shrunk to fit the width. */
export function tableLines(key: string, columns: readonly Column[], rows: StatementResult['rows'], width: number): Line[] {
  if (columns.length === 0) return [];
  const cells = rows.map((row) => columns.map((c, i) => formatCell(row[i] ?? null, c.name)));
  const natural = columns.map((c, i) => Math.max(c.name.length, ...cells.map((r) => r[i]!.length)));
  const gap = 2;
  const budget = width - gap * (columns.length - 1);
  const widths = [...natural];
  // Shrink the widest column until the table fits.
  while (widths.reduce((a, b) => a + b, 0) > budget && Math.max(...widths) > 4) {
    const widest = widths.indexOf(Math.max(...widths));
    widths[widest] = widths[widest]! - 1;
  }
  const fit = (text: string, i: number) => {
    const w = widths[i]!;
    const clipped = text.length > w ? `${text.slice(0, Math.max(0, w - 1))}…` : text;
    return columns[i]!.type === 'number' ? clipped.padStart(w) : clipped.padEnd(w);
  };
  const sep = ' '.repeat(gap);
  const out: Line[] = [
    line(`${key}-h`, <Text bold color={color('accent')}>{columns.map((c, i) => fit(c.name, i)).join(sep)}</Text>),
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

function sourceTag(result: StatementResult): string {
  return SOURCE_LABELS[result.source];
}

/** Rows shaped LAYER, OBJECT, ROW_COUNT as bars: the picture of BRONZE → SILVER → GOLD. */
function layerCountLines(key: string, query: QueryOutcome, width: number): Line[] {
  const { result } = query;
  const names = result.columns.map((c) => c.name.toUpperCase());
  const countIndex = names.findIndex((n) => n.includes('COUNT'));
  const objectIndex = names.indexOf('OBJECT');
  const layerIndex = names.indexOf('LAYER');
  if (countIndex < 0) return tableLines(key, result.columns, result.rows, width);
  const rows = result.rows.map((r) => ({
    layer: String(r[layerIndex] ?? ''),
    object: String(r[objectIndex >= 0 ? objectIndex : 0] ?? ''),
    count: Number(r[countIndex] ?? 0),
  }));
  const max = Math.max(...rows.map((r) => r.count), 1);
  const label = Math.max(...rows.map((r) => `${r.layer} ${r.object}`.length));
  const figures = Math.max(...rows.map((r) => `${formatCount(r.count)} (${formatShort(r.count)})`.length));
  const barWidth = Math.max(0, width - label - figures - 6);
  return rows.map((r, i) => {
    const check = query.expectations.find((e) => e.description.startsWith(`${r.object}.`));
    const layerColor = color(r.layer === 'BRONZE' ? 'bronze' : r.layer === 'GOLD' ? 'gold' : 'silver');
    return line(
      `${key}-${i}`,
      <>
        <Text color={layerColor}>{`${r.layer} ${r.object}`.padEnd(label)}</Text>
        {'  '}
        <Text bold>{`${formatCount(r.count)} (${formatShort(r.count)})`.padStart(figures)}</Text>
        {'  '}
        <Text color={color('bar')}>{bar(r.count, max, barWidth)}</Text>
        {check ? <Text color={color(check.ok ? 'ok' : 'bad')}>{check.ok ? ' ✓' : ' ✗'}</Text> : null}
      </>,
    );
  });
}

/** Each benchmark query's time as a bar, with its answer underneath. */
function benchmarkLines(key: string, outcome: StepOutcome, width: number): Line[] {
  const max = Math.max(...outcome.queries.map((q) => q.result.elapsedMs), 1);
  const label = Math.min(48, Math.max(...outcome.queries.map((q) => (q.label ?? '').length)));
  const out: Line[] = [];
  outcome.queries.forEach((q, i) => {
    const time = formatDuration(q.result.elapsedMs);
    const server = q.result.server?.executionMs !== undefined ? ` (server ${formatDuration(q.result.server.executionMs)})` : '';
    out.push(
      line(
        `${key}-${i}`,
        <>
          <Text>{(q.label ?? `query ${i + 1}`).slice(0, label).padEnd(label)}</Text>
          {'  '}
          <Text bold color={color('measured')}>{time.padStart(8)}</Text>
          <Text color={color('muted')}>{server}</Text>
          {'  '}
          <Text color={color('bar')}>{bar(q.result.elapsedMs, max, Math.max(0, width - label - 12 - server.length))}</Text>
        </>,
      ),
    );
    out.push(...tableLines(`${key}-${i}-r`, q.result.columns, q.result.rows.slice(0, 5), width - 4).map((l, j) => line(`${key}-${i}-i${j}`, <>{'    '}{l}</>)));
  });
  return out;
}

/** BRONZE → dynamic tables → SILVER → views → GOLD, with counts when the step measured them. */
function architectureLines(key: string, outcome: StepOutcome | undefined): Line[] {
  const counts = new Map<string, number>();
  const result = outcome?.queries[0]?.result;
  if (result) {
    const names = result.columns.map((c) => c.name.toUpperCase());
    const o = names.indexOf('OBJECT');
    const c = names.findIndex((n) => n.includes('COUNT'));
    if (o >= 0 && c >= 0) for (const row of result.rows) counts.set(String(row[o]), Number(row[c]));
  }
  const n = (object: string) => (counts.has(object) ? formatShort(counts.get(object)!) : '…');
  const rows: Array<[string, ReactNode]> = [
    ['b', <Text color={color('bronze')} bold>{`📦 BRONZE   RAW_PATIENTS ${n('RAW_PATIENTS')} · RAW_PRESCRIPTIONS ${n('RAW_PRESCRIPTIONS')}`}</Text>],
    ['b1', <Text color={color('muted')}>{'      ↓  dynamic tables (TARGET_LAG 1 minute): quality rules, flatten JSON'}</Text>],
    ['s', <Text color={color('silver')} bold>{`📊 SILVER   PATIENTS ${n('PATIENTS')} · PRESCRIPTIONS ${n('PRESCRIPTIONS')}`}</Text>],
    ['s1', <Text color={color('muted')}>{'      ↓  views: joins, aggregations, business logic'}</Text>],
    ['g', <Text color={color('gold')} bold>{`💎 GOLD     V_PATIENT_360 ${n('V_PATIENT_360')}`}</Text>],
  ];
  return rows.map(([k, content]) => line(`${key}-${k}`, content));
}

export function resultLines(display: Display, outcome: StepOutcome | undefined, width: number): Line[] {
  if (display === 'architecture') {
    const lines = architectureLines('arch', outcome);
    if (outcome?.queries[0]) lines.push(line('arch-src', <Text color={color('muted')}>counts: {sourceTag(outcome.queries[0].result)}</Text>));
    return lines;
  }
  if (!outcome || display === 'none') return [];
  if (display === 'benchmark') return benchmarkLines('bench', outcome, width);
  const out: Line[] = [];
  outcome.queries.forEach((q, i) => {
    if (q.label && outcome.queries.length > 1) {
      out.push(line(`q${i}-l`, <Text bold>{`${q.label} — ${formatDuration(q.result.elapsedMs)} [${sourceTag(q.result)}]`}</Text>));
    }
    out.push(...(display === 'layer-counts' ? layerCountLines(`q${i}`, q, width) : tableLines(`q${i}`, q.result.columns, q.result.rows, width)));
    out.push(...truncatedNote(`q${i}`, q.result));
    for (const [j, e] of q.expectations.entries()) {
      if (!e.ok) out.push(line(`q${i}-e${j}`, <Text color={color('bad')}>✗ {e.description}: {e.message}</Text>));
    }
  });
  return out;
}

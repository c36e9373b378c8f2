/**
 * The comparison: our column from this run's measurements, the others as the runbook's claims with
 * their sources. Measured values are bold (green), claims italic grey in quotes, so the two never
 * look alike, with or without colour; a time measured here is drawn against the claimed times.
 */
import { Text } from 'ink';
import React from 'react';
import { comparisonView, type ComparisonCell, type StepsInfo } from '../../core/comparison.js';
import type { StepOutcome } from '../../core/runner.js';
import type { EngineKind } from '../../engine/types.js';
import type { Comparison } from '../../runbook/schema.js';
import { clip, oneLine, wrap } from '../text.js';
import { color } from '../theme.js';
import type { Line } from './ResultLines.js';

function kindColor(cell: ComparisonCell) {
  return color(cell.kind === 'measured' ? 'measured' : cell.kind === 'estimate' ? 'warn' : cell.kind === 'missing' ? 'muted' : 'claim');
}

export function comparisonLines(
  comparison: Comparison,
  outcomes: Readonly<Record<string, StepOutcome | undefined>>,
  params: Readonly<Record<string, string | number>>,
  width: number,
  engine: EngineKind,
  steps: StepsInfo = {},
): Line[] {
  const view = comparisonView(comparison, outcomes, params, engine, steps);
  const ours = view.cells;
  // Every distinct claim source gets a footnote number, listed under the table.
  const sources: string[] = [];
  const note = (source?: string) => {
    if (!source) return '';
    if (!sources.includes(source)) sources.push(source);
    return ` [${sources.indexOf(source) + 1}]`;
  };
  const claimText = (value: string, source?: string) => `“${oneLine(value)}”${note(source)}`;
  const oursText = (cell: ComparisonCell) =>
    cell.kind === 'claim' ? claimText(cell.text) : `${cell.text}${cell.source ? ` · ${cell.source}` : ''}`;
  const headers = ['', view.oursTitle, ...comparison.competitors];
  const body = comparison.rows.map((row, i) => [
    oneLine(row.feature),
    oursText(ours[i]!),
    ...comparison.competitors.map((c) => (row.others[c] ? claimText(row.others[c].value, row.others[c].source) : '—')),
  ]);

  // Column widths: natural, then the widest column gives way until the table fits; cells wrap.
  const gap = 2;
  const widths = headers.map((h, c) => Math.max(h.length, ...body.map((r) => r[c]!.length)));
  const budget = Math.max(headers.length * 6, width - gap * (headers.length - 1));
  while (widths.reduce((a, b) => a + b, 0) > budget) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= 6) break;
    widths[widest] = widths[widest]! - 1;
  }
  const sep = ' '.repeat(gap);
  const lines: Line[] = [];
  // Figures and claims at different scales: both scales first, before any figure is read.
  if (view.scale) {
    lines.push(
      ...wrap(`Scale: our figures ${view.scale.ours}; the others' claims ${view.scale.claims}.`, width).map((piece, i) => (
        <Text key={`scale${i}`} color={color('warn')} wrap="truncate">
          {piece}
        </Text>
      )),
    );
  }
  lines.push(
    <Text key="h" bold color={color('accent')} wrap="truncate">
      {headers.map((h, c) => clip(h, widths[c]!).padEnd(widths[c]!)).join(sep)}
    </Text>,
  );
  body.forEach((row, r) => {
    const cells = row.map((text, c) => wrap(text, widths[c]!));
    const height = Math.max(...cells.map((c) => c.length));
    for (let k = 0; k < height; k++) {
      const piece = (c: number) => (cells[c]![k] ?? '').padEnd(widths[c]!);
      const cell = ours[r]!;
      lines.push(
        <Text key={`r${r}-${k}`} wrap="truncate">
          <Text bold>{piece(0)}</Text>
          {sep}
          <Text color={kindColor(cell)} bold={cell.kind === 'measured'} italic={cell.kind !== 'measured'}>
            {piece(1)}
          </Text>
          {sep}
          <Text color={color('claim')} italic>
            {comparison.competitors.map((_, c) => piece(c + 2)).join(sep)}
          </Text>
        </Text>,
      );
    }
  });

  lines.push(<Text key="legend-gap"> </Text>);
  lines.push(
    <Text key="legend" wrap="truncate">
      <Text color={color('measured')} bold>
        {`bold: ${view.oursTitle}`}
      </Text>
      <Text color={color('muted')}> · </Text>
      <Text color={color('warn')} italic>
        estimate
      </Text>
      <Text color={color('muted')}> · </Text>
      <Text color={color('claim')} italic>
        “quoted”: a claim, not measured here
      </Text>
    </Text>,
  );

  // Bars: wherever we measured a time and the others claim one, at one scale (time) or in rows/s.
  for (const b of view.bars) {
    const label = Math.min(40, Math.max(b.label.length, ...comparison.competitors.map((c) => c.length)));
    const max = Math.max(b.ours.value, ...b.claims.map((c) => c.high));
    const cell = ours[b.row]!;
    const oursNote = ` ${cell.origin?.engine === 'mock' ? 'mock' : 'measured'}${cell.source ? ` · ${cell.source}` : ''}`;
    // The bars take what the words leave: the figures are read, the bars only compared.
    const words = Math.max(b.ours.text.length + oursNote.length, ...b.claims.map((c) => oneLine(c.text).length));
    const barWidth = Math.max(4, width - label - 3 - words);
    const cells = (value: number) => Math.max(value > 0 ? 1 : 0, Math.round((value / max) * barWidth));
    lines.push(<Text key={`b${b.row}`}> </Text>);
    lines.push(
      <Text key={`b${b.row}-t`} bold wrap="truncate">
        {clip(oneLine(b.title), width)}
      </Text>,
    );
    lines.push(
      <Text key={`b${b.row}-o`} wrap="truncate">
        {clip(b.label, label).padEnd(label)}{'  '}
        <Text color={color('measured')}>{'█'.repeat(cells(b.ours.value))}</Text>{' '}
        <Text color={color('measured')} bold>
          {b.ours.text}
        </Text>
        <Text color={color('muted')}>{oursNote}</Text>
      </Text>,
    );
    for (const c of b.claims) {
      const low = cells(c.low);
      const high = Math.max(low, cells(c.high));
      lines.push(
        <Text key={`b${b.row}-${c.name}`} wrap="truncate">
          {clip(oneLine(c.name), label).padEnd(label)}{'  '}
          <Text color={color('claim')}>
            {'░'.repeat(low)}
            {'▒'.repeat(high - low)}
          </Text>{' '}
          <Text color={color('claim')} italic>
            {oneLine(c.text)}
          </Text>
        </Text>,
      );
    }
  }
  view.notDrawn.forEach((text, i) =>
    lines.push(
      <Text key={`nd${i}`} color={color('muted')} wrap="truncate">
        {clip(oneLine(text), width)}
      </Text>,
    ),
  );

  if (sources.length > 0) lines.push(<Text key="src-gap"> </Text>);
  sources.forEach((s, i) =>
    lines.push(
      <Text key={`s${i}`} color={color('muted')} wrap="truncate">
        [{i + 1}] source: {oneLine(s)}
      </Text>,
    ),
  );
  return lines;
}

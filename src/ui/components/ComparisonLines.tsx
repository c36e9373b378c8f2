/** The comparison: our column from this run's measurements, the others as the runbook's claims. */
import { Text } from 'ink';
import React from 'react';
import { oursCell, type ComparisonCell } from '../../core/comparison.js';
import type { StepOutcome } from '../../core/runner.js';
import type { Comparison } from '../../runbook/schema.js';
import { color } from '../theme.js';
import type { Line } from './ResultLines.js';

function cellText(cell: ComparisonCell): string {
  return cell.source ? `${cell.text} [${cell.source}]` : cell.text;
}

export function comparisonLines(
  comparison: Comparison,
  outcomes: Readonly<Record<string, StepOutcome | undefined>>,
  params: Readonly<Record<string, string | number>>,
  width: number,
): Line[] {
  const ours = comparison.rows.map((row) => oursCell(row, outcomes, params));
  const headers = ['', 'Snowflake (this run)', ...comparison.competitors];
  const body = comparison.rows.map((row, i) => [row.feature, cellText(ours[i]!), ...comparison.competitors.map((c) => row.others[c]?.value ?? '—')]);
  const widths = headers.map((h, c) => Math.max(h.length, ...body.map((r) => r[c]!.length)));
  const budget = width - 2 * (headers.length - 1);
  while (widths.reduce((a, b) => a + b, 0) > budget && Math.max(...widths) > 8) {
    const widest = widths.indexOf(Math.max(...widths));
    widths[widest] = widths[widest]! - 1;
  }
  const fit = (text: string, c: number) => (text.length > widths[c]! ? `${text.slice(0, widths[c]! - 1)}…` : text.padEnd(widths[c]!));
  const kindColor = (cell: ComparisonCell) =>
    color(cell.kind === 'measured' ? 'measured' : cell.kind === 'estimate' ? 'warn' : cell.kind === 'missing' ? 'muted' : 'claim');
  const lines: Line[] = [
    <Text key="h" bold color={color('accent')} wrap="truncate">
      {headers.map(fit).join('  ')}
    </Text>,
  ];
  body.forEach((row, i) => {
    const cell = ours[i]!;
    lines.push(
      <Text key={`r${i}`} wrap="truncate">
        <Text bold>{fit(row[0]!, 0)}</Text>
        {'  '}
        <Text color={kindColor(cell)} bold={cell.kind === 'measured'} italic={cell.kind !== 'measured'}>
          {fit(row[1]!, 1)}
        </Text>
        {'  '}
        <Text color={color('claim')} italic>
          {row.slice(2).map((t, k) => fit(t, k + 2)).join('  ')}
        </Text>
      </Text>,
    );
  });
  const sources = [...new Set(comparison.rows.flatMap((r) => Object.values(r.others).map((o) => o.source).filter(Boolean)))];
  lines.push(<Text key="gap"> </Text>);
  lines.push(
    <Text key="legend" color={color('muted')} wrap="truncate">
      bold green: measured in this run · yellow: estimate · italic grey: claims, not measured here
    </Text>,
  );
  sources.forEach((s, i) =>
    lines.push(
      <Text key={`s${i}`} color={color('muted')} wrap="truncate">
        source: {s}
      </Text>,
    ),
  );
  return lines;
}

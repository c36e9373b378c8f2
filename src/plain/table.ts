/** Results as aligned plain text: numbers right-aligned, counts with separators, money in £. */
import type { Column, StatementResult } from '../engine/types.js';
import { formatCell, formatCount } from '../format/numbers.js';

export function textTable(columns: readonly Column[], rows: ReadonlyArray<ReadonlyArray<unknown>>, indent = '  '): string[] {
  if (columns.length === 0) return [];
  const cells = rows.map((row) => columns.map((c, i) => formatCell((row[i] ?? null) as never, c.name)));
  const widths = columns.map((c, i) => Math.max(c.name.length, ...cells.map((r) => r[i]!.length)));
  const align = (text: string, i: number) => (columns[i]!.type === 'number' ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const lines = [columns.map((c, i) => align(c.name, i)).join('  '), widths.map((w) => '─'.repeat(w)).join('  ')];
  for (const row of cells) lines.push(row.map(align).join('  '));
  return lines.map((l) => `${indent}${l.trimEnd()}`);
}

export function resultLines(result: StatementResult, indent = '  '): string[] {
  const lines = textTable(result.columns, result.rows, indent);
  if (result.truncated) lines.push(`${indent}… first ${formatCount(result.rows.length)} of ${formatCount(result.rowCount)} rows`);
  return lines;
}

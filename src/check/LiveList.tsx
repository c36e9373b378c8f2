/**
 * `demo check` in a terminal: every check listed at once, each ticking as it finishes (they finish
 * in any order when they run side by side). Rendered inline, not full-screen: the final list stays
 * in the scrollback.
 */
import { Box, render, Text } from 'ink';
import React, { useSyncExternalStore } from 'react';
import { safeText } from '../format/safe-text.js';
import { color, type ThemeColor } from '../ui/theme.js';
import type { CheckResult } from './checklist.js';
import { checkLines } from './output.js';

type Row = { id: string; title: string; state: 'pending' | 'running' | 'done'; result?: CheckResult };

/** The list's state, fed by the checklist's callbacks; the component subscribes to it. */
export class CheckBoard {
  private rows: Row[];
  private summary?: string;
  private readonly listeners = new Set<() => void>();
  private snapshot: { rows: Row[]; summary?: string };

  constructor(items: readonly { id: string; title: string }[]) {
    this.rows = items.map((i) => ({ id: i.id, title: i.title, state: 'pending' }));
    this.snapshot = { rows: this.rows };
  }

  start(id: string): void {
    this.update(id, (row) => ({ ...row, state: 'running' }));
  }

  finish(result: CheckResult): void {
    this.update(result.id, (row) => ({ ...row, state: 'done', result }));
  }

  done(summary: string): void {
    this.summary = summary;
    this.emit();
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get = () => this.snapshot;

  private update(id: string, change: (row: Row) => Row): void {
    this.rows = this.rows.map((row) => (row.id === id ? change(row) : row));
    this.emit();
  }

  private emit(): void {
    this.snapshot = { rows: this.rows, summary: this.summary };
    for (const listener of this.listeners) listener();
  }
}

const TONE: Record<string, ThemeColor> = { pass: 'ok', fail: 'bad', skip: 'muted' };

export function LiveList({ board, heading }: { board: CheckBoard; heading: string }) {
  const { rows, summary } = useSyncExternalStore(board.subscribe, board.get);
  return (
    <Box flexDirection="column">
      <Text color={color('title')}>{safeText(heading)}</Text>
      {rows.map((row) => {
        if (!row.result) {
          return (
            <Text key={row.id} color={color('muted')}>
              {row.state === 'running' ? '… ' : '  '}
              {safeText(row.title)}
              {row.state === 'running' ? '  (running)' : ''}
            </Text>
          );
        }
        const [first, ...rest] = checkLines(row.result);
        return (
          <Box key={row.id} flexDirection="column">
            <Text color={color(TONE[row.result.status]!)}>{first}</Text>
            {rest.map((line, i) => (
              <Text key={i} color={line.trimStart().startsWith('fix:') ? color('warn') : color('muted')}>
                {line}
              </Text>
            ))}
          </Box>
        );
      })}
      {summary ? <Text>{summary}</Text> : null}
    </Box>
  );
}

/** Shows the live list until `board.done` is called and `finished` resolves. */
export async function showLiveList(board: CheckBoard, heading: string, finished: Promise<unknown>): Promise<void> {
  const instance = render(<LiveList board={board} heading={heading} />, { exitOnCtrlC: false, patchConsole: false });
  try {
    await finished;
  } finally {
    // Let the last update paint before Ink lets go of the terminal.
    await new Promise((resolve) => setTimeout(resolve, 20));
    instance.unmount();
    await instance.waitUntilExit();
  }
}

import { Box, Text } from 'ink';
import React from 'react';
import { runningStepId, runOf, type WalkState } from '../../core/walkthrough.js';
import { formatDuration } from '../../format/numbers.js';
import { useNow } from '../hooks/clock.js';
import { SPIN, spun } from './Spinner.js';
import { stepById, type ShowInfo } from '../show.js';
import { clip, oneLine } from '../text.js';
import { color } from '../theme.js';
import { bar } from './ResultLines.js';

/** How long a message holds the status line before a running step's progress shows again. */
export const MESSAGE_MS = 4000;

/**
 * Elapsed against the last recorded run's time: "▕███░░░▏ 3 m 12 s of 19 m 42 s (last run) · ETA 16 m",
 * or "3 m 12 s · no estimate" when no run was recorded.
 */
export function progressText(elapsedMs: number, expectedMs: number | undefined, barWidth: number, bare = false): { bar: string; text: string; over: boolean } {
  if (!expectedMs) return { bar: '', text: bare ? formatDuration(elapsedMs) : `${formatDuration(elapsedMs)} · no estimate`, over: false };
  const over = elapsedMs > expectedMs;
  const filled = bar(Math.min(elapsedMs, expectedMs), expectedMs, barWidth);
  const shown = barWidth > 0 ? `▕${filled}${'░'.repeat(Math.max(0, barWidth - filled.length))}▏ ` : '';
  const tail = over ? `over by ${formatDuration(elapsedMs - expectedMs)}` : `ETA ${formatDuration(expectedMs - elapsedMs)}`;
  return { bar: shown, text: `${formatDuration(elapsedMs)} of ${formatDuration(expectedMs)} (last run) · ${tail}`, over };
}

/**
 * One row, on every screen: what is running (the presenter may have moved on while the scale works),
 * its statement, the engine's state and query id, and how far along it is; otherwise a message.
 */
export function StatusLine({
  show,
  state,
  message,
  more,
  width,
  expectedMs,
  audience = false,
}: {
  show: ShowInfo;
  state: WalkState;
  message?: { text: string; at: number };
  more?: string;
  width: number;
  expectedMs: (stepId: string) => number | undefined;
  /** The room's screen: elapsed time only, no estimate it could run over. */
  audience?: boolean;
}) {
  const expected = audience ? () => undefined : expectedMs;
  const now = useNow();
  const id = runningStepId(state);
  const moreText = more ? ` ${more}` : '';
  const room = Math.max(0, width - moreText.length);
  let content: React.ReactNode;
  // A fresh message (the answer to a key) holds the row for a moment, then the running step is back.
  const showMessage = message && (!id || now - message.at < MESSAGE_MS);
  if (showMessage) {
    content = (
      <Text color={color('warn')} wrap="truncate">
        {clip(oneLine(message.text), room)}
      </Text>
    );
  } else if (id) {
    const run = runOf(state, id);
    const title = oneLine(stepById(show, id)?.title ?? id);
    const statement = run.statement && run.statement.count > 1 ? `${run.statement.index + 1}/${run.statement.count}${run.statement.label ? ` ${oneLine(run.statement.label)}` : ''}` : '';
    const engineState = run.progress ? `${oneLine(run.progress.state)}${run.progress.queryId ? ` ${oneLine(run.progress.queryId)}` : ''}` : '';
    const elapsed = now - (run.startedAt ?? now);
    const head = `${SPIN} ${run.cancelRequested ? 'cancelling ' : ''}`;
    const details = [statement, engineState].filter(Boolean).join(' · ');
    // The bar only where it leaves the words room: what runs and its state matter more.
    const wanted = head.length + Math.min(24, title.length) + (details ? details.length + 3 : 0);
    const withBar = progressText(elapsed, expected(id), room >= 110 ? 16 : 8, audience);
    const progress = room - withBar.bar.length - withBar.text.length - 1 >= wanted ? withBar : progressText(elapsed, expected(id), 0, audience);
    const right = ` ${progress.bar}${progress.text}`;
    // The title gives way first (down to a stub), then the statement and the engine's state.
    const leftRoom = Math.max(0, room - right.length);
    const titleRoom = Math.max(Math.min(12, title.length), leftRoom - head.length - details.length - 3);
    const left = clip(`${head}${clip(title, titleRoom)}${details ? ` · ${details}` : ''}`, leftRoom);
    content = (
      <Text wrap="truncate">
        <Text color={run.cancelRequested ? color('warn') : color('accent')}>{spun(left.padEnd(Math.max(0, room - right.length)))}</Text>
        <Text color={color('bar')}>{clip(` ${progress.bar}`, room)}</Text>
        <Text color={progress.over ? color('warn') : undefined}>{clip(progress.text, Math.max(0, room - 1 - progress.bar.length))}</Text>
      </Text>
    );
  } else content = <Text> </Text>;
  return (
    <Box width={width} height={1}>
      <Box width={room} height={1}>
        {content}
      </Box>
      {moreText ? <Text color={color('muted')}>{moreText}</Text> : null}
    </Box>
  );
}

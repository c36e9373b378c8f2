import { Box, Text } from 'ink';
import React from 'react';
import type { WalkState } from '../../core/walkthrough.js';
import { ENGINE_BADGES, type ConnectionState } from '../../engine/types.js';
import { formatClock, formatTimeOfDay } from '../../format/numbers.js';
import { useNow } from '../hooks/clock.js';
import type { EngineInfo, ShowInfo } from '../show.js';
import { clip, oneLine } from '../text.js';
import { badgeColors, color, type ThemeColor } from '../theme.js';
import { timerColor } from './StepHeading.js';

/** How the engine's connection stands, in words and a colour, whatever the engine. */
export function connectionLabel(state: ConnectionState): { text: string; tone: ThemeColor } {
  switch (state.status) {
    case 'connecting':
      return { text: state.url ? '◌ connecting: finish the login in your browser' : '◌ connecting…', tone: 'warn' };
    case 'connected':
      return { text: `● connected as ${state.detail}`, tone: 'ok' };
    case 'failed':
      return { text: `✗ not connected: ${state.reason}`, tone: 'bad' };
  }
}

/**
 * Two rows: the engine badge that cannot be mistaken, the title, step n of N, the talk's elapsed
 * time against its planned length and the time of day; then a rule that carries the connection's
 * state (live engines: connecting, connected as whom, or why not) and the engine's note (e.g. which
 * recorded run a rehearsal replays), so no figure's origin is ever in doubt.
 */
export function Header({ show, state, engine, width, audience = false }: { show: ShowInfo; state: WalkState; engine: EngineInfo; width: number; audience?: boolean }) {
  const now = useNow();
  const elapsed = now - state.startedAt;
  const planned = show.durationMs;
  const badge = ` ${ENGINE_BADGES[engine.kind]} `;
  const step = `Step ${state.current + 1}/${state.stepIds.length}`;
  const talk = `${formatClock(elapsed)}${planned ? ` / ${formatClock(planned)}` : ''}${planned && elapsed > planned ? ' over' : ''}`;
  // Narrow screens drop the time of day first, then "Step n/N"; the title takes what is left. The
  // room (--audience) sees neither the talk's clock nor whether it runs over.
  const candidates = audience ? [`${step} · ${formatTimeOfDay(now)}`, step] : [`${step} · ${talk} · ${formatTimeOfDay(now)}`, `${step} · ${talk}`, talk];
  const right = candidates.find((c) => badge.length + c.length + 3 <= width) ?? candidates.at(-1)!;
  const titleWidth = Math.max(0, width - badge.length - right.length - 2);
  const connection = engine.connection ? connectionLabel(engine.connection) : undefined;
  const conn = connection ? ` ${clip(oneLine(connection.text), Math.max(0, width - 6))} ` : '';
  const noteRoom = Math.max(0, width - 6 - (conn ? conn.length + 1 : 0));
  const note = engine.note && noteRoom > 2 ? ` ${clip(oneLine(engine.note), noteRoom)} ` : '';
  const ruled = (conn ? 2 + conn.length : 0) + (note ? 2 + note.length : 0);
  return (
    <Box flexDirection="column" width={width} height={2}>
      <Text wrap="truncate">
        <Text bold {...badgeColors(engine.kind)}>
          {clip(badge, width)}
        </Text>
        <Text> </Text>
        <Text bold color={color('title')}>
          {clip(oneLine(show.title), titleWidth).padEnd(titleWidth)}
        </Text>
        <Text> </Text>
        <Text color={audience ? undefined : timerColor(elapsed, planned)}>{right}</Text>
      </Text>
      <Text wrap="truncate" color={color('muted')}>
        {conn ? (
          <>
            {'──'}
            <Text color={color(connection!.tone)} bold>
              {conn}
            </Text>
          </>
        ) : null}
        {note ? (
          <>
            {'──'}
            <Text color={color('warn')} bold>
              {note}
            </Text>
          </>
        ) : null}
        {'─'.repeat(Math.max(0, width - ruled))}
      </Text>
    </Box>
  );
}

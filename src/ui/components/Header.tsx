import { Box, Text } from 'ink';
import React from 'react';
import type { WalkState } from '../../core/walkthrough.js';
import { ENGINE_BADGES } from '../../engine/types.js';
import { formatClock, formatTimeOfDay } from '../../format/numbers.js';
import { useNow } from '../hooks/clock.js';
import type { EngineInfo, ShowInfo } from '../show.js';
import { clip, oneLine } from '../text.js';
import { badgeColors, color } from '../theme.js';
import { timerColor } from './StepHeading.js';

/**
 * Two rows: the engine badge that cannot be mistaken, the title, step n of N, the talk's elapsed
 * time against its planned length and the time of day; then a rule that carries the engine's note
 * (e.g. which recorded run a rehearsal replays), so no figure's origin is ever in doubt.
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
  const note = engine.note ? ` ${clip(oneLine(engine.note), Math.max(0, width - 6))} ` : '';
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
        {note ? (
          <>
            {'──'}
            <Text color={color('warn')} bold>
              {note}
            </Text>
            {'─'.repeat(Math.max(0, width - 2 - note.length))}
          </>
        ) : (
          '─'.repeat(width)
        )}
      </Text>
    </Box>
  );
}

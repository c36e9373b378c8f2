import { Box, Text } from 'ink';
import React from 'react';
import type { WalkState } from '../../core/walkthrough.js';
import { ENGINE_BADGES, type EngineKind } from '../../engine/types.js';
import { formatClock } from '../../format/numbers.js';
import type { Runbook } from '../../runbook/model.js';
import { useNow } from '../hooks/clock.js';
import { badgeColors, color } from '../theme.js';

/** Title, the engine badge that cannot be mistaken, step n of N, elapsed against the plan, the time. */
export function Header({ runbook, state, engine, width }: { runbook: Runbook; state: WalkState; engine: EngineKind; width: number }) {
  const now = useNow();
  const elapsed = now - state.startedAt;
  const planned = runbook.durationMs;
  const over = planned !== undefined && elapsed > planned;
  const time = new Date(now).toTimeString().slice(0, 5);
  const right = `Step ${state.current + 1}/${state.stepIds.length} · ${formatClock(elapsed)}${planned ? ` / ${formatClock(planned)}` : ''} · ${time}`;
  const badge = ` ${ENGINE_BADGES[engine]} `;
  const titleWidth = Math.max(0, width - badge.length - right.length - 2);
  return (
    <Box width={width}>
      <Text bold {...badgeColors(engine)}>
        {badge}
      </Text>
      <Text> </Text>
      <Box width={titleWidth}>
        <Text bold color={color('title')} wrap="truncate">
          {runbook.title}
        </Text>
      </Box>
      <Box flexGrow={1} />
      <Text color={over ? color('bad') : undefined}>{right}</Text>
    </Box>
  );
}

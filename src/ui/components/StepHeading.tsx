import { Box, Text } from 'ink';
import React from 'react';
import { timeOnStep, type WalkState } from '../../core/walkthrough.js';
import { formatClock } from '../../format/numbers.js';
import type { Step, Talk } from '../../runbook/model.js';
import { useNow } from '../hooks/clock.js';
import { color } from '../theme.js';
import type { Line } from './ResultLines.js';

/** Amber from 80% of the step's target, red once over it. */
export function timerColor(spentMs: number, targetMs: number | undefined) {
  if (!targetMs) return undefined;
  if (spentMs > targetMs) return color('bad');
  if (spentMs >= targetMs * 0.8) return color('warn');
  return color('ok');
}

export function StepHeading({ step, state, width }: { step: Step; state: WalkState; width: number }) {
  const now = useNow();
  const spent = timeOnStep(state, step.id, now);
  const timer = `${formatClock(spent)}${step.targetMs ? ` / ${formatClock(step.targetMs)}` : ''}`;
  return (
    <Box width={width}>
      <Box flexGrow={1} flexShrink={1}>
        <Text bold wrap="truncate">
          {step.title}
          {step.destructive ? <Text color={color('warn')}> [destructive]</Text> : null}
        </Text>
      </Box>
      <Text color={timerColor(spent, step.targetMs)}> {timer}</Text>
    </Box>
  );
}

/** Word-wraps to exact lines so the screen knows its height before Ink lays it out. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
    while (current.length > width) {
      lines.push(current.slice(0, width));
      current = current.slice(width);
    }
  }
  if (current) lines.push(current);
  return lines;
}

/** Talking points, pause cues set apart so the presenter sees them at a glance. */
export function talkLines(talk: readonly Talk[], width: number): Line[] {
  const out: Line[] = [];
  talk.forEach((t, i) => {
    if (t.kind === 'pause') {
      out.push(
        <Text key={`t${i}`} color={color('pause')} bold wrap="truncate">
          {`  ⏸  PAUSE${t.text ? ` — ${t.text}` : ''}`}
        </Text>,
      );
      return;
    }
    wrap(t.text, width - 4).forEach((piece, j) =>
      out.push(
        <Text key={`t${i}-${j}`} wrap="truncate">
          {j === 0 ? '  • ' : '    '}
          {piece}
        </Text>,
      ),
    );
  });
  return out;
}

import { Box, Text } from 'ink';
import React from 'react';
import { runOf, timeOnStep, type WalkState } from '../../core/walkthrough.js';
import { formatClock, formatDuration } from '../../format/numbers.js';
import type { Talk } from '../../runbook/model.js';
import { useNow } from '../hooks/clock.js';
import { SPIN, spun } from './Spinner.js';
import type { StepInfo } from '../show.js';
import { clip, oneLine, wrap } from '../text.js';
import { color } from '../theme.js';
import type { Line } from './ResultLines.js';

/** Amber from 80% of the target, red once over it; no colour when there is no target. */
export function timerColor(spentMs: number, targetMs: number | undefined) {
  if (!targetMs) return undefined;
  if (spentMs > targetMs) return color('bad');
  if (spentMs >= targetMs * 0.8) return color('warn');
  return color('ok');
}

/** The step's own timer against its target; "over" in words too, for a screen without colour. */
export function stepTimer(spentMs: number, targetMs: number | undefined): string {
  return `${formatClock(spentMs)}${targetMs ? ` / ${formatClock(targetMs)}` : ''}${targetMs && spentMs > targetMs ? ' over' : ''}`;
}

/** What the step's last run did, in a few characters: ✓ done 1.4 s, ✗ failed, ⠋ running. */
function runMark(state: WalkState, stepId: string): { text: string; role: 'ok' | 'bad' | 'warn' | 'accent' | 'muted' } | undefined {
  const run = runOf(state, stepId);
  switch (run.status) {
    case 'running':
      return { text: `${SPIN} running`, role: 'accent' };
    case 'done':
      return { text: `✓ done ${formatDuration(run.outcome?.elapsedMs ?? 0)}`, role: 'ok' };
    case 'failed':
      return { text: '✗ failed', role: 'bad' };
    case 'cancelled':
      return { text: '– cancelled', role: 'warn' };
    case 'skipped':
      return { text: '– skipped', role: 'muted' };
    default:
      return undefined;
  }
}

/** One row: "3. Title [destructive]   ✓ done 1.4 s   01:12 / 02:00". */
export function StepHeading({ step, index, state, width, audience = false }: { step: StepInfo; index: number; state: WalkState; width: number; audience?: boolean }) {
  const now = useNow();
  const spent = timeOnStep(state, step.id, now);
  // The room (--audience) does not see the presenter's timer against the step's target.
  const timer = audience ? '' : stepTimer(spent, step.targetMs);
  const mark = runMark(state, step.id);
  const tags = `${step.destructive ? ' [destructive]' : ''}${step.long ? ' [long]' : ''}`;
  const right = `${mark ? `${mark.text}${timer ? '   ' : ''}` : ''}${timer}`;
  const titleWidth = Math.max(0, width - right.length - 1);
  const title = clip(`${index + 1}. ${oneLine(step.title)}`, Math.max(0, titleWidth - (titleWidth > tags.length + 8 ? tags.length : 0)));
  const shownTags = titleWidth > tags.length + 8 ? tags : '';
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate">
        <Text bold>{title}</Text>
        <Text color={color('warn')}>{shownTags}</Text>
        {' '.repeat(Math.max(1, width - title.length - shownTags.length - right.length))}
        {mark ? <Text color={color(mark.role)}>{spun(`${mark.text}${timer ? '   ' : ''}`)}</Text> : null}
        <Text color={timerColor(spent, step.targetMs)} bold={step.targetMs !== undefined && spent > step.targetMs}>
          {timer}
        </Text>
      </Text>
    </Box>
  );
}

/** Talking points as exact rows, pause cues set apart (inverse) so the presenter sees them at a glance. */
export function talkLines(talk: readonly Talk[], width: number): Line[] {
  const out: Line[] = [];
  talk.forEach((t, i) => {
    if (t.kind === 'pause') {
      out.push(
        <Text key={`t${i}`} wrap="truncate">
          {'  '}
          <Text color={color('pause')} bold inverse>
            {clip(` PAUSE${t.text ? ` · ${oneLine(t.text)}` : ''} `, Math.max(0, width - 2))}
          </Text>
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

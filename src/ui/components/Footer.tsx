import { Box, Text } from 'ink';
import React from 'react';
import { runOf, type WalkState } from '../../core/walkthrough.js';
import { firstKey, GLOBAL_KEYS, SHOW_KEYS, type Action } from '../keymap.js';
import type { ShowInfo } from '../show.js';
import { clip, oneLine } from '../text.js';
import { color } from '../theme.js';

/** Hints in screen order; when the row is too narrow the least needed go first (last in this list). */
const PRIORITY: readonly Action[] = ['next', 'run', 'restore', 'help', 'quit', 'fallback', 'previous', 'jump', 'sql'];
const ORDER: readonly Action[] = ['next', 'previous', 'run', 'fallback', 'restore', 'jump', 'sql', 'help', 'quit'];

/** The key hints for a width, from the key map. */
export function hintText(actions: readonly Action[], width: number): string {
  const label = (action: Action) => `${firstKey([...GLOBAL_KEYS, ...SHOW_KEYS], action)} ${action}`;
  let kept = ORDER.filter((a) => actions.includes(a));
  const text = () => kept.map(label).join('  ');
  for (let i = PRIORITY.length - 1; i >= 0 && text().length > width; i--) kept = kept.filter((a) => a !== PRIORITY[i]);
  return text();
}

/** Two rows: the next step's title, always visible, and the main keys (all of them under ?). */
export function Footer({ show, state, width, audience = false }: { show: ShowInfo; state: WalkState; width: number; audience?: boolean }) {
  const next = show.steps[state.current + 1];
  const status = runOf(state, state.stepIds[state.current]!).status;
  // The fallback key is offered wherever it works: after a failure or a cancel.
  const actions = ORDER.filter((a) => a !== 'fallback' || status === 'failed' || status === 'cancelled');
  const label = 'Next: ';
  return (
    <Box flexDirection="column" width={width} height={2}>
      <Text wrap="truncate">
        <Text color={color('muted')}>{label}</Text>
        {next ? (
          <Text bold>{clip(`${state.current + 2}. ${oneLine(next.title)}`, width - label.length)}</Text>
        ) : (
          <Text color={color('muted')}>end of the show (R restores)</Text>
        )}
      </Text>
      <Text color={color('muted')} wrap="truncate">
        {audience ? ' ' : hintText(actions, width)}
      </Text>
    </Box>
  );
}

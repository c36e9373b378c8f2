import { Box, Text } from 'ink';
import React from 'react';
import type { WalkState } from '../../core/walkthrough.js';
import type { Runbook } from '../../runbook/model.js';
import { keyLabel, SHOW_KEYS } from '../keymap.js';
import { color } from '../theme.js';

const HINTS = ['next', 'previous', 'run', 'restore', 'jump', 'sql', 'help', 'quit'] as const;

/** The next step's title, always visible, and the main keys (all of them under ?). */
export function Footer({ runbook, state, width }: { runbook: Runbook; state: WalkState; width: number }) {
  const next = runbook.steps[state.current + 1];
  const hints = HINTS.map((action) => {
    const binding = SHOW_KEYS.find((b) => b.action === action)!;
    const label = action === 'next' || action === 'previous' ? binding.keys[0]! : keyLabel(binding).split(' ')[0]!;
    return `${label} ${action}`;
  }).join('  ');
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">
        <Text color={color('muted')}>Next: </Text>
        {next ? next.title : <Text color={color('muted')}>end of the show (R restores)</Text>}
      </Text>
      <Text color={color('muted')} wrap="truncate">
        {hints}
      </Text>
    </Box>
  );
}

import { Box, Text } from 'ink';
import React from 'react';
import { runningStepId, runOf, type WalkState } from '../../core/walkthrough.js';
import { formatDuration } from '../../format/numbers.js';
import type { Runbook } from '../../runbook/model.js';
import { spinnerFrame, useNow } from '../hooks/clock.js';
import { color } from '../theme.js';

/** What is running, on every screen: the presenter may have moved on while the scale works. */
export function StatusLine({ runbook, state, message, more, width }: { runbook: Runbook; state: WalkState; message?: string; more?: string; width: number }) {
  const now = useNow();
  const id = runningStepId(state);
  let status: React.ReactNode = null;
  if (id) {
    const run = runOf(state, id);
    const step = id === runbook.restore.id ? runbook.restore : runbook.steps.find((s) => s.id === id);
    const statement = run.statement && run.statement.count > 1 ? ` [${run.statement.index + 1}/${run.statement.count}${run.statement.label ? ` ${run.statement.label}` : ''}]` : '';
    const progress = run.progress ? ` ${run.progress.state}${run.progress.queryId ? ` ${run.progress.queryId}` : ''}` : '';
    const elapsed = run.startedAt ? formatDuration(now - run.startedAt) : '';
    status = (
      <Text color={run.cancelRequested ? color('warn') : color('accent')} wrap="truncate">
        {spinnerFrame(now)} {run.cancelRequested ? 'cancelling ' : ''}
        {step?.title ?? id}
        {statement}
        {progress} · {elapsed}
      </Text>
    );
  }
  return (
    <Box width={width}>
      <Box flexGrow={1} flexShrink={1}>
        {status ?? (message ? <Text color={color('warn')} wrap="truncate">{message}</Text> : <Text> </Text>)}
      </Box>
      {more ? <Text color={color('muted')}> {more}</Text> : null}
    </Box>
  );
}

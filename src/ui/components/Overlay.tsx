/** Dialogs drawn over the result area: help, jump list, SQL, confirmations, restore. */
import { Box, Text } from 'ink';
import React from 'react';
import { prepareStep } from '../../core/prepare.js';
import { runOf, type WalkState } from '../../core/walkthrough.js';
import { ENGINE_BADGES, type EngineKind } from '../../engine/types.js';
import { formatDuration } from '../../format/numbers.js';
import type { Runbook, Step } from '../../runbook/model.js';
import type { ParamValue } from '../../runbook/sql.js';
import { spinnerFrame, useNow } from '../hooks/clock.js';
import { CONFIRM_KEYS, keyLabel, LIST_KEYS, SHOW_KEYS } from '../keymap.js';
import { color } from '../theme.js';
import { resultLines } from './ResultLines.js';

export type OverlayState =
  | { kind: 'none' }
  | { kind: 'help'; scroll: number }
  | { kind: 'sql'; scroll: number }
  | { kind: 'jump'; cursor: number }
  | { kind: 'quit' }
  | { kind: 'confirm'; stepId: string }
  | { kind: 'cancel-first'; stepId: string }
  | { kind: 'restore' };

interface Props {
  overlay: OverlayState;
  runbook: Runbook;
  step: Step;
  state: WalkState;
  height: number;
  width: number;
  engine: EngineKind;
  params: Readonly<Record<string, ParamValue>>;
}

function Frame({ title, height, width, children }: { title: string; height: number; width: number; children: React.ReactNode }) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color('accent')} height={height} width={width} paddingX={1} overflow="hidden">
      <Text bold color={color('accent')}>
        {title}
      </Text>
      {children}
    </Box>
  );
}

function windowed<T>(items: readonly T[], offset: number, height: number): T[] {
  return items.slice(Math.min(offset, Math.max(0, items.length - height)), Math.min(offset, Math.max(0, items.length - height)) + height);
}

const confirmHint = CONFIRM_KEYS.map((b) => `${keyLabel(b)}: ${b.description}`).join('   ');

function SqlLine({ text }: { text: string }) {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('--')) return <Text color={color('muted')} wrap="truncate">{text || ' '}</Text>;
  return <Text wrap="truncate">{text || ' '}</Text>;
}

export function Overlay({ overlay, runbook, step, state, height, width, engine, params }: Props) {
  const now = useNow();
  const inner = Math.max(1, height - 3);
  switch (overlay.kind) {
    case 'none':
      return null;
    case 'help': {
      const lines = SHOW_KEYS.map((b) => `${keyLabel(b).padEnd(14)} ${b.description}`);
      return (
        <Frame title="Keys" height={height} width={width}>
          {windowed(lines, overlay.scroll, inner).map((l) => (
            <Text key={l} wrap="truncate">
              {l}
            </Text>
          ))}
        </Frame>
      );
    }
    case 'sql': {
      let lines: string[];
      try {
        lines = prepareStep(step, engine, params).flatMap((s) => [`-- ${s.file}:${s.line}`, ...s.sql.split('\n'), '']);
      } catch (error) {
        lines = [`cannot render the SQL: ${(error as Error).message}`];
      }
      if (lines.length === 0) lines = ['This step runs no SQL.'];
      return (
        <Frame title={`SQL of '${step.id}' (${ENGINE_BADGES[engine]}) — esc closes, ↑↓ scroll`} height={height} width={width}>
          {windowed(lines, overlay.scroll, inner).map((l, i) => (
            <SqlLine key={i} text={l} />
          ))}
        </Frame>
      );
    }
    case 'jump': {
      const start = Math.max(0, Math.min(overlay.cursor - Math.floor(inner / 2), runbook.steps.length - inner));
      return (
        <Frame title={`Jump to a step — ${LIST_KEYS.map((b) => `${keyLabel(b)} ${b.description}`).join(' · ')}`} height={height} width={width}>
          {runbook.steps.slice(start, start + inner).map((s, k) => {
            const i = start + k;
            const status = runOf(state, s.id).status;
            const mark = status === 'done' ? '✓' : status === 'failed' ? '✗' : status === 'running' ? '…' : ' ';
            return (
              <Text key={s.id} inverse={i === overlay.cursor} wrap="truncate">
                {`${mark} ${String(i + 1).padStart(2)}. ${s.title}`}
              </Text>
            );
          })}
        </Frame>
      );
    }
    case 'quit':
      return (
        <Frame title="Quit the show?" height={height} width={width}>
          <Text>Anything still running is cancelled first.</Text>
          <Text color={color('muted')}>{confirmHint}</Text>
        </Frame>
      );
    case 'confirm': {
      const target = overlay.stepId === runbook.restore.id ? runbook.restore : runbook.steps.find((s) => s.id === overlay.stepId)!;
      const attempts = runOf(state, target.id).attempts;
      return (
        <Frame title={`Run '${target.title}'? It is destructive.`} height={height} width={width}>
          <Text>On the {ENGINE_BADGES[engine]} engine it will:</Text>
          {(target.changes.length > 0 ? target.changes : ['change data (the runbook does not say what)']).map((c) => (
            <Text key={c} wrap="truncate">
              {'  - '}
              {c}
            </Text>
          ))}
          {attempts > 0 ? <Text color={color('warn')}>It has already run {attempts} time{attempts > 1 ? 's' : ''} in this show.</Text> : null}
          <Text color={color('muted')}>{confirmHint}</Text>
        </Frame>
      );
    }
    case 'cancel-first':
      return (
        <Frame title="A step is running" height={height} width={width}>
          <Text>'{overlay.stepId}' is still running. Cancel it and go to restore?</Text>
          <Text color={color('muted')}>{confirmHint}</Text>
        </Frame>
      );
    case 'restore': {
      const restore = runbook.restore;
      const run = runOf(state, restore.id);
      const result = run.outcome ? resultLines(restore.display, run.outcome, width - 4) : [];
      return (
        <Frame title={`Restore: ${restore.title}`} height={height} width={width}>
          {run.status === 'idle' || run.status === 'cancelled' ? (
            <>
              <Text>On the {ENGINE_BADGES[engine]} engine, restore will:</Text>
              {restore.changes.map((c) => (
                <Text key={c} wrap="truncate">
                  {'  - '}
                  {c}
                </Text>
              ))}
              <Text color={color('muted')}>{run.status === 'cancelled' ? 'The last restore was cancelled. ' : ''}Run it now? {confirmHint}</Text>
            </>
          ) : null}
          {run.status === 'running' ? (
            <Text color={color('accent')}>
              {spinnerFrame(now)} {run.statement ? `${run.statement.index + 1}/${run.statement.count} ${run.statement.label ?? ''}` : 'starting'}
              {run.progress ? ` · ${run.progress.state}` : ''} · {formatDuration(now - (run.startedAt ?? now))}
            </Text>
          ) : null}
          {run.status === 'done' ? <Text color={color('ok')}>✓ Restored and verified in {formatDuration(run.outcome?.elapsedMs ?? 0)}. esc closes.</Text> : null}
          {run.status === 'failed' ? (
            <Text color={color('bad')} wrap="truncate">
              ✗ Restore failed: {run.outcome?.error?.message}. y tries again, esc closes.
            </Text>
          ) : null}
          {run.status !== 'running' ? windowed(result, 0, Math.max(0, inner - 2)) : null}
        </Frame>
      );
    }
  }
}

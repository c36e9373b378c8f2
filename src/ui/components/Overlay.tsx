/**
 * Dialogs drawn over the talk and result area: help, jump list, SQL, confirmations, restore.
 * Every dialog is a list of one-row lines in a fixed-height frame, scrollable with ↑↓, so a long
 * list of changes is never cut off and never pushes the frame past the terminal's height.
 */
import { Box, Text } from 'ink';
import React, { useMemo } from 'react';
import { changeLines } from '../../core/changes.js';
import { prepareStep, type PreparedStatement } from '../../core/prepare.js';
import type { StepOutcome } from '../../core/runner.js';
import { runningStepId, runOf, type WalkState } from '../../core/walkthrough.js';
import { ENGINE_BADGES, type EngineKind } from '../../engine/types.js';
import { formatDuration } from '../../format/numbers.js';
import type { Runbook, Step } from '../../runbook/model.js';
import type { ParamValue } from '../../runbook/sql.js';
import { spinnerFrame, useNow } from '../hooks/clock.js';
import { CONFIRM_KEYS, HELP_SECTIONS, keyLabel, LIST_KEYS, OVERLAY_KEYS } from '../keymap.js';
import { clip, oneLine, windowOf, wrap } from '../text.js';
import { color } from '../theme.js';
import { resultLines, type Line } from './ResultLines.js';
import { sqlRow, useHighlighter } from './SqlLines.js';
import { progressText } from './StatusLine.js';

export type OverlayState =
  | { kind: 'none' }
  | { kind: 'help'; scroll: number }
  | { kind: 'sql'; scroll: number }
  | { kind: 'jump'; cursor: number }
  | { kind: 'quit'; scroll: number }
  | { kind: 'confirm'; stepId: string; scroll: number }
  | { kind: 'cancel-first'; stepId: string; scroll: number }
  | { kind: 'restore'; scroll: number };

export interface OverlayProps {
  overlay: OverlayState;
  runbook: Runbook;
  step: Step;
  state: WalkState;
  height: number;
  width: number;
  engine: EngineKind;
  params: Readonly<Record<string, ParamValue>>;
  expectedMs: (stepId: string) => number | undefined;
}

const hint = (bindings: typeof CONFIRM_KEYS) =>
  bindings.filter((b) => b.action === 'confirm' || b.action === 'dismiss').map((b) => `${keyLabel(b)}: ${b.description}`).join('   ');
const confirmHint = hint(CONFIRM_KEYS);
const closeHint = `${keyLabel(OVERLAY_KEYS.find((b) => b.action === 'dismiss')!)}: close   ↑↓: scroll`;

function findStep(runbook: Runbook, id: string): Step {
  return id === runbook.restore.id ? runbook.restore : runbook.steps.find((s) => s.id === id)!;
}

/** The dialog's title and its hint row, also sent to the presenter console so it can answer. */
export function overlaySummary(overlay: OverlayState, runbook: Runbook, state: WalkState): { title: string; hint: string } | undefined {
  switch (overlay.kind) {
    case 'none':
      return undefined;
    case 'help':
      return { title: 'Keys', hint: closeHint };
    case 'sql':
      return { title: 'SQL', hint: closeHint };
    case 'jump':
      return { title: 'Jump to a step', hint: LIST_KEYS.map((b) => `${keyLabel(b)} ${b.description}`).join(' · ') };
    case 'quit':
      return { title: 'Quit the show?', hint: confirmHint };
    case 'confirm':
      return { title: `Run '${oneLine(findStep(runbook, overlay.stepId).title)}'? It is destructive.`, hint: confirmHint };
    case 'cancel-first':
      return { title: `'${overlay.stepId}' is running: cancel it and restore?`, hint: confirmHint };
    case 'restore': {
      const run = runOf(state, runbook.restore.id);
      const busy = runningStepId(state);
      if (run.status === 'running') return { title: `Restoring: ${oneLine(runbook.restore.title)}`, hint: 'esc: close (restore goes on)' };
      if (busy) return { title: `Restore: waiting for '${busy}' to stop`, hint: 'esc: close' };
      return { title: `Restore: ${oneLine(runbook.restore.title)}`, hint: run.status === 'done' ? 'esc: close' : confirmHint };
    }
  }
}

/** A statement as one row: "2/6 CREATE OR REPLACE TABLE …" (its query's label is a row above). */
function statementText(s: PreparedStatement): string {
  const sql = oneLine(
    s.sql
      .split('\n')
      .filter((l) => !l.trim().startsWith('--'))
      .join(' '),
  )
    .replace(/\s+/g, ' ')
    .trim();
  return `${s.index + 1}/${s.count} ${sql}`;
}

/** Statements under their query's label, each row keyed `s<index>` so a running one can be found. */
function statementRows(list: readonly PreparedStatement[], mark: (s: PreparedStatement) => { text: string; role?: 'ok' | 'accent' | 'muted' }): Line[] {
  const lines: Line[] = [];
  let label: string | undefined;
  for (const s of list) {
    if (s.label && s.label !== label) lines.push(row(`l${s.index}`, `  ${oneLine(s.label)}`, { bold: true }));
    label = s.label;
    const m = mark(s);
    lines.push(row(`s${s.index}`, `  ${m.text} ${statementText(s)}`, { color: m.role ? color(m.role) : undefined }));
  }
  return lines;
}

/** The part of restore's outcome that verifies: the queries with expectations (all, if none have). */
function verification(outcome: StepOutcome): StepOutcome {
  const checked = outcome.queries.filter((q) => q.expectations.length > 0);
  return checked.length > 0 ? { ...outcome, queries: checked } : outcome;
}

function statementsOf(step: Step, engine: EngineKind, params: Readonly<Record<string, ParamValue>>): PreparedStatement[] | string {
  try {
    return prepareStep(step, engine, params);
  } catch (error) {
    return `cannot render the SQL: ${(error as Error).message}`;
  }
}

const row = (key: string, text: string, props: React.ComponentProps<typeof Text> = {}): Line => (
  <Text key={key} wrap="truncate" {...props}>
    {text || ' '}
  </Text>
);

/** Bullets, word-wrapped to exact rows. */
function bullets(key: string, items: readonly string[], width: number): Line[] {
  return items.flatMap((item, i) => wrap(item, width - 4).map((piece, j) => row(`${key}${i}-${j}`, `${j === 0 ? '  - ' : '    '}${piece}`)));
}

/** The objects read from the step's rendered SQL, then the runbook's own words about them. */
function objectsAndWords(objects: readonly string[], step: Step, width: number): Line[] {
  return [
    row('oh', 'change these objects (read from its SQL, params filled in):', { color: color('muted') }),
    ...bullets('o', objects, width),
    ...(step.changes.length > 0 ? [row('says', 'The runbook says:', { color: color('muted') }), ...bullets('c', step.changes, width)] : []),
  ];
}

function paragraph(key: string, text: string, width: number, props: React.ComponentProps<typeof Text> = {}): Line[] {
  return wrap(text, width).map((piece, j) => row(`${key}-${j}`, piece, props));
}

function Frame({ title, hint, lines, scroll, height, width, pin }: { title: string; hint?: string; lines: Line[]; scroll: number; height: number; width: number; pin?: number }) {
  const inner = Math.max(0, height - 3 - (hint ? 1 : 0));
  // `pin` keeps one line (the running statement, the cursor) in view whatever the scroll says.
  const offset = pin !== undefined ? Math.max(0, pin - Math.floor(inner / 2)) : scroll;
  const { shown, offset: start } = windowOf(lines, offset, inner);
  const position = lines.length > inner ? ` (${start + 1}-${start + shown.length} of ${lines.length} ↑↓)` : '';
  const textWidth = Math.max(0, width - 4);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color('accent')} height={height} width={width} paddingX={1}>
      <Text bold color={color('accent')} wrap="truncate">
        {clip(oneLine(title), Math.max(0, textWidth - position.length))}
        <Text color={color('muted')}>{position}</Text>
      </Text>
      <Box flexDirection="column" height={inner}>
        {shown}
      </Box>
      {hint ? (
        <Text color={color('muted')} wrap="truncate">
          {clip(hint, textWidth)}
        </Text>
      ) : null}
    </Box>
  );
}

export function Overlay({ overlay, runbook, step, state, height, width, engine, params, expectedMs }: OverlayProps) {
  const now = useNow();
  const highlight = useHighlighter();
  // What a confirmation lists: the objects its rendered SQL changes, read from the statements.
  const asking = overlay.kind === 'confirm' ? overlay.stepId : overlay.kind === 'restore' ? runbook.restore.id : undefined;
  const objects = useMemo(() => (asking ? changeLines(findStep(runbook, asking), engine, params) : []), [asking, runbook, engine, params]);
  const textWidth = Math.max(1, width - 4);
  const summary = overlaySummary(overlay, runbook, state);
  if (!summary || height < 3) return null;
  const frame = (lines: Line[], scroll: number, title = summary.title, pin?: number) => (
    <Frame title={title} hint={summary.hint} lines={lines} scroll={scroll} height={height} width={width} pin={pin} />
  );
  switch (overlay.kind) {
    case 'none':
      return null;
    case 'help': {
      const lines: Line[] = [];
      for (const section of HELP_SECTIONS) {
        if (lines.length > 0) lines.push(row(`${section.title}-gap`, ''));
        lines.push(row(section.title, section.title, { bold: true }));
        const keyWidth = Math.max(...section.bindings.map((b) => keyLabel(b).length)) + 2;
        for (const b of section.bindings) lines.push(row(`${section.title}-${b.action}`, `  ${keyLabel(b).padEnd(keyWidth)}${b.description}`));
      }
      return frame(lines, overlay.scroll);
    }
    case 'sql': {
      const statements = statementsOf(step, engine, params);
      let lines: Line[];
      if (typeof statements === 'string') lines = paragraph('err', statements, textWidth, { color: color('bad') });
      else if (statements.length === 0) lines = [row('none', 'This step runs no SQL.')];
      else {
        // One highlighting pass per query file keeps multi-line comments and strings right.
        lines = statements.flatMap((s) => [
          row(`h${s.index}`, `-- ${s.index + 1}/${s.count} ${s.file}:${s.line}${s.label ? ` (${oneLine(s.label)})` : ''}`, { color: color('muted'), italic: true }),
          ...highlight(s.sql).map((segments, i) => sqlRow(`s${s.index}-${i}`, segments)),
          row(`g${s.index}`, ''),
        ]);
      }
      return frame(lines, overlay.scroll, `SQL of '${step.id}' on ${ENGINE_BADGES[engine]}, params filled in`);
    }
    case 'jump': {
      const lines = runbook.steps.map((s, i) => {
        const status = runOf(state, s.id).status;
        const mark = status === 'done' ? '✓' : status === 'failed' ? '✗' : status === 'running' ? spinnerFrame(now) : status === 'cancelled' ? '–' : ' ';
        const here = i === state.current ? ' (here)' : '';
        return row(s.id, `${mark} ${String(i + 1).padStart(2)}. ${oneLine(s.title)}${here}`, { inverse: i === overlay.cursor });
      });
      return frame(lines, 0, summary.title, overlay.cursor);
    }
    case 'quit': {
      const busy = runningStepId(state);
      const lines = [
        ...paragraph('q', busy ? `'${busy}' is still running: quitting cancels it first.` : 'Nothing is running.', textWidth),
        ...paragraph('q2', 'The terminal is restored when the show ends.', textWidth, { color: color('muted') }),
      ];
      return frame(lines, overlay.scroll);
    }
    case 'confirm': {
      const target = findStep(runbook, overlay.stepId);
      const attempts = runOf(state, target.id).attempts;
      const statements = statementsOf(target, engine, params);
      const lines = [
        row('on', `On the ${ENGINE_BADGES[engine]} engine it will:`, { bold: true }),
        ...objectsAndWords(objects, target, textWidth),
        ...(attempts > 0 ? paragraph('again', `It has already run ${attempts} time${attempts > 1 ? 's' : ''} in this show: it will run again.`, textWidth, { color: color('warn') }) : []),
        ...(typeof statements === 'string'
          ? paragraph('err', statements, textWidth, { color: color('bad') })
          : [
              row('st', `${statements.length} statement${statements.length === 1 ? '' : 's'}${target.long ? ', in the background (you may move on)' : ''}:`, { color: color('muted') }),
              ...statementRows(statements, () => ({ text: '', role: 'muted' })),
            ]),
      ];
      return frame(lines, overlay.scroll);
    }
    case 'cancel-first': {
      const run = runOf(state, overlay.stepId);
      const where = run.statement ? ` (statement ${run.statement.index + 1}/${run.statement.count})` : '';
      const lines = [
        ...paragraph('r', `'${oneLine(findStep(runbook, overlay.stepId).title)}' is still running${where}.`, textWidth),
        ...paragraph('q', 'Restore needs the engine to itself. y cancels the running step, then opens restore; nothing is restored until you confirm there.', textWidth),
      ];
      return frame(lines, overlay.scroll);
    }
    case 'restore': {
      const restore = runbook.restore;
      const run = runOf(state, restore.id);
      const statements = statementsOf(restore, engine, params);
      const list = typeof statements === 'string' ? [] : statements;
      // The runner reports the step's cleanup with its own numbering, labelled 'cleanup'.
      const inCleanup = run.status === 'running' && run.statement?.label === 'cleanup';
      const current = run.status === 'running' ? (inCleanup ? list.length : (run.statement?.index ?? 0)) : undefined;
      const head: Line[] = [];
      if (run.status === 'running') {
        const p = progressText(now - (run.startedAt ?? now), expectedMs(restore.id), textWidth >= 70 ? 12 : 0);
        head.push(row('p', `${spinnerFrame(now)} ${p.bar}${p.text}${run.progress ? ` · ${oneLine(run.progress.state)}` : ''}`, { color: color('accent') }));
        if (inCleanup) head.push(row('cl', `${spinnerFrame(now)} cleanup ${run.statement!.index + 1}/${run.statement!.count}`, { color: color('accent') }));
      } else if (run.status === 'done') {
        head.push(row('ok', `✓ Restored and verified in ${formatDuration(run.outcome?.elapsedMs ?? 0)}.`, { color: color('ok'), bold: true }));
      } else {
        head.push(row('on', `On the ${ENGINE_BADGES[engine]} engine, restore will:`, { bold: true }));
        head.push(...objectsAndWords(objects, restore, textWidth));
        if (run.status === 'cancelled') head.push(row('cx', 'The last restore was cancelled: it has not finished.', { color: color('warn') }));
        if (run.status === 'failed') {
          const e = run.outcome?.error;
          head.push(...paragraph('f', `✗ Restore failed: ${e?.message ?? 'unknown error'}${e?.where ? ` at ${e.where}` : ''}. y tries again.`, textWidth, { color: color('bad') }));
        }
      }
      const counts: Line[] =
        run.outcome && run.status !== 'running'
          ? [row('v', run.status === 'done' ? 'Verified counts:' : 'Counts from the last attempt:', { bold: true }), ...resultLines(restore.display, verification(run.outcome), textWidth), row('vgap', '')]
          : [];
      const steps: Line[] = [];
      if (typeof statements === 'string') steps.push(...paragraph('err', statements, textWidth, { color: color('bad') }));
      else {
        steps.push(row('st', `Step by step: ${list.length} statements${restore.cleanup ? ' and a cleanup' : ''}, then the counts are checked`, { color: color('muted') }));
        steps.push(
          ...statementRows(list, (s) => {
            if (current === s.index) return { text: spinnerFrame(now), role: 'accent' };
            if (run.status === 'done' || (current !== undefined && s.index < current)) return { text: '✓', role: 'ok' };
            return { text: ' ', role: 'muted' };
          }),
        );
      }
      // Finished: the verified counts come first; before and during: what it does, step by step.
      const lines = [...head, ...counts, ...steps];
      const pin = current !== undefined && current < list.length ? lines.findIndex((l) => (l as React.ReactElement).key === `s${current}`) : undefined;
      return frame(lines, overlay.scroll, summary.title, pin !== undefined && pin >= 0 ? pin : undefined);
    }
  }
}

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
import { runningStepId, runOf, type StepRun, type WalkState } from '../../core/walkthrough.js';
import { ENGINE_BADGES, type EngineKind } from '../../engine/types.js';
import { formatDuration, formatTimeOfDay } from '../../format/numbers.js';
import type { Runbook, Step } from '../../runbook/model.js';
import type { ParamValue } from '../../runbook/sql.js';
import { useNow } from '../hooks/clock.js';
import { SPIN, spun } from './Spinner.js';
import { CONFIRM_KEYS, firstKey, GLOBAL_KEYS, HELP_SECTIONS, keyLabel, LIST_KEYS, OVERLAY_KEYS } from '../keymap.js';
import { capital, clip, oneLine, windowOf, wrap } from '../text.js';
import { color } from '../theme.js';
import { resultLines, type Line } from './ResultLines.js';
import { sqlRow, useHighlighter } from './SqlLines.js';
import { progressText } from './StatusLine.js';
import { stepLabel } from '../show.js';

export type OverlayState =
  | { kind: 'none' }
  | { kind: 'help'; scroll: number }
  | { kind: 'sql'; scroll: number }
  | { kind: 'jump'; cursor: number }
  | { kind: 'quit'; scroll: number }
  /** `sql`: the statements' SQL shown in full (on request: the room sees the summary first). */
  | { kind: 'confirm'; stepId: string; scroll: number; sql?: boolean }
  | { kind: 'cancel-first'; stepId: string; scroll: number }
  /**
   * Restore: a question until confirmed; then bound to the run it started (`runId`), so what it
   * shows is always that run's. `waiting`: confirmed, starts once the cancelled step has stopped.
   */
  | { kind: 'restore'; scroll: number; runId?: number; waiting?: boolean };

/** How far a dialog can scroll and how many rows a page is: written by the dialog as it is drawn. */
export interface ScrollLimits {
  max: number;
  page: number;
}

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
  /** The projected screen of `--audience`: a one-line summary of a destructive step's changes. */
  audience?: boolean;
  limits?: { current: ScrollLimits };
}

const hint = (bindings: typeof CONFIRM_KEYS) =>
  bindings.filter((b) => b.action === 'confirm' || b.action === 'dismiss').map((b) => `${keyLabel(b)}: ${b.description}`).join('   ');
const confirmHint = hint(CONFIRM_KEYS);
const closeHint = `${keyLabel(OVERLAY_KEYS.find((b) => b.action === 'dismiss')!)}: close   ↑↓ PgUp PgDn: scroll`;
const restoreKey = firstKey(GLOBAL_KEYS, 'restore');


function findStep(runbook: Runbook, id: string): Step {
  return id === runbook.restore.id ? runbook.restore : runbook.steps.find((s) => s.id === id)!;
}

/** The run a restore dialog shows: its own, once confirmed. */
function boundRun(overlay: Extract<OverlayState, { kind: 'restore' }>, runbook: Runbook, state: WalkState): StepRun | undefined {
  const run = runOf(state, runbook.restore.id);
  return overlay.runId !== undefined && run.runId === overlay.runId ? run : undefined;
}

/**
 * The dialog's title and its hint row, and whether it asks something (y answers it). Sent to the
 * presenter console as it is, so the console's summary is always the show's real dialog.
 */
export function overlaySummary(overlay: OverlayState, runbook: Runbook, state: WalkState): { title: string; hint: string; question: boolean } | undefined {
  switch (overlay.kind) {
    case 'none':
      return undefined;
    case 'help':
      return { title: 'Keys', hint: closeHint, question: false };
    case 'sql':
      return { title: 'SQL', hint: closeHint, question: false };
    case 'jump':
      return { title: 'Jump to a step', hint: LIST_KEYS.filter((b) => !['top', 'bottom'].includes(b.action)).map((b) => `${keyLabel(b)} ${b.description}`).join(' · '), question: false };
    case 'quit':
      return { title: 'Quit the show?', hint: confirmHint, question: true };
    case 'confirm':
      return { title: `Run '${oneLine(findStep(runbook, overlay.stepId).title)}'? It is destructive.`, hint: confirmHint, question: true };
    case 'cancel-first':
      return { title: `${capital(stepLabel(runbook, overlay.stepId))} is running: cancel it and restore?`, hint: confirmHint, question: true };
    case 'restore': {
      const title = oneLine(runbook.restore.title);
      const busy = runningStepId(state);
      if (overlay.waiting) return { title: `Restore: waiting for ${busy ? stepLabel(runbook, busy) : 'the cancelled step'} to stop, then restoring`, hint: 'esc: do not restore', question: false };
      const run = boundRun(overlay, runbook, state);
      if (!run) return { title: `Restore: ${title}`, hint: confirmHint, question: true };
      switch (run.status) {
        case 'running':
          return { title: `Restoring: ${title}`, hint: 'esc: close (restore goes on)', question: false };
        case 'done':
          return { title: `Restored: ${title}`, hint: `esc: close   ${restoreKey}: restore again`, question: false };
        default:
          return { title: `Restore ${run.status}: ${title}`, hint: `y: try again   n esc: close`, question: true };
      }
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
    {spun(text) || ' '}
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

/** Statements with their SQL as written (highlighted, line by line, never cut to one row). */
function sqlLines(statements: readonly PreparedStatement[], highlight: ReturnType<typeof useHighlighter>): Line[] {
  // One highlighting pass per statement keeps multi-line comments and strings right.
  return statements.flatMap((s) => [
    row(`h${s.index}`, `-- ${s.index + 1}/${s.count} ${s.file}:${s.line}${s.label ? ` (${oneLine(s.label)})` : ''}`, { color: color('muted'), italic: true }),
    ...highlight(s.sql).map((segments, i) => sqlRow(`s${s.index}-${i}`, segments)),
    row(`g${s.index}`, ''),
  ]);
}

/**
 * A bordered dialog as tall as its content, at most `height`: title, lines (scrolled, or with one
 * line pinned in view), hint. Tells `limits` how far it scrolls and how long a page is.
 */
function Frame({ title, hint, lines, scroll, height, width, pin, limits }: { title: string; hint?: string; lines: Line[]; scroll: number; height: number; width: number; pin?: number; limits?: { current: ScrollLimits } }) {
  const chrome = 3 + (hint ? 1 : 0);
  const inner = Math.max(0, Math.min(height - chrome, lines.length));
  // `pin` keeps one line (the running statement, the cursor) in view whatever the scroll says.
  const offset = pin !== undefined ? Math.max(0, pin - Math.floor(inner / 2)) : scroll;
  const { shown, offset: start } = windowOf(lines, offset, inner);
  if (limits) limits.current = { max: Math.max(0, lines.length - inner), page: Math.max(1, inner - 1) };
  const position = lines.length > inner ? ` (${start + 1}-${start + shown.length} of ${lines.length} ↑↓)` : '';
  const textWidth = Math.max(0, width - 4);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={color('accent')} height={Math.min(height, inner + chrome)} width={width} paddingX={1}>
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

/** What restore does, step by step, each statement ticked off as it finishes. */
function restoreSteps(restore: Step, list: readonly PreparedStatement[], run: StepRun | undefined, current: number | undefined, now: number): Line[] {
  return [
    row('st', `Step by step: ${list.length} statements${restore.cleanup ? ' and a cleanup' : ''}${restore.queries.some((q) => q.expect.length > 0) ? ', then its results are checked' : ''}`, { color: color('muted') }),
    ...statementRows(list, (s) => {
      if (current === s.index) return { text: SPIN, role: 'accent' };
      if (run?.status === 'done' || (current !== undefined && s.index < current)) return { text: '✓', role: 'ok' };
      return { text: ' ', role: 'muted' };
    }),
  ];
}

export function Overlay({ overlay, runbook, step, state, height, width, engine, params, expectedMs, audience = false, limits }: OverlayProps) {
  const now = useNow();
  const highlight = useHighlighter();
  // What a confirmation lists: the objects its rendered SQL changes, read from the statements.
  const asking = overlay.kind === 'confirm' ? overlay.stepId : overlay.kind === 'restore' ? runbook.restore.id : undefined;
  const objects = useMemo(() => (asking ? changeLines(findStep(runbook, asking), engine, params) : []), [asking, runbook, engine, params]);
  const textWidth = Math.max(1, width - 4);
  const summary = overlaySummary(overlay, runbook, state);
  if (!summary || height < 3) return null;
  const frame = (lines: Line[], scroll: number, title = summary.title, pin?: number) => (
    <Frame title={title} hint={summary.hint} lines={lines} scroll={scroll} height={height} width={width} pin={pin} limits={limits} />
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
      else lines = sqlLines(statements, highlight);
      return frame(lines, overlay.scroll, `SQL of ${stepLabel(runbook, step.id)} on ${ENGINE_BADGES[engine]}, params filled in`);
    }
    case 'jump': {
      const lines = runbook.steps.map((s, i) => {
        const status = runOf(state, s.id).status;
        const mark = status === 'done' ? '✓' : status === 'failed' ? '✗' : status === 'running' ? SPIN : status === 'cancelled' ? '–' : ' ';
        const here = i === state.current ? ' (here)' : '';
        return row(s.id, `${mark} ${String(i + 1).padStart(2)}. ${oneLine(s.title)}${here}`, { inverse: i === overlay.cursor });
      });
      return frame(lines, 0, summary.title, overlay.cursor);
    }
    case 'quit': {
      const busy = runningStepId(state);
      const lines = [
        ...paragraph('q', busy ? `${capital(stepLabel(runbook, busy))} ('${oneLine(findStep(runbook, busy).title)}') is still running: quitting cancels it first.` : 'Nothing is running.', textWidth),
        ...paragraph('q2', 'The terminal is restored when the show ends.', textWidth, { color: color('muted') }),
      ];
      return frame(lines, overlay.scroll);
    }
    case 'confirm': {
      const target = findStep(runbook, overlay.stepId);
      const attempts = runOf(state, target.id).attempts;
      const statements = statementsOf(target, engine, params);
      const changes = target.changes.length > 0 ? target.changes : ['change data (the runbook does not say what)'];
      // 1. What it changes, in the runbook's words: the room reads one line, the presenter a list.
      const summaryLines = audience
        ? paragraph('c', `It will: ${changes.map(oneLine).join('; ')}`, textWidth, { bold: true })
        : [row('on', `On the ${ENGINE_BADGES[engine]} engine it will:`, { bold: true }), ...objectsAndWords(objects, target, textWidth)];
      // 2. The SQL itself, in full, on request.
      const count = typeof statements === 'string' ? 0 : statements.length;
      const sqlHint = overlay.sql ? 's hides the SQL' : audience ? 'SQL on request' : 's shows the SQL';
      const lines = [
        ...summaryLines,
        ...(attempts > 0 ? paragraph('again', `It has already run ${attempts} time${attempts > 1 ? 's' : ''} in this show: it will run again.`, textWidth, { color: color('warn') }) : []),
        ...(typeof statements === 'string'
          ? paragraph('err', statements, textWidth, { color: color('bad') })
          : [
              row('st', `${count} statement${count === 1 ? '' : 's'}${target.long ? ', in the background (you may move on)' : ''} · ${sqlHint}`, { color: color('muted') }),
              ...(overlay.sql ? sqlLines(statements, highlight) : []),
            ]),
      ];
      return frame(lines, overlay.scroll);
    }
    case 'cancel-first': {
      const run = runOf(state, overlay.stepId);
      const where = run.statement ? ` (statement ${run.statement.index + 1}/${run.statement.count})` : '';
      const lines = [
        ...paragraph('r', `'${oneLine(findStep(runbook, overlay.stepId).title)}' is still running${where}.`, textWidth),
        ...paragraph('q', 'Restore needs the engine to itself. y cancels the running step and restores the moment it has stopped.', textWidth),
        ...paragraph('q2', `On the ${ENGINE_BADGES[engine]} engine, restore will:`, textWidth, { bold: true }),
        ...bullets('c', runbook.restore.changes, textWidth),
      ];
      return frame(lines, overlay.scroll);
    }
    case 'restore': {
      const restore = runbook.restore;
      const run = boundRun(overlay, runbook, state);
      const statements = statementsOf(restore, engine, params);
      const list = typeof statements === 'string' ? [] : statements;
      // The runner reports the step's cleanup with its own numbering, labelled 'cleanup'.
      const inCleanup = run?.status === 'running' && run.statement?.label === 'cleanup';
      const current = run?.status === 'running' ? (inCleanup ? list.length : (run.statement?.index ?? 0)) : undefined;
      const head: Line[] = [];
      const started = run?.startedAt ? ` (started ${formatTimeOfDay(run.startedAt, true)})` : '';
      if (!run) {
        // A question: what restore will do; the last restore's result is history, said as such.
        if (overlay.waiting) {
          const busy = runningStepId(state);
          head.push(...paragraph('w', `${SPIN} Cancelling ${busy ? stepLabel(runbook, busy) : 'the running step'}: restore starts the moment it has stopped.`, textWidth, { color: color('warn') }));
        }
        head.push(row('on', `On the ${ENGINE_BADGES[engine]} engine, restore will:`, { bold: true }));
        head.push(...objectsAndWords(objects, restore, textWidth));
        const last = runOf(state, restore.id);
        if (last.finishedAt && last.outcome) {
          head.push(row('last', `The last restore: ${last.outcome.status} at ${formatTimeOfDay(last.finishedAt, true)}. This one runs afresh.`, { color: color('muted') }));
        }
      } else if (run.status === 'running') {
        const p = progressText(now - (run.startedAt ?? now), expectedMs(restore.id), textWidth >= 70 ? 12 : 0);
        head.push(row('p', `${SPIN} ${p.bar}${p.text}${run.progress ? ` · ${oneLine(run.progress.state)}` : ''}`, { color: color('accent') }));
        if (inCleanup) head.push(row('cl', `${SPIN} cleanup ${run.statement!.index + 1}/${run.statement!.count}`, { color: color('accent') }));
      } else if (run.status === 'done') {
        head.push(row('ok', `✓ Restored and verified in ${formatDuration(run.outcome?.elapsedMs ?? 0)}${started}.`, { color: color('ok'), bold: true }));
      } else if (run.status === 'cancelled') {
        head.push(row('cx', `This restore${started} was cancelled: it has not finished. y tries again.`, { color: color('warn') }));
      } else {
        const e = run.outcome?.error;
        head.push(...paragraph('f', `✗ Restore${started} failed: ${e?.message ?? 'unknown error'}${e?.where ? ` at ${e.where}` : ''}. y tries again.`, textWidth, { color: color('bad') }));
      }
      const counts: Line[] =
        run?.outcome && run.status !== 'running'
          ? [row('v', run.status === 'done' ? 'Verified:' : 'Results from this attempt:', { bold: true }), ...resultLines(restore.display, verification(run.outcome), textWidth, { layers: runbook.layers }), row('vgap', '')]
          : [];
      const steps = typeof statements === 'string' ? paragraph('err', statements, textWidth, { color: color('bad') }) : restoreSteps(restore, list, run, current, now);
      // Finished: the verified counts come first; before and during: what it does, step by step.
      const lines = [...head, ...counts, ...steps];
      const pin = current !== undefined && current < list.length ? lines.findIndex((l) => (l as React.ReactElement).key === `s${current}`) : undefined;
      return frame(lines, overlay.scroll, summary.title, pin !== undefined && pin >= 0 ? pin : undefined);
    }
  }
}

/**
 * The walkthrough as plain sequential text, for pipes, CI and logs: no raw mode, no cursor
 * movement. Runs every step in order and stops at the first failure.
 */
import { changeLines } from '../core/changes.js';
import { comparisonView } from '../core/comparison.js';
import { runStep, type StepOutcome } from '../core/runner.js';
import { changesRealData, originLabel, originOf, SOURCE_LABELS, sourceTag } from '../core/sources.js';
import { ENGINE_BADGES, type Engine, type EngineKind } from '../engine/types.js';
import { formatDuration } from '../format/numbers.js';
import { runsOn, type Runbook, type Step } from '../runbook/model.js';
import type { ParamValue } from '../runbook/sql.js';
import { renderStepText, renderText, type TextContext } from '../runbook/text.js';
import type { Recorder } from '../record/store.js';
import { stepLabel } from '../ui/show.js';
import { resultLines, textTable } from './table.js';

export type Write = (line: string) => void;

export interface PlainRun {
  runbook: Runbook;
  engine: Engine;
  params: Readonly<Record<string, ParamValue>>;
  yes: boolean;
  signal: AbortSignal;
  write: Write;
  onOutcome?: (step: Step, outcome: StepOutcome) => void;
  /** Outcomes so far, by step id: the comparison reads this run's measurements from them. */
  outcomes?: Record<string, StepOutcome>;
  /** Records each step's outcome (real engines); `engine` should then be `recorder.tap(engine)`. */
  recorder?: Recorder;
  /** Rehearsal: the params taken over from the replayed run, to say so. */
  replayedParams?: Readonly<Record<string, string>>;
  /** The flags that select this engine and params, for the commands the text names ("--engine local"). */
  flags?: string;
  /** Rehearsal: the engine whose run it replays, whose words it speaks. */
  speaksFor?: EngineKind;
}

function comparisonLines(run: PlainRun, step: Step): string[] {
  const comparison = step.comparison;
  if (!comparison) return [];
  const view = comparisonView(comparison, run.outcomes ?? {}, run.params, run.engine.kind, {
    name: (id) => stepLabel(run.runbook, id),
    runsHere: (id) => run.runbook.steps.every((s) => s.id !== id || runsOn(s, run.engine.kind)),
  });
  const columns = ['', view.oursTitle, ...comparison.competitors].map((name) => ({ name, type: 'text' as const }));
  const rows = comparison.rows.map((row, i) => {
    const cell = view.cells[i]!;
    const ours = `${cell.text}${cell.source ? ` [${cell.source}]` : ''}${cell.kind === 'claim' ? ' (claim)' : ''}`;
    return [row.feature, ours, ...comparison.competitors.map((c) => row.others[c]?.value ?? '—')];
  });
  const sources = [...new Set(comparison.rows.flatMap((r) => Object.values(r.others).map((o) => o.source).filter(Boolean)))];
  const bars = view.bars.flatMap((b) => [
    `    ${b.title}:`,
    `      ${b.label}: ${b.ours.text}, ${view.cells[b.row]?.origin?.engine === 'mock' ? 'mock' : 'measured'}`,
    ...b.claims.map((c) => `      ${c.name}: ${c.text}`),
  ]);
  return [
    ...(view.scale ? [`    Scale: our figures ${view.scale.ours}; the others' claims ${view.scale.claims}.`] : []),
    ...textTable(columns, rows, '    '),
    '    Competitor figures are claims from the runbook, not measured here.',
    ...bars,
    ...view.notDrawn.map((text) => `    ${text}`),
    ...sources.map((s) => `    source: ${s}`),
  ];
}

export function describeStep(step: Step, position: string, write: Write): void {
  const target = step.targetMs ? `  (target ${formatDuration(step.targetMs)})` : '';
  write('');
  write(`── ${position} · ${step.title}${target}`);
  for (const line of step.talk) write(line.kind === 'pause' ? `  ⏸  pause${line.text ? ` — ${line.text}` : ''}` : `  • ${line.text}`);
}

export function describeOutcome(outcome: StepOutcome, write: Write): void {
  for (const query of outcome.queries) {
    if (query.label && outcome.queries.length > 1) write(`  ${query.label} — ${formatDuration(query.result.elapsedMs)}`);
    for (const line of resultLines(query.result, '    ')) write(line);
    for (const e of query.expectations) write(`    ${e.ok ? '✓' : '✗'} ${e.description}${e.ok ? '' : `: ${e.message}`}`);
  }
  for (const notice of outcome.notices) write(`  note: ${notice}`);
  const first = outcome.queries[0]?.result;
  const source = first ? sourceTag(first) : SOURCE_LABELS.rehearsal;
  switch (outcome.status) {
    case 'done':
      write(`  ✓ done in ${formatDuration(outcome.elapsedMs)} [${source}]`);
      break;
    case 'skipped':
      write('  – skipped');
      break;
    case 'cancelled':
      write('  ✗ cancelled');
      break;
    case 'failed': {
      const e = outcome.error;
      write(`  ✗ failed${e?.where ? ` at ${e.where}` : ''}: ${e?.message ?? 'unknown error'}${e?.code ? ` (${e.code})` : ''}`);
      if (e?.hint) write(`    hint: ${e.hint}`);
      if (e?.queryId) write(`    query id: ${e.queryId}`);
    }
  }
}

/** The words of this run: params, the command that works here, and the figures measured so far. */
export function plainTextContext(run: PlainRun): TextContext {
  return {
    params: run.params,
    engine: run.engine.kind,
    flags: run.flags,
    speaksFor: run.speaksFor,
    measured: (id) => {
      const outcome = run.outcomes?.[id];
      if (outcome?.status !== 'done') return undefined;
      const origin = outcome.queries[0] ? originOf(outcome.queries[0].result) : undefined;
      return { ms: outcome.elapsedMs, origin: origin && origin.engine === 'mock' ? 'mock' : origin?.recordedAt ? originLabel(origin) : undefined };
    },
  };
}

/** Runs one step in plain text; returns its outcome, or 'refused' when a destructive step needs --yes. */
export async function runPlainStep(run: PlainRun, runbookStep: Step, position: string): Promise<StepOutcome | 'refused'> {
  const { engine, write } = run;
  const step = renderStepText(runbookStep, plainTextContext(run));
  describeStep(step, position, write);
  for (const line of comparisonLines(run, step)) write(line);
  if (step.queries.length === 0) return { status: 'done', queries: [], elapsedMs: 0, notices: [] };
  if (step.destructive && changesRealData(engine.kind) && !run.yes) {
    write(`  ✗ not run: '${step.id}' is destructive; on the ${ENGINE_BADGES[engine.kind]} engine its SQL changes:`);
    for (const line of changeLines(step, engine.kind, run.params)) write(`      - ${line}`);
    if (step.changes.length) write('    The runbook says:');
    for (const change of step.changes) write(`      - ${change}`);
    write('    Re-run with --yes to allow it, or run demo in a terminal to confirm it step by step.');
    return 'refused';
  }
  const startedAt = new Date();
  const outcome = await runStep({
    engine,
    step,
    params: run.params,
    signal: run.signal,
    onEvent: (event) => {
      if (event.type === 'statement' && event.count > 1) write(`  [${event.index + 1}/${event.count}] ${event.label ?? firstLine(event.sql)}`);
    },
  });
  const problem = run.recorder?.record('step', step, outcome, startedAt);
  if (problem) outcome.notices.push(problem);
  if (run.outcomes) run.outcomes[step.id] = outcome;
  run.onOutcome?.(step, outcome);
  describeOutcome(outcome, write);
  return outcome;
}

function firstLine(sql: string): string {
  const line = sql.split('\n').find((l) => l.trim() && !l.trim().startsWith('--')) ?? sql;
  return line.trim().slice(0, 70);
}

/** What a rehearsal's figures are: a replayed run (named) or the runbook's mocks. Never this run's. */
export function rehearsalLine(note: string | undefined, params?: Readonly<Record<string, string>>): string {
  if (!note) return "Rehearsal: figures are the runbook's mock results, not measurements of this run.";
  const with_ = params && Object.keys(params).length ? ` with its params (${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(', ')})` : '';
  return `Rehearsal: ${note}${with_}. Figures are recorded, not measured now.`;
}

/** Walks the whole show. Returns the exit code: 0 all done, 1 a step failed or was refused, 130 interrupted. */
export async function walkPlain(run: PlainRun): Promise<number> {
  const { runbook, engine, write } = run;
  write(`${renderText(runbook.title, plainTextContext(run))}  [${ENGINE_BADGES[engine.kind]}]`);
  if (engine.kind === 'rehearsal') write(rehearsalLine(engine.note, run.replayedParams));
  const total = runbook.steps.length;
  const withOutcomes = { ...run, outcomes: run.outcomes ?? {} };
  for (const [i, step] of runbook.steps.entries()) {
    const outcome = await runPlainStep(withOutcomes, step, `Step ${i + 1}/${total}`);
    if (run.signal.aborted) {
      write('');
      write('Interrupted.');
      return 130;
    }
    if (outcome === 'refused' || outcome.status === 'failed' || outcome.status === 'cancelled') {
      write('');
      write(`Stopped at step ${i + 1}/${total} (${step.id}). To return to the original data: ${renderText('{{ demo(restore) }}', plainTextContext(run))}`);
      return 1;
    }
  }
  write('');
  write(total === 1 ? "The step is done." : `All ${total} steps done.`);
  return 0;
}

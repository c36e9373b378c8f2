/**
 * The walkthrough's state: where the presenter is, what each step did. A pure reducer: time comes
 * in on the actions, so every transition is reproducible in a unit test.
 */
import type { StatementProgress } from '../engine/types.js';
import type { StepOutcome } from './runner.js';

export type StepStatus = 'idle' | 'running' | 'done' | 'failed' | 'cancelled' | 'skipped';

export interface StepRun {
  status: StepStatus;
  /** How many times the step was started (a destructive step asks again each time). */
  attempts: number;
  /** Which run of the show this is: every start gets a new one, so a dialog can follow its own run. */
  runId?: number;
  startedAt?: number;
  finishedAt?: number;
  /** The statement running now, e.g. 3 of 6. */
  statement?: { index: number; count: number; label?: string };
  progress?: StatementProgress;
  cancelRequested: boolean;
  outcome?: StepOutcome;
  /** While running again: when the outcome still shown (the previous run's) finished. */
  previousFinishedAt?: number;
  /** The last recorded result, shown on request after a live failure; never mistaken for this run's. */
  fallback?: StepOutcome;
}

export interface WalkState {
  /** The show's step ids in order; the restore step is kept apart (it is reachable from anywhere). */
  stepIds: readonly string[];
  restoreId: string;
  current: number;
  runs: Readonly<Record<string, StepRun>>;
  startedAt: number;
  /** Time spent on each step so far, and when the presenter arrived on the current one. */
  spentMs: Readonly<Record<string, number>>;
  enteredAt: number;
  /** How many runs were started in this show (the last run id handed out). */
  runsStarted: number;
}

export type WalkAction =
  | { type: 'next'; at: number }
  | { type: 'previous'; at: number }
  | { type: 'jump'; index: number; at: number }
  | { type: 'started'; stepId: string; at: number }
  | { type: 'statement'; stepId: string; index: number; count: number; label?: string }
  | { type: 'progress'; stepId: string; progress: StatementProgress }
  | { type: 'cancel-requested'; stepId: string }
  /** `runId`: the run that finished; an answer for an older run is ignored. */
  | { type: 'finished'; stepId: string; outcome: StepOutcome; at: number; runId?: number }
  | { type: 'fallback'; stepId: string; outcome: StepOutcome }
  /** The presenter starts the talk now: its clock and every step's timer from zero. */
  | { type: 'talk-restarted'; at: number };

const IDLE: StepRun = { status: 'idle', attempts: 0, cancelRequested: false };

export function initialState(stepIds: readonly string[], restoreId: string, at: number): WalkState {
  return { stepIds, restoreId, current: 0, runs: {}, startedAt: at, spentMs: {}, enteredAt: at, runsStarted: 0 };
}

export function runOf(state: WalkState, stepId: string): StepRun {
  return state.runs[stepId] ?? IDLE;
}

/** The step that is running now, if any: one at a time, since engines hold one connection. */
export function runningStepId(state: WalkState): string | undefined {
  return Object.entries(state.runs).find(([, run]) => run.status === 'running')?.[0];
}

export function currentStepId(state: WalkState): string {
  return state.stepIds[state.current]!;
}

/** Time on the current step including the time since arriving on it. */
export function timeOnStep(state: WalkState, stepId: string, now: number): number {
  const spent = state.spentMs[stepId] ?? 0;
  return currentStepId(state) === stepId ? spent + Math.max(0, now - state.enteredAt) : spent;
}

function moveTo(state: WalkState, index: number, at: number): WalkState {
  const target = Math.max(0, Math.min(state.stepIds.length - 1, index));
  if (target === state.current) return state;
  const leaving = currentStepId(state);
  return {
    ...state,
    current: target,
    enteredAt: at,
    spentMs: { ...state.spentMs, [leaving]: (state.spentMs[leaving] ?? 0) + Math.max(0, at - state.enteredAt) },
  };
}

function updateRun(state: WalkState, stepId: string, change: (run: StepRun) => StepRun): WalkState {
  return { ...state, runs: { ...state.runs, [stepId]: change(runOf(state, stepId)) } };
}

export function walkReducer(state: WalkState, action: WalkAction): WalkState {
  switch (action.type) {
    case 'next':
      return moveTo(state, state.current + 1, action.at);
    case 'previous':
      return moveTo(state, state.current - 1, action.at);
    case 'jump':
      return moveTo(state, action.index, action.at);
    case 'started': {
      const running = runningStepId(state);
      if (running !== undefined) return state;
      const runId = state.runsStarted + 1;
      return updateRun({ ...state, runsStarted: runId }, action.stepId, (run) => ({
        status: 'running',
        attempts: run.attempts + 1,
        runId,
        startedAt: action.at,
        cancelRequested: false,
        // The previous outcome stays until the new one arrives (the screen labels it "previous run").
        outcome: run.outcome,
        previousFinishedAt: run.finishedAt,
      }));
    }
    case 'statement':
      return updateRun(state, action.stepId, (run) =>
        run.status === 'running'
          ? { ...run, statement: { index: action.index, count: action.count, label: action.label }, progress: undefined }
          : run,
      );
    case 'progress':
      return updateRun(state, action.stepId, (run) => (run.status === 'running' ? { ...run, progress: action.progress } : run));
    case 'cancel-requested':
      return updateRun(state, action.stepId, (run) => (run.status === 'running' ? { ...run, cancelRequested: true } : run));
    case 'fallback':
      return updateRun(state, action.stepId, (run) => (run.status === 'running' ? run : { ...run, fallback: action.outcome }));
    case 'talk-restarted':
      return { ...state, startedAt: action.at, enteredAt: action.at, spentMs: {} };
    case 'finished':
      if (action.runId !== undefined && runOf(state, action.stepId).runId !== action.runId) return state;
      return updateRun(state, action.stepId, (run) => ({
        ...run,
        fallback: undefined,
        status: action.outcome.status,
        finishedAt: action.at,
        statement: undefined,
        progress: undefined,
        cancelRequested: false,
        outcome: action.outcome,
        previousFinishedAt: undefined,
      }));
  }
}

import { describe, expect, it } from 'vitest';
import type { StepOutcome } from '../../src/core/runner.js';
import { currentStepId, initialState, runningStepId, runOf, timeOnStep, walkReducer, type WalkAction, type WalkState } from '../../src/core/walkthrough.js';

const done: StepOutcome = { status: 'done', queries: [], elapsedMs: 1200, notices: [] };
const apply = (state: WalkState, ...actions: WalkAction[]) => actions.reduce(walkReducer, state);
const start = () => initialState(['a', 'b', 'c'], 'restore', 0);

describe('walkReducer', () => {
  it('moves next, previous and jumps, staying within the show', () => {
    let s = apply(start(), { type: 'next', at: 1 }, { type: 'next', at: 2 }, { type: 'next', at: 3 });
    expect(currentStepId(s)).toBe('c');
    s = apply(s, { type: 'previous', at: 4 });
    expect(currentStepId(s)).toBe('b');
    s = apply(s, { type: 'jump', index: 0, at: 5 }, { type: 'previous', at: 6 });
    expect(currentStepId(s)).toBe('a');
    expect(apply(s, { type: 'jump', index: 99, at: 7 }).current).toBe(2);
  });

  it('tracks a run from start to finish, counting attempts', () => {
    let s = apply(start(), { type: 'started', stepId: 'a', at: 10 });
    expect(runOf(s, 'a')).toMatchObject({ status: 'running', attempts: 1, startedAt: 10 });
    expect(runningStepId(s)).toBe('a');
    s = apply(s, { type: 'statement', stepId: 'a', index: 1, count: 3, label: 'x' }, { type: 'progress', stepId: 'a', progress: { state: 'QUEUED' } });
    expect(runOf(s, 'a')).toMatchObject({ statement: { index: 1, count: 3, label: 'x' }, progress: { state: 'QUEUED' } });
    s = apply(s, { type: 'finished', stepId: 'a', outcome: done, at: 20 });
    expect(runOf(s, 'a')).toMatchObject({ status: 'done', finishedAt: 20, outcome: done, statement: undefined });
    expect(runningStepId(s)).toBeUndefined();
    s = apply(s, { type: 'started', stepId: 'a', at: 30 });
    expect(runOf(s, 'a').attempts).toBe(2);
  });

  it('runs one step at a time', () => {
    const s = apply(start(), { type: 'started', stepId: 'a', at: 1 }, { type: 'started', stepId: 'b', at: 2 });
    expect(runOf(s, 'b').status).toBe('idle');
  });

  it('lets the presenter move on while a step runs', () => {
    const s = apply(start(), { type: 'started', stepId: 'a', at: 1 }, { type: 'next', at: 2 });
    expect(currentStepId(s)).toBe('b');
    expect(runOf(s, 'a').status).toBe('running');
  });

  it('marks a cancel request and records a cancelled outcome', () => {
    let s = apply(start(), { type: 'started', stepId: 'a', at: 1 }, { type: 'cancel-requested', stepId: 'a' });
    expect(runOf(s, 'a').cancelRequested).toBe(true);
    s = apply(s, { type: 'finished', stepId: 'a', outcome: { ...done, status: 'cancelled' }, at: 5 });
    expect(runOf(s, 'a')).toMatchObject({ status: 'cancelled', cancelRequested: false });
  });

  it('gives every start its own run id, so an answer for an older run cannot pass for a newer one', () => {
    let s = apply(start(), { type: 'started', stepId: 'restore', at: 1 });
    const first = runOf(s, 'restore').runId!;
    s = apply(s, { type: 'finished', stepId: 'restore', outcome: done, at: 2, runId: first });
    s = apply(s, { type: 'started', stepId: 'a', at: 3 }, { type: 'finished', stepId: 'a', outcome: done, at: 4 });
    s = apply(s, { type: 'started', stepId: 'restore', at: 5 });
    const second = runOf(s, 'restore').runId!;
    expect(second).toBeGreaterThan(first);
    expect(runOf(s, 'restore')).toMatchObject({ status: 'running', attempts: 2, previousFinishedAt: 2 });
    // A late answer for the first run is not this run's.
    s = apply(s, { type: 'finished', stepId: 'restore', outcome: { ...done, status: 'failed' }, at: 6, runId: first });
    expect(runOf(s, 'restore').status).toBe('running');
    s = apply(s, { type: 'finished', stepId: 'restore', outcome: done, at: 7, runId: second });
    expect(runOf(s, 'restore')).toMatchObject({ status: 'done', finishedAt: 7, runId: second, previousFinishedAt: undefined });
    // Any number of times, from any state.
    s = apply(s, { type: 'started', stepId: 'restore', at: 8 });
    expect(runOf(s, 'restore')).toMatchObject({ status: 'running', attempts: 3, runId: second + 1 });
  });

  it('restarts the talk clock and every step timer when the presenter starts the talk', () => {
    let s = apply(start(), { type: 'next', at: 5000 });
    expect(timeOnStep(s, 'a', 9000)).toBe(5000);
    s = apply(s, { type: 'talk-restarted', at: 9000 });
    expect(s.startedAt).toBe(9000);
    expect(timeOnStep(s, 'a', 10_000)).toBe(0);
    expect(timeOnStep(s, 'b', 10_000)).toBe(1000);
  });

  it('keeps the time spent on each step', () => {
    const s = apply(start(), { type: 'next', at: 5000 }, { type: 'previous', at: 8000 });
    expect(timeOnStep(s, 'b', 9000)).toBe(3000);
    expect(timeOnStep(s, 'a', 9000)).toBe(5000 + 1000);
  });
});

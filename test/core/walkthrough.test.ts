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

  it('keeps the time spent on each step', () => {
    const s = apply(start(), { type: 'next', at: 5000 }, { type: 'previous', at: 8000 });
    expect(timeOnStep(s, 'b', 9000)).toBe(3000);
    expect(timeOnStep(s, 'a', 9000)).toBe(5000 + 1000);
  });
});

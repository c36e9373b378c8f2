/**
 * What the screens need to know about the show, as plain data: the runbook satisfies it directly,
 * and the presenter console receives it over the socket, so both draw with the same components.
 */
import type { ConnectionState, EngineKind } from '../engine/types.js';
import type { Step } from '../runbook/model.js';

export type StepInfo = Pick<Step, 'id' | 'title' | 'talk' | 'targetMs' | 'display' | 'destructive' | 'long' | 'changes'>;

export interface ShowInfo {
  title: string;
  durationMs?: number;
  steps: readonly StepInfo[];
  restore: StepInfo;
}

export interface EngineInfo {
  kind: EngineKind;
  /** Where the figures come from when it is not obvious, e.g. "replaying live run of 2026-11-20 14:03". */
  note?: string;
  /** Live engines: how the connection stands. */
  connection?: ConnectionState;
}

export function stepById(show: ShowInfo, id: string): StepInfo | undefined {
  return id === show.restore.id ? show.restore : show.steps.find((s) => s.id === id);
}

/**
 * How messages name a step: by its number in the show ("step 6"), or "restore". Never by its id,
 * which is a runbook author's name ("scale-1000x") and need not be true for this run.
 */
export function stepLabel(show: ShowInfo, id: string): string {
  if (id === show.restore.id) return 'restore';
  const index = show.steps.findIndex((s) => s.id === id);
  return index >= 0 ? `step ${index + 1}` : id;
}

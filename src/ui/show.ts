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

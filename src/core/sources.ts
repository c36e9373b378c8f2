/** How each engine's figures are labelled, so no number appears without saying where it came from. */
import type { EngineKind, ResultSource } from '../engine/types.js';

export const SOURCE_LABELS: Record<ResultSource, string> = {
  live: 'LIVE',
  local: 'LOCAL',
  rehearsal: 'REHEARSAL',
  recorded: 'RECORDED',
};

export function engineSource(kind: EngineKind): ResultSource {
  return kind === 'snowflake' ? 'live' : kind;
}

/** Destructive steps on a real engine need a yes: in the TUI a confirmation, elsewhere --yes. */
export function changesRealData(kind: EngineKind): boolean {
  return kind !== 'rehearsal';
}

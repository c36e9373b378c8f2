/** How each engine's figures are labelled, so no number appears without saying where it came from. */
import type { EngineKind, ResultOrigin, ResultSource, StatementResult } from '../engine/types.js';
import { formatDateTime } from '../format/numbers.js';

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

/** Which engine measured a result: its recorded origin, else the engine that answered just now. */
export function originOf(result: Pick<StatementResult, 'source' | 'origin' | 'server'>): ResultOrigin {
  if (result.origin) return result.origin;
  if (result.source === 'live') return { engine: 'snowflake', warehouseSize: result.server?.warehouseSize };
  if (result.source === 'local') return { engine: 'local' };
  return { engine: 'mock' };
}

/**
 * The engine behind a figure in words: "DuckDB on this machine", "Snowflake LARGE", "recorded
 * 2026-11-20 14:03 on DuckDB", "mock". `size` is the warehouse size when the result does not say it.
 */
export function originLabel(origin: ResultOrigin, size?: string): string {
  if (origin.engine === 'mock') return 'mock';
  const warehouse = origin.warehouseSize ?? size;
  const engine = origin.engine === 'local' ? (origin.recordedAt ? 'DuckDB' : 'DuckDB on this machine') : `Snowflake${warehouse ? ` ${warehouse}` : ''}`;
  return origin.recordedAt ? `recorded ${formatDateTime(origin.recordedAt)} on ${engine}` : engine;
}

/** The params a recorded figure was measured with that differ from this run's: "multiplier=10". */
export function paramsDiffering(origin: ResultOrigin, params: Readonly<Record<string, string | number>>): string {
  return Object.entries(origin.params ?? {})
    .filter(([name, value]) => name in params && String(params[name]) !== String(value))
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
}

/** The tag beside a figure: LIVE, LOCAL, RECORDED, or REHEARSAL with what it replays (mock, DuckDB…). */
export function sourceTag(result: Pick<StatementResult, 'source' | 'origin' | 'server'>): string {
  const label = SOURCE_LABELS[result.source];
  if (result.source !== 'rehearsal') return label;
  const origin = originOf(result);
  return `${label} · ${origin.engine === 'mock' ? 'mock' : `from ${origin.engine === 'local' ? 'DuckDB' : 'Snowflake'}`}`;
}

/**
 * The one narrow interface every backend implements: rehearsal, local DuckDB, live Snowflake.
 * The UI and the runner only ever see this; they never know which backend answers.
 */

import type { StatementClass } from '../runbook/classify.js';

export type EngineKind = 'snowflake' | 'local' | 'rehearsal';

/** Where a figure on screen came from. Every result carries one so the screen can say so. */
export type ResultSource = 'live' | 'local' | 'rehearsal' | 'recorded';

export type ColumnType = 'number' | 'text' | 'date' | 'timestamp' | 'boolean' | 'json' | 'other';

export interface Column {
  name: string;
  type: ColumnType;
}

/** A cell as the engines hand it over: plain JSON-friendly values only (no BigInt, no Date). */
export type Cell = string | number | boolean | null;

/** Server-side timings, when the backend can give them (Snowflake QUERY_HISTORY_BY_SESSION). */
export interface ServerTiming {
  totalElapsedMs?: number;
  compilationMs?: number;
  executionMs?: number;
  queuedMs?: number;
  bytesScanned?: number;
  rowsProduced?: number;
  warehouseSize?: string;
}

/**
 * Which engine measured a figure, at what scale and when, when that is not the engine answering now:
 * a rehearsal's replayed recording or mock, or the fallback key's recording.
 */
export interface ResultOrigin {
  engine: 'snowflake' | 'local' | 'mock';
  /** When it was recorded. */
  recordedAt?: string;
  /** The params it was measured with (e.g. multiplier), for a recording. */
  params?: Readonly<Record<string, string | number>>;
  /** The warehouse size Snowflake reported for it. */
  warehouseSize?: string;
}

export interface StatementResult {
  columns: Column[];
  /** At most `maxRows` rows: a large result is never held whole. */
  rows: Cell[][];
  /** The full number of rows the statement produced (or affected), even when `rows` is capped. */
  rowCount: number;
  truncated: boolean;
  queryId?: string;
  /** Client-side wall time, measured by the engine around the statement. */
  elapsedMs: number;
  server?: ServerTiming;
  source: ResultSource;
  /** Set when the figures are not this engine's own of now (replayed, recorded, mocked). */
  origin?: ResultOrigin;
  /** Something the presenter should know about how this result was produced (no-op, cache on, …). */
  notice?: string;
}

/** What a long statement is doing right now, for the status line (QUEUED, RUNNING, …). */
export interface StatementProgress {
  state: string;
  queryId?: string;
  url?: string;
  detail?: string;
}

/** A canned answer for rehearsal, taken from the runbook. */
export interface MockResult {
  columns: Column[];
  rows: Cell[][];
  rowCount?: number;
  durationMs: number;
}

export interface StatementRequest {
  /** Rendered SQL: params already substituted through typed placeholders. */
  sql: string;
  /** The step this statement belongs to (query tags, recordings, reattach). */
  stepId: string;
  /** Position of this statement inside the step, and how many the step has. */
  index: number;
  count: number;
  /** The rehearsal answer for this statement, when the runbook gives one. */
  mock?: MockResult;
  /** Where the statement comes from: which of the step's queries, whether it ends it, which file. */
  queryIndex?: number;
  lastOfQuery?: boolean;
  file?: string;
  /**
   * The most this statement may do (see runbook/classify.ts): 'changes' only for a step marked
   * destructive, 'warehouse' for a cleanup. Absent means read-only: an engine refuses anything more.
   */
  allows?: StatementClass;
}

export interface RunOptions {
  signal: AbortSignal;
  /** Cap on rows kept in memory. */
  maxRows: number;
  /** Our own watchdog: fail the statement after this long, whatever the backend does. */
  timeoutMs?: number;
  /** Benchmarks run with the result cache off unless the runbook allows it. */
  useCachedResult?: boolean;
  /** Long statements (scale, restore, refresh) run asynchronously where the backend can. */
  long?: boolean;
  onProgress?: (progress: StatementProgress) => void;
}

/** How an engine's connection stands, for the header (engines without one leave it undefined). */
export type ConnectionState =
  | { status: 'connecting'; /** A browser sign-in page to finish, when the login waits for one. */ url?: string }
  /** `detail` says as whom, e.g. "PHARMACY2U_DEMO_ROLE on PHARMACY2U_DEMO_WH". */
  | { status: 'connected'; detail: string }
  | { status: 'failed'; reason: string };

export interface Engine {
  readonly kind: EngineKind;
  /** Where this engine's figures come from, for the header, e.g. "replaying live run of 2026-11-20 14:03". */
  readonly note?: string;
  /** How many statements it can run at once (the checklist runs independent checks side by side). */
  readonly concurrency?: number;
  /** Things the presenter should know before going on (e.g. connections.toml readable by others). */
  readonly warnings?: readonly string[];
  /** Browser sign-in: where the presenter should log in. The app shows it; the engine prints nothing. */
  onLoginUrl?: (url: string) => void;
  /** Engines with a connection to make: how it stands now, and a listener told of every change. */
  readonly connectionState?: ConnectionState;
  onConnectionState?: (state: ConnectionState) => void;
  /** Where the connection is configured, for fix hints, e.g. "connection 'demo' in /home/me/.snowflake/connections.toml". */
  readonly source?: string;
  /**
   * Removes what identifies the connection (account, user, host, the paths of its files) from a
   * text bound for a recording, a report or --json. The presenter's own screen may name them.
   */
  scrub?(text: string): string;
  connect(signal: AbortSignal): Promise<void>;
  run(request: StatementRequest, options: RunOptions): Promise<StatementResult>;
  /**
   * What would stop these statements (a step's, in order) halfway, found before any of them runs:
   * one sentence per problem, none when they can start. Engines that cannot tell leave it out.
   */
  preflight?(statements: readonly StatementRequest[], signal: AbortSignal): Promise<string[]>;
  close(): Promise<void>;
}

/** A failure an engine reports; `code` is the backend's own code when it has one. */
export class EngineError extends Error {
  readonly code?: string;
  readonly queryId?: string;
  readonly hint?: string;
  /**
   * The connection failed, not the statement: the next statement would fail the same way until it
   * is rebuilt (the checklist stops there and says so instead of failing every check in turn).
   */
  readonly connectionFault: boolean;
  constructor(message: string, options: { code?: string; queryId?: string; hint?: string; cause?: unknown; connectionFault?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = 'EngineError';
    this.code = options.code;
    this.queryId = options.queryId;
    this.hint = options.hint;
    this.connectionFault = options.connectionFault ?? false;
  }
}

/** Thrown when a statement was cancelled through its AbortSignal. */
export class CancelledError extends Error {
  constructor(message = 'Cancelled') {
    super(message);
    this.name = 'CancelledError';
  }
}

export const ENGINE_BADGES: Record<EngineKind, string> = {
  snowflake: 'LIVE · SNOWFLAKE',
  local: 'LOCAL · DUCKDB',
  rehearsal: 'REHEARSAL',
};

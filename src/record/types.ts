/**
 * The recording format: what a run of `demo`, `demo check` or `demo restore` on a real engine
 * measured, step by step. Rehearsal replays it, the fallback key shows it, the report reads it.
 *
 * Only measurements and the runbook's own names go in: never engine options, connection settings
 * or anything read from connections.toml.
 */
import type { CheckStatus } from '../check/checklist.js';
import type { ExpectationResult } from '../core/expect.js';
import type { StepFailure, StepStatus } from '../core/runner.js';
import type { ServerTiming, StatementResult } from '../engine/types.js';
import type { ParamValue } from '../runbook/sql.js';

export const RECORDING_FORMAT = 'demo-recording/1';

export type RecordingCommand = 'walk' | 'check' | 'restore';
/** The engines whose runs are recorded: rehearsal only replays. */
export type RecordedEngine = 'snowflake' | 'local';

export interface Recording {
  format: typeof RECORDING_FORMAT;
  /** The file name without `.json`: `<startedAt>-<command>-<engine>`; sorts by time. */
  id: string;
  command: RecordingCommand;
  /** `place`: the runbook's path relative to the state dir, which runs of it share (absent in older recordings). */
  runbook: { title: string; file: string; place?: string };
  engine: RecordedEngine;
  startedAt: string;
  updatedAt: string;
  /** Set when the run ended normally; absent when it crashed or is still going. */
  finishedAt?: string;
  /** The params the SQL was rendered with (typed runbook values, never credentials). */
  params: Record<string, ParamValue>;
  /** In the order they finished; a step run twice appears twice, the later one counts. */
  entries: RecordedEntry[];
}

/** One run of one step (show step, restore, or checklist item). */
export interface RecordedEntry {
  kind: 'step' | 'check';
  stepId: string;
  title: string;
  startedAt: string;
  finishedAt: string;
  /** sha256 of the step's statements as this engine ran them (see record/hash.ts). */
  sqlHash?: string;
  status: StepStatus;
  /** The sum of the statements' elapsed times, as the engine measured them. */
  elapsedMs: number;
  /** Start to finish on the wall clock, connection and cleanup included. */
  wallMs: number;
  /** The warehouse size Snowflake reported for the step's statements, when it did. */
  warehouseSize?: string;
  queries: RecordedQuery[];
  /** Every statement the engine ran for the step (cleanup included): ids and timings. */
  statements: RecordedStatement[];
  error?: StepFailure;
  notices: string[];
  /** Checklist items: the verdict, and the budget it was judged against. */
  check?: { status: CheckStatus; message?: string; budgetMs?: number };
}

/** A query's result as the engine returned it (rows capped at RECORDED_ROWS), minus its source label. */
export type RecordedQuery = Omit<StatementResult, 'source'> & { label?: string; expectations: ExpectationResult[] };

export interface RecordedStatement {
  index: number;
  count: number;
  queryId?: string;
  elapsedMs?: number;
  server?: ServerTiming;
  rowCount?: number;
  error?: string;
}

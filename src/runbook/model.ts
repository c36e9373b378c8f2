/** The runbook as the rest of the program sees it: validated, normalized, SQL files read. */
import type { EngineKind, MockResult } from '../engine/types.js';
import type { Comparison, Display, Expectation, ParamSpec } from './schema.js';

export interface SqlText {
  /** Path as shown in messages (relative to the working directory), or "<runbook>:steps[2].inline". */
  file: string;
  text: string;
  /** Where the text starts in `file` (inline SQL lives inside the runbook). */
  line: number;
}

export interface Query {
  label?: string;
  /** The Snowflake SQL, and its DuckDB twin where the Snowflake SQL is not portable. */
  sql: { snowflake: SqlText; local?: SqlText };
  mock?: MockResult;
  expect: Expectation[];
}

export type Talk = { kind: 'say'; text: string } | { kind: 'pause'; text: string };

export interface Step {
  id: string;
  title: string;
  talk: Talk[];
  targetMs?: number;
  display: Display;
  destructive: boolean;
  long: boolean;
  timeoutMs?: number;
  cache: boolean;
  engines?: EngineKind[];
  changes: string[];
  queries: Query[];
  comparison?: Comparison;
  /** Run after the step whatever happened (success, failure, cancel). */
  cleanup?: Query;
  /** Checklist items only. */
  fix?: string;
  budgetMs?: number;
}

export interface Runbook {
  /** Path as given, and the folder SQL paths are relative to. */
  file: string;
  dir: string;
  title: string;
  description?: string;
  durationMs?: number;
  connection?: string;
  params: Record<string, ParamSpec>;
  steps: Step[];
  restore: Step;
  checklist: Step[];
  /** Run after a failed or cancelled step and when the show ends (see core/teardown.ts). */
  teardown?: Query;
}

/** The SQL a step runs on an engine: its DuckDB twin on the local engine when there is one. */
export function sqlFor(query: Query, engine: EngineKind): SqlText {
  return engine === 'local' ? (query.sql.local ?? query.sql.snowflake) : query.sql.snowflake;
}

/** Whether a step runs on an engine (steps may be limited to some engines). */
export function runsOn(step: Step, engine: EngineKind): boolean {
  return !step.engines || step.engines.includes(engine) || engine === 'rehearsal';
}

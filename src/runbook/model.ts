/** The runbook as the rest of the program sees it: validated, normalized, SQL files read. */
import path from 'node:path';
import type { EngineKind, MockResult } from '../engine/types.js';
import type { Comparison, Display, Expectation, ParamSpec } from './schema.js';
import type { StatementClass } from './classify.js';

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

/** A talking point or a pause cue; with `engines`, only true (and shown) on those engines. */
export type Talk = { kind: 'say' | 'pause'; text: string; engines?: EngineKind[] };

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
  /** What its statements may do when the program, not the runbook, decides (the teardown: read or size a warehouse). */
  allows?: StatementClass;
  /** Checklist items only. */
  fix?: string;
  /** Run first; when its first value is 0, false or absent, the check passes saying `otherwise`. */
  requires?: { query: Query; otherwise: string };
  budgetMs?: number;
}

/** The live engine's limits (runbook `snowflake:`, each overridden by a CLI flag); unset: the defaults. */
export interface SnowflakeLimits {
  loginTimeoutMs?: number;
  submitTimeoutMs?: number;
  lostAfterMs?: number;
  resultTimeoutMs?: number;
}

/** A layer of the data (`layers:`): what `display: architecture` draws, and the colour of its layer counts. */
export interface Layer {
  name: string;
  objects: string[];
  /** A terminal colour name (see schema.ts). */
  color?: string;
  /** The words on the arrow down to the next layer, each possibly limited to engines. */
  arrow: Talk[];
}

/** The local engine's share of the machine (runbook `local:`, each overridden by a CLI flag); unset: the defaults. */
export interface LocalResources {
  /** DuckDB's memory_limit as written: "2GB", "512MiB", or "25%" of this machine's memory. */
  memoryLimit?: string;
  threads?: number;
}

export interface Runbook {
  /** Path as given, and the folder SQL paths are relative to. */
  file: string;
  dir: string;
  title: string;
  description?: string;
  durationMs?: number;
  connection?: string;
  snowflake?: SnowflakeLimits;
  local?: LocalResources;
  params: Record<string, ParamSpec>;
  /** Names or patterns of the objects its SQL may change (`may_change`); undefined: not declared. */
  mayChange?: string[];
  /** Top to bottom; empty when the runbook declares none. */
  layers: Layer[];
  steps: Step[];
  restore: Step;
  checklist: Step[];
  /** Run after a failed or cancelled step and when the show ends (see core/teardown.ts). */
  teardown?: Query;
}

/** The runbook file's absolute path (`file` is as given, relative to the working directory). */
export function runbookPath(runbook: Pick<Runbook, 'dir' | 'file'>): string {
  return path.join(runbook.dir, path.basename(runbook.file));
}

/** The SQL a step runs on an engine: its DuckDB twin on the local engine when there is one. */
export function sqlFor(query: Query, engine: EngineKind): SqlText {
  return engine === 'local' ? (query.sql.local ?? query.sql.snowflake) : query.sql.snowflake;
}

/** Whether a step runs on an engine (steps may be limited to some engines). */
export function runsOn(step: Step, engine: EngineKind): boolean {
  return !step.engines || step.engines.includes(engine) || engine === 'rehearsal';
}

/**
 * Builds the engine a run asked for. Backends are imported lazily so that rehearsal never loads
 * DuckDB or snowflake-sdk (start-up time, and the driver's import-time side effects).
 */
import type { LocalResources, Runbook, SnowflakeLimits } from '../runbook/model.js';
import type { Engine, EngineKind } from './types.js';

export interface EngineOptions {
  runbook: Runbook;
  /** connections.toml entry for Snowflake (-c/--connection). */
  connection?: string;
  /** Where local state lives (.demo/ by default). */
  stateDir: string;
  /** Rehearsal: divide simulated durations by this. */
  speed?: number;
  /** Snowflake: limits from the command line, over the runbook's `snowflake:` ones. */
  limits?: SnowflakeLimits;
  /** Local engine: --memory-limit and --threads, over the runbook's `local:` settings. */
  local?: LocalResources;
}

export async function createEngine(kind: EngineKind, options: EngineOptions): Promise<Engine> {
  switch (kind) {
    case 'rehearsal': {
      const { RehearsalEngine } = await import('./rehearsal.js');
      // Replays the recordings under stateDir; only the runbook, state dir and speed are passed on.
      return new RehearsalEngine({ speed: options.speed, runbook: options.runbook, stateDir: options.stateDir });
    }
    case 'local': {
      const { createLocalEngine } = await import('./local/index.js');
      return createLocalEngine(options);
    }
    case 'snowflake': {
      const { createSnowflakeEngine } = await import('./snowflake/index.js');
      return createSnowflakeEngine(options);
    }
  }
}

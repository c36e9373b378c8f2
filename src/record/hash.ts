/**
 * The fingerprint of a step's SQL as an engine runs it. A recording keeps the fingerprint of what
 * its engine ran; a replay recomputes it for the same engine kind and the recording's params, so a
 * step is stale exactly when its SQL (or its DuckDB twin, for local recordings) has changed since.
 */
import { createHash } from 'node:crypto';
import { prepareStep } from '../core/prepare.js';
import type { EngineKind } from '../engine/types.js';
import type { Step } from '../runbook/model.js';
import type { ParamValue } from '../runbook/sql.js';

/** `sha256:<hex>` of the step's rendered statements (cleanup excluded: it does not shape results). */
export function stepSqlHash(step: Step, engine: EngineKind, params: Readonly<Record<string, ParamValue>>): string | undefined {
  if (step.queries.length === 0) return undefined;
  try {
    const statements = prepareStep(step, engine, params).map((s) => s.sql.trim());
    return `sha256:${createHash('sha256').update(JSON.stringify(statements)).digest('hex')}`;
  } catch {
    // A param the SQL names no longer exists: the SQL cannot be what was recorded.
    return 'unrenderable';
  }
}

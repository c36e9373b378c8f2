/**
 * What a step will change, read from its rendered statements (not from the runbook's own words):
 * the confirmations list it, and a runbook's `may_change` is enforced on it, so a param cannot aim
 * destructive SQL at an object the runbook never meant to touch.
 */
import type { EngineKind } from '../engine/types.js';
import { classifyStatement, dialectOf } from '../runbook/classify.js';
import { runsOn, sqlFor, type Runbook, type Step } from '../runbook/model.js';
import { changedObjects, type ObjectChange } from '../runbook/objects.js';
import { placeholders, type ParamValue } from '../runbook/sql.js';
import { prepareStep, unconfirmedAllows, type PreparedStatement } from './prepare.js';

export interface StatementChange {
  statement: PreparedStatement;
  objects: ObjectChange[];
  /** Why the objects cannot be read from this statement, when they cannot. */
  unknown?: string;
}

/** Every statement of the step, then of its cleanup, that does more than read, with what it changes. */
export function stepChanges(step: Step, engine: EngineKind, params: Readonly<Record<string, ParamValue>>): StatementChange[] {
  const dialect = dialectOf(engine);
  const statements = [...prepareStep(step, engine, params), ...(step.cleanup ? prepareStep(step, engine, params, [step.cleanup], unconfirmedAllows(step)) : [])];
  return statements.flatMap((statement) => (classifyStatement(statement.sql, dialect).class === 'read-only' ? [] : [{ statement, ...changedObjects(statement.sql, dialect) }]));
}

/**
 * For a confirmation: one line per object ("table PHARMACY2U_BRONZE.RAW_DATA.RAW_PATIENTS: replace,
 * change settings"), in the order the step reaches them, then any statement whose targets cannot
 * be read. A step whose SQL cannot be rendered says so.
 */
export function changeLines(step: Step, engine: EngineKind, params: Readonly<Record<string, ParamValue>>): string[] {
  let changes: StatementChange[];
  try {
    changes = stepChanges(step, engine, params);
  } catch (error) {
    return [`cannot render the SQL: ${error instanceof Error ? error.message : String(error)}`];
  }
  const objects = new Map<string, { label: string; actions: string[] }>();
  const unknown: string[] = [];
  for (const change of changes) {
    for (const o of change.objects) {
      const key = `${o.kind} ${o.name.toUpperCase()}`;
      const entry = objects.get(key) ?? { label: `${o.kind} ${o.name}`, actions: [] };
      if (!entry.actions.includes(o.action)) entry.actions.push(o.action);
      objects.set(key, entry);
    }
    if (change.unknown) unknown.push(`${change.unknown} (${change.statement.file}:${change.statement.line})`);
  }
  // DuckDB has no warehouses, roles or grants: the local engine skips those statements, and says so here too.
  const skipped = (label: string) => engine === 'local' && /^(warehouse|role|user|grant)\b/.test(label);
  return [
    ...[...objects.values()].map((o) => `${o.label}: ${o.actions.join(', ')}${skipped(o.label) ? ' (on Snowflake; skipped on DuckDB)' : ''}`),
    ...unknown.map((u) => `unknown objects: ${u}`),
  ];
}

/** `PHARMACY2U_*` matches PHARMACY2U_BRONZE.RAW_DATA.RAW_PATIENTS: `*` is any characters, case aside. */
export function matchesObjectPattern(name: string, pattern: string): boolean {
  const regex = pattern
    .toUpperCase()
    .split('*')
    .map((part) => part.replace(/[.$]/g, (c) => `\\${c}`))
    .join('.*');
  return new RegExp(`^${regex}$`).test(name.toUpperCase());
}

export interface OutsideChange {
  step: Step;
  change: StatementChange;
  /** The object outside the declared names; absent when the statement's objects cannot be read. */
  object?: ObjectChange;
}

/**
 * The changes a run (this engine, these params) would make outside the runbook's `may_change`,
 * widened by the presenter's `--allow-object` patterns. None when the runbook declares nothing.
 */
export function changesOutside(
  runbook: Runbook,
  engine: EngineKind,
  params: Readonly<Record<string, ParamValue>>,
  allowed: readonly string[] = [],
  steps: readonly Step[] = [...runbook.steps, runbook.restore, ...runbook.checklist],
): OutsideChange[] {
  if (!runbook.mayChange) return [];
  const patterns = [...runbook.mayChange, ...allowed];
  const outside: OutsideChange[] = [];
  for (const step of steps) {
    if (!runsOn(step, engine)) continue;
    for (const change of stepChanges(step, engine, params)) {
      if (change.unknown) outside.push({ step, change });
      for (const object of change.objects) {
        if (!patterns.some((p) => matchesObjectPattern(object.name, p))) outside.push({ step, change, object });
      }
    }
  }
  return outside;
}

/** "step 'backups' changes database PROD_DB_BACKUP (replace) at sql/backup/create_backups.sql:34". */
export function describeOutside(o: OutsideChange): string {
  const where = `${o.change.statement.file}:${o.change.statement.line}`;
  return o.object
    ? `step '${o.step.id}' changes ${o.object.kind} ${o.object.name} (${o.object.action}) at ${where}`
    : `step '${o.step.id}': ${o.change.unknown} at ${where}, so it cannot be checked against may_change`;
}

/** The fewest `--allow-object` patterns that cover these objects: one per leading name, e.g. PROD_DB*. */
export function allowPatterns(outside: readonly OutsideChange[]): string[] {
  const roots = [...new Set(outside.flatMap((o) => (o.object ? [`${o.object.name.split('.')[0]}*`] : [])))];
  return roots.filter((root) => !roots.some((other) => other !== root && matchesObjectPattern(root.slice(0, -1), other)));
}

/** The params a statement's SQL names, among `names`: which of the presenter's --param aimed it. */
export function paramsUsedBy(o: OutsideChange, engine: EngineKind, names: readonly string[]): string[] {
  const queries = [...o.step.queries, ...(o.step.cleanup ? [o.step.cleanup] : [])];
  const text = queries.map((q) => sqlFor(q, engine)).find((t) => t.file === o.change.statement.file);
  const used = new Set(text ? placeholders(text.text).map((p) => p.name) : []);
  return names.filter((n) => used.has(n));
}

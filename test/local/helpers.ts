/** Shared by the local-engine tests: a throwaway database directory and the real runbook. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runStep, type StepOutcome } from '../../src/core/runner.js';
import { LocalEngine } from '../../src/engine/local/index.js';
import type { Cell, StatementResult } from '../../src/engine/types.js';
import { loadRunbook } from '../../src/runbook/load.js';
import type { Runbook, Step } from '../../src/runbook/model.js';
import { resolveParams } from '../../src/runbook/params.js';
import type { ParamValue } from '../../src/runbook/sql.js';

export const RUNBOOK_FILE = path.resolve(import.meta.dirname, '../../runbook.yml');

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'demo-local-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function openEngine(dir: string, threads?: number): LocalEngine {
  return new LocalEngine({ file: path.join(dir, 'local.duckdb'), threads });
}

/** Runs SQL on the engine directly, as a step marked destructive would (setting up and breaking databases). */
export async function query(engine: LocalEngine, sql: string, maxRows = 1000): Promise<StatementResult> {
  return engine.run({ sql, stepId: 'test', index: 0, count: 1, allows: 'changes' }, { signal: new AbortController().signal, maxRows });
}

/** The first column of the first row. */
export async function scalar(engine: LocalEngine, sql: string): Promise<Cell> {
  return (await query(engine, sql)).rows[0]?.[0] ?? null;
}

export class Show {
  readonly runbook: Runbook;
  readonly params: Record<string, ParamValue>;

  constructor(
    readonly engine: LocalEngine,
    overrides: Record<string, string> = {},
  ) {
    this.runbook = loadRunbook(RUNBOOK_FILE, { engines: ['local'] });
    this.params = resolveParams(this.runbook.params, 'local', overrides);
  }

  /** A step of the show (or the restore), or with `check`, an item of the checklist (ids may repeat). */
  step(id: string, check = false): Step {
    const all = check ? this.runbook.checklist : [...this.runbook.steps, this.runbook.restore];
    const found = all.find((s) => s.id === id);
    if (!found) throw new Error(`no ${check ? 'check' : 'step'} ${id} in the runbook`);
    return found;
  }

  /** Runs a step (or some of its queries) as the show would; throws with the reason if it did not succeed. */
  async run(id: string, options: { queries?: (label: string) => boolean; check?: boolean } = {}): Promise<StepOutcome> {
    const full = this.step(id, options.check);
    const step = options.queries ? { ...full, queries: full.queries.filter((q) => options.queries!(q.label ?? '')) } : full;
    const outcome = await runStep({ engine: this.engine, step, params: this.params, signal: new AbortController().signal });
    if (outcome.status !== 'done') {
      throw new Error(`step ${id} ${outcome.status}: ${outcome.error?.message ?? ''} at ${outcome.error?.where ?? '?'}`);
    }
    return outcome;
  }

  /** The last query's result as { firstColumnValue: lastColumnValue }. */
  static byKey(outcome: StepOutcome): Record<string, Cell> {
    const result = outcome.queries.at(-1)!.result;
    return Object.fromEntries(result.rows.map((row) => [String(row[0]), row.at(-1) ?? null]));
  }
}

/** A fresh database folder holding the show's base data and its backups, as after 'build-pipeline' and 'backups'. */
export async function builtBase(): Promise<{ dir: string; remove: () => void }> {
  const base = tempDir();
  const engine = openEngine(base.dir);
  const show = new Show(engine);
  await show.run('build-pipeline');
  await show.run('backups');
  await engine.close();
  return base;
}

/**
 * Every statement a runbook step would send to the local engine has a form DuckDB can run: the
 * engine handles it (no-op, database, dynamic table, clone), or DuckDB parses it. A Snowflake-only
 * statement without a twin under sql/duckdb/ fails here, with its file and line. (That each one
 * also binds and runs is what pipeline.test.ts proves, step by step.)
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teardownStep } from '../../src/core/teardown.js';
import { translate } from '../../src/engine/local/dialect.js';
import { loadRunbook } from '../../src/runbook/load.js';
import { runsOn, sqlFor } from '../../src/runbook/model.js';
import { resolveParams } from '../../src/runbook/params.js';
import { renderTemplate, splitStatements } from '../../src/runbook/sql.js';
import { RUNBOOK_FILE } from './helpers.js';

describe('parity: the runbook on the local engine', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
  });

  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
  });

  it('has a runnable form on DuckDB for every statement of every step, check, cleanup and the teardown', async () => {
    const runbook = loadRunbook(RUNBOOK_FILE, { engines: ['local'] });
    const params = resolveParams(runbook.params, 'local');
    const problems: string[] = [];
    let statements = 0;
    for (const step of [...runbook.steps, runbook.restore, ...runbook.checklist, teardownStep(runbook)!]) {
      if (!runsOn(step, 'local')) continue;
      for (const query of step.cleanup ? [...step.queries, step.cleanup] : step.queries) {
        const text = sqlFor(query, 'local');
        for (const statement of splitStatements(renderTemplate(text.text, text.file, params).sql)) {
          statements++;
          const where = `${text.file}:${text.line + statement.line - 1} (step ${step.id})`;
          const action = translate(statement.sql);
          const sql =
            action.kind === 'sql' ? action.sql : action.kind === 'create-dynamic-table' ? `CREATE TABLE t AS ${action.query}` : undefined;
          if (action.kind === 'unsupported') problems.push(`${where}: ${action.message}`);
          if (sql === undefined) continue;
          try {
            await connection.extractStatements(sql);
          } catch (error) {
            problems.push(`${where}: ${(error as Error).message.split('\n')[0]}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(statements).toBeGreaterThan(50);
  });

  it('would catch a Snowflake-only statement left without a twin', async () => {
    const snowflakeOnly = (await import('node:fs')).readFileSync(new URL('../../sql/backup/create_backups.sql', import.meta.url), 'utf8');
    const first = splitStatements(snowflakeOnly)[0]!.sql;
    expect(translate(first).kind).toBe('sql');
    await expect(connection.extractStatements(first)).rejects.toThrow(/syntax error/i);
  });
});

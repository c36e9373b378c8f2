/**
 * The lint again at run time: a runbook that skipped `demo validate`, or code that calls an engine
 * directly, still cannot run a statement that changes things from a step not marked destructive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep } from '../../src/core/runner.js';
import { EngineError, type RunOptions } from '../../src/engine/types.js';
import type { LocalEngine } from '../../src/engine/local/index.js';
import type { Query, Step } from '../../src/runbook/model.js';
import { FakeSnowflake } from '../snowflake-server/server.js';
import { liveEngine, options, request } from '../snowflake/helpers.js';
import { openEngine, query, scalar, tempDir } from '../local/helpers.js';

const inline = (text: string): Query => ({ sql: { snowflake: { file: 'runbook.yml', text, line: 1 } }, expect: [] });

/** A step as a runbook that never went through validation would give it. */
function step(sql: string, more: Partial<Step> = {}): Step {
  return { id: 'sneaky', title: 'Sneaky', talk: [], display: 'table', destructive: false, long: false, cache: false, changes: [], queries: [inline(sql)], ...more };
}

const run: RunOptions = { signal: new AbortController().signal, maxRows: 10 };

describe('on the local engine', () => {
  let engine: LocalEngine;
  let dir: { dir: string; remove: () => void };
  const rows = () => scalar(engine, 'SELECT COUNT(*) FROM PATIENTS');

  beforeAll(async () => {
    dir = tempDir();
    engine = openEngine(dir.dir);
    await query(engine, 'CREATE TABLE PATIENTS AS SELECT range AS ID FROM range(100)');
  });
  afterAll(async () => {
    await engine.close();
    dir.remove();
  });

  it('fails a step not marked destructive that would delete, and deletes nothing', async () => {
    for (const sql of ['WITH x AS (SELECT 1) DELETE FROM PATIENTS', "SELECT 'a\\'; DELETE FROM PATIENTS; --'", 'INSERT OR REPLACE INTO PATIENTS VALUES (1)', 'EXPLAIN ANALYZE DELETE FROM PATIENTS']) {
      const outcome = await runStep({ engine, step: step(sql), params: {}, signal: new AbortController().signal });
      expect(outcome.status, sql).toBe('failed');
      expect(outcome.error, sql).toMatchObject({ code: 'NOT_ALLOWED', message: expect.stringMatching(/^refused to run: .* changes things, and step 'sneaky' is not marked destructive$/) });
      expect(await rows(), sql).toBe(100);
    }
  });

  it('refuses the statement when the engine is called directly, without saying the step may change things', async () => {
    const error = await engine.run({ sql: 'DELETE FROM PATIENTS', stepId: 'direct', index: 0, count: 1 }, run).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('NOT_ALLOWED');
    expect(await rows()).toBe(100);
    // A read still runs, and a destructive step's statement runs as before.
    expect((await engine.run({ sql: 'SELECT COUNT(*) AS N FROM PATIENTS', stepId: 'direct', index: 0, count: 1 }, run)).rows).toEqual([[100]]);
    const destructive = await runStep({ engine, step: step('DELETE FROM PATIENTS WHERE ID >= 90', { destructive: true }), params: {}, signal: new AbortController().signal });
    expect(destructive.status).toBe('done');
    expect(await rows()).toBe(90);
  });

  it("lets a cleanup size a warehouse but not change data, unless its step is destructive", async () => {
    const withCleanup = (cleanup: string) => step('SELECT 1 AS N', { cleanup: inline(cleanup) });
    expect((await runStep({ engine, step: withCleanup('ALTER WAREHOUSE WH SET WAREHOUSE_SIZE = XSMALL'), params: {}, signal: new AbortController().signal })).status).toBe('done');
    const outcome = await runStep({ engine, step: withCleanup('DROP TABLE PATIENTS'), params: {}, signal: new AbortController().signal });
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toMatch(/cleanup failed: refused to run: DROP TABLE changes things, and this part of step 'sneaky' may only read or size a warehouse/);
    expect(await rows()).toBe(90);
  });
});

describe('on the Snowflake engine', () => {
  let server: FakeSnowflake;
  let live: Awaited<ReturnType<typeof liveEngine>>;
  beforeAll(async () => {
    server = await FakeSnowflake.start();
    live = await liveEngine(server);
  });
  afterAll(async () => {
    await live.engine.close();
    await server.close();
  });

  it('never sends a statement that does more than its request allows', async () => {
    for (const sql of ["EXECUTE IMMEDIATE 'DROP TABLE t'", 'ALTER TABLE a RENAME TO b', 'SELECT 1 // comment\n; DROP TABLE t']) {
      const error = await live.engine.run(request(sql), options()).catch((e: unknown) => e);
      expect((error as EngineError).code, sql).toBe('NOT_ALLOWED');
      expect(server.find(/drop table|rename to/i), sql).toBeUndefined();
    }
    const warehouse = await live.engine.run(request('ALTER WAREHOUSE demo_wh SUSPEND'), options()).catch((e: unknown) => e);
    expect((warehouse as EngineError).code).toBe('NOT_ALLOWED');
    expect((await live.engine.run({ ...request('ALTER WAREHOUSE demo_wh SUSPEND'), allows: 'warehouse' }, options())).rows).toBeDefined();
    expect(server.find(/suspend/i)).toBeDefined();
  });
});

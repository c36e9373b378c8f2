/**
 * The bounds a presenter can live with, proven with the default settings (no shortened limits):
 * a login answers or fails within 15 s, a submit is answered with a query id within 15 s, a
 * statement whose status goes unanswered for 20 s is lost, a finished statement's result arrives
 * within 60 s. The cases wait for real, side by side, each against a fake Snowflake of its own.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/engine/snowflake/index.js';
import { EngineError } from '../../src/engine/types.js';
import { waitFor } from '../helpers.js';
import { FakeSnowflake } from '../snowflake-server/server.js';
import { figure, liveEngine, options, preloadDriver, printFigures, request, timed } from './helpers.js';

const { loginTimeoutMs, submitTimeoutMs, lostAfterMs, resultTimeoutMs } = DEFAULT_LIMITS;
/** The engine's own waits around a fault: one status poll, and the cancel it tries (1 s each). */
const POLL_MS = 1_000;
const CANCEL_WAIT_MS = 1_000;
/** A loaded machine's slack. */
const SLACK_MS = 3_000;
const closers: (() => Promise<void>)[] = [];

beforeAll(preloadDriver);

afterAll(async () => {
  await Promise.all(closers.map((close) => close().catch(() => {})));
  printFigures();
});

async function setUp(connect = true) {
  const server = await FakeSnowflake.start();
  const live = await liveEngine(server, { defaults: true });
  closers.push(() => live.engine.close(), () => server.close());
  if (connect) await live.engine.connect(new AbortController().signal);
  return { server, engine: live.engine };
}

test('the defaults are the ones the README promises', () => {
  expect(DEFAULT_LIMITS).toEqual({ loginTimeoutMs: 15_000, submitTimeoutMs: 15_000, lostAfterMs: 20_000, resultTimeoutMs: 60_000 });
});

describe.concurrent('with the default limits', { timeout: 120_000 }, () => {
  // First: vitest runs five at a time, and this is the longest.
  test('a finished statement whose result is never sent fails at 60 s', async () => {
    const { server, engine } = await setUp();
    server.fault('result', 'hang');
    const { error, ms } = await timed(engine.run(request('select 1 as never_sent'), options({ timeoutMs: 5 * 60_000 })));
    expect((error as EngineError).code).toBe('RESULT_TIMEOUT');
    expect(ms).toBeGreaterThanOrEqual(resultTimeoutMs - 50);
    expect(ms).toBeLessThan(resultTimeoutMs + POLL_MS + SLACK_MS);
    figure('default: result never sent', ms, 'RESULT_TIMEOUT');
  });

  test('a login never answered fails at 15 s', async () => {
    const { server, engine } = await setUp(false);
    server.stopAnswering();
    const { error, ms } = await timed(engine.connect(new AbortController().signal));
    expect((error as EngineError).code).toBe('LOGIN_TIMEOUT');
    expect(error!.message).toMatch(/^Snowflake did not answer the login within 15 s /);
    expect(ms).toBeGreaterThanOrEqual(loginTimeoutMs - 50);
    expect(ms).toBeLessThan(loginTimeoutMs + SLACK_MS);
    figure('default: login never answered', ms, 'LOGIN_TIMEOUT');
  });

  test('a query request never answered while heartbeats are fails at 15 s, not at the step timeout', async () => {
    const { server, engine } = await setUp();
    server.fault('query', 'hang');
    const { error, ms } = await timed(engine.run(request('select 1 as silent'), options({ timeoutMs: 5 * 60_000 })));
    expect((error as EngineError).code).toBe('SUBMIT_TIMEOUT');
    expect(ms).toBeGreaterThanOrEqual(submitTimeoutMs - 50);
    expect(ms).toBeLessThan(submitTimeoutMs + CANCEL_WAIT_MS + SLACK_MS);
    figure('default: query request never answered (heartbeats answered)', ms, 'SUBMIT_TIMEOUT');
  });

  test('a connection reset on every query fails at 15 s', async () => {
    const { server, engine } = await setUp();
    server.fault('query', 'reset');
    const { error, ms } = await timed(engine.run({ sql: 'CREATE TABLE R CLONE O', stepId: 'restore', index: 0, count: 1, allows: 'changes' }, options({ long: true, timeoutMs: 2 * 60 * 60_000 })));
    expect((error as EngineError).code).toBe('SUBMIT_TIMEOUT');
    expect(ms).toBeLessThan(submitTimeoutMs + CANCEL_WAIT_MS + SLACK_MS);
    figure('default: connection reset on every query (long step)', ms, 'SUBMIT_TIMEOUT');
  });

  test('a statement whose status goes unanswered is lost at 20 s', async () => {
    const { server, engine } = await setUp();
    server.script({ match: /unanswered_status/, plan: { runMs: 10 * 60_000 } });
    const running = engine.run(request('select * from unanswered_status'), options({ timeoutMs: 5 * 60_000 }));
    await waitFor(() => server.find(/unanswered_status/)?.polls);
    server.fault('status', 'hang');
    const fault = performance.now();
    const { error } = await timed(running);
    const ms = performance.now() - fault;
    expect((error as EngineError).code).toBe('CONNECTION_LOST');
    expect(ms).toBeGreaterThanOrEqual(lostAfterMs - POLL_MS - 50);
    expect(ms).toBeLessThan(lostAfterMs + CANCEL_WAIT_MS + SLACK_MS);
    figure('default: status polls unanswered', ms, 'CONNECTION_LOST');
  });

  test('a server that dies mid-statement: lost at 20 s', async () => {
    const { server, engine } = await setUp();
    server.script({ match: /dies_here/, plan: { runMs: 10 * 60_000 } });
    const running = engine.run({ sql: 'INSERT INTO T SELECT * FROM dies_here', stepId: 'scale', index: 0, count: 1, allows: 'changes' }, options({ long: true, timeoutMs: 2 * 60 * 60_000 }));
    await waitFor(() => server.find(/dies_here/)?.polls);
    await server.close();
    const fault = performance.now();
    const { error } = await timed(running);
    const ms = performance.now() - fault;
    expect((error as EngineError).code).toBe('CONNECTION_LOST');
    expect(error!.message).toMatch(/^Snowflake did not answer about query [0-9a-f-]{36} for 20 s /);
    expect(ms).toBeLessThan(lostAfterMs + SLACK_MS);
    figure('default: server dies mid-statement (long step)', ms, 'CONNECTION_LOST, kept for reattaching');
  });

});

/**
 * Every kind of request the driver makes — login, submit, status poll, result fetch, cancel,
 * heartbeat, logout — meeting every way a network or a server misbehaves: never answered, reset,
 * rejected, HTTP 500, or the server dying mid-statement. Each ends within its limit with a message
 * that is true. The limits are shrunk here and shown to scale with their setting; limits.test.ts
 * proves the defaults themselves.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Internals, SnowflakeEngine } from '../../src/engine/snowflake/index.js';
import { CancelledError, EngineError, type ConnectionState } from '../../src/engine/types.js';
import { waitFor } from '../helpers.js';
import { FakeSnowflake, type Fault } from '../snowflake-server/server.js';
import { FAST, figure, liveEngine, options, preloadDriver, printFigures, request, timed } from './helpers.js';

const opened: { server: FakeSnowflake; engine: SnowflakeEngine }[] = [];

beforeAll(preloadDriver);

afterAll(async () => {
  await Promise.all(opened.map(async ({ server, engine }) => {
    await engine.close();
    await server.close().catch(() => {});
  }));
  printFigures();
});

/** A fake Snowflake of its own (faults hit the whole server) and an engine connected to it. */
async function connected(internals: Partial<Internals> = {}) {
  const server = await FakeSnowflake.start();
  const live = await liveEngine(server, { internals });
  opened.push({ server, engine: live.engine });
  const states: ConnectionState[] = [];
  live.engine.onConnectionState = (state) => states.push(state);
  await live.engine.connect(new AbortController().signal);
  return { server, engine: live.engine, stateDir: live.stateDir, states };
}

/** A long-running statement, so that only the fault can end it. */
function slow(server: FakeSnowflake, name: string, runMs = 60_000) {
  server.script({ match: new RegExp(name), plan: { runMs, states: ['RUNNING'], columns: [{ name: 'N', type: 'fixed' }], rows: [['1']] } });
  return request(`select * from ${name}`, name);
}

/** No earlier than the limit, and not much after it (the cancel attempt and a loaded machine). */
function withinLimit(ms: number, limit: number, extra = FAST.cancelWaitMs!) {
  expect(ms).toBeGreaterThanOrEqual(limit - 50);
  expect(ms).toBeLessThan(limit + extra + 2_000);
}

describe.concurrent('login', () => {
  test.for([1_000, 2_000])('never answered: fails at login_timeout (%i ms), and the state says so', async (limit) => {
    const server = await FakeSnowflake.start();
    server.fault('login', 'hang');
    const live = await liveEngine(server, { internals: { loginTimeoutMs: limit } });
    opened.push({ server, engine: live.engine });
    const { error, ms } = await timed(live.engine.connect(new AbortController().signal));
    expect((error as EngineError).code).toBe('LOGIN_TIMEOUT');
    expect(error!.message).toBe(`Snowflake did not answer the login within ${limit / 1000} s (account testaccount at http://127.0.0.1:${server.port})`);
    expect(live.engine.connectionState).toEqual({ status: 'failed', reason: error!.message });
    withinLimit(ms, limit, 0);
    figure(`login never answered (login_timeout ${limit / 1000} s)`, ms, 'LOGIN_TIMEOUT');
  });

  test.for<[Fault, RegExp]>([
    ['reset', /^cannot reach Snowflake at http:\/\/127\.0\.0\.1:\d+: connection reset$/],
    ['http500', /^Snowflake at http:\/\/127\.0\.0\.1:\d+ answered the login with HTTP 500$/],
    ['reject', /^login to Snowflake failed for user 'demo' on account 'testaccount': Fake Snowflake: this request was rejected on purpose\.$/],
  ])('%s: a clear message in seconds', async ([fault, message]) => {
    const server = await FakeSnowflake.start();
    server.fault('login', fault);
    const live = await liveEngine(server);
    opened.push({ server, engine: live.engine });
    const { error, ms } = await timed(live.engine.connect(new AbortController().signal));
    expect(error!.message).toMatch(message);
    expect((error as EngineError).connectionFault).toBe(true);
    // The driver tries a login twice, a second or three apart.
    expect(ms).toBeLessThan(5_000);
    figure(`login ${fault}`, ms, (error as EngineError).code ?? '');
  });
});

describe.concurrent('submitting a statement', () => {
  test.for([1_000, 2_000])('never answered: fails at submit_timeout (%i ms), withdrawn by request id', async (limit) => {
    const { server, engine } = await connected({ submitTimeoutMs: limit });
    server.fault('query', 'hang');
    const { error, ms } = await timed(engine.run(request('select 1 as unanswered'), options({ timeoutMs: 300_000 })));
    expect((error as EngineError).code).toBe('SUBMIT_TIMEOUT');
    expect(error!.message).toBe(`Snowflake did not answer the request to run the statement within ${limit / 1000} s: the request was withdrawn`);
    // Held before the server saw it as a query: the request id is in the request it never answered.
    const sent = server.requests.find((r) => r.path === '/queries/v1/query-request' && JSON.stringify(r.body).includes('unanswered'))!;
    expect(server.aborts).toContain(new URLSearchParams(sent.search).get('requestId'));
    withinLimit(ms, limit);
    figure(`submit never answered (submit_timeout ${limit / 1000} s)`, ms, 'SUBMIT_TIMEOUT');
  });

  test.for<Fault>(['reset', 'http500'])('%s on every query: the driver retries in silence; the submit limit ends it', async (fault) => {
    const { server, engine, states } = await connected();
    server.fault('query', fault);
    const { error, ms } = await timed(engine.run(request('select 1 as retried'), options({ timeoutMs: 300_000 })));
    expect((error as EngineError).code).toBe('SUBMIT_TIMEOUT');
    expect((error as EngineError).connectionFault).toBe(true);
    expect(error!.message).toMatch(/^Snowflake did not answer the request to run the statement within 2 s: /);
    withinLimit(ms, FAST.submitTimeoutMs!);
    expect(states.at(-1)).toEqual({ status: 'failed', reason: error!.message });
    figure(`submit: ${fault} on every query (submit_timeout 2 s)`, ms, 'SUBMIT_TIMEOUT');
  });

  test('rejected at once: the server\'s own code and message, and the session goes on', async () => {
    const { server, engine } = await connected();
    server.fault('query', 'reject');
    const { error, ms } = await timed(engine.run(request('select 1 as refused'), options()));
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('000605');
    expect(error!.message).toBe('Fake Snowflake: this request was rejected on purpose.');
    // At once: before any limit could have fired.
    expect(ms).toBeLessThan(FAST.submitTimeoutMs!);
    server.fault('query', undefined);
    expect((await engine.run(request('select 1'), options())).rows).toEqual([[1]]);
  });

  test('a long step whose submit is refused (compilation error) fails with it, and nothing is saved as running', async () => {
    const { server, engine, stateDir } = await connected();
    server.script({ match: /CREATE OR REPLACE TABLE BROKEN/, plan: { reject: { code: '001003', sqlState: '42000', message: "SQL compilation error:\nsyntax error line 1 at position 7 unexpected 'OR'." } } });
    const { error, ms } = await timed(engine.run({ sql: 'CREATE OR REPLACE TABLE BROKEN AS SELECT 1', stepId: 'scale', index: 0, count: 1, allows: 'changes' }, options({ long: true })));
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('001003');
    expect(error!.message).toBe("SQL compilation error:\nsyntax error line 1 at position 7 unexpected 'OR'.");
    expect((error as EngineError).queryId).toMatch(/^[0-9a-f-]{36}$/);
    // At once: before any limit could have fired.
    expect(ms).toBeLessThan(FAST.submitTimeoutMs!);
    expect(fs.existsSync(path.join(stateDir, 'snowflake', 'running'))).toBe(false);
    figure('long step: submit refused (compilation error)', ms, '001003, nothing saved as running');
  });

  test('a long step accepted then failing on Snowflake says so with its code, and is forgotten', async () => {
    const { server, engine, stateDir } = await connected();
    server.script({ match: /FAILS_LATER/, plan: { runMs: 300, error: { code: '100038', sqlState: '22018', message: "Numeric value 'x' is not recognized" } } });
    const { error } = await timed(engine.run({ sql: 'INSERT INTO T SELECT * FROM FAILS_LATER', stepId: 'scale', index: 0, count: 1, allows: 'changes' }, options({ long: true })));
    expect((error as EngineError).code).toBe('100038');
    expect(error!.message).toBe("Numeric value 'x' is not recognized");
    expect(fs.existsSync(path.join(stateDir, 'snowflake', 'running', 'scale.0.json'))).toBe(false);
  });

  test('a server that is gone before the submit: the submit limit ends the driver\'s retries, nothing saved', async () => {
    const { server, engine, stateDir } = await connected();
    await server.close();
    const { error, ms } = await timed(engine.run({ sql: 'CREATE TABLE X CLONE Y', stepId: 'restore', index: 0, count: 1, allows: 'changes' }, options({ long: true })));
    expect((error as EngineError).code).toBe('SUBMIT_TIMEOUT');
    expect(error!.message).not.toMatch(/undefined/);
    withinLimit(ms, FAST.submitTimeoutMs!);
    expect(fs.existsSync(path.join(stateDir, 'snowflake', 'running'))).toBe(false);
    figure('server gone before a long submit (submit_timeout 2 s)', ms, 'SUBMIT_TIMEOUT, nothing saved');
  });
});

describe.concurrent('a running statement', () => {
  test.for([1_000, 2_000])('status never answered: lost at lost_after (%i ms), cancelled', async (limit) => {
    const { server, engine } = await connected({ lostAfterMs: limit });
    const slowOne = slow(server, 'status_hang');
    const running = engine.run(slowOne, options({ timeoutMs: 300_000 }));
    await waitFor(() => server.find(/status_hang/));
    server.fault('status', 'hang');
    const fault = performance.now();
    const { error } = await timed(running);
    const ms = performance.now() - fault;
    expect((error as EngineError).code).toBe('CONNECTION_LOST');
    expect(error!.message).toMatch(new RegExp(`^Snowflake did not answer about query [0-9a-f-]{36} for ${limit / 1000} s \\(last: status request: no answer within 0\\.5 s\\): it was cancelled$`));
    expect(server.find(/status_hang/)!.abortedAt).toBeDefined();
    // The deadline runs from the last status answered, up to one poll before the fault.
    withinLimit(ms, limit - FAST.pollIntervalMs!);
    figure(`status never answered (lost_after ${limit / 1000} s)`, ms, 'CONNECTION_LOST, cancelled');
  });

  test.for<Fault>(['reset', 'reject', 'http500'])('status %s: no status is no proof of life: lost at lost_after', async (fault) => {
    const { server, engine } = await connected();
    const running = engine.run(slow(server, `status_${fault}`), options({ timeoutMs: 300_000 }));
    await waitFor(() => server.find(new RegExp(`status_${fault}`)));
    server.fault('status', fault);
    const { error } = await timed(running);
    expect((error as EngineError).code).toBe('CONNECTION_LOST');
    expect(error!.message).toMatch(/^Snowflake did not answer about query [0-9a-f-]{36} for 2 s \(last: .+\): it was cancelled$/);
  });

  test('the server dies mid-statement: lost within lost_after, and the next statement says it cannot connect', async () => {
    const { server, engine, states } = await connected();
    const running = engine.run(slow(server, 'dies_mid_statement'), options({ timeoutMs: 300_000 }));
    await waitFor(() => server.find(/dies_mid_statement/)?.polls);
    await server.close();
    const fault = performance.now();
    const { error } = await timed(running);
    const ms = performance.now() - fault;
    expect((error as EngineError).code).toBe('CONNECTION_LOST');
    expect(error!.message).toMatch(/^Snowflake did not answer about query [0-9a-f-]{36} for 2 s \(last: .+\): it may still be running there until its statement timeout$/);
    withinLimit(ms, FAST.lostAfterMs! - FAST.pollIntervalMs!);
    expect(states.at(-1)).toMatchObject({ status: 'failed' });
    const next = await timed(engine.run(request('select 1'), options()));
    expect(next.error!.message).toMatch(/^cannot reach Snowflake at http:\/\/127\.0\.0\.1:\d+: connection refused$/);
    figure('server dies mid-statement (lost_after 2 s)', ms, 'CONNECTION_LOST; next: connection refused');
  });

  test('the server dies mid-restore: the long statement is lost with its query id, kept for reattaching', async () => {
    const { server, engine, stateDir } = await connected();
    const running = engine.run({ sql: 'CREATE OR REPLACE TABLE P CLONE P_ORIGINAL', stepId: 'restore', index: 0, count: 1, allows: 'changes' }, options({ long: true }));
    server.script({ match: /CLONE P_ORIGINAL/, plan: { runMs: 60_000, states: ['RUNNING'] } });
    const saved = path.join(stateDir, 'snowflake', 'running', 'restore.0.json');
    await waitFor(() => fs.existsSync(saved));
    await server.close();
    const { error } = await timed(running);
    const queryId = JSON.parse(fs.readFileSync(saved, 'utf8')).queryId;
    expect(queryId).toMatch(/^[0-9a-f-]{36}$/);
    expect((error as EngineError).code).toBe('CONNECTION_LOST');
    expect(error!.message).toMatch(new RegExp(`^Snowflake did not answer about query ${queryId} for 2 s \\(last: .+\\): it may still be running there$`));
    expect((error as EngineError).hint).toMatch(/run the step again to reattach/);
  });

  test('a lost long statement is reattached to once Snowflake answers again', async () => {
    const { server, engine, stateDir } = await connected();
    const sql = 'ALTER DYNAMIC TABLE D REFRESH';
    server.script({ match: /ALTER DYNAMIC TABLE D REFRESH/, plan: { runMs: 3_000, states: ['RUNNING'] } });
    const running = engine.run({ sql, stepId: 'refresh', index: 0, count: 1, allows: 'changes' }, options({ long: true }));
    await waitFor(() => fs.existsSync(path.join(stateDir, 'snowflake', 'running', 'refresh.0.json')));
    server.fault('status', 'hang');
    expect(((await timed(running)).error as EngineError).code).toBe('CONNECTION_LOST');
    server.fault('status', undefined);
    const again = await engine.run({ sql, stepId: 'refresh', index: 0, count: 1, allows: 'changes' }, options({ long: true }));
    expect(again.notice).toMatch(/^reattached to query /);
    expect([...server.queries.values()].filter((q) => q.sql === sql)).toHaveLength(1);
  });
});

describe.concurrent('fetching the result', () => {
  test.for([1_000, 2_000])('never answered once finished: fails at result_timeout (%i ms)', async (limit) => {
    const { server, engine } = await connected({ resultTimeoutMs: limit });
    server.fault('result', 'hang');
    server.script({ match: /result_hang/, plan: { runMs: 200, columns: [{ name: 'N', type: 'fixed' }], rows: [['1']] } });
    const { error, ms } = await timed(engine.run(request('select * from result_hang'), options({ timeoutMs: 300_000 })));
    expect((error as EngineError).code).toBe('RESULT_TIMEOUT');
    expect(error!.message).toMatch(new RegExp(`^Snowflake finished query [0-9a-f-]{36} but did not send its result within ${limit / 1000} s$`));
    // The statement runs 0.2 s, then its status is seen within a poll; no cancel to wait for.
    withinLimit(ms - 200, limit, FAST.pollIntervalMs!);
    figure(`result never answered (result_timeout ${limit / 1000} s)`, ms, 'RESULT_TIMEOUT');
  });

  test('a request for the result dropped on the way (a proxy) is asked again once the statement has finished; the result is shown', async () => {
    const { server, engine } = await connected();
    server.script({ match: /dropped_once/, plan: { runMs: 300, dropFirstResult: true, columns: [{ name: 'N', type: 'fixed' }], rows: [['42']] } });
    const { value, ms } = await timed(engine.run(request('select * from dropped_once'), options()));
    expect(value?.rows).toEqual([[42]]);
    expect(server.find(/dropped_once/)!.polls).toBeGreaterThanOrEqual(2);
    // Asked again a quarter of the result limit after the finish, well before the limit itself.
    expect(ms).toBeLessThan(300 + FAST.resultTimeoutMs!);
    figure('result request dropped once (result_timeout 2 s)', ms, 'asked again; result shown');
  });

  test.for<Fault>(['reset', 'http500'])('result %s every time: the result limit ends the driver\'s retries', async (fault) => {
    const { server, engine } = await connected();
    server.fault('result', fault);
    const { error } = await timed(engine.run(request('select 1 as unfetchable'), options({ timeoutMs: 300_000 })));
    expect((error as EngineError).code).toBe('RESULT_TIMEOUT');
  });

  test('result rejected: the server\'s error, at once', async () => {
    const { server, engine } = await connected();
    server.fault('result', 'reject');
    const { error, ms } = await timed(engine.run(request('select 1 as rejected_result'), options()));
    expect((error as EngineError).code).toBe('000605');
    // At once: before any limit could have fired.
    expect(ms).toBeLessThan(FAST.submitTimeoutMs!);
  });

  test('a long step whose result does not arrive is kept, and fetched by the next run', async () => {
    const { server, engine, stateDir } = await connected();
    const sql = "ALTER WAREHOUSE W SET WAREHOUSE_SIZE = 'LARGE'";
    server.script({ match: /WAREHOUSE_SIZE = 'LARGE'/, plan: { runMs: 100, columns: [{ name: 'status', type: 'text' }], rows: [['Statement executed successfully.']] } });
    server.fault('result', 'hang');
    const { error } = await timed(engine.run({ sql, stepId: 'scale', index: 0, count: 1, allows: 'changes' }, options({ long: true })));
    expect((error as EngineError).code).toBe('RESULT_TIMEOUT');
    expect((error as EngineError).hint).toMatch(/run the step again to fetch the result/);
    expect(fs.existsSync(path.join(stateDir, 'snowflake', 'running', 'scale.0.json'))).toBe(true);
    server.fault('result', undefined);
    const again = await engine.run({ sql, stepId: 'scale', index: 0, count: 1, allows: 'changes' }, options({ long: true }));
    expect(again.rows).toEqual([['Statement executed successfully.']]);
    expect([...server.queries.values()].filter((q) => q.sql === sql)).toHaveLength(1);
  });
});

describe.concurrent('cancel, heartbeat and logout', () => {
  test.for<Fault>(['hang', 'reset'])('a cancel the server does not confirm (%s): said so within the cancel wait; the next statement reconnects', async (fault) => {
    const { server, engine } = await connected();
    const controller = new AbortController();
    const running = engine.run(slow(server, `abort_${fault}`), options({ signal: controller.signal, timeoutMs: 300_000 }));
    await waitFor(() => server.find(new RegExp(`abort_${fault}`))?.polls);
    server.fault('abort', fault);
    controller.abort();
    const { error, ms } = await timed(running);
    expect(error).toBeInstanceOf(CancelledError);
    expect(error!.message).toMatch(/^Cancelled here; Snowflake did not confirm that it stopped the statement \(query id [0-9a-f-]{36}\)$/);
    expect(ms).toBeLessThan(FAST.cancelWaitMs! + 2_000);
    server.fault('abort', undefined);
    const sessions = server.sessions.size;
    expect((await engine.run(request('select 1'), options())).rows).toEqual([[1]]);
    expect(server.sessions.size).toBe(sessions + 1);
  });

  test.for<Fault>(['hang', 'reset'])('heartbeats %s: statements do not depend on them', async (fault) => {
    const { server, engine } = await connected();
    server.fault('heartbeat', fault);
    server.script({ match: /takes_a_while/, plan: { runMs: 1_500, columns: [{ name: 'N', type: 'fixed' }], rows: [['5']] } });
    expect((await engine.run(request('select * from takes_a_while'), options())).rows).toEqual([[5]]);
  });

  test('between steps, a heartbeat that cannot reach Snowflake marks the connection failed; the next step reconnects', async () => {
    const { server, engine, states } = await connected({ idleCheckMs: 200 });
    expect(states.map((s) => s.status)).toEqual(['connecting', 'connected']);
    expect(states[1]).toEqual({ status: 'connected', detail: 'PUBLIC on DEMO_WH' });
    server.fault('heartbeat', 'reset');
    await waitFor(() => engine.connectionState?.status === 'failed');
    expect(engine.connectionState).toEqual({ status: 'failed', reason: expect.stringMatching(/^lost contact with Snowflake at http:\/\/127\.0\.0\.1:\d+: connection reset$/) });
    server.fault('heartbeat', undefined);
    expect((await engine.run(request('select 1'), options())).rows).toEqual([[1]]);
    expect(states.slice(-2).map((s) => s.status)).toEqual(['connecting', 'connected']);
  });

  test('a logout never answered: close() still returns in seconds', async () => {
    const { server, engine } = await connected();
    server.fault('logout', 'hang');
    const { ms } = await timed(engine.close());
    expect(ms).toBeLessThan(3_000);
  });
});

test('connection details are scrubbed for recordings and --json, secrets too', async () => {
  const { server, engine } = await connected();
  const raw =
    `Snowflake rejected the login of user 'demo' on account 'testaccount' at http://127.0.0.1:${server.port}: ` +
    `check user and password in ${engine.source}; TESTACCOUNT.snowflakecomputing.com; demo-runbook:Live Test:step; password="correct horse battery staple"`;
  const scrubbed = engine.scrub(raw);
  expect(engine.source).toMatch(/^connection 'fake' in \/.+\/connections\.toml$/);
  expect(scrubbed).toBe(
    "Snowflake rejected the login of user '<user>' on account '<account>' at <endpoint>: check user and password in connection 'fake' in connections.toml; " +
      '<account>.snowflakecomputing.com; demo-runbook:Live Test:step; password="[redacted]"',
  );
});

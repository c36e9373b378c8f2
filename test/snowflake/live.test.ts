/**
 * The real snowflake-sdk, through our engine, against the local fake Snowflake: the failures a
 * conference network produces, each timed from the fault to the clear error the presenter sees.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_LIMITS, type SnowflakeEngine } from '../../src/engine/snowflake/index.js';
import { CancelledError, EngineError, type StatementProgress } from '../../src/engine/types.js';
import { waitFor } from '../helpers.js';
import { FakeSnowflake } from '../snowflake-server/server.js';
import { figure, filesUnder, liveEngine, options, PASSWORD, printFigures, request, tempDir, timed } from './helpers.js';

const WRONG_PASSWORD = 'Tr0ub4dor&3-wrong';
let server: FakeSnowflake;
let engine: SnowflakeEngine;
let stateDir: string;
const stateDirs: string[] = [];
const seen: string[] = [];
const writes: string[] = [];
const restore: (() => void)[] = [];
let cwd: string;

/** Everything a presenter could see: kept for the secret scan at the end. */
function keep(value: unknown): void {
  seen.push(value instanceof Error ? `${value.message} ${(value as EngineError).hint ?? ''}` : JSON.stringify(value));
}

beforeAll(async () => {
  // Anything the driver (or we) print would land on the TUI: record every direct write.
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      writes.push(String(chunk));
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => (stream.write = original));
  }
  cwd = process.cwd();
  process.chdir(tempDir('cwd'));
  server = await FakeSnowflake.start();
  ({ engine, stateDir } = await liveEngine(server));
  stateDirs.push(stateDir);
  await engine.connect(new AbortController().signal);
});

afterAll(async () => {
  await engine?.close();
  await server?.close();
  process.chdir(cwd);
  for (const undo of restore) undo();
  // The reliability figures for the record: time from the fault to the error (or result) shown.
  printFigures();
});

describe('happy path', () => {
  test('typed columns, rows, query id, client and server timings, tagged and uncached', async () => {
    server.script({
      match: /from orders/,
      plan: {
        columns: [
          { name: 'ID', type: 'fixed' },
          { name: 'AMOUNT', type: 'fixed', scale: 2 },
          { name: 'NAME', type: 'text' },
          { name: 'ACTIVE', type: 'boolean' },
          { name: 'DAY', type: 'date' },
          { name: 'BIG', type: 'fixed' },
          { name: 'DOC', type: 'variant' },
        ],
        rows: [
          ['1', '12.50', 'Ada', 'true', '19000', '123456789012345678901', '{"a":1}'],
          ['2', null, null, 'false', null, '7', null],
        ],
      },
    });
    const result = await engine.run(request('select * from orders', 'top-orders'), options());
    keep(result);
    expect(result.columns).toEqual([
      { name: 'ID', type: 'number' },
      { name: 'AMOUNT', type: 'number' },
      { name: 'NAME', type: 'text' },
      { name: 'ACTIVE', type: 'boolean' },
      { name: 'DAY', type: 'date' },
      { name: 'BIG', type: 'number' },
      { name: 'DOC', type: 'json' },
    ]);
    // Big integers stay exact as text; a JS number would have changed the figure.
    expect(result.rows).toEqual([
      [1, 12.5, 'Ada', true, '2022-01-08', '123456789012345678901', '{"a":1}'],
      [2, null, null, false, null, 7, null],
    ]);
    expect(result).toMatchObject({ rowCount: 2, truncated: false, source: 'live' });
    expect(result.queryId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(result.server).toMatchObject({ compilationMs: 3, warehouseSize: 'X-Small' });
    expect(result.notice).toBeUndefined();
    const sent = server.queries.get(result.queryId!)!;
    expect(sent.parameters).toMatchObject({ QUERY_TAG: 'demo-runbook:Live Test:top-orders', USE_CACHED_RESULT: false, STATEMENT_TIMEOUT_IN_SECONDS: 60 });
  });

  test('a runbook that allows the result cache gets it, and the screen is told', async () => {
    const result = await engine.run(request('select 42'), options({ useCachedResult: true }));
    expect(server.queries.get(result.queryId!)!.parameters.USE_CACHED_RESULT).toBe(true);
    expect(result.notice).toMatch(/result cache is allowed/);
  });

  test('the login carried the connection settings and no password reached our files', async () => {
    const login = [...server.sessions.values()][0]!.loginBody;
    expect(login).toMatchObject({ LOGIN_NAME: 'demo', ACCOUNT_NAME: 'testaccount' });
    expect(server.requests.find((r) => r.path === '/session/v1/login-request')!.search).toContain('warehouse=DEMO_WH');
  });
});

describe('login failures fail in seconds, with a clear message', () => {
  test('wrong password (390100)', async () => {
    const live = await liveEngine(server, { extra: `password = "${WRONG_PASSWORD}"` });
    stateDirs.push(live.stateDir);
    const { error, ms } = await timed(live.engine.connect(new AbortController().signal));
    keep(error);
    expect(error).toBeInstanceOf(EngineError);
    expect(error!.message).toBe("Snowflake rejected the login of user 'demo' on account 'testaccount': incorrect user name or password");
    expect((error as EngineError).code).toBe('390100');
    expect((error as EngineError).hint).toMatch(/^check user and password in connection 'fake' in .*connections\.toml$/);
    expect(ms).toBeLessThan(10_000);
    figure('wrong password (390100)', ms, 'login rejected → EngineError');
    await live.engine.close();

    // When the password comes from the environment, the hint says so.
    const fromEnv = await liveEngine(server, { env: { SNOWFLAKE_PASSWORD: WRONG_PASSWORD } });
    stateDirs.push(fromEnv.stateDir);
    const second = await timed(fromEnv.engine.connect(new AbortController().signal));
    keep(second.error);
    expect((second.error as EngineError).hint).toMatch(/^check user in connection 'fake' in .*connections\.toml, and SNOWFLAKE_PASSWORD \(set in the environment\)$/);
  });

  test('nothing listening on the port', async () => {
    const closed = await freePort();
    const live = await liveEngine(server, { env: { SNOWFLAKE_PORT: String(closed) } });
    stateDirs.push(live.stateDir);
    const { error, ms } = await timed(live.engine.connect(new AbortController().signal));
    keep(error);
    expect(error!.message).toBe(`cannot reach Snowflake at http://127.0.0.1:${closed}: connection refused`);
    expect(ms).toBeLessThan(10_000);
    figure('unreachable host (connection refused)', ms, 'login → EngineError');
  });

  test('a server that never answers the login', async () => {
    const silent = await FakeSnowflake.start();
    silent.stopAnswering();
    const live = await liveEngine(silent, { extra: `password = "${PASSWORD}"\nlogin_timeout = 1.5` });
    stateDirs.push(live.stateDir);
    const { error, ms } = await timed(live.engine.connect(new AbortController().signal));
    keep(error);
    expect(error!.message).toBe(`Snowflake did not answer the login within 1.5 s (account testaccount at http://127.0.0.1:${silent.port})`);
    expect((error as EngineError).hint).toMatch(/--login-timeout, or login_timeout in connections\.toml/);
    expect(live.engine.connectionState).toEqual({ status: 'failed', reason: error!.message });
    expect(ms).toBeLessThan(2_500);
    figure('login: server never answers (login_timeout 1.5 s)', ms, 'EngineError LOGIN_TIMEOUT');
    await silent.close();
  });
});

describe('statement errors', () => {
  test('object does not exist (002003) says so, with the query id and a hint; the session goes on', async () => {
    server.script({ match: /from nowhere/, plan: { error: { code: '002003', sqlState: '42S02', message: "SQL compilation error:\nObject 'NOWHERE' does not exist or not authorized." } } });
    const { error, ms } = await timed(engine.run(request('select * from nowhere'), options()));
    keep(error);
    expect(error).toBeInstanceOf(EngineError);
    expect(error!.message).toBe("SQL compilation error:\nObject 'NOWHERE' does not exist or not authorized.");
    expect((error as EngineError).code).toBe('002003');
    expect((error as EngineError).queryId).toMatch(/^[0-9a-f-]{36}$/);
    expect((error as EngineError).hint).toMatch(/role .* has been granted access/);
    figure('object does not exist (002003)', ms, 'EngineError, same session');
    const sessions = server.sessions.size;
    expect((await engine.run(request('select 1'), options())).rows).toEqual([[1]]);
    expect(server.sessions.size).toBe(sessions);
  });

  test('statement timeout (000630)', async () => {
    server.script({ match: /slow_by_policy/, plan: { runMs: 300, error: { code: '000630', sqlState: '57014', message: 'Statement reached its statement or warehouse timeout of 1 second(s) and was canceled.' } } });
    const { error, ms } = await timed(engine.run(request('select * from slow_by_policy'), options()));
    keep(error);
    expect(error!.message).toMatch(/^Snowflake stopped the statement: it ran longer than the statement timeout\. Statement reached/);
    expect((error as EngineError).hint).toMatch(/raise the step's 'timeout'/);
    figure('statement timeout (000630)', ms - 300, 'server error → EngineError');
  });
});

describe('sessions', () => {
  test('a session that ended during a long pause is replaced, and the statement runs once', async () => {
    server.expireSessions();
    const sessions = server.sessions.size;
    const { value, ms } = await timed(engine.run(request('select 1 as after_the_break'), options()));
    expect(value?.rows).toEqual([[1]]);
    expect(server.sessions.size).toBe(sessions + 1);
    expect([...server.queries.values()].filter((q) => /after_the_break/.test(q.sql))).toHaveLength(1);
    figure('session expired during a pause', ms, 're-login, statement sent once');
  });
});

describe('cancel and watchdog', () => {
  test('Ctrl-C on a slow query aborts it on the server and says so (000604)', async () => {
    server.script({ match: /slow_cancel/, plan: { runMs: 20_000 } });
    const controller = new AbortController();
    const running = engine.run(request('select * from slow_cancel'), options({ signal: controller.signal }));
    await waitFor(() => server.find(/slow_cancel/)?.polls);
    const query = server.find(/slow_cancel/)!;
    controller.abort();
    const { error, ms } = await timed(running);
    keep(error);
    expect(error).toBeInstanceOf(CancelledError);
    expect(error!.message).toBe('Cancelled: Snowflake stopped the statement');
    expect(server.aborts).toContain(query.id);
    expect(query.abortedAt).toBeDefined();
    expect(ms).toBeLessThan(2_000);
    figure('user cancel of a slow query (000604)', ms, 'abort-request received; CancelledError');
    expect((await engine.run(request('select 1'), options())).rows).toEqual([[1]]);
  });

  test('a server that stops answering mid-query: clear error within the limit, next statement on a new connection', async () => {
    server.script({ match: /dead_mid_query/, plan: { runMs: 60_000 } });
    // Under the liveness probe's 1.2 s, so that it is the watchdog that fires here.
    const timeoutMs = 1_000;
    const running = engine.run(request('select * from dead_mid_query'), watchdog(timeoutMs));
    await waitFor(() => server.find(/dead_mid_query/)?.polls);
    server.stopAnswering();
    const fault = performance.now();
    const { error } = await timed(running);
    const ms = performance.now() - fault;
    keep(error);
    expect(error).toBeInstanceOf(EngineError);
    expect(error!.message).toMatch(/^the step's time limit of 1 s passed before query ([0-9a-f-]{36}) finished: Snowflake did not confirm the cancel \(query id \1\); the connection will be rebuilt$/);
    // The runner gives an engine 2 s after its watchdog before it stops waiting.
    expect(ms).toBeLessThan(timeoutMs + 2_000);
    figure('server stops answering mid-query (watchdog 1 s)', ms, 'EngineError WATCHDOG, connection dropped');
    server.resumeAnswering();
    const sessions = server.sessions.size;
    const recovered = await timed(engine.run(request('select 1', 'restore'), options()));
    expect(recovered.value?.rows).toEqual([[1]]);
    expect(server.sessions.size).toBe(sessions + 1);
    figure('next statement after the outage (re-login)', recovered.ms, 'restore reachable');
  });

  test('the network dies under a long-limit statement: its status goes unanswered, it is lost within lost_after', async () => {
    server.script({ match: /dead_long_limit/, plan: { runMs: 60_000 } });
    const running = engine.run(request('select * from dead_long_limit'), options({ timeoutMs: 300_000 }));
    await waitFor(() => server.find(/dead_long_limit/)?.polls);
    server.stopAnswering();
    const fault = performance.now();
    const { error } = await timed(running);
    const ms = performance.now() - fault;
    keep(error);
    expect((error as EngineError).code).toBe('CONNECTION_LOST');
    expect((error as EngineError).connectionFault).toBe(true);
    expect(error!.message).toMatch(
      /^Snowflake did not answer about query [0-9a-f-]{36} for 2 s \(last: status request: no answer within 0\.5 s\): it may still be running there until its statement timeout$/,
    );
    // lost_after (2 s here), plus the last status answer's age (one poll) and the 0.8 s cancel attempt.
    expect(ms).toBeLessThan(2_000 + 100 + 800 + 1_000);
    expect(engine.connectionState).toMatchObject({ status: 'failed', reason: error!.message });
    figure('network dies, step limit 5 min (lost_after 2 s)', ms, 'EngineError CONNECTION_LOST');
    server.resumeAnswering();
    expect((await engine.run(request('select 1'), options())).rows).toEqual([[1]]);
    expect(engine.connectionState).toEqual({ status: 'connected', detail: 'PUBLIC on DEMO_WH' });
  });

  test('a query request that is never answered (server alive) fails within submit_timeout and is withdrawn by request id', async () => {
    server.script({ match: /stuck_request/, plan: { hang: true } });
    const { error, ms } = await timed(engine.run(request('select * from stuck_request'), options({ timeoutMs: 300_000 })));
    keep(error);
    expect((error as EngineError).code).toBe('SUBMIT_TIMEOUT');
    expect(error!.message).toBe('Snowflake did not answer the request to run the statement within 2 s: the request was withdrawn');
    expect(server.aborts).toContain(server.find(/stuck_request/)!.requestId);
    expect(ms).toBeLessThan(2_000 + 800 + 1_000);
    figure('query request never answered (submit_timeout 2 s)', ms, 'abort by request id; EngineError SUBMIT_TIMEOUT');
  });
});

describe('transient network faults are ridden out', () => {
  // With the default limits: the driver's own retries wait a second or three, well within them.
  let patient: SnowflakeEngine;
  beforeAll(async () => {
    const live = await liveEngine(server, { internals: { submitTimeoutMs: DEFAULT_LIMITS.submitTimeoutMs, lostAfterMs: DEFAULT_LIMITS.lostAfterMs, resultTimeoutMs: DEFAULT_LIMITS.resultTimeoutMs } });
    stateDirs.push(live.stateDir);
    patient = live.engine;
  });
  afterAll(() => patient?.close());

  test('connection reset while polling for the result', async () => {
    server.script({ match: /reset_mid_query/, plan: { runMs: 300, reset: 'result', columns: [{ name: 'N', type: 'fixed' }], rows: [['7']] } });
    const { value, ms } = await timed(patient.run(request('select * from reset_mid_query'), options()));
    expect(value?.rows).toEqual([[7]]);
    figure('connection reset mid-query', ms, 'driver retried; result shown');
  });

  test('connection reset on the query request itself (Snowflake dedupes by request id)', async () => {
    server.script({ match: /reset_request/, plan: { reset: 'request', columns: [{ name: 'N', type: 'fixed' }], rows: [['8']] } });
    const { value, ms } = await timed(patient.run(request('select * from reset_request'), options()));
    expect(value?.rows).toEqual([[8]]);
    expect([...server.queries.values()].filter((q) => /reset_request/.test(q.sql))).toHaveLength(1);
    figure('connection reset on the query request', ms, 'driver retried; ran once');
  });

  test('503 then success', async () => {
    server.script({ match: /flaky_503/, plan: { http503: 1, columns: [{ name: 'N', type: 'fixed' }], rows: [['9']] } });
    const { value, ms } = await timed(patient.run(request('select * from flaky_503'), options()));
    expect(value?.rows).toEqual([[9]]);
    figure('HTTP 503 then success', ms, 'driver retried; result shown');
  });
});

describe('large results', () => {
  test('a million rows: the first rows and the full count, without downloading the rest', async () => {
    const count = 1_000_000;
    server.script({
      match: /from big_table/,
      plan: {
        columns: [{ name: 'I', type: 'fixed' }, { name: 'LABEL', type: 'text' }, { name: 'V', type: 'real' }],
        generate: { count, chunkSize: 5_000, row: (i) => [String(i), `row number ${i}`, String(i / 3)] },
      },
    });
    const before = process.memoryUsage().heapUsed;
    const { value, ms } = await timed(engine.run(request('select * from big_table'), options({ maxRows: 12_000 })));
    const grown = process.memoryUsage().heapUsed - before;
    expect(value!.rows).toHaveLength(12_000);
    expect(value!.rows[11_999]).toEqual([11_999, 'row number 11999', 11_999 / 3]);
    expect(value).toMatchObject({ rowCount: count, truncated: true });
    // The first 5,000 rows come inline; rows 5,000–11,999 need two chunks out of 199.
    expect(server.chunkDownloads).toBeLessThanOrEqual(3);
    expect(grown).toBeLessThan(64 * 1024 * 1024);
    figure('1,000,000-row result capped at 12,000', ms, `${server.chunkDownloads} chunks fetched, heap +${Math.round(grown / 1e6)} MB`);
  });
});

describe('long statements', () => {
  test('run asynchronously with live status, query id and Snowsight link; nothing left behind', async () => {
    server.script({ match: /alter warehouse demo_wh set warehouse_size/i, plan: { runMs: 1_200, states: ['QUEUED', 'RESUMING_WAREHOUSE', 'RUNNING'], columns: [{ name: 'status', type: 'text' }], rows: [['Statement executed successfully.']] } });
    const progress: StatementProgress[] = [];
    const result = await engine.run(
      { sql: "alter warehouse demo_wh set warehouse_size = 'LARGE'", stepId: 'scale-up', index: 0, count: 1, allows: 'warehouse' },
      options({ long: true, onProgress: (p) => progress.push(p) }),
    );
    expect(progress.map((p) => p.state)).toEqual(['QUEUED', 'RESUMING_WAREHOUSE', 'RUNNING', 'SUCCESS']);
    expect(progress[0]).toMatchObject({ queryId: result.queryId, url: `https://app.snowflake.com/us-west-2/testaccount/#/compute/history/queries/${result.queryId}/detail` });
    expect(result.rows).toEqual([['Statement executed successfully.']]);
    expect(server.find(/set warehouse_size/)!.async).toBe(true);
    expect(fs.existsSync(path.join(stateDir, 'snowflake', 'running', 'scale-up.0.json'))).toBe(false);
  });

  test('a restarted demo reattaches to the query still running instead of starting it again', async () => {
    const sql = 'create or replace table restored clone backup';
    server.script({ match: /clone backup/, plan: { runMs: 2_500, states: ['RUNNING'] } });
    const first = engine.run({ sql, stepId: 'restore', index: 0, count: 1, allows: 'changes' }, options({ long: true }));
    await waitFor(() => server.find(/clone backup/));
    const saved = path.join(stateDir, 'snowflake', 'running', 'restore.0.json');
    await waitFor(() => fs.existsSync(saved));
    server.stopAnswering();
    const lost = await timed(first);
    keep(lost.error);
    expect((lost.error as EngineError).code).toBe('CONNECTION_LOST');
    expect((lost.error as EngineError).hint).toMatch(/run the step again to reattach/);
    expect(fs.existsSync(saved)).toBe(true);
    server.resumeAnswering();

    // A new process: a new engine on the same state directory.
    const again = await liveEngine(server, { internals: {} });
    fs.cpSync(path.join(stateDir, 'snowflake'), path.join(again.stateDir, 'snowflake'), { recursive: true });
    stateDirs.push(again.stateDir);
    const progress: StatementProgress[] = [];
    const result = await again.engine.run({ sql, stepId: 'restore', index: 0, count: 1, allows: 'changes' }, options({ long: true, onProgress: (p) => progress.push(p) }));
    expect([...server.queries.values()].filter((q) => q.sql === sql)).toHaveLength(1);
    expect(result.queryId).toBe(server.find(/clone backup/)!.id);
    expect(result.notice).toMatch(/^reattached to query [0-9a-f-]{36}, started /);
    expect(progress.at(-1)?.state).toBe('SUCCESS');
    expect(fs.existsSync(path.join(again.stateDir, 'snowflake', 'running', 'restore.0.json'))).toBe(false);
    await again.engine.close();
  });

  test('cancelling a long statement aborts it on the server and forgets it', async () => {
    server.script({ match: /refresh dynamic table/i, plan: { runMs: 20_000, states: ['RUNNING'] } });
    const controller = new AbortController();
    const progress: StatementProgress[] = [];
    const running = engine.run(
      { sql: 'alter dynamic table sales refresh dynamic table', stepId: 'refresh', index: 0, count: 1, allows: 'changes' },
      options({ long: true, signal: controller.signal, onProgress: (p) => progress.push(p) }),
    );
    // After the outage above the engine logs in again first ('CONNECTING'): wait for the statement's own.
    const { queryId } = await waitFor(() => progress.find((p) => p.queryId));
    controller.abort();
    const { error, ms } = await timed(running);
    expect(error).toBeInstanceOf(CancelledError);
    expect(server.aborts).toContain(queryId);
    expect(fs.existsSync(path.join(stateDir, 'snowflake', 'running', 'refresh.0.json'))).toBe(false);
    figure('user cancel of a long (async) statement', ms, 'abort-request received; CancelledError');
  });
});

describe('hygiene', () => {
  test('no secret in any result, error, log or file under the state directory; nothing printed; no snowflake.log in cwd', () => {
    const secrets = [PASSWORD, WRONG_PASSWORD, encodeURIComponent(PASSWORD)];
    const files = stateDirs.flatMap(filesUnder);
    expect(files.some((f) => f.file.endsWith(path.join('logs', 'snowflake.log')))).toBe(true);
    for (const text of [...seen, ...files.map((f) => f.text)]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
    for (const f of files) {
      if (process.platform !== 'win32') expect(fs.statSync(f.file).mode & 0o077).toBe(0);
    }
    expect(writes).toEqual([]);
    expect(fs.existsSync(path.join(process.cwd(), 'snowflake.log'))).toBe(false);
  });
});

/** Our watchdog as the runner runs it: abort at the limit, and the engine's own timer too. */
function watchdog(timeoutMs: number) {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('watchdog')), timeoutMs).unref();
  return options({ signal: controller.signal, timeoutMs });
}


function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

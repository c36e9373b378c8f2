/**
 * The live engine: snowflake-sdk behind the Engine interface, hardened for a stage. Every wait has
 * a limit of our own (the driver's retries never end on a dead network), every failure says what
 * to do, and a connection that failed is dropped and rebuilt for the next statement.
 *
 * Every statement is submitted asynchronously, so that each wait can be watched on its own: the
 * submit must be answered with a query id (submit limit), the statement's own status must keep
 * being answered while it runs (lost-after limit; a heartbeat proves nothing about a statement),
 * and a finished statement's result must arrive (result limit). Only a statement that Snowflake
 * says is running is left to the step's own timeout.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { Connection, QueryStatus, RowStatement } from 'snowflake-sdk';
import type { SnowflakeLimits } from '../../runbook/model.js';
import type { EngineOptions } from '../create.js';
import {
  CancelledError,
  EngineError,
  type ConnectionState,
  type Engine,
  type RunOptions,
  type ServerTiming,
  type StatementProgress,
  type StatementRequest,
  type StatementResult,
} from '../types.js';
import { assertAllowed } from '../guard.js';
import { BROWSER_LOGIN_TIMEOUT_MS, loadConnection, type ConnectionSettings, type LoadedConnection } from './connections.js';
import { driverOptions, endpointOf, EngineLog, loadDriver } from './driver.js';
import { briefly, isNetworkFailure, loginError, SESSION_GONE, statementError } from './errors.js';
import { Redactor, Scrubber } from './redact.js';
import { columnsOf, FETCH_AS_STRING, readRows } from './results.js';
import { connectionHash, RunningQueries, sqlHash } from './running.js';

export { loadConnection } from './connections.js';
export { Redactor } from './redact.js';

/** The limits a presenter sets (runbook `snowflake:`, then CLI flags), all of them known. */
export type Limits = Required<SnowflakeLimits>;

/** Bounds a presenter can live with on a conference network. */
export const DEFAULT_LIMITS: Limits = {
  loginTimeoutMs: 15_000,
  submitTimeoutMs: 15_000,
  lostAfterMs: 20_000,
  // Snowflake holds a request for a result up to about 45 s before answering "still running".
  resultTimeoutMs: 60_000,
};

/** Limits of our own that are not settings. Tests shrink them. */
export interface Tuning {
  /** After a cancel or a fault, how long the server gets to confirm the abort (the runner waits 2 s). */
  cancelWaitMs: number;
  /** While a statement runs, how often its status is asked for (its liveness, and the progress shown)… */
  pollIntervalMs: number;
  /** …and how long one ask may take before it counts as unanswered. */
  pollTimeoutMs: number;
  /** Server timings are a bonus: never wait long for them. 0 turns them off. */
  timingsTimeoutMs: number;
  /** While connected and idle, how often a heartbeat checks that Snowflake can still be reached (for the header). */
  idleCheckMs: number;
  /** How to show the SSO page; by default the system browser. */
  openBrowser: (url: string) => void;
}

export interface Internals extends Partial<Tuning>, SnowflakeLimits {
  /** Where connections.toml and SNOWFLAKE_* come from (tests). */
  env?: NodeJS.ProcessEnv;
  home?: string;
}

const TUNING: Tuning = {
  cancelWaitMs: 1000,
  pollIntervalMs: 1_000,
  pollTimeoutMs: 5_000,
  timingsTimeoutMs: 2_000,
  idleCheckMs: 15_000,
  openBrowser: openSystemBrowser,
};

/** The server stops a runaway statement a little after our own watchdog, even if our cancel is lost. */
const SERVER_TIMEOUT_MARGIN_S = 30;
/** The driver refused to send the statement because the session is gone (see errors.ts). */
const NOT_SENT = new Set(['407002', '405503']);
/** How long close() lets statements that are winding down finish. */
const CLOSE_GRACE_MS = 1_000;
/** Snowflake caps QUERY_TAG at 2000 characters. */
const MAX_QUERY_TAG = 2000;
/** Snowflake may not list a query it just accepted: until then "no data" still counts as an answer. */
const NO_DATA_GRACE_MS = 10_000;
/** How long after a statement finished its result may be late before it is asked for again. */
const ASK_AGAIN_MS = 5_000;
/** After a request for a result failed on the network, how long before asking again. */
const RESULT_RETRY_MS = 1_000;
/** Asked once a connection is made: a login proves the password, a statement answered proves the rest. */
const IDENTITY_SQL = 'SELECT CURRENT_ROLE() AS ROLE_NAME, CURRENT_WAREHOUSE() AS WAREHOUSE_NAME';
const IDENTITY_TIMEOUT_MS = 60_000;

export async function createSnowflakeEngine(options: EngineOptions, internals: Internals = {}): Promise<SnowflakeEngine> {
  const loaded = loadConnection({
    connection: options.connection,
    runbookConnection: options.runbook.connection,
    env: internals.env,
    home: internals.home,
  });
  return new SnowflakeEngine(options, loaded, internals);
}

/**
 * The limits in force: tests, then the command line, then the runbook, then the defaults. A login
 * also heeds the connection's own `login_timeout` (over the runbook's), and a browser login waits
 * for a person.
 */
function limitsFor(options: EngineOptions, settings: ConnectionSettings, internals: Internals): Limits {
  const pick = (l: SnowflakeLimits = {}): SnowflakeLimits =>
    stripUndefined({ loginTimeoutMs: l.loginTimeoutMs, submitTimeoutMs: l.submitTimeoutMs, lostAfterMs: l.lostAfterMs, resultTimeoutMs: l.resultTimeoutMs });
  const [runbook, cli, tests] = [pick(options.runbook.snowflake), pick(options.limits), pick(internals)];
  const login =
    tests.loginTimeoutMs ??
    cli.loginTimeoutMs ??
    settings.loginTimeoutMs ??
    (settings.authenticator === 'EXTERNALBROWSER' ? BROWSER_LOGIN_TIMEOUT_MS : (runbook.loginTimeoutMs ?? DEFAULT_LIMITS.loginTimeoutMs));
  return { ...DEFAULT_LIMITS, ...runbook, ...cli, ...tests, loginTimeoutMs: login };
}

type Reason = 'cancel' | 'timeout' | 'submit' | 'lost' | 'result';

export class SnowflakeEngine implements Engine {
  readonly kind = 'snowflake' as const;
  /** Show these to the presenter before going live (file permissions, likely typos). */
  readonly warnings: readonly string[];
  /** Where the connection is configured, for fix hints: "connection 'demo' in /path/connections.toml". */
  readonly source: string;
  /** Called with the SSO page's address when an EXTERNALBROWSER login needs the presenter. */
  onLoginUrl?: (url: string) => void;
  onConnectionState?: (state: ConnectionState) => void;
  /** Where the driver's warnings and our own events are written. */
  readonly logFile: string;
  readonly limits: Limits & Tuning;

  private readonly settings: ConnectionSettings;
  private readonly redactor: Redactor;
  private readonly scrubber: Scrubber;
  private readonly log: EngineLog;
  private readonly running: RunningQueries;
  private readonly title: string;
  private conn?: Connection;
  private connecting?: Promise<Connection>;
  private state?: ConnectionState;
  /** "ROLE on WAREHOUSE", as Snowflake answered it. */
  private identity?: string;
  private progress?: (progress: StatementProgress) => void;
  private readonly inflight = new Set<Promise<unknown>>();
  /** Statements under way: the idle check leaves the connection alone meanwhile. */
  private busy = 0;
  private idleCheck?: NodeJS.Timeout;

  constructor(options: EngineOptions, loaded: LoadedConnection, internals: Internals = {}) {
    const s = loaded.settings;
    this.settings = s;
    this.warnings = loaded.warnings;
    this.source = s.file ? `connection '${s.name}' in ${s.file}` : 'the SNOWFLAKE_* environment variables';
    this.redactor = new Redactor(loaded.secrets);
    this.scrubber = new Scrubber([
      { value: s.file, as: 'connections.toml' },
      { value: s.privateKeyFile, as: '<private key file>' },
      { value: endpointOf(s), as: '<endpoint>' },
      { value: s.host, as: '<host>' },
      { value: s.account, as: '<account>' },
      { value: s.user, as: '<user>' },
    ]);
    this.log = new EngineLog(options.stateDir, this.redactor);
    this.logFile = this.log.file;
    this.running = new RunningQueries(options.stateDir);
    this.limits = { ...TUNING, ...stripUndefined(internals), ...limitsFor(options, s, internals) };
    this.title = options.runbook.title;
  }

  /** Removes every secret this engine knows of from a text. */
  redact(text: string): string {
    return this.redactor.redact(text);
  }

  /** Removes secrets and what identifies the connection, for recordings, reports and --json. */
  scrub(text: string): string {
    return this.scrubber.scrub(this.redactor.redact(text));
  }

  get connectionState(): ConnectionState | undefined {
    return this.state;
  }

  /** Logs in, then asks Snowflake who we are: connected means a statement was answered. */
  async connect(signal: AbortSignal): Promise<void> {
    const conn = await this.session(signal);
    this.busy++;
    try {
      const result = await this.execute(conn, { sql: IDENTITY_SQL, stepId: 'connect', index: 0, count: 1 }, { signal, maxRows: 1, timeoutMs: IDENTITY_TIMEOUT_MS });
      const [role, warehouse] = result.rows[0] ?? [];
      this.identity = `${role ?? 'no role'} on ${warehouse ?? 'no warehouse'}`;
      this.setState({ status: 'connected', detail: this.identity });
    } catch (error) {
      this.setState({ status: 'failed', reason: describe(error) });
      throw error;
    } finally {
      this.busy--;
    }
    this.idleCheck ??= setInterval(() => void this.checkIdle(), this.limits.idleCheckMs).unref();
  }

  /**
   * Between steps nothing else would notice that Snowflake went away: a heartbeat that fails on
   * the network marks the connection failed (the header says so) and the next step logs in again.
   */
  private async checkIdle(): Promise<void> {
    const conn = this.conn;
    if (!conn || this.busy > 0 || this.state?.status !== 'connected') return;
    try {
      await withTimeout((conn as unknown as { heartbeatAsync(): Promise<unknown> }).heartbeatAsync(), this.limits.pollTimeoutMs, 'heartbeat');
    } catch (error) {
      // Only silence or the network counts: an answer with an error (an expired session) is an answer.
      const silent = error instanceof TimeoutError;
      if (this.busy > 0 || this.conn !== conn || !(silent || isNetworkFailure(error))) return;
      const reason = silent ? `Snowflake did not answer a heartbeat within ${seconds(this.limits.pollTimeoutMs)}` : statementError(error, this.settings, this.redactor).message;
      this.abandon(conn, reason);
      this.setState({ status: 'failed', reason });
    }
  }

  async run(request: StatementRequest, options: RunOptions): Promise<StatementResult> {
    if (options.signal.aborted) throw new CancelledError();
    assertAllowed(request, 'snowflake');
    this.progress = options.onProgress;
    this.busy++;
    try {
      const conn = await this.session(options.signal);
      let result: StatementResult;
      try {
        result = await this.execute(conn, request, options);
      } catch (error) {
        // After a long pause the session may have expired: the statement was refused, not run, so
        // logging in again and sending it once more is safe, and spares the presenter a failed step.
        if (!(error instanceof EngineError && error.code && NOT_SENT.has(error.code)) || options.signal.aborted) throw error;
        this.event(`session gone (${error.code}): logging in again and resending the statement`);
        result = await this.execute(await this.session(options.signal), request, options);
      }
      this.answered();
      return result;
    } catch (error) {
      // A statement refused by Snowflake (a compilation error) still proves the connection.
      if (error instanceof EngineError && error.connectionFault) this.setState({ status: 'failed', reason: error.message });
      else if (error instanceof EngineError) this.answered();
      throw error;
    } finally {
      this.progress = undefined;
      this.busy--;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.idleCheck);
    const conn = this.conn;
    this.conn = undefined;
    this.connecting = undefined;
    // A statement just cancelled is told so on its next poll: let it hear that before the sockets
    // go, or the driver retries the poll for seconds and keeps the process alive.
    if (this.inflight.size) await Promise.race([Promise.allSettled(this.inflight), delay(CLOSE_GRACE_MS)]);
    if (conn) await this.destroy(conn, 2_000);
  }

  /** Remembers a driver callback still pending, for close(). */
  private track<T>(promise: Promise<T>): Promise<T> {
    this.inflight.add(promise);
    const forget = () => this.inflight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    this.onConnectionState?.(state);
  }

  /** Snowflake answered a statement: the connection works, whatever the statement's fate. */
  private answered(): void {
    if (this.state?.status === 'connected') return;
    const { role, warehouse } = this.settings;
    this.setState({ status: 'connected', detail: this.identity ?? `${role ?? 'default role'} on ${warehouse ?? 'default warehouse'}` });
  }

  // --- connection ---------------------------------------------------------------------------

  private session(signal: AbortSignal): Promise<Connection> {
    if (this.conn?.isUp()) return Promise.resolve(this.conn);
    this.conn = undefined;
    this.connecting ??= this.login(signal).finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async login(signal: AbortSignal): Promise<Connection> {
    const s = this.settings;
    const limit = this.limits.loginTimeoutMs;
    this.setState({ status: 'connecting' });
    this.progress?.({ state: 'CONNECTING', detail: `logging in to ${s.account} as ${s.user ?? 'SSO user'}` });
    let started = performance.now();
    let conn: Connection | undefined;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      const driver = await loadDriver(this.log);
      started = performance.now();
      try {
        conn = driver.createConnection(driverOptions(s, limit, (url) => this.loginUrl(url)));
      } catch (error) {
        throw loginError(error, s, this.redactor);
      }
      const connection = conn;
      // connectAsync() resolves even when the login failed: only the callback tells the truth.
      await new Promise<void>((resolve, reject) => {
        timer = setTimeout(() => {
          reject(
            new EngineError(`Snowflake did not answer the login within ${seconds(limit)} (account ${s.account} at ${endpointOf(s)})`, {
              code: 'LOGIN_TIMEOUT',
              connectionFault: true,
              hint: s.authenticator === 'EXTERNALBROWSER'
                ? 'finish the login in the browser, then try again'
                : 'check the network (and any VPN or proxy); --login-timeout, or login_timeout in connections.toml, raises the limit',
            }),
          );
        }, limit);
        onAbort = () => reject(new CancelledError('Cancelled while logging in'));
        if (signal.aborted) onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        connection.connect((err) => (err ? reject(loginError(err, s, this.redactor)) : resolve()));
      });
    } catch (error) {
      this.log.write('event', `login to ${s.account} failed after ${Math.round(performance.now() - started)} ms: ${describe(error)}`);
      if (conn) void this.destroy(conn, 0);
      this.setState({ status: 'failed', reason: describe(error) });
      throw error;
    } finally {
      clearTimeout(timer);
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
    this.log.write('event', `logged in to ${s.account} as ${s.user ?? '(sso)'} in ${Math.round(performance.now() - started)} ms`);
    this.conn = conn;
    return conn;
  }

  private loginUrl(url: string): void {
    this.log.write('event', 'waiting for the SSO login in the browser');
    this.onLoginUrl?.(url);
    this.setState({ status: 'connecting', url });
    this.progress?.({ state: 'WAITING_FOR_BROWSER', url, detail: 'finish the Snowflake login in the browser' });
    try {
      this.limits.openBrowser(url);
    } catch {
      // The address is on screen: the presenter can open it by hand.
    }
  }

  /** Drops a connection; waits at most `waitMs` for the server to end the session. */
  private destroy(conn: Connection, waitMs: number): Promise<void> {
    if (this.conn === conn) this.conn = undefined;
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      try {
        conn.destroy(() => {
          clearTimeout(timer);
          resolve();
        });
      } catch {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  // --- statements ---------------------------------------------------------------------------

  private parameters(request: StatementRequest, options: RunOptions): Record<string, unknown> {
    const parameters: Record<string, unknown> = {
      QUERY_TAG: this.queryTag(request),
      // A cached answer is not a benchmark: the cache is off unless the runbook allows it.
      USE_CACHED_RESULT: options.useCachedResult === true,
    };
    if (options.timeoutMs) parameters.STATEMENT_TIMEOUT_IN_SECONDS = Math.ceil(options.timeoutMs / 1000) + SERVER_TIMEOUT_MARGIN_S;
    return parameters;
  }

  /** Lets the cost of every statement be found later in QUERY_HISTORY. */
  private queryTag(request: Pick<StatementRequest, 'stepId'>): string {
    return `demo-runbook:${this.title}:${request.stepId}`.slice(0, MAX_QUERY_TAG);
  }

  private notice(options: RunOptions): string | undefined {
    return options.useCachedResult === true
      ? "Snowflake's result cache is allowed for this step: a repeated query may be answered from the cache"
      : undefined;
  }

  /**
   * One statement: submitted, watched through its status, its result fetched. A long statement
   * (scale, restore, refresh) is also remembered by query id while it runs, so that a restarted
   * demo reattaches to it instead of starting it, and paying for it, again.
   */
  private async execute(conn: Connection, request: StatementRequest, options: RunOptions): Promise<StatementResult> {
    const { stepId, index, sql } = request;
    const long = options.long === true;
    const started = performance.now();
    let statement: RowStatement | undefined;
    let queryId: string | undefined;
    const guard = new Guard(this, conn, options, long, () => statement, () => queryId);
    const connection = connectionHash(this.settings.account, this.settings.name);
    let reattachedAt: number | undefined;
    let notice = this.notice(options);
    try {
      const saved = long ? this.running.find(stepId, index, sql, connection) : undefined;
      if (saved) {
        const status = await guard.wait(this.status(conn, saved.queryId)).catch((e: unknown) => (guard.fired ? Promise.reject(e) : undefined));
        if (status && (conn.isStillRunning(status as QueryStatus) || status === 'SUCCESS')) {
          queryId = saved.queryId;
          reattachedAt = Date.parse(saved.startedAt);
          notice = `reattached to query ${queryId}, started ${saved.startedAt} by an earlier run of the demo`;
          this.log.write('event', `step ${stepId}: ${notice} (status ${status})`);
        } else {
          this.running.forget(stepId, index);
        }
      }
      if (!queryId) {
        guard.expect('submit', this.limits.submitTimeoutMs);
        const submitted = await guard.wait(this.track(this.submit(conn, request, options, (s) => (statement = s))));
        guard.clear('submit');
        queryId = submitted.getQueryId();
        if (!queryId) {
          throw new EngineError('Snowflake accepted the statement without a query id: it was not started', {
            code: 'SUBMIT_FAILED',
            connectionFault: true,
            hint: 'check status.snowflake.com; the next statement logs in again',
          });
        }
        if (long) this.running.save({ queryId, stepId, index, sqlSha256: sqlHash(sql), connectionSha256: connection, startedAt: new Date().toISOString() });
        // A statement accepted proves the connection, even one that will run for an hour.
        if (this.identity) this.answered();
      }
      const id = queryId;
      let stopWatching = () => {};
      let fetched: RowStatement;
      try {
        fetched = await guard.wait(
          new Promise<RowStatement>((resolve, reject) => {
            // A request for the result that fails on the network says nothing about the statement,
            // which may still be running there: ask again shortly, and let the status polls (lost
            // after `lost_after` unanswered) or the result limit decide, not the driver's retries.
            const ask = (): void => {
              if (guard.fired) return;
              void this.track(this.fetch(conn, id, (s) => (statement = s))).then(resolve, (error: unknown) => {
                if (!isNetworkFailure(error) || guard.fired) return reject(error);
                guard.problem = briefly(error);
                setTimeout(ask, RESULT_RETRY_MS).unref();
              });
            };
            ask();
            stopWatching = this.watch(conn, id, guard, options, ask);
          }),
        );
      } finally {
        stopWatching();
        guard.clear('lost');
      }
      if (long) options.onProgress?.({ state: 'SUCCESS', queryId: id, url: snowsightUrl(this.settings.account, id) });
      // Reading rows may fetch chunks: a result that stops arriving is a fault like any other.
      guard.expect('result', this.limits.resultTimeoutMs);
      const columns = columnsOf(fetched);
      const rows = await guard.wait(readRows(fetched, columns, options.maxRows));
      guard.dispose();
      if (long) this.running.forget(stepId, index);
      const rowCount = fetched.getNumRows() ?? rows.length;
      const elapsedMs = reattachedAt !== undefined ? Date.now() - reattachedAt : Math.round(performance.now() - started);
      const database = (fetched.getSessionState() as { getCurrentDatabase?(): string | null } | undefined)?.getCurrentDatabase?.();
      const server = long ? undefined : await this.serverTimings(conn, request, options, id, database ?? undefined);
      return { columns, rows, rowCount, truncated: rowCount > rows.length, queryId: id, elapsedMs, server, source: 'live', notice };
    } catch (error) {
      // Once the guard has fired, its account of what happened is the true one.
      const failure: unknown = guard.fired ? await guard.outcome.catch((e: unknown) => e) : error;
      if (long && queryId && this.ended(guard, failure)) this.running.forget(stepId, index);
      throw this.failure(conn, failure, queryId);
    } finally {
      guard.dispose();
    }
  }

  /** Whether a long statement is over on Snowflake, so that there is nothing left to reattach to. */
  private ended(guard: Guard, failure: unknown): boolean {
    if (!guard.fired) return !(failure instanceof EngineError && failure.code && NOT_SENT.has(failure.code));
    return guard.confirmed;
  }

  /**
   * Sends the statement asynchronously. With `streamResult` the driver passes a failed submit's
   * error on; without it, an asyncExec statement completes "successfully" whatever happened.
   */
  private submit(conn: Connection, request: StatementRequest, options: RunOptions, onStatement: (s: RowStatement) => void): Promise<RowStatement> {
    return new Promise((resolve, reject) => {
      onStatement(
        conn.execute({
          sqlText: request.sql,
          parameters: this.parameters(request, options),
          asyncExec: true,
          streamResult: true,
          complete: (err, stmt) => (err ? reject(err) : resolve(stmt)),
        }),
      );
    });
  }

  /** Asks for a statement's result; Snowflake answers when it is ready (the driver follows "still running"). */
  private fetch(conn: Connection, queryId: string, onStatement: (s: RowStatement) => void): Promise<RowStatement> {
    return new Promise((resolve, reject) => {
      onStatement(
        conn.fetchResult({
          queryId,
          streamResult: true,
          rowMode: 'array',
          fetchAsString: FETCH_AS_STRING,
          complete: (err, stmt) => (err ? reject(err) : resolve(stmt)),
        }),
      );
    });
  }

  /**
   * While the result is awaited, asks for the statement's status: every answer proves it alive
   * (and is shown as progress); no answer for `lostAfterMs` means it is lost; once it has finished,
   * its result must arrive within `resultTimeoutMs`. If it has not come a little after the finish,
   * `askAgain` asks for it anew: a request held for long may have been dropped on the way (by a
   * proxy) without a word, and the driver would only retry it after minutes. Returns a function
   * that stops watching.
   */
  private watch(conn: Connection, queryId: string, guard: Guard, options: RunOptions, askAgain: () => void): () => void {
    const { lostAfterMs, resultTimeoutMs, pollIntervalMs } = this.limits;
    const url = snowsightUrl(this.settings.account, queryId);
    const since = Date.now();
    let stopped = false;
    let last: string | undefined;
    let finished = false;
    let again: NodeJS.Timeout | undefined;
    guard.expect('lost', lostAfterMs);
    void (async () => {
      while (!stopped && !guard.fired) {
        try {
          const status = await this.status(conn, queryId);
          if (stopped || guard.fired) return;
          if (status === 'NO_QUERY_DATA' && Date.now() - since > NO_DATA_GRACE_MS) throw new Error('Snowflake does not know the query');
          guard.expect('lost', lostAfterMs);
          if (status !== last) {
            last = status;
            options.onProgress?.({ state: status, queryId, url });
          }
          if (!finished && status !== 'NO_QUERY_DATA' && !conn.isStillRunning(status as QueryStatus)) {
            finished = true;
            guard.expect('result', resultTimeoutMs);
            again = setTimeout(askAgain, Math.min(ASK_AGAIN_MS, resultTimeoutMs / 4));
          }
        } catch (error) {
          guard.problem = briefly(error);
        }
        if (!stopped) await delay(pollIntervalMs);
      }
    })();
    return () => {
      stopped = true;
      clearTimeout(again);
    };
  }

  private async status(conn: Connection, queryId: string): Promise<string> {
    return withTimeout(conn.getQueryStatus(queryId), this.limits.pollTimeoutMs, 'status request');
  }

  /** Elapsed, compilation, execution and queued time as Snowflake measured them, when it can say. */
  private async serverTimings(
    conn: Connection,
    request: StatementRequest,
    options: RunOptions,
    queryId: string,
    database: string | undefined,
  ): Promise<ServerTiming | undefined> {
    if (!this.limits.timingsTimeoutMs || !/^[0-9a-f-]{36}$/i.test(queryId) || !isQuery(request.sql)) return undefined;
    if (options.signal.aborted) return undefined;
    // INFORMATION_SCHEMA lives in a database: without one in the session there is nothing to ask.
    if (!database) return undefined;
    const sql =
      'select total_elapsed_time, compilation_time, execution_time, ' +
      'queued_provisioning_time + queued_repair_time + queued_overload_time as queued_time, ' +
      'bytes_scanned, rows_produced, warehouse_size ' +
      `from table("${database.replace(/"/g, '""')}".information_schema.query_history_by_session(result_limit => 100)) ` +
      `where query_id = '${queryId}'`;
    let statement: RowStatement | undefined;
    try {
      const rows = await withTimeout(
        new Promise<unknown[][]>((resolve, reject) => {
          statement = conn.execute({
            sqlText: sql,
            parameters: { QUERY_TAG: this.queryTag(request) },
            rowMode: 'array',
            complete: (err, _stmt, rows) => (err ? reject(err) : resolve((rows ?? []) as unknown[][])),
          });
        }),
        this.limits.timingsTimeoutMs,
        'query history',
      );
      const row = rows[0];
      if (!row) return undefined;
      const num = (v: unknown) => (v === null || v === undefined || v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v));
      return stripUndefined({
        totalElapsedMs: num(row[0]),
        compilationMs: num(row[1]),
        executionMs: num(row[2]),
        queuedMs: num(row[3]),
        bytesScanned: num(row[4]),
        rowsProduced: num(row[5]),
        warehouseSize: typeof row[6] === 'string' ? row[6] : undefined,
      });
    } catch (error) {
      // Withdrawn, so that the driver does not retry it for minutes on a network that failed.
      statement?.cancel(() => {});
      this.log.write('event', `no server timings for ${queryId}: ${describe(error)}`);
      return undefined;
    }
  }

  /** One place turns any failure into what the runner shows, and drops a connection that is gone. */
  private failure(conn: Connection, error: unknown, queryId?: string): Error {
    if (error instanceof CancelledError || error instanceof EngineError) {
      this.log.write('event', `statement stopped: ${error.message}`);
      return error;
    }
    const mapped = statementError(error, this.settings, this.redactor, queryId);
    if ((mapped.code && SESSION_GONE.has(mapped.code)) || mapped.connectionFault || !conn.isUp()) void this.destroy(conn, 0);
    this.log.write('event', `statement failed (${mapped.code ?? 'no code'}): ${mapped.message}`);
    return mapped;
  }

  // --- used by Guard ------------------------------------------------------------------------

  /** Asks the server to abort; resolves to whether it confirmed in time. */
  cancelOnServer(conn: Connection, statement: RowStatement | undefined, queryId: string | undefined): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), this.limits.cancelWaitMs);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        resolve(ok);
      };
      try {
        if (statement) statement.cancel((err) => done(!err));
        else if (queryId && /^[0-9a-f-]{36}$/i.test(queryId)) {
          conn.execute({ sqlText: `select system$cancel_query('${queryId}')`, complete: (err) => done(!err) });
        } else done(false);
      } catch {
        done(false);
      }
    });
  }

  /** A connection that failed is dropped; the next statement logs in again. */
  abandon(conn: Connection, why: string): void {
    this.log.write('event', `dropping the connection: ${why}`);
    void this.destroy(conn, 0);
  }

  /**
   * Stops using a connection without logging out: ending the session would abort the long
   * statement still running in it, which a later run can reattach to.
   */
  detach(conn: Connection, why: string): void {
    this.log.write('event', `leaving the connection (its session keeps the query running): ${why}`);
    if (this.conn === conn) this.conn = undefined;
  }

  event(message: string): void {
    this.log.write('event', message);
  }
}

/**
 * Watches one statement: the caller's AbortSignal (Ctrl-C, the runner's watchdog), our own copy of
 * the watchdog, and the deadlines the statement's phases set (submit, lost, result). When one of
 * them fires it cancels on the server where that makes sense (bounded), drops the connection if
 * the server did not confirm or the fault is the connection's, and makes every wait() reject with
 * a clear error.
 */
class Guard {
  fired?: Reason;
  confirmed = false;
  /** The last thing that went wrong while watching (a status request unanswered, refused, …). */
  problem?: string;
  /** Rejects with the error that explains why the guard fired. */
  readonly outcome: Promise<never>;
  private stop!: (error: Error) => void;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly deadlines = new Map<Reason, NodeJS.Timeout>();
  private readonly onAbort: () => void;
  private disposed = false;

  constructor(
    private readonly engine: SnowflakeEngine,
    private readonly conn: Connection,
    private readonly options: RunOptions,
    private readonly long: boolean,
    private readonly statement: () => RowStatement | undefined,
    private readonly queryId: () => string | undefined,
  ) {
    this.outcome = new Promise<never>((_, reject) => (this.stop = reject));
    this.outcome.catch(() => {});
    const started = performance.now();
    // The runner's watchdog aborts the signal at the limit: that is a timeout, not a Ctrl-C.
    this.onAbort = () => this.fire(options.timeoutMs && performance.now() - started >= options.timeoutMs - 100 ? 'timeout' : 'cancel');
    options.signal.addEventListener('abort', this.onAbort, { once: true });
    if (options.timeoutMs) this.timers.push(setTimeout(() => this.fire('timeout'), options.timeoutMs));
    if (options.signal.aborted) this.fire('cancel');
  }

  wait<T>(promise: Promise<T>): Promise<T> {
    promise.catch(() => {});
    return Promise.race([promise, this.outcome]);
  }

  /** (Re)starts a deadline: unless cleared or restarted, `reason` fires after `ms`. */
  expect(reason: Exclude<Reason, 'cancel' | 'timeout'>, ms: number): void {
    if (this.disposed) return;
    clearTimeout(this.deadlines.get(reason));
    this.deadlines.set(reason, setTimeout(() => this.fire(reason), ms));
  }

  clear(reason: Reason): void {
    clearTimeout(this.deadlines.get(reason));
    this.deadlines.delete(reason);
  }

  private fire(reason: Reason): void {
    if (this.fired || this.disposed) return;
    this.fired = reason;
    const queryId = this.queryId();
    this.engine.event(`${EVENTS[reason]}${queryId ? ` (query ${queryId})` : ''}${this.problem ? `: ${this.problem}` : ''}`);
    // A lost long statement keeps running for a later run to reattach to; a finished one has nothing to cancel.
    const cancel = !(reason === 'result' || (reason === 'lost' && this.long));
    const confirmed = cancel ? this.engine.cancelOnServer(this.conn, this.statement(), queryId) : Promise.resolve(false);
    void confirmed.then((confirmed) => {
      this.confirmed = confirmed;
      if (reason === 'lost' && this.long) this.engine.detach(this.conn, 'its query is lost');
      else if (!confirmed) this.engine.abandon(this.conn, 'the server did not confirm the cancel');
      else if (reason !== 'cancel' && reason !== 'timeout') this.engine.abandon(this.conn, EVENTS[reason]);
      this.stop(this.error(reason, confirmed, this.queryId()));
    });
  }

  private error(reason: Reason, confirmed: boolean, queryId: string | undefined): Error {
    const limits = this.engine.limits;
    const id = queryId ? ` (query id ${queryId})` : '';
    if (reason === 'cancel') {
      return new CancelledError(
        confirmed ? 'Cancelled: Snowflake stopped the statement' : `Cancelled here; Snowflake did not confirm that it stopped the statement${id}`,
      );
    }
    const stopped = confirmed ? 'it was cancelled on Snowflake' : `Snowflake did not confirm the cancel${id}; the connection will be rebuilt`;
    const network = 'check the network (Wi-Fi, VPN, proxy) and status.snowflake.com; the next step reconnects';
    const why = this.problem ? ` (last: ${this.problem})` : '';
    switch (reason) {
      case 'timeout':
        return new EngineError(`the step's time limit of ${seconds(this.options.timeoutMs ?? 0)} passed before ${queryId ? `query ${queryId}` : 'the statement'} finished: ${stopped}`, {
          code: 'WATCHDOG',
          queryId,
          connectionFault: !confirmed,
          hint: confirmed ? "raise the step's 'timeout' in the runbook if it is expected to take longer" : network,
        });
      case 'submit':
        return new EngineError(
          `Snowflake did not answer the request to run the statement within ${seconds(limits.submitTimeoutMs)}: ` +
            (confirmed ? 'the request was withdrawn' : 'the connection will be rebuilt'),
          {
            code: 'SUBMIT_TIMEOUT',
            connectionFault: true,
            hint: confirmed || !this.long
              ? `${network}; submit_timeout (or --submit-timeout) sets the limit`
              : `${network}; the statement may have reached Snowflake: look for its query tag in Query History before running the step again`,
          },
        );
      case 'lost':
        return new EngineError(
          `Snowflake did not answer about query ${queryId} for ${seconds(limits.lostAfterMs)}${why}: ` +
            (this.long ? 'it may still be running there' : confirmed ? 'it was cancelled' : 'it may still be running there until its statement timeout'),
          {
            code: 'CONNECTION_LOST',
            queryId,
            connectionFault: true,
            hint: this.long ? 'the query keeps running on Snowflake: run the step again to reattach to it instead of starting it over' : network,
          },
        );
      case 'result':
        return new EngineError(`Snowflake finished query ${queryId} but did not send its result within ${seconds(limits.resultTimeoutMs)}${why}`, {
          code: 'RESULT_TIMEOUT',
          queryId,
          connectionFault: true,
          hint: this.long ? 'run the step again to fetch the result (Snowflake keeps it for 24 hours)' : network,
        });
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const timer of [...this.timers, ...this.deadlines.values()]) clearTimeout(timer);
    this.options.signal.removeEventListener('abort', this.onAbort);
  }
}

const EVENTS: Record<Reason, string> = {
  cancel: 'cancel requested',
  timeout: 'watchdog fired',
  submit: 'no answer to the submit',
  lost: 'no answer to status requests',
  result: 'no result after the statement finished',
};

// --- helpers ----------------------------------------------------------------------------------

class TimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  promise.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what}: no answer within ${seconds(ms)}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Whether a statement returns rows worth timing (not DDL: a timing query may resume a warehouse). */
function isQuery(sql: string): boolean {
  const body = sql.replace(/^(\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/)+/, '');
  return /^(select|with)\b/i.test(body);
}

/** The query's page in Snowsight, from the account identifier (org-account, or locator.region). */
export function snowsightUrl(account: string, queryId: string): string {
  const lower = account.toLowerCase();
  const path = `#/compute/history/queries/${queryId}/detail`;
  const dot = lower.indexOf('.');
  if (dot > 0) return `https://app.snowflake.com/${lower.slice(dot + 1)}/${lower.slice(0, dot)}/${path}`;
  const dash = lower.indexOf('-');
  if (dash > 0) return `https://app.snowflake.com/${lower.slice(0, dash)}/${lower.slice(dash + 1)}/${path}`;
  return `https://app.snowflake.com/us-west-2/${lower}/${path}`;
}

function openSystemBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const child = spawn(command as string, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => {});
  child.unref();
}

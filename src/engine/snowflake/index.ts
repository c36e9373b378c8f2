/**
 * The live engine: snowflake-sdk behind the Engine interface, hardened for a stage. Every wait has
 * our own limit (the driver's retries never end on a dead network), every failure says what to do,
 * and a connection that stopped answering is dropped and rebuilt for the next statement.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { Connection, QueryStatus, RowStatement } from 'snowflake-sdk';
import type { EngineOptions } from '../create.js';
import {
  CancelledError,
  EngineError,
  type Engine,
  type RunOptions,
  type ServerTiming,
  type StatementProgress,
  type StatementRequest,
  type StatementResult,
} from '../types.js';
import { assertAllowed } from '../guard.js';
import { loadConnection, type ConnectionSettings, type LoadedConnection } from './connections.js';
import { driverOptions, EngineLog, loadDriver } from './driver.js';
import { loginError, SESSION_GONE, statementError } from './errors.js';
import { Redactor } from './redact.js';
import { columnsOf, FETCH_AS_STRING, readRows } from './results.js';
import { RunningQueries, sqlHash } from './running.js';

export { loadConnection } from './connections.js';
export { Redactor } from './redact.js';

/** Limits of our own. Tests shrink them; the defaults are for a conference network. */
export interface Tuning {
  /** After a cancel or a watchdog, how long the server gets to confirm the abort (the runner waits 2 s). */
  cancelWaitMs: number;
  /** While a statement runs, probe the session this often… */
  livenessIntervalMs: number;
  livenessTimeoutMs: number;
  /** …and declare contact lost after this many probes in a row got no answer. */
  livenessFailures: number;
  /** Long statements: how often to ask for their status, and how long each ask may take. */
  pollIntervalMs: number;
  pollTimeoutMs: number;
  /** Long statements: how long without any answer before we stop waiting (the query keeps running). */
  lostContactMs: number;
  /** Server timings are a bonus: never wait long for them. 0 turns them off. */
  timingsTimeoutMs: number;
  /** How to show the SSO page; by default the system browser. */
  openBrowser: (url: string) => void;
}

export interface Internals extends Partial<Tuning> {
  /** Where connections.toml and SNOWFLAKE_* come from (tests). */
  env?: NodeJS.ProcessEnv;
  home?: string;
}

const DEFAULTS: Tuning = {
  cancelWaitMs: 1000,
  livenessIntervalMs: 10_000,
  livenessTimeoutMs: 5_000,
  livenessFailures: 3,
  pollIntervalMs: 1_000,
  pollTimeoutMs: 10_000,
  lostContactMs: 30_000,
  timingsTimeoutMs: 2_000,
  openBrowser: openSystemBrowser,
};

/** The server stops a runaway statement a little after our own watchdog, even if our cancel is lost. */
const SERVER_TIMEOUT_MARGIN_S = 30;
/** The driver refused to send the statement because the session is gone (see errors.ts). */
const NOT_SENT = new Set(['407002', '405503']);
/** The driver's "could not reach the server" code: the only heartbeat failure that means silence. */
const NETWORK_FAILURE = '401001';
/** How long close() lets statements that are winding down finish. */
const CLOSE_GRACE_MS = 1_000;
/** Snowflake caps QUERY_TAG at 2000 characters. */
const MAX_QUERY_TAG = 2000;
/** Snowflake may not list a query it just accepted: keep polling for this long before believing it. */
const NO_DATA_GRACE_MS = 10_000;

export async function createSnowflakeEngine(options: EngineOptions, internals: Internals = {}): Promise<SnowflakeEngine> {
  const loaded = loadConnection({
    connection: options.connection,
    runbookConnection: options.runbook.connection,
    env: internals.env,
    home: internals.home,
  });
  return new SnowflakeEngine(options, loaded, internals);
}

type Reason = 'cancel' | 'timeout' | 'lost';

export class SnowflakeEngine implements Engine {
  readonly kind = 'snowflake' as const;
  /** Show these to the presenter before going live (file permissions, likely typos). */
  readonly warnings: readonly string[];
  /** The connection in use, without secrets: name, account, user, role, warehouse, … */
  readonly connection: Readonly<Pick<ConnectionSettings, 'name' | 'file' | 'account' | 'user' | 'role' | 'warehouse' | 'database' | 'schema' | 'authenticator'>>;
  /** Called with the SSO page's address when an EXTERNALBROWSER login needs the presenter. */
  onLoginUrl?: (url: string) => void;
  /** Where the driver's warnings and our own events are written. */
  readonly logFile: string;

  private readonly settings: ConnectionSettings;
  private readonly redactor: Redactor;
  private readonly log: EngineLog;
  private readonly running: RunningQueries;
  private readonly tuning: Tuning;
  private readonly title: string;
  private conn?: Connection;
  private connecting?: Promise<Connection>;
  private progress?: (progress: StatementProgress) => void;
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(options: EngineOptions, loaded: LoadedConnection, internals: Internals = {}) {
    this.settings = loaded.settings;
    this.warnings = loaded.warnings;
    const { name, file, account, user, role, warehouse, database, schema, authenticator } = loaded.settings;
    this.connection = { name, file, account, user, role, warehouse, database, schema, authenticator };
    this.redactor = new Redactor(loaded.secrets);
    this.log = new EngineLog(options.stateDir, this.redactor);
    this.logFile = this.log.file;
    this.running = new RunningQueries(options.stateDir);
    this.tuning = { ...DEFAULTS, ...stripUndefined(internals) };
    this.title = options.runbook.title;
  }

  /** Removes every secret this engine knows of from a text (for --json output, recordings, …). */
  redact(text: string): string {
    return this.redactor.redact(text);
  }

  async connect(signal: AbortSignal): Promise<void> {
    await this.session(signal);
  }

  async run(request: StatementRequest, options: RunOptions): Promise<StatementResult> {
    if (options.signal.aborted) throw new CancelledError();
    assertAllowed(request, 'snowflake');
    this.progress = options.onProgress;
    try {
      const conn = await this.session(options.signal);
      try {
        return options.long ? await this.runLong(conn, request, options) : await this.runShort(conn, request, options);
      } catch (error) {
        // After a long pause the session may have expired: the statement was refused, not run, so
        // logging in again and sending it once more is safe, and spares the presenter a failed step.
        if (!(error instanceof EngineError && error.code && NOT_SENT.has(error.code)) || options.signal.aborted) throw error;
        this.event(`session gone (${error.code}): logging in again and resending the statement`);
        const fresh = await this.session(options.signal);
        return options.long ? await this.runLong(fresh, request, options) : await this.runShort(fresh, request, options);
      }
    } finally {
      this.progress = undefined;
    }
  }

  async close(): Promise<void> {
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
    this.progress?.({ state: 'CONNECTING', detail: `logging in to ${s.account} as ${s.user ?? 'SSO user'}` });
    const driver = await loadDriver(this.log);
    let conn: Connection;
    try {
      conn = driver.createConnection(driverOptions(s, (url) => this.loginUrl(url)));
    } catch (error) {
      throw loginError(error, s, this.redactor);
    }
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      // connectAsync() resolves even when the login failed: only the callback tells the truth.
      await new Promise<void>((resolve, reject) => {
        timer = setTimeout(() => {
          reject(
            new EngineError(`no answer from Snowflake within ${seconds(s.loginTimeoutMs)} while logging in to ${s.account}`, {
              code: 'LOGIN_TIMEOUT',
              hint: s.authenticator === 'EXTERNALBROWSER'
                ? 'finish the login in the browser, then try again'
                : 'check the network (and any VPN or proxy); login_timeout in connections.toml raises the limit',
            }),
          );
        }, s.loginTimeoutMs);
        onAbort = () => reject(new CancelledError('Cancelled while logging in'));
        if (signal.aborted) onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        conn.connect((err) => (err ? reject(loginError(err, s, this.redactor)) : resolve()));
      });
    } catch (error) {
      this.log.write('event', `login to ${s.account} failed after ${Math.round(performance.now() - started)} ms: ${describe(error)}`);
      void this.destroy(conn, 0);
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
    this.progress?.({ state: 'WAITING_FOR_BROWSER', url, detail: 'finish the Snowflake login in the browser' });
    try {
      this.tuning.openBrowser(url);
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
  private queryTag(request: StatementRequest): string {
    return `demo-runbook:${this.title}:${request.stepId}`.slice(0, MAX_QUERY_TAG);
  }

  private notice(options: RunOptions): string | undefined {
    return options.useCachedResult === true
      ? "Snowflake's result cache is allowed for this step: a repeated query may be answered from the cache"
      : undefined;
  }

  private async runShort(conn: Connection, request: StatementRequest, options: RunOptions): Promise<StatementResult> {
    const started = performance.now();
    let statement: RowStatement | undefined;
    const guard = new Guard(this, conn, options, () => statement, true);
    try {
      const completed = this.track(new Promise<RowStatement>((resolve, reject) => {
        statement = conn.execute({
          sqlText: request.sql,
          parameters: this.parameters(request, options),
          streamResult: true,
          rowMode: 'array',
          fetchAsString: FETCH_AS_STRING,
          complete: (err, stmt) => (err ? reject(err) : resolve(stmt)),
        });
      }));
      const done = await guard.wait(completed);
      const columns = columnsOf(done);
      const rows = await guard.wait(readRows(done, columns, options.maxRows));
      const elapsedMs = Math.round(performance.now() - started);
      const rowCount = done.getNumRows() ?? rows.length;
      const queryId = done.getQueryId();
      guard.dispose();
      const database = (done.getSessionState() as { getCurrentDatabase?(): string | null } | undefined)?.getCurrentDatabase?.();
      const server = await this.serverTimings(conn, request, options, queryId, database ?? undefined);
      return { columns, rows, rowCount, truncated: rowCount > rows.length, queryId, elapsedMs, server, source: 'live', notice: this.notice(options) };
    } catch (error) {
      throw this.failure(conn, error, statement?.getQueryId());
    } finally {
      guard.dispose();
    }
  }

  /** Scale, restore, refresh: submitted asynchronously, watched through their status, reattachable. */
  private async runLong(conn: Connection, request: StatementRequest, options: RunOptions): Promise<StatementResult> {
    const { stepId, index, sql } = request;
    const s = this.settings;
    let statement: RowStatement | undefined;
    let queryId: string | undefined;
    const guard = new Guard(this, conn, options, () => statement, false, () => queryId);
    let started = Date.now();
    let notice = this.notice(options);
    try {
      const saved = this.running.find(stepId, index, sql, s.account, s.name);
      if (saved) {
        const status = await guard.wait(this.status(conn, saved.queryId)).catch((e: unknown) => (guard.fired ? Promise.reject(e) : undefined));
        if (status && (conn.isStillRunning(status as QueryStatus) || status === 'SUCCESS')) {
          queryId = saved.queryId;
          started = Date.parse(saved.startedAt);
          notice = `reattached to query ${queryId}, started ${saved.startedAt} by an earlier run of the demo`;
          this.log.write('event', `step ${stepId}: ${notice} (status ${status})`);
        } else {
          this.running.forget(stepId, index);
        }
      }
      if (!queryId) {
        queryId = await guard.wait(
          new Promise<string>((resolve, reject) => {
            statement = conn.execute({
              sqlText: sql,
              parameters: this.parameters(request, options),
              asyncExec: true,
              complete: (err, stmt) => (err ? reject(err) : resolve(stmt.getQueryId())),
            });
          }),
        );
        started = Date.now();
        this.running.save({ queryId, stepId, index, sqlSha256: sqlHash(sql), account: s.account, connection: s.name, startedAt: new Date(started).toISOString() });
      }
      const id = queryId;
      const url = snowsightUrl(s.account, id);
      let last: string | undefined;
      let lastAnswer = Date.now();
      for (;;) {
        let status: string | undefined;
        try {
          status = await guard.wait(this.status(conn, id));
          lastAnswer = Date.now();
        } catch (error) {
          if (guard.fired) throw error;
          if (Date.now() - lastAnswer > this.tuning.lostContactMs) {
            throw new EngineError(`lost contact with Snowflake for ${seconds(this.tuning.lostContactMs)} while query ${id} was running`, {
              code: 'CONNECTION_LOST',
              queryId: id,
              hint: 'the query keeps running on Snowflake: run the step again to reattach to it instead of starting it over',
            });
          }
        }
        if (status && status !== last) {
          last = status;
          options.onProgress?.({ state: status, queryId: id, url });
        }
        const stillRunning = status === undefined || conn.isStillRunning(status as QueryStatus) ||
          (status === 'NO_QUERY_DATA' && Date.now() - started < NO_DATA_GRACE_MS);
        if (!stillRunning) break;
        await guard.wait(delay(this.tuning.pollIntervalMs));
      }
      const fetched = await guard.wait(
        new Promise<RowStatement>((resolve, reject) => {
          statement = conn.fetchResult({
            queryId: id,
            streamResult: true,
            rowMode: 'array',
            fetchAsString: FETCH_AS_STRING,
            complete: (err, stmt) => (err ? reject(err) : resolve(stmt)),
          });
        }),
      ).catch((error: unknown) => {
        // The query ended (with an error): there is nothing left to reattach to.
        if (!guard.fired) this.running.forget(stepId, index);
        throw error;
      });
      const columns = columnsOf(fetched);
      const rows = await guard.wait(readRows(fetched, columns, options.maxRows));
      this.running.forget(stepId, index);
      const rowCount = fetched.getNumRows() ?? rows.length;
      return { columns, rows, rowCount, truncated: rowCount > rows.length, queryId: id, elapsedMs: Date.now() - started, source: 'live', notice };
    } catch (error) {
      if (guard.fired && guard.confirmed) this.running.forget(stepId, index);
      throw this.failure(conn, error, queryId);
    } finally {
      guard.dispose();
    }
  }

  private async status(conn: Connection, queryId: string): Promise<string> {
    return withTimeout(conn.getQueryStatus(queryId), this.tuning.pollTimeoutMs, 'status request');
  }

  /** Elapsed, compilation, execution and queued time as Snowflake measured them, when it can say. */
  private async serverTimings(
    conn: Connection,
    request: StatementRequest,
    options: RunOptions,
    queryId: string | undefined,
    database: string | undefined,
  ): Promise<ServerTiming | undefined> {
    if (!this.tuning.timingsTimeoutMs || !queryId || !/^[0-9a-f-]{36}$/i.test(queryId) || !isQuery(request.sql)) return undefined;
    if (options.signal.aborted) return undefined;
    // INFORMATION_SCHEMA lives in a database: without one in the session there is nothing to ask.
    if (!database) return undefined;
    const sql =
      'select total_elapsed_time, compilation_time, execution_time, ' +
      'queued_provisioning_time + queued_repair_time + queued_overload_time as queued_time, ' +
      'bytes_scanned, rows_produced, warehouse_size ' +
      `from table("${database.replace(/"/g, '""')}".information_schema.query_history_by_session(result_limit => 100)) ` +
      `where query_id = '${queryId}'`;
    try {
      const rows = await withTimeout(
        new Promise<unknown[][]>((resolve, reject) => {
          conn.execute({
            sqlText: sql,
            parameters: { QUERY_TAG: this.queryTag(request) },
            rowMode: 'array',
            complete: (err, _stmt, rows) => (err ? reject(err) : resolve((rows ?? []) as unknown[][])),
          });
        }),
        this.tuning.timingsTimeoutMs,
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
    if ((mapped.code && SESSION_GONE.has(mapped.code)) || !conn.isUp()) void this.destroy(conn, 0);
    this.log.write('event', `statement failed (${mapped.code ?? 'no code'}): ${mapped.message}`);
    return mapped;
  }

  // --- used by Guard ------------------------------------------------------------------------

  /** Asks the server to abort; resolves to whether it confirmed in time. */
  cancelOnServer(conn: Connection, statement: RowStatement | undefined, queryId: string | undefined): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), this.tuning.cancelWaitMs);
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

  /** A connection that did not answer in time is dropped; the next statement logs in again. */
  abandon(conn: Connection, why: string): void {
    this.log.write('event', `dropping the connection: ${why}`);
    void this.destroy(conn, 0);
  }

  /** Resolves if the server answered at all (even with an error), rejects if the network is silent. */
  probe(conn: Connection): Promise<unknown> {
    const heartbeat = (conn as unknown as { heartbeatAsync(): Promise<unknown> })
      .heartbeatAsync()
      .catch((error: { code?: unknown }) => {
        if (String(error?.code) === NETWORK_FAILURE) throw error;
      });
    return withTimeout(heartbeat, this.tuning.livenessTimeoutMs, 'heartbeat');
  }

  get limits(): Tuning {
    return this.tuning;
  }

  event(message: string): void {
    this.log.write('event', message);
  }
}

/**
 * Watches one statement: the caller's AbortSignal (Ctrl-C, the runner's watchdog), our own copy of
 * the watchdog, and the liveness probe. On any of them it cancels on the server (bounded), drops
 * the connection if the server did not confirm, and makes every wait() reject with a clear error.
 */
class Guard {
  fired?: Reason;
  confirmed = false;
  private readonly stopped: Promise<never>;
  private stop!: (error: Error) => void;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly onAbort: () => void;
  private disposed = false;

  constructor(
    private readonly engine: SnowflakeEngine,
    private readonly conn: Connection,
    private readonly options: RunOptions,
    private readonly statement: () => RowStatement | undefined,
    /** Long statements poll their status: the polls are their liveness check. */
    probeLiveness: boolean,
    private readonly queryId: () => string | undefined = () => statement()?.getQueryId(),
  ) {
    this.stopped = new Promise<never>((_, reject) => (this.stop = reject));
    this.stopped.catch(() => {});
    const started = performance.now();
    // The runner's watchdog aborts the signal at the limit: that is a timeout, not a Ctrl-C.
    this.onAbort = () => this.fire(options.timeoutMs && performance.now() - started >= options.timeoutMs - 100 ? 'timeout' : 'cancel');
    options.signal.addEventListener('abort', this.onAbort, { once: true });
    if (options.timeoutMs) this.timers.push(setTimeout(() => this.fire('timeout'), options.timeoutMs));
    if (probeLiveness) this.watchLiveness();
    if (options.signal.aborted) this.fire('cancel');
  }

  wait<T>(promise: Promise<T>): Promise<T> {
    promise.catch(() => {});
    return Promise.race([promise, this.stopped]);
  }

  private watchLiveness(): void {
    const { livenessIntervalMs, livenessFailures } = this.engine.limits;
    let failures = 0;
    let inFlight = false;
    const timer = setInterval(() => {
      if (inFlight || this.fired) return;
      inFlight = true;
      this.engine
        .probe(this.conn)
        .then(() => (failures = 0), () => {
          if (++failures >= livenessFailures) this.fire('lost');
        })
        .finally(() => (inFlight = false));
    }, livenessIntervalMs);
    this.timers.push(timer);
  }

  private fire(reason: Reason): void {
    if (this.fired || this.disposed) return;
    this.fired = reason;
    const queryId = this.queryId();
    this.engine.event(`${reason === 'cancel' ? 'cancel requested' : reason === 'timeout' ? 'watchdog fired' : 'no answer to liveness probes'}${queryId ? ` (query ${queryId})` : ''}`);
    void this.engine.cancelOnServer(this.conn, this.statement(), queryId).then((confirmed) => {
      this.confirmed = confirmed;
      if (!confirmed) this.engine.abandon(this.conn, 'the server did not confirm the cancel');
      this.stop(this.error(reason, confirmed, this.queryId()));
    });
  }

  private error(reason: Reason, confirmed: boolean, queryId: string | undefined): Error {
    const id = queryId ? ` (query id ${queryId})` : '';
    if (reason === 'cancel') {
      return new CancelledError(
        confirmed ? 'Cancelled: Snowflake stopped the statement' : `Cancelled here; Snowflake did not confirm that it stopped the statement${id}`,
      );
    }
    const stopped = confirmed ? 'it was cancelled on Snowflake' : `Snowflake did not confirm the cancel${id}; the connection will be rebuilt`;
    if (reason === 'timeout') {
      return new EngineError(`no answer from Snowflake within ${seconds(this.options.timeoutMs ?? 0)}: ${stopped}`, {
        code: 'WATCHDOG',
        queryId,
        hint: confirmed ? "raise the step's 'timeout' in the runbook if it is expected to take longer" : 'check the network; the next step reconnects',
      });
    }
    const { livenessIntervalMs, livenessFailures } = this.engine.limits;
    return new EngineError(`lost contact with Snowflake: no answer for ${seconds(livenessIntervalMs * livenessFailures)}; ${stopped}`, {
      code: 'CONNECTION_LOST',
      queryId,
      hint: 'check the network (Wi-Fi, VPN, proxy); the next step reconnects',
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.options.signal.removeEventListener('abort', this.onAbort);
  }
}

// --- helpers ----------------------------------------------------------------------------------

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  promise.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
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

/**
 * A local stand-in for Snowflake's REST API: the subset snowflake-sdk 3.x speaks (login, query
 * requests with JSON rowsets and chunks, ping-pong 333333, async 333334, query monitoring, abort,
 * heartbeat, session delete, telemetry). It listens on 127.0.0.1 on an ephemeral port, records what
 * it was sent, and answers each statement from a script, so tests can stage every failure a
 * conference network can produce.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import zlib from 'node:zlib';

export type FakeType = 'fixed' | 'real' | 'text' | 'boolean' | 'date' | 'timestamp_ntz' | 'variant' | 'binary';

export interface FakeColumn {
  name: string;
  type: FakeType;
  scale?: number;
}

/** What the server does with one statement. */
export interface Plan {
  columns?: FakeColumn[];
  /** Values as Snowflake sends them: strings, or null. */
  rows?: (string | null)[][];
  /** A large result, generated on demand and served in chunks of `chunkSize` rows. */
  generate?: { count: number; chunkSize: number; row: (i: number) => (string | null)[] };
  error?: { code: string; message: string; sqlState?: string };
  /** How long the statement "runs" on the server (the driver polls through ping-pong meanwhile). */
  runMs?: number;
  /** For asynchronous statements: the states reported while it runs, spread over runMs. */
  states?: string[];
  /** Never answer the query request (the rest of the server keeps answering). */
  hang?: boolean;
  /** Drop the TCP connection instead of answering, the first time ('request') or on the first result poll ('result'). */
  reset?: 'request' | 'result';
  /** Answer the first N attempts of the query request with HTTP 503. */
  http503?: number;
  /** Never answer the first request for the result (a proxy dropped it on the way); answer the ones after it. */
  dropFirstResult?: boolean;
  /** Refuse the statement at once, as a compilation error is: the submit itself is answered with this error. */
  reject?: { code: string; message: string; sqlState?: string };
  /** Whatever a script wants to keep about the statement (e.g. the state it found it in). */
  note?: Record<string, unknown>;
}

/** Every kind of request the driver makes, for faults that hit all requests of a kind. */
export type RequestKind = 'login' | 'query' | 'status' | 'result' | 'abort' | 'heartbeat' | 'logout';
/**
 * What a fault does to a request: never answer it, drop the connection, answer with an error
 * (HTTP 200, success false) or with HTTP 500.
 */
export type Fault = 'hang' | 'reset' | 'reject' | 'http500';

export interface Rule {
  match: RegExp | ((sql: string) => boolean);
  plan: Plan | ((query: FakeQuery) => Plan);
}

export interface FakeUser {
  name: string;
  password?: string;
  /** For SNOWFLAKE_JWT: the PEM public key registered for the user. */
  publicKey?: string;
  /** For OAUTH and PROGRAMMATIC_ACCESS_TOKEN. */
  token?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  search: string;
  body: unknown;
  headers: http.IncomingHttpHeaders;
  at: number;
}

export interface FakeQuery {
  id: string;
  requestId: string;
  sql: string;
  parameters: Record<string, unknown>;
  async: boolean;
  sessionId: number;
  plan: Plan;
  startedAt: number;
  abortedAt?: number;
  endedAt?: number;
  /** Number of times the driver asked for the result (ping-pong included). */
  polls: number;
}

export interface Session {
  id: number;
  user: string;
  token: string;
  closed: boolean;
  loginBody: Record<string, unknown>;
  /** What the login asked for (URL parameters), as CURRENT_ROLE() and CURRENT_WAREHOUSE() answer. */
  role?: string;
  warehouse?: string;
}

const JSON_TYPE = { 'Content-Type': 'application/json' };
const PING_PONG_MS = 150;
const RESULT_PARAMETERS = [
  { name: 'TIMEZONE', value: 'UTC' },
  { name: 'DATE_OUTPUT_FORMAT', value: 'YYYY-MM-DD' },
  { name: 'TIMESTAMP_NTZ_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3' },
  { name: 'TIMESTAMP_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM' },
];

function uuid(): string {
  return crypto.randomUUID();
}

function rowtype(columns: FakeColumn[]) {
  return columns.map((c) => ({
    name: c.name,
    type: c.type,
    scale: c.scale ?? (c.type === 'timestamp_ntz' ? 9 : 0),
    precision: c.type === 'fixed' ? 38 : 0,
    length: c.type === 'text' ? 16777216 : null,
    byteLength: c.type === 'text' ? 16777216 : null,
    nullable: true,
  }));
}

export class FakeSnowflake {
  readonly requests: RecordedRequest[] = [];
  readonly queries = new Map<string, FakeQuery>();
  readonly sessions = new Map<string, Session>();
  /** Query ids (or request ids, when the id was not known yet) the driver asked to abort. */
  readonly aborts: string[] = [];
  chunkDownloads = 0;
  readonly users = new Map<string, FakeUser>();
  account = 'TESTACCOUNT';

  private rules: Rule[] = [];
  private readonly byRequestId = new Map<string, FakeQuery>();
  private readonly attempts = new Map<string, number>();
  private readonly resetDone = new Set<string>();
  private readonly held = new Set<http.ServerResponse>();
  private readonly sockets = new Set<Socket>();
  private answering = true;
  private readonly faults = new Map<RequestKind, Fault>();
  private nextSession = 1;
  private ssoTokens = new Set<string>();

  private constructor(private readonly server: http.Server) {}

  static async start(options: { users?: FakeUser[]; rules?: Rule[]; port?: number } = {}): Promise<FakeSnowflake> {
    const server = http.createServer();
    const fake = new FakeSnowflake(server);
    for (const user of options.users ?? [{ name: 'DEMO', password: 'correct horse battery staple' }]) fake.users.set(user.name.toUpperCase(), user);
    fake.rules = [...(options.rules ?? [])];
    server.on('connection', (socket) => {
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    server.on('request', (req, res) => {
      void fake.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, JSON_TYPE);
        res.end(JSON.stringify({ success: false, code: '000001', message: String(error) }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', resolve);
    });
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Scripts statements: the first matching rule wins; unmatched SQL returns one row (1). */
  script(...rules: Rule[]): void {
    this.rules.unshift(...rules);
  }

  /** From now on, hold every request without answering, as a dead network would. */
  stopAnswering(): void {
    this.answering = false;
  }

  /** Answer again; connections held meanwhile are dropped, as they would be after an outage. */
  resumeAnswering(): void {
    this.answering = true;
    for (const res of this.held) res.socket?.destroy();
    this.held.clear();
  }

  /** From now on, every request of this kind meets the fault (undefined: answered normally again). */
  fault(kind: RequestKind, fault: Fault | undefined): void {
    if (fault) this.faults.set(kind, fault);
    else this.faults.delete(kind);
  }

  /** Ends every session, as Snowflake does after a long idle time. */
  expireSessions(): void {
    for (const session of this.sessions.values()) session.closed = true;
  }

  /** The SAML token our fake IdP hands the browser for EXTERNALBROWSER logins. */
  issueSsoToken(): string {
    const token = `sso-${uuid()}`;
    this.ssoTokens.add(token);
    return token;
  }

  /** Every statement sent, in the order it arrived. */
  get statements(): FakeQuery[] {
    return [...this.queries.values()];
  }

  find(sql: RegExp): FakeQuery | undefined {
    return [...this.queries.values()].find((q) => sql.test(q.sql));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- HTTP ---------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    this.requests.push({ method: req.method ?? '', path: url.pathname, search: url.search, body, headers: req.headers, at: Date.now() });
    if (!this.answering) return this.hold(res);
    const path = url.pathname;
    const post = req.method === 'POST';
    const kind = kindOf(req.method ?? '', path, url);
    const fault = kind && this.faults.get(kind);
    if (fault) return this.misbehave(fault, req, res);

    if (post && path === '/session/v1/login-request') return this.login(body as { data?: Record<string, unknown> }, url, res);
    if (post && path === '/session' && url.searchParams.get('delete') === 'true') {
      const session = this.sessionOf(req);
      if (session) session.closed = true;
      return send(res, { success: true, data: null });
    }
    if (post && (path === '/telemetry/send' || path === '/session/heartbeat')) return send(res, { success: true, data: null });
    if (post && path === '/session/token-request') return send(res, { success: true, data: { sessionToken: uuid(), validityInSecondsST: 3600, masterToken: uuid(), validityInSecondsMT: 14400 } });

    // Chunks live on cloud storage, not behind the session: the driver fetches them without a token.
    const chunk = /^\/chunks\/([0-9a-f-]{36})\/(\d+)$/.exec(path);
    if (req.method === 'GET' && chunk) return this.chunk(chunk[1]!, Number(chunk[2]), res);
    const session = this.sessionOf(req);
    if (!session) {
      return send(res, { success: false, code: '390104', message: 'User must login again to access this resource.', data: null });
    }
    if (post && path === '/queries/v1/query-request') return this.queryRequest(url, body as Record<string, unknown>, session, req, res);
    if (post && path === '/queries/v1/abort-request') {
      const requestId = String((body as { requestId?: string })?.requestId ?? '');
      this.aborts.push(requestId);
      const query = this.byRequestId.get(requestId);
      if (query) this.abort(query);
      return send(res, { success: true, data: null });
    }
    let m: RegExpExecArray | null = /^\/queries\/([0-9a-f-]{36})\/abort-request$/.exec(path);
    if (post && m) {
      this.aborts.push(m[1]!);
      const query = this.queries.get(m[1]!);
      if (query) this.abort(query);
      return send(res, { success: true, data: null });
    }
    m = /^\/queries\/([0-9a-f-]{36})\/result$/.exec(path);
    if (req.method === 'GET' && m) return this.result(m[1]!, req, res);
    m = /^\/monitoring\/queries\/([0-9a-f-]{36})$/.exec(path);
    if (req.method === 'GET' && m) return this.monitoring(m[1]!, res);
    res.writeHead(404, JSON_TYPE);
    res.end(JSON.stringify({ success: false, code: '000404', message: `no such endpoint: ${req.method} ${path}` }));
  }

  private misbehave(fault: Fault, req: http.IncomingMessage, res: http.ServerResponse): void {
    switch (fault) {
      case 'hang':
        return this.hold(res);
      case 'reset':
        req.socket.destroy();
        return;
      case 'reject':
        return send(res, { success: false, code: '000605', message: 'Fake Snowflake: this request was rejected on purpose.', data: { sqlState: '08000' } });
      case 'http500':
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('Internal Server Error');
    }
  }

  private hold(res: http.ServerResponse): void {
    this.held.add(res);
    res.on('close', () => this.held.delete(res));
  }

  private sessionOf(req: http.IncomingMessage): Session | undefined {
    const token = /Snowflake Token="([^"]*)"/.exec(req.headers.authorization ?? '')?.[1];
    const session = token ? this.sessions.get(token) : undefined;
    return session && !session.closed ? session : undefined;
  }

  private login(body: { data?: Record<string, unknown> }, url: URL, res: http.ServerResponse): void {
    const data = body?.data ?? {};
    const authenticator = String(data.AUTHENTICATOR ?? 'SNOWFLAKE').toUpperCase();
    const loginName = String(data.LOGIN_NAME ?? '').toUpperCase();
    const user = this.users.get(loginName);
    const fail = (code: string, message: string) => send(res, { success: false, code, message, data: { nextAction: 'RETRY_LOGIN', authnMethod: authenticator } });
    let ok = false;
    switch (authenticator) {
      case 'SNOWFLAKE':
        ok = !!user?.password && data.PASSWORD === user.password;
        if (!ok) return fail('390100', 'Incorrect username or password was specified.');
        break;
      case 'SNOWFLAKE_JWT':
        ok = !!user?.publicKey && verifyJwt(String(data.TOKEN ?? ''), user.publicKey, `${this.account}.${loginName}`);
        if (!ok) return fail('390144', 'JWT token is invalid.');
        break;
      case 'OAUTH':
        ok = [...this.users.values()].some((u) => u.token && u.token === data.TOKEN);
        if (!ok) return fail('390303', 'Invalid OAuth access token.');
        break;
      case 'PROGRAMMATIC_ACCESS_TOKEN':
        ok = !!user?.token && data.TOKEN === user.token;
        if (!ok) return fail('394400', 'Programmatic access token is invalid.');
        break;
      case 'EXTERNALBROWSER':
        ok = this.ssoTokens.delete(String(data.TOKEN ?? ''));
        if (!ok) return fail('390100', 'SAML token was not accepted.');
        break;
      default:
        return fail('390100', `unsupported authenticator ${authenticator}`);
    }
    const token = `session-${uuid()}`;
    const id = this.nextSession++;
    this.sessions.set(token, {
      id,
      user: loginName,
      token,
      closed: false,
      loginBody: data,
      role: url.searchParams.get('roleName') ?? undefined,
      warehouse: url.searchParams.get('warehouse') ?? undefined,
    });
    send(res, {
      success: true,
      data: { token, masterToken: `master-${uuid()}`, validityInSeconds: 3600, masterValidityInSeconds: 14400, sessionId: id, parameters: [] },
    });
  }

  private planFor(query: Pick<FakeQuery, 'sql'> & Partial<FakeQuery>, session: Session): Plan {
    for (const rule of this.rules) {
      const hit = rule.match instanceof RegExp ? rule.match.test(query.sql) : rule.match(query.sql);
      if (hit) return typeof rule.plan === 'function' ? rule.plan(query as FakeQuery) : rule.plan;
    }
    return this.builtin(query.sql, session);
  }

  /** What Snowflake itself would answer to the statements the engine issues on its own. */
  private builtin(sql: string, session: Session): Plan {
    if (/^\s*select\s+current_role\(\)/i.test(sql)) {
      return { columns: [{ name: 'ROLE_NAME', type: 'text' }, { name: 'WAREHOUSE_NAME', type: 'text' }], rows: [[session.role ?? 'PUBLIC', session.warehouse ?? null]] };
    }
    const history = /query_history_by_session[\s\S]*query_id = '([0-9a-f-]{36})'/i.exec(sql);
    if (history) {
      const q = this.queries.get(history[1]!);
      if (!q?.endedAt) return { columns: [{ name: 'TOTAL_ELAPSED_TIME', type: 'fixed' }], rows: [] };
      const total = q.endedAt - q.startedAt;
      return {
        columns: ['TOTAL_ELAPSED_TIME', 'COMPILATION_TIME', 'EXECUTION_TIME', 'QUEUED_TIME', 'BYTES_SCANNED', 'ROWS_PRODUCED']
          .map((name): FakeColumn => ({ name, type: 'fixed' }))
          .concat([{ name: 'WAREHOUSE_SIZE', type: 'text' }]),
        rows: [[String(total), '3', String(Math.max(0, total - 3)), '0', '1024', String(q.plan.rows?.length ?? 0), 'X-Small']],
      };
    }
    const cancel = /system\$cancel_query\('([0-9a-f-]{36})'\)/i.exec(sql);
    if (cancel) {
      const q = this.queries.get(cancel[1]!);
      if (q) this.abort(q);
      this.aborts.push(cancel[1]!);
      return { columns: [{ name: 'STATUS', type: 'text' }], rows: [['query aborted']] };
    }
    return { columns: [{ name: '1', type: 'fixed' }], rows: [['1']] };
  }

  private queryRequest(url: URL, body: Record<string, unknown>, session: Session, req: http.IncomingMessage, res: http.ServerResponse): void {
    const requestId = url.searchParams.get('requestId') ?? uuid();
    let query = this.byRequestId.get(requestId);
    if (!query) {
      const sql = String(body.sqlText ?? '');
      const attempt = (this.attempts.get(requestId) ?? 0) + 1;
      this.attempts.set(requestId, attempt);
      const plan = this.planFor({ sql, requestId, sessionId: session.id, parameters: (body.parameters ?? {}) as Record<string, unknown> }, session);
      if (plan.http503 && attempt <= plan.http503) {
        res.writeHead(503, { 'Content-Type': 'text/plain' });
        res.end('Service Unavailable');
        return;
      }
      query = {
        id: uuid(),
        requestId,
        sql,
        parameters: (body.parameters ?? {}) as Record<string, unknown>,
        async: body.asyncExec === true,
        sessionId: session.id,
        plan,
        startedAt: Date.now(),
        polls: 0,
      };
      this.queries.set(query.id, query);
      this.byRequestId.set(requestId, query);
    }
    if (query.plan.reset === 'request' && !this.resetDone.has(query.id)) {
      this.resetDone.add(query.id);
      req.socket.destroy();
      return;
    }
    if (query.plan.hang) return this.hold(res);
    const reject = query.plan.reject;
    if (reject) {
      query.endedAt ??= Date.now();
      return send(res, { success: false, code: reject.code, message: reject.message, data: { queryId: query.id, sqlState: reject.sqlState ?? '42000', errorCode: reject.code } });
    }
    if (query.async) {
      return send(res, { success: true, code: '333334', message: 'Asynchronous execution in progress.', data: { queryId: query.id, getResultUrl: `/queries/${query.id}/result` } });
    }
    this.answerWhenDone(query, res);
  }

  private result(id: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    const query = this.queries.get(id);
    if (!query) return send(res, { success: false, code: '000709', message: `Statement ${id} not found`, data: { queryId: id, sqlState: '02000' } });
    query.polls++;
    if (query.plan.dropFirstResult && query.polls === 1) return this.hold(res);
    if (query.plan.reset === 'result' && !this.resetDone.has(id)) {
      this.resetDone.add(id);
      req.socket.destroy();
      return;
    }
    this.answerWhenDone(query, res);
  }

  /** Holds the request while the statement runs, up to the ping-pong interval, like Snowflake does. */
  private answerWhenDone(query: FakeQuery, res: http.ServerResponse): void {
    const running = () => query.abortedAt === undefined && query.startedAt + (query.plan.runMs ?? 0) > Date.now();
    if (!running()) return this.finish(query, res);
    const wait = Math.min(PING_PONG_MS, query.startedAt + (query.plan.runMs ?? 0) - Date.now());
    setTimeout(() => {
      if (running()) send(res, { success: true, code: '333333', message: 'Query execution in progress.', data: { queryId: query.id, getResultUrl: `/queries/${query.id}/result` } });
      else this.finish(query, res);
    }, wait);
  }

  private finish(query: FakeQuery, res: http.ServerResponse): void {
    query.endedAt ??= Date.now();
    send(res, this.final(query));
  }

  private final(query: FakeQuery): object {
    const { plan } = query;
    if (query.abortedAt !== undefined) {
      return { success: false, code: '000604', message: 'SQL execution canceled', data: { queryId: query.id, sqlState: '57014', errorCode: '000604' } };
    }
    if (plan.error) {
      return { success: false, code: plan.error.code, message: plan.error.message, data: { queryId: query.id, sqlState: plan.error.sqlState ?? '42000', errorCode: plan.error.code } };
    }
    const columns = plan.columns ?? [{ name: '1', type: 'fixed' }];
    const data: Record<string, unknown> = {
      queryId: query.id,
      queryResultFormat: 'json',
      rowtype: rowtype(columns),
      parameters: RESULT_PARAMETERS,
      statementTypeId: 4096,
      finalDatabaseName: 'DEMO',
      finalSchemaName: 'PUBLIC',
      finalWarehouseName: 'DEMO_WH',
      finalRoleName: 'DEMO_ROLE',
    };
    if (plan.generate) {
      const { count, chunkSize, row } = plan.generate;
      const first = Math.min(count, chunkSize);
      data.rowset = Array.from({ length: first }, (_, i) => row(i));
      const chunks = [];
      for (let start = first, n = 1; start < count; start += chunkSize, n++) {
        const rowCount = Math.min(chunkSize, count - start);
        chunks.push({ url: `http://127.0.0.1:${this.port}/chunks/${query.id}/${n}`, rowCount, uncompressedSize: rowCount * 32, compressedSize: rowCount * 8 });
      }
      data.chunks = chunks;
      data.chunkHeaders = { 'x-demo-chunk': '1' };
      data.total = count;
      data.returned = count;
    } else {
      const rows = plan.rows ?? [['1']];
      data.rowset = rows;
      data.total = rows.length;
      data.returned = rows.length;
    }
    return { success: true, data };
  }

  private monitoring(id: string, res: http.ServerResponse): void {
    const query = this.queries.get(id);
    if (!query) return send(res, { success: true, data: { queries: [] } });
    send(res, { success: true, data: { queries: [{ id, status: this.status(query), errorMessage: query.plan.error?.message }] } });
  }

  private status(query: FakeQuery): string {
    if (query.abortedAt !== undefined) return 'ABORTED';
    const runMs = query.plan.runMs ?? 0;
    const elapsed = Date.now() - query.startedAt;
    if (elapsed >= runMs) {
      query.endedAt ??= query.startedAt + runMs;
      return query.plan.error ? 'FAILED_WITH_ERROR' : 'SUCCESS';
    }
    const states = query.plan.states ?? ['RUNNING'];
    return states[Math.min(states.length - 1, Math.floor((elapsed / runMs) * states.length))]!;
  }

  private abort(query: FakeQuery): void {
    query.abortedAt ??= Date.now();
  }

  private chunk(id: string, n: number, res: http.ServerResponse): void {
    const query = this.queries.get(id);
    const gen = query?.plan.generate;
    if (!gen) {
      res.writeHead(404);
      res.end();
      return;
    }
    this.chunkDownloads++;
    const start = n * gen.chunkSize;
    const end = Math.min(gen.count, start + gen.chunkSize);
    const parts: string[] = [];
    for (let i = start; i < end; i++) parts.push(JSON.stringify(gen.row(i)));
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    res.end(parts.join(','));
  }
}

function kindOf(method: string, path: string, url: URL): RequestKind | undefined {
  if (path === '/session/v1/login-request') return 'login';
  if (path === '/queries/v1/query-request') return 'query';
  if (path === '/session/heartbeat') return 'heartbeat';
  if (path === '/session' && url.searchParams.get('delete') === 'true') return 'logout';
  if (/^\/monitoring\/queries\//.test(path)) return 'status';
  if (method === 'GET' && /^\/queries\/[0-9a-f-]{36}\/result$/.test(path)) return 'result';
  if (/abort-request$/.test(path)) return 'abort';
  return undefined;
}

function send(res: http.ServerResponse, body: object): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(200, JSON_TYPE);
  res.end(JSON.stringify(body));
}

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  let raw = Buffer.concat(chunks);
  if (req.headers['content-encoding'] === 'gzip') raw = zlib.gunzipSync(raw);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return raw.toString('utf8');
  }
}

function verifyJwt(token: string, publicKey: string, subject: string): boolean {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return false;
  const valid = crypto.verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'));
  if (!valid) return false;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: string };
  return claims.sub === subject;
}

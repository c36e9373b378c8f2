/** Turns what the driver throws into messages a presenter can act on, with secrets removed. */
import { EngineError } from '../types.js';
import type { ConnectionSettings } from './connections.js';
import { endpointOf } from './driver.js';
import type { Redactor } from './redact.js';

/** The parts of a driver error we read; the driver's own types are looser than its objects. */
export interface DriverError {
  code?: string | number;
  message?: string;
  sqlState?: string;
  data?: { queryId?: string; nextAction?: string } | null;
  response?: { statusCode?: number; status?: number };
  cause?: { code?: string; message?: string };
}

/** Server codes that mean the session is gone: the connection must be rebuilt. */
export const SESSION_GONE = new Set(['390111', '390112', '390114', '390104']);

/** Client codes the driver uses for "the network failed", "HTTP error", "not connected". */
const NETWORK = new Set(['401001', '401003', '402001']);
const HTTP_STATUS = new Set(['401002', '402002']);
const DISCONNECTED = new Set(['405503', '407002']);

/** Whether the driver could not reach the server at all, or got an HTTP error instead of an answer. */
export function isNetworkFailure(raw: unknown): boolean {
  const code = (raw as DriverError | undefined)?.code;
  return code !== undefined && (NETWORK.has(String(code)) || HTTP_STATUS.has(String(code)));
}

/** A driver failure in a few words, for "(last: …)": connection refused, HTTP 500, or its message. */
export function briefly(raw: unknown): string {
  const error = (raw ?? {}) as DriverError;
  const code = error.code === undefined ? undefined : String(error.code);
  if (code && NETWORK.has(code)) return networkCause(error);
  if (code && HTTP_STATUS.has(code)) return `HTTP ${error.response?.statusCode ?? error.response?.status ?? '?'}`;
  return error.message ?? String(raw);
}

function where(settings: ConnectionSettings): string {
  return settings.file ? `connection '${settings.name}' in ${settings.file}` : 'the SNOWFLAKE_* environment variables';
}

/** "check user and password in connection 'x' in FILE", naming the variables that override the file. */
function check(settings: ConnectionSettings, ...keys: string[]): string {
  const inFile = keys.filter((k) => !settings.fromEnv[k]);
  const fromEnv = keys.filter((k) => settings.fromEnv[k]).map((k) => settings.fromEnv[k]!);
  const parts = [];
  if (inFile.length) parts.push(`${inFile.join(' and ')} in ${where(settings)}`);
  if (fromEnv.length) parts.push(`${fromEnv.join(' and ')} (set in the environment)`);
  return `check ${parts.join(', and ')}`;
}

function networkCause(error: DriverError): string {
  const code = error.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host name not found';
  if (code === 'ECONNRESET') return 'connection reset';
  if (code === 'ETIMEDOUT' || code === 'ECONNABORTED') return 'timed out';
  return code ?? error.cause?.message ?? error.message ?? 'network error';
}

export function loginError(raw: unknown, settings: ConnectionSettings, redactor: Redactor): EngineError {
  const error = (raw ?? {}) as DriverError;
  const code = error.code === undefined ? undefined : String(error.code);
  const server = redactor.redact(error.message ?? 'login failed');
  const who = `user '${settings.user ?? '?'}' on account '${settings.account}'`;
  // Whatever the reason, there is no connection: nothing else can run until a login succeeds.
  const make = (message: string, hint?: string) =>
    new EngineError(redactor.redact(message), { code, hint: hint && redactor.redact(hint), cause: raw, connectionFault: true });
  switch (code) {
    case '390100':
      return make(`Snowflake rejected the login of ${who}: incorrect user name or password`,
        check(settings, 'user', 'password'));
    case '390144':
      return make(`Snowflake rejected the key-pair login of ${who}: the JWT was not accepted`,
        `the public key set with ALTER USER ... SET RSA_PUBLIC_KEY must match the key in private_key_file: ${check(settings, 'private_key_file')}`);
    case '390303':
    case '390318':
    case '390302':
      return make(`Snowflake rejected the ${settings.authenticator} token of ${who}: ${server}`,
        `get a fresh token, then ${check(settings, 'token')}`);
    case '390201':
    case '390189':
    case '390190':
      return make(`Snowflake refused the session for ${who}: ${server}`,
        `check role, warehouse, database and schema in ${where(settings)}`);
  }
  if (code && NETWORK.has(code)) {
    return make(`cannot reach Snowflake at ${endpointOf(settings)}: ${networkCause(error)}`,
      `check the network and the account identifier '${settings.account}'${settings.host ? ` and host '${settings.host}'` : ''}`);
  }
  if (code !== undefined && HTTP_STATUS.has(code)) {
    return make(`Snowflake at ${endpointOf(settings)} answered the login with HTTP ${error.response?.statusCode ?? error.response?.status ?? '?'}`,
      'Snowflake may be unavailable: check status.snowflake.com, or try again');
  }
  if (/decrypt|private key|PEM/i.test(error.message ?? '')) {
    return make(`cannot use the private key for ${who}`, check(settings, 'private_key_file', 'private_key_file_pwd'));
  }
  return make(`login to Snowflake failed for ${who}: ${server}`);
}

export function statementError(raw: unknown, settings: ConnectionSettings, redactor: Redactor, queryId?: string): EngineError {
  const error = (raw ?? {}) as DriverError;
  const code = error.code === undefined ? undefined : String(error.code);
  const id = error.data?.queryId ?? queryId;
  const server = redactor.redact(error.message ?? 'statement failed');
  const make = (message: string, hint?: string, connectionFault = false) =>
    new EngineError(redactor.redact(message), { code, queryId: id, hint, cause: raw, connectionFault });
  switch (code) {
    case '002003':
      return make(server, `check the name, and that role ${settings.role ?? '(the default role)'} has been granted access to it`);
    case '003001':
      return make(server, `role ${settings.role ?? '(the default role)'} lacks a privilege: see "Least-privilege role" in the README`);
    case '000630':
      return make(`Snowflake stopped the statement: it ran longer than the statement timeout. ${server}`,
        "raise the step's 'timeout' in the runbook, or the warehouse's STATEMENT_TIMEOUT_IN_SECONDS");
    case '000606':
      return make(server, `set warehouse in ${where(settings)}, or add USE WAREHOUSE to the runbook`);
    case '000604':
      return make('the statement was cancelled on Snowflake', 'someone (or a timeout) cancelled it');
  }
  if (code && (SESSION_GONE.has(code) || DISCONNECTED.has(code))) {
    return make(`the Snowflake session ended: ${server}`, 'the next step logs in again', true);
  }
  if (code && NETWORK.has(code)) {
    return make(`lost contact with Snowflake at ${endpointOf(settings)}: ${networkCause(error)}`,
      'check the network; the next step reconnects', true);
  }
  if (code !== undefined && HTTP_STATUS.has(code)) {
    return make(`Snowflake answered HTTP ${error.response?.statusCode ?? error.response?.status ?? '?'}`,
      'Snowflake may be unavailable: check status.snowflake.com', true);
  }
  return make(server);
}

/**
 * Reads a Snowflake connection the way Snowflake users already configure one: connections.toml
 * (or the Snowflake CLI's config.toml), overridden by SNOWFLAKE_* environment variables.
 * We parse the files ourselves because the driver reports every problem as
 * "Connection options must be specified".
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { UsageError } from '../../runbook/errors.js';

export const AUTHENTICATORS = ['SNOWFLAKE', 'SNOWFLAKE_JWT', 'EXTERNALBROWSER', 'OAUTH', 'PROGRAMMATIC_ACCESS_TOKEN'] as const;
export type Authenticator = (typeof AUTHENTICATORS)[number];

/** SSO waits for a person in a browser. */
export const BROWSER_LOGIN_TIMEOUT_MS = 120_000;

export interface ConnectionSettings {
  /** The connection's name, or "environment" when it comes from SNOWFLAKE_* variables only. */
  name: string;
  /** The file the connection was read from, if any. */
  file?: string;
  account: string;
  user?: string;
  password?: string;
  authenticator: Authenticator;
  token?: string;
  privateKeyFile?: string;
  privateKeyPassphrase?: string;
  role?: string;
  warehouse?: string;
  database?: string;
  schema?: string;
  region?: string;
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  /** `login_timeout` from the file or SNOWFLAKE_LOGIN_TIMEOUT; otherwise the engine's limit applies. */
  loginTimeoutMs?: number;
  clientStoreTemporaryCredential?: boolean;
  disableConsoleLogin?: boolean;
  /** Which setting came from which environment variable, for messages. */
  fromEnv: Record<string, string>;
}

export interface LoadedConnection {
  settings: ConnectionSettings;
  /** Things the presenter should know but that do not stop the show (file permissions, typos). */
  warnings: string[];
  /** Every secret value, for the redactor. */
  secrets: string[];
}

export interface ConnectionRequest {
  /** -c/--connection */
  connection?: string;
  /** The runbook's `connection:` */
  runbookConnection?: string;
  env?: NodeJS.ProcessEnv;
  /** Home directory, for ~/.snowflake. */
  home?: string;
}

/** Keys of a connection section, and their environment variables (SNOWFLAKE_<KEY>). */
const KEYS = {
  account: ['ACCOUNT'],
  user: ['USER'],
  username: [],
  password: ['PASSWORD'],
  role: ['ROLE'],
  warehouse: ['WAREHOUSE'],
  database: ['DATABASE'],
  schema: ['SCHEMA'],
  region: ['REGION'],
  host: ['HOST'],
  port: ['PORT'],
  protocol: ['PROTOCOL'],
  authenticator: ['AUTHENTICATOR'],
  private_key_file: ['PRIVATE_KEY_FILE', 'PRIVATE_KEY_PATH'],
  private_key_path: [],
  private_key_file_pwd: ['PRIVATE_KEY_FILE_PWD', 'PRIVATE_KEY_PASSPHRASE'],
  private_key_passphrase: [],
  token: ['TOKEN'],
  token_file_path: ['TOKEN_FILE_PATH'],
  login_timeout: ['LOGIN_TIMEOUT'],
  client_store_temporary_credential: ['CLIENT_STORE_TEMPORARY_CREDENTIAL'],
  disable_console_login: [],
} as const satisfies Record<string, readonly string[]>;
type Key = keyof typeof KEYS;

type Raw = Partial<Record<Key, string | number | boolean>>;

function snowflakeDir(env: NodeJS.ProcessEnv, home: string): string {
  return env.SNOWFLAKE_HOME ? path.resolve(expandHome(env.SNOWFLAKE_HOME, home)) : path.join(home, '.snowflake');
}

function expandHome(p: string, home: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(home, p.slice(1)) : p;
}

interface TomlFile {
  file: string;
  data: Record<string, unknown>;
}

function readToml(file: string, warnings: string[]): TomlFile | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new UsageError(`cannot read ${file}: ${code === 'EACCES' ? 'permission denied' : String(code)}`);
  }
  warnAboutPermissions(file, warnings);
  try {
    return { file, data: parse(text) as Record<string, unknown> };
  } catch (error) {
    if (error instanceof TomlError) {
      // smol-toml appends the offending lines to its message: they may hold a password.
      const reason = error.message.split('\n')[0]!.replace(/^Invalid TOML document:\s*/, '');
      throw new UsageError(`${file}:${error.line}:${error.column}: invalid TOML: ${reason}`);
    }
    throw new UsageError(`${file}: invalid TOML`);
  }
}

function warnAboutPermissions(file: string, warnings: string[]): void {
  if (process.platform === 'win32') return;
  try {
    const mode = fs.statSync(file).mode & 0o777;
    if (mode & 0o077) {
      warnings.push(`${file} can be read by other users (mode ${mode.toString(8)}): run chmod 600 ${file}`);
    }
  } catch {
    // Unreadable metadata is not worth stopping for: reading the file itself already worked.
  }
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function sectionNames(file: TomlFile | undefined, nested: boolean): string[] {
  if (!file) return [];
  const table = nested ? file.data.connections : file.data;
  return isTable(table) ? Object.keys(table).filter((k) => isTable(table[k])) : [];
}

function findSection(name: string, connections?: TomlFile, config?: TomlFile): { file: string; raw: Record<string, unknown> } | undefined {
  const direct = connections?.data[name];
  if (connections && isTable(direct)) return { file: connections.file, raw: direct };
  const nested = config?.data.connections;
  if (config && isTable(nested) && isTable(nested[name])) return { file: config.file, raw: nested[name] as Record<string, unknown> };
  return undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

function checkSection(raw: Record<string, unknown>, where: string, warnings: string[]): Raw {
  const out: Raw = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!(key in KEYS)) {
      // Other tools' keys are fine; a near miss of ours is probably a typo that would bite later.
      const near = Object.keys(KEYS).find((k) => editDistance(k, key.toLowerCase()) <= 2);
      if (near) warnings.push(`${where}: unknown key '${key}' (ignored): did you mean '${near}'?`);
      continue;
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new UsageError(`${where}: '${key}' must be a string`);
    }
    out[key as Key] = value;
  }
  return out;
}

function applyEnv(raw: Raw, name: string, env: NodeJS.ProcessEnv, fromEnv: Record<string, string>): void {
  const specific = `SNOWFLAKE_CONNECTIONS_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`;
  for (const [key, suffixes] of Object.entries(KEYS) as [Key, readonly string[]][]) {
    const variables = [...suffixes.map((s) => specific + s), ...suffixes.map((s) => `SNOWFLAKE_${s}`)];
    const variable = variables.find((v) => env[v] !== undefined && env[v] !== '');
    if (variable) {
      raw[key] = env[variable];
      fromEnv[key] = variable;
    }
  }
}

function str(raw: Raw, ...keys: Key[]): string | undefined {
  for (const key of keys) {
    const value = raw[key];
    if (value !== undefined && value !== '') return String(value);
  }
  return undefined;
}

function bool(raw: Raw, key: Key, where: string): boolean | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  if (/^(true|1|yes|on)$/i.test(String(value))) return true;
  if (/^(false|0|no|off)$/i.test(String(value))) return false;
  throw new UsageError(`${where}: '${key}' must be true or false`);
}

function readSecretFile(file: string, what: string, where: string, warnings: string[]): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new UsageError(`${where}: cannot read the ${what} file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  warnAboutPermissions(file, warnings);
  if (!text) throw new UsageError(`${where}: the ${what} file ${file} is empty`);
  return text;
}

export function loadConnection(request: ConnectionRequest = {}): LoadedConnection {
  const env = request.env ?? process.env;
  const home = request.home ?? os.homedir();
  const dir = snowflakeDir(env, home);
  const warnings: string[] = [];
  const connectionsFile = readToml(path.join(dir, 'connections.toml'), warnings);
  const configFile = readToml(path.join(dir, 'config.toml'), warnings);

  const requested = request.connection ?? request.runbookConnection;
  const fileDefault = [connectionsFile?.data.default_connection_name, configFile?.data.default_connection_name]
    .find((v): v is string => typeof v === 'string' && v !== '');
  const name = requested ?? (env.SNOWFLAKE_DEFAULT_CONNECTION_NAME || undefined) ?? fileDefault ?? 'default';

  const section = findSection(name, connectionsFile, configFile);
  const fromEnv: Record<string, string> = {};
  let raw: Raw = {};
  let where: string;
  if (section) {
    where = `${section.file} [${name}]`;
    raw = checkSection(section.raw, where, warnings);
  } else if (!requested && env.SNOWFLAKE_ACCOUNT) {
    where = 'SNOWFLAKE_* environment variables';
  } else {
    const file = path.join(dir, 'connections.toml');
    const known = [...sectionNames(connectionsFile, false), ...sectionNames(configFile, true)];
    if (!connectionsFile && !configFile) {
      throw new UsageError(
        `no Snowflake connection '${name}': ${file} does not exist. ` +
          `Create it with a [${name}] section (account, user, authenticator, …), set SNOWFLAKE_HOME, ` +
          'or set SNOWFLAKE_ACCOUNT and SNOWFLAKE_USER (README, "Going live on Snowflake"). ' +
          'No account at hand? `demo --engine local` runs the whole show on DuckDB on this machine, `demo --rehearse` replays it',
      );
    }
    const files = [connectionsFile?.file, configFile?.file].filter(Boolean).join(' or ');
    throw new UsageError(
      `no connection named '${name}' in ${files}` +
        (known.length ? ` (it has: ${known.join(', ')})` : ' (it defines no connections)') +
        (requested ? '' : ': pass -c NAME, or set default_connection_name'),
    );
  }
  applyEnv(raw, name, env, fromEnv);
  const settings = toSettings(raw, section ? name : 'environment', section?.file, where, fromEnv, warnings, home);
  const secrets = [settings.password, settings.token, settings.privateKeyPassphrase].filter((s): s is string => !!s);
  return { settings, warnings, secrets };
}

function toSettings(
  raw: Raw,
  name: string,
  file: string | undefined,
  where: string,
  fromEnv: Record<string, string>,
  warnings: string[],
  home: string,
): ConnectionSettings {
  const account = str(raw, 'account');
  if (!account) {
    throw new UsageError(`${where}: no account. Add account = "<orgname>-<account_name>" or set SNOWFLAKE_ACCOUNT`);
  }
  if (!/^\w+([.-]\w+)*$/.test(account)) {
    throw new UsageError(`${where}: account '${account}' is not an account identifier (expected e.g. myorg-myaccount)`);
  }
  const authName = (str(raw, 'authenticator') ?? 'SNOWFLAKE').toUpperCase();
  if (!(AUTHENTICATORS as readonly string[]).includes(authName)) {
    throw new UsageError(`${where}: authenticator '${authName}' is not supported here; use one of ${AUTHENTICATORS.join(', ')}`);
  }
  const authenticator = authName as Authenticator;
  const user = str(raw, 'user', 'username');
  let password = str(raw, 'password');
  let token = str(raw, 'token');
  const tokenFile = str(raw, 'token_file_path');
  const privateKeyFile = str(raw, 'private_key_file', 'private_key_path');
  const privateKeyPassphrase = str(raw, 'private_key_file_pwd', 'private_key_passphrase');

  const needUser = () => {
    if (!user) throw new UsageError(`${where}: no user. Add user = "..." or set SNOWFLAKE_USER`);
  };
  switch (authenticator) {
    case 'SNOWFLAKE':
      needUser();
      if (!password) {
        throw new UsageError(
          `${where}: no password. Add password = "...", set SNOWFLAKE_PASSWORD, or choose another authenticator ` +
            '(SNOWFLAKE_JWT, EXTERNALBROWSER, PROGRAMMATIC_ACCESS_TOKEN, OAUTH)',
        );
      }
      break;
    case 'SNOWFLAKE_JWT':
      needUser();
      if (!privateKeyFile) {
        throw new UsageError(`${where}: SNOWFLAKE_JWT needs private_key_file = "/path/to/rsa_key.p8" (or SNOWFLAKE_PRIVATE_KEY_FILE)`);
      }
      checkPrivateKey(expandHome(privateKeyFile, home), privateKeyPassphrase, where, warnings);
      break;
    case 'OAUTH':
    case 'PROGRAMMATIC_ACCESS_TOKEN':
      if (!token && tokenFile) token = readSecretFile(expandHome(tokenFile, home), 'token', where, warnings);
      // A programmatic access token is often stored as the password: the driver accepts either.
      if (!token && authenticator === 'PROGRAMMATIC_ACCESS_TOKEN' && password) token = password;
      if (!token) throw new UsageError(`${where}: ${authenticator} needs token = "..." or token_file_path = "..." (or SNOWFLAKE_TOKEN)`);
      if (authenticator === 'PROGRAMMATIC_ACCESS_TOKEN') needUser();
      password = authenticator === 'PROGRAMMATIC_ACCESS_TOKEN' ? undefined : password;
      break;
    case 'EXTERNALBROWSER':
      break;
  }

  const protocolText = str(raw, 'protocol')?.toLowerCase();
  if (protocolText && protocolText !== 'http' && protocolText !== 'https') {
    throw new UsageError(`${where}: protocol must be https or http, not '${protocolText}'`);
  }
  const portText = str(raw, 'port');
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new UsageError(`${where}: port must be a number between 1 and 65535, not '${portText}'`);
  }
  const timeoutText = str(raw, 'login_timeout');
  const loginTimeout = timeoutText === undefined ? undefined : Number(timeoutText);
  if (loginTimeout !== undefined && !(loginTimeout > 0)) {
    throw new UsageError(`${where}: login_timeout must be a number of seconds, not '${timeoutText}'`);
  }
  return {
    name,
    file,
    account,
    user,
    password: authenticator === 'SNOWFLAKE' ? password : undefined,
    authenticator,
    token: authenticator === 'OAUTH' || authenticator === 'PROGRAMMATIC_ACCESS_TOKEN' ? token : undefined,
    privateKeyFile: authenticator === 'SNOWFLAKE_JWT' && privateKeyFile ? expandHome(privateKeyFile, home) : undefined,
    privateKeyPassphrase: authenticator === 'SNOWFLAKE_JWT' ? privateKeyPassphrase : undefined,
    role: str(raw, 'role'),
    warehouse: str(raw, 'warehouse'),
    database: str(raw, 'database'),
    schema: str(raw, 'schema'),
    region: str(raw, 'region'),
    host: str(raw, 'host'),
    port,
    protocol: protocolText as 'http' | 'https' | undefined,
    loginTimeoutMs: loginTimeout !== undefined ? loginTimeout * 1000 : undefined,
    clientStoreTemporaryCredential: bool(raw, 'client_store_temporary_credential', where),
    disableConsoleLogin: bool(raw, 'disable_console_login', where),
    fromEnv,
  };
}

/** Decrypt the key now, so a wrong passphrase is a clear message before the show, not a login error. */
function checkPrivateKey(file: string, passphrase: string | undefined, where: string, warnings: string[]): void {
  const pem = readSecretFile(file, 'private key', where, warnings);
  const encrypted = /ENCRYPTED/.test(pem);
  if (encrypted && !passphrase) {
    throw new UsageError(`${where}: the private key ${file} is encrypted: set private_key_file_pwd (or SNOWFLAKE_PRIVATE_KEY_PASSPHRASE)`);
  }
  try {
    crypto.createPrivateKey({ key: pem, format: 'pem', passphrase: encrypted ? passphrase : undefined });
  } catch {
    throw new UsageError(
      encrypted
        ? `${where}: cannot decrypt the private key ${file}: wrong passphrase (private_key_file_pwd / SNOWFLAKE_PRIVATE_KEY_PASSPHRASE)`
        : `${where}: ${file} is not a PEM private key (expected -----BEGIN PRIVATE KEY----- or an encrypted PKCS#8 key)`,
    );
  }
}

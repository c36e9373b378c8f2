/**
 * Loads snowflake-sdk on the live path only, with its import-time side effects switched off and
 * its logging routed to our own file (through the redactor), never to the screen or the cwd.
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as Snowflake from 'snowflake-sdk';
import type { ConnectionSettings } from './connections.js';
import type { Redactor } from './redact.js';

export type Driver = typeof Snowflake;

type Level = 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Appends redacted lines to <stateDir>/logs/snowflake.log (owner-only: it may name accounts and users). */
export class EngineLog {
  readonly file: string;
  private ready = false;

  constructor(
    stateDir: string,
    private readonly redactor: Redactor,
  ) {
    this.file = path.join(stateDir, 'logs', 'snowflake.log');
  }

  write(level: Level | 'event', message: string): void {
    try {
      if (!this.ready) {
        fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
        this.ready = true;
      }
      const line = `${new Date().toISOString()} ${level.toUpperCase()} ${this.redactor.redact(message).replace(/\s*\n\s*/g, ' ')}\n`;
      fs.appendFileSync(this.file, line, { mode: 0o600 });
    } catch {
      // A log we cannot write must never stop the show.
    }
  }
}

/** The driver's logger is process-wide; the engine that is live points it at its own log. */
let sink: EngineLog | undefined;
let loading: Promise<Driver> | undefined;

export function loadDriver(log: EngineLog): Promise<Driver> {
  sink = log;
  loading ??= (async () => {
    // Both must be set before the import: the driver probes cloud metadata endpoints at import,
    // and the AWS SDK prints a Node-version warning to stderr, over the TUI.
    process.env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION = 'true';
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const driver = (await import('snowflake-sdk')).default as unknown as Driver;
    const forward = (level: Level) => (message: string) => sink?.write(level, message);
    // One call with every option: each configure() resets what it is not given.
    driver.configure({
      logLevel: 'WARN',
      logFilePath: sink?.file,
      additionalLogToConsole: false,
      customLogger: { error: forward('error'), warn: forward('warn'), info: forward('info'), debug: forward('debug'), trace: forward('trace') },
    });
    return driver;
  })();
  return loading.catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
}

/** How long the login request may be retried by the driver itself; our own timer bounds the rest. */
const LOGIN_RETRIES = 1;

export function driverOptions(settings: ConnectionSettings, loginTimeoutMs: number, openBrowser: (url: string) => void): Snowflake.ConnectionOptions {
  const options: Record<string, unknown> = {
    account: settings.account,
    username: settings.user,
    authenticator: settings.authenticator,
    password: settings.password,
    token: settings.token,
    privateKeyPath: settings.privateKeyFile,
    privateKeyPass: settings.privateKeyPassphrase,
    role: settings.role,
    warehouse: settings.warehouse,
    database: settings.database,
    schema: settings.schema,
    region: settings.region,
    host: settings.host,
    // Missing from the driver's types, honoured at run time.
    port: settings.port,
    protocol: settings.protocol,
    application: 'demo_runbook',
    sfRetryMaxLoginRetries: LOGIN_RETRIES,
    browserActionTimeout: loginTimeoutMs,
    openExternalBrowserCallback: openBrowser,
    clientStoreTemporaryCredential: settings.clientStoreTemporaryCredential,
    disableConsoleLogin: settings.disableConsoleLogin,
    // A presenter may talk for hours between statements: keep the session from expiring.
    clientSessionKeepAlive: true,
    // Otherwise NULL numbers and dates fetched as strings arrive as the text "NULL".
    representNullAsStringNull: false,
  };
  for (const key of Object.keys(options)) if (options[key] === undefined) delete options[key];
  return options as Snowflake.ConnectionOptions;
}

/** Where the driver will connect, for messages: never includes credentials. */
export function endpointOf(settings: ConnectionSettings): string {
  const protocol = settings.protocol ?? 'https';
  const host = settings.host ?? `${settings.account}.snowflakecomputing.com`;
  return `${protocol}://${host}${settings.port ? `:${settings.port}` : ''}`;
}

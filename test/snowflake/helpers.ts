/** Shared set-up for the live-engine tests: a fake Snowflake, a connections.toml, an engine. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EngineLog, loadDriver } from '../../src/engine/snowflake/driver.js';
import { createSnowflakeEngine, Redactor, type Internals, type SnowflakeEngine } from '../../src/engine/snowflake/index.js';
import type { RunOptions, StatementResult } from '../../src/engine/types.js';
import type { Runbook } from '../../src/runbook/model.js';
import type { FakeSnowflake } from '../snowflake-server/server.js';

export const PASSWORD = 'correct horse battery staple';

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `demo-sf-${prefix}-`));
}

export function runbook(connection?: string): Runbook {
  return { file: 'runbook.yml', dir: '.', title: 'Live Test', connection, params: {}, layers: [], steps: [], restore: {} as Runbook['restore'], checklist: [] } as Runbook;
}

/** Writes SNOWFLAKE_HOME/connections.toml (mode 600) and returns the home. */
export function snowflakeHome(toml: string, mode = 0o600): string {
  const home = tempDir('home');
  fs.writeFileSync(path.join(home, 'connections.toml'), toml, { mode });
  fs.chmodSync(path.join(home, 'connections.toml'), mode);
  return home;
}

export function fakeSection(server: FakeSnowflake, extra = '', name = 'fake'): string {
  return `[${name}]
account = "testaccount"
${/^user\s*=/m.test(extra) ? '' : 'user = "demo"'}
host = "127.0.0.1"
port = ${server.port}
protocol = "http"
warehouse = "DEMO_WH"
${extra}
`;
}

/**
 * Test limits: a second or two instead of the stage's tens of seconds. The defaults themselves are
 * proven in limits.test.ts.
 */
export const FAST: Partial<Internals> = {
  cancelWaitMs: 800,
  pollIntervalMs: 100,
  pollTimeoutMs: 500,
  submitTimeoutMs: 2_000,
  lostAfterMs: 2_000,
  resultTimeoutMs: 2_000,
  timingsTimeoutMs: 1_000,
  openBrowser: () => {},
};

/** The login limit runs from the login request: importing the driver (a second, once) is not part of it. */
export async function preloadDriver(): Promise<void> {
  await loadDriver(new EngineLog(tempDir('driver'), new Redactor()));
}

export interface Live {
  engine: SnowflakeEngine;
  stateDir: string;
}

/** An engine on the fake Snowflake: with FAST limits, or with the stage's own (`defaults`). */
export async function liveEngine(
  server: FakeSnowflake,
  options: { extra?: string; internals?: Partial<Internals>; env?: NodeJS.ProcessEnv; defaults?: boolean } = {},
): Promise<Live> {
  const home = snowflakeHome(fakeSection(server, options.extra ?? `password = "${PASSWORD}"`));
  const stateDir = tempDir('state');
  const engine = await createSnowflakeEngine(
    { runbook: runbook(), connection: 'fake', stateDir },
    { ...(options.defaults ? { openBrowser: () => {} } : FAST), env: { SNOWFLAKE_HOME: home, ...options.env }, home, ...options.internals },
  );
  return { engine, stateDir };
}

let statementCount = 0;

export function request(sql: string, stepId = 'step') {
  return { sql, stepId, index: statementCount++ % 1000, count: 1 };
}

export function options(overrides: Partial<RunOptions> = {}): RunOptions {
  return { signal: new AbortController().signal, maxRows: 100, timeoutMs: 30_000, ...overrides };
}

/** Settles a promise into a value or an error, with the time it took. */
export async function timed<T>(promise: Promise<T>): Promise<{ value?: T; error?: Error; ms: number }> {
  const started = performance.now();
  try {
    const value = await promise;
    return { value, ms: performance.now() - started };
  } catch (error) {
    return { error: error as Error, ms: performance.now() - started };
  }
}

export type Result = StatementResult;

/** Every file under a directory, as text (for secret scans). */
export function filesUnder(dir: string): { file: string; text: string }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name))
    .map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
}

/** Reliability figures, printed at the end of the run for the report. */
export const figures: { scenario: string; ms: number; note: string }[] = [];

export function figure(scenario: string, ms: number, note: string): void {
  figures.push({ scenario, ms: Math.round(ms), note });
}

/** The figures of a test file, one line each, at its end (the README's reliability table quotes them). */
export function printFigures(): void {
  console.log(figures.map((f) => `${f.scenario.padEnd(60)} ${String(f.ms).padStart(6)} ms  ${f.note}`).join('\n'));
}

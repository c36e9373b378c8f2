/** Shared set-up for the UI tests: a small show on the rehearsal engine, keys, frames, sizes. */
import path from 'node:path';
import { render } from 'ink-testing-library';
import React from 'react';
import { expect } from 'vitest';
import type { StepOutcome } from '../../src/core/runner.js';
import { ShowSession } from '../../src/core/session.js';
import { RehearsalEngine } from '../../src/engine/rehearsal.js';
import type { Engine } from '../../src/engine/types.js';
import type { ShowLink } from '../../src/presenter/protocol.js';
import { loadRunbook } from '../../src/runbook/load.js';
import type { Runbook } from '../../src/runbook/model.js';
import { resolveParams } from '../../src/runbook/params.js';
import { App } from '../../src/ui/App.js';
import { scratch } from '../helpers.js';

export const KEYS = {
  pageDown: '\u001B[6~',
  pageUp: '\u001B[5~',
  home: '\u001B[H',
  end: '\u001B[F',
  right: '\u001B[C',
  left: '\u001B[D',
  down: '\u001B[B',
  up: '\u001B[A',
  enter: '\r',
  escape: '\u001B',
  ctrlC: '\u0003',
};

/** The bytes a terminal sends for a key as the key map names it. */
export function sequence(name: string): string {
  const named: Record<string, string> = {
    '→': KEYS.right, '←': KEYS.left, '↑': KEYS.up, '↓': KEYS.down, enter: KEYS.enter, escape: KEYS.escape, space: ' ', 'ctrl+c': KEYS.ctrlC,
    pagedown: KEYS.pageDown, pageup: KEYS.pageUp, home: KEYS.home, end: KEYS.end,
  };
  return named[name] ?? name;
}

/**
 * The test show: layer counts, the architecture, a long destructive scale, benchmarks, a step that
 * fails its check, the comparison, a step with only talk, and a restore with verified counts.
 */
export function stageRunbook(options: { scale?: string; restore?: string; manyRows?: boolean; changes?: number; benchRows?: number } = {}): string {
  const extraRows = options.manyRows ? Array.from({ length: 40 }, (_, i) => `        - [GOLD, V_EXTRA_${i}, ${i * 1000}]`).join('\n') : '';
  const drugs = Array.from({ length: options.benchRows ?? 1 }, (_, i) => (i === 0 ? '[Atorvastatin, 57853200.5]' : `[Drug ${i + 1}, ${1000 - i}]`)).join(', ');
  const changes = options.changes
    ? `[${Array.from({ length: options.changes }, (_, i) => `"Change ${i}"`).join(', ')}]`
    : '[Replaces the patients table with copies]';
  return `title: Stage test show
duration: 10m
params:
  multiplier: { type: integer, default: 10 }
  scale_size: { type: enum, values: [MEDIUM, LARGE], default: LARGE }
layers:
  - { layer: BRONZE, color: yellow, objects: [RAW_PATIENTS, RAW_PRESCRIPTIONS], arrow: [{ say: "dynamic tables (TARGET_LAG 1 minute)", engines: [snowflake] }, { say: "tables rebuilt on refresh", engines: [local] }] }
  - { layer: SILVER, objects: [PATIENTS, PRESCRIPTIONS], arrow: ["views"] }
  - { layer: GOLD, color: yellowBright, objects: [V_PATIENT_360] }
steps:
  - id: counts
    title: Counts per layer
    target: 1m
    display: layer-counts
    talk:
      - "We have data."
      - pause: for effect
    sql: sql/counts.sql
    expect:
      - { row: RAW_PATIENTS, column: ROW_COUNT, equals: "100 * multiplier" }
    mock:
      duration: 20ms
      columns: [LAYER, OBJECT, ROW_COUNT]
      rows:
        - [BRONZE, RAW_PATIENTS, 1000]
        - [SILVER, PATIENTS, 1000]
        - [GOLD, V_PATIENT_360, 1000]
${extraRows}
  - id: arch
    title: The architecture
    display: architecture
    sql: sql/counts.sql
    mock:
      duration: 20ms
      columns: [LAYER, OBJECT, ROW_COUNT]
      rows:
        - [BRONZE, RAW_PATIENTS, 100000000]
        - [SILVER, PATIENTS, 100000000]
  - id: scale
    title: Scale the data a thousand times over
    target: 2m
    destructive: true
    long: true
    changes: ${changes}
    inline: CREATE OR REPLACE TABLE T AS SELECT 1 AS X
    mock: { duration: ${options.scale ?? '150ms'}, columns: [TABLE_NAME, ROW_COUNT], rows: [[RAW_PATIENTS, 100000000]] }
  - id: bench
    title: Benchmarks
    display: benchmark
    queries:
      - label: High-value patients
        inline: SELECT 1 AS N
        mock: { duration: 40ms, columns: [N], rows: [[6211000]] }
      - label: Top drugs
        inline: SELECT 2 AS N
        mock: { duration: 80ms, columns: [DRUG, TOTAL_GBP], rows: [${drugs}] }
  - id: broken
    title: A check that fails
    inline: SELECT 1 AS N
    expect: [{ column: N, equals: 2 }]
    mock: { duration: 10ms, columns: [N], rows: [[1]] }
  - id: compare
    title: How that compares
    display: comparison
    comparison:
      competitors: [Fabric, Traditional DB]
      rows:
        - feature: Load time
          measure: step-time
          from: scale
          others:
            Fabric: { value: "4-6 hours", source: "vendor estimate" }
            Traditional DB: { value: "8-12 hours", source: "seed document" }
        - feature: Scaling method
          ours: { value: 1 SQL script }
          others:
            Fabric: { value: Complex pipeline }
            Traditional DB: { value: Manual sharding }
  - id: talk-only
    title: Just talk
    talk: ["Just SQL."]
restore:
  id: restore
  title: Restore the base data
  destructive: true
  long: true
  display: layer-counts
  changes: [Clones the originals back, Refreshes SILVER]
  queries:
    - label: Restore from the originals
      inline: "CREATE OR REPLACE TABLE T CLONE T_ORIGINAL; ALTER TABLE T SET CHANGE_TRACKING = TRUE"
      mock: { duration: ${options.restore ?? '60ms'}, columns: [status], rows: [[ok]] }
    - label: Verify
      sql: sql/counts.sql
      expect:
        - { row: RAW_PATIENTS, column: ROW_COUNT, equals: 1000 }
      mock:
        duration: 10ms
        columns: [LAYER, OBJECT, ROW_COUNT]
        rows:
          - [BRONZE, RAW_PATIENTS, 1000]
          - [SILVER, PATIENTS, 1000]
`;
}

export const COUNTS = `-- counts per layer
SELECT 'BRONZE' AS LAYER, 'RAW_PATIENTS' AS "OBJECT", COUNT(*) AS ROW_COUNT FROM RAW_PATIENTS;
`;

/** A session whose recordings the test decides (the real ones come from the recordings work). */
export class TestSession extends ShowSession {
  recordings: Record<string, StepOutcome> = {};
  expected: Record<string, number> = {};
  override fallback(stepId: string): StepOutcome | undefined {
    return this.recordings[stepId];
  }
  override expectedMs(stepId: string): number | undefined {
    return this.expected[stepId];
  }
}

export interface Setup {
  app: ReturnType<typeof render>;
  runbook: Runbook;
  session: TestSession;
  exitCode: () => number | undefined;
}

export function loadStage(text = stageRunbook()): Runbook {
  const dir = scratch({ 'runbook.yml': text, 'sql/counts.sql': COUNTS });
  return loadRunbook(path.join(dir, 'runbook.yml'));
}

export function setup(
  options: { text?: string; audience?: boolean; now?: () => number; remote?: ShowLink; engine?: Engine; size?: { columns: number; rows: number } } = {},
): Setup {
  const runbook = loadStage(options.text);
  const session = new TestSession(options.engine ?? new RehearsalEngine(), resolveParams(runbook.params, 'rehearsal'));
  let exitCode: number | undefined;
  const app = render(
    <App runbook={runbook} session={session} audience={options.audience} now={options.now} remote={options.remote} onExit={(code) => (exitCode = code)} />,
  );
  if (options.size) resize(app, options.size.columns, options.size.rows);
  return { app, runbook, session, exitCode: () => exitCode };
}

/** The fake terminal takes a new size and says so, as a real one does on SIGWINCH. */
export function resize(app: ReturnType<typeof render>, columns: number, rows: number) {
  Object.defineProperty(app.stdout, 'columns', { value: columns, configurable: true });
  Object.defineProperty(app.stdout, 'rows', { value: rows, configurable: true });
  app.stdout.emit('resize');
}

/** Waits until the frame satisfies `check` (renders are asynchronous). */
export async function frameWhere(app: ReturnType<typeof render>, check: (frame: string) => boolean, timeoutMs = 3000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const frame = app.lastFrame() ?? '';
    if (check(frame)) return frame;
    if (Date.now() > until) throw new Error(`frame never matched; last frame:\n${frame}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

export const has = (...texts: string[]) => (frame: string) => texts.every((t) => frame.includes(t));
export const lacks = (...texts: string[]) => (frame: string) => texts.every((t) => !frame.includes(t));

export async function press(app: ReturnType<typeof render>, ...keys: string[]) {
  for (const key of keys) {
    app.stdin.write(key);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export { waitFor } from '../helpers.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;?]*[A-Za-z]|\u001B\][^\u0007]*\u0007/g;
export const plain = (text: string) => text.replace(ANSI, '');

/** Terminal columns a row takes: every code point one column (the UI draws no wide characters). */
export const columnsOf = (row: string) => [...plain(row)].length;

/** The frame is exactly rows-1 tall and no row is wider than the terminal: it can never scroll. */
export function expectFits(frame: string, columns: number, rows: number) {
  const lines = plain(frame).split('\n');
  expect(lines.length, `frame of ${lines.length} rows on a ${columns}×${rows} terminal:\n${frame}`).toBe(Math.max(0, rows - 1));
  for (const line of lines) expect(columnsOf(line), `row wider than ${columns}: ${JSON.stringify(line)}`).toBeLessThanOrEqual(columns);
}

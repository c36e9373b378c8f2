import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Writes files into a fresh temporary folder and returns its path. */
export function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'demo-test-'));
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

/** Polls until `probe` returns something truthy, and returns it; fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** A small valid runbook; override parts of it per test. */
export const MINIMAL = `title: Test show
params:
  multiplier: { type: integer, default: 10, engines: { local: 2 } }
  db: { type: identifier, default: BRONZE }
steps:
  - id: counts
    title: Counts
    target: 1m
    talk:
      - "We have data."
      - pause: for effect
    sql: sql/counts.sql
    expect:
      - { row: PATIENTS, column: N, equals: "100 * multiplier" }
    mock:
      duration: 50ms
      columns: [OBJECT, N]
      rows: [[PATIENTS, 1000]]
  - id: scale
    title: Scale
    destructive: true
    changes: [Replaces the patients table]
    inline: CREATE OR REPLACE TABLE {{db}}.T AS SELECT 1 AS X
    mock: { duration: 20ms, columns: [status], rows: [[done]] }
  - id: talk-only
    title: Just talk
    talk: ["Just SQL."]
restore:
  id: restore
  title: Restore
  destructive: true
  inline: SELECT 1 AS RESTORED
  mock: { duration: 10ms, columns: [RESTORED], rows: [[1]] }
`;

export const COUNTS_SQL = `-- counts per object
SELECT 'PATIENTS' AS OBJECT, COUNT(*) AS N FROM {{db}}.RAW.PATIENTS;
`;

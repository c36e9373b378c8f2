/**
 * The second show, examples/coffee-shop: nothing in the engine, runner or UI is tied to the first.
 * Through the CLI, as an author and a presenter run it: it validates, rehearses on its mocks, runs end
 * to end on the real local engine in plain mode, restores twice, passes its checklist, reports its
 * backup — and shares a state dir with the Pharmacy2U show without either replaying the other's runs.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRecordings, readRecording, runbookPlace } from '../../src/record/store.js';
import { openEngine, scalar, tempDir } from '../local/helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'dist/cli/main.js');
const RUNBOOK = 'examples/coffee-shop/runbook.yml';
let state: ReturnType<typeof tempDir>;

function demo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env: { PATH: process.env.PATH, CI: 'true', DEMO_STATE_DIR: state.dir }, maxBuffer: 1 << 24 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

/** The shop's prices, read from the database files themselves once demo has gone. */
async function pricesInDatabase(): Promise<{ products: number; backup: number }> {
  const engine = openEngine(state.dir);
  try {
    const products = Number(await scalar(engine, 'SELECT SUM(PRICE_PENCE) FROM COFFEE_SHOP.SALES.PRODUCTS'));
    const backup = Number(await scalar(engine, 'SELECT SUM(PRICE_PENCE) FROM COFFEE_SHOP.SALES.PRODUCTS_BACKUP'));
    return { products, backup };
  } finally {
    await engine.close();
  }
}

beforeAll(() => {
  state = tempDir();
});
afterAll(() => state?.remove());

describe('examples/coffee-shop', () => {
  it('validates, with every SQL file it names', async () => {
    const { code, stdout } = await demo(['validate', RUNBOOK]);
    expect(code).toBe(0);
    expect(stdout).toContain(`${RUNBOOK}: valid — 6 steps, a restore step, 1 check;`);
  });

  it("rehearses on its own mocks, in its own words: no Pharmacy2U in sight", async () => {
    const { code, stdout } = await demo(['--rehearse', '--speed', '1000', '--runbook', RUNBOOK]);
    expect(code).toBe(0);
    expect(stdout).toContain("A coffee shop's prices: broken by one UPDATE, back in seconds  [REHEARSAL]");
    expect(stdout).toContain("Rehearsal: figures are the runbook's mock results");
    expect(stdout).toMatch(/── Step 1\/6 · Build the shop: 100,000 orders/);
    expect(stdout).toMatch(/TOTAL\s+100,000\s+116,300,000/);
    expect(stdout).toContain('A zero-copy clone: it costs nothing until either side changes.');
    expect(stdout).toContain('All 6 steps done.');
    expect(stdout).not.toMatch(/pharmacy|patient|BRONZE|SILVER|GOLD|multiplier/i);
  });

  it('runs end to end on the local engine, restores twice, and the database holds the original prices', async () => {
    const walk = await demo(['--engine', 'local', '--yes', '--runbook', RUNBOOK]);
    expect(walk.stderr).toBe('');
    expect(walk.code).toBe(0);
    expect(walk.stdout).toContain('LOCAL · DUCKDB');
    expect(walk.stdout).toMatch(/TOTAL\s+100,000\s+116,300,000/);
    expect(walk.stdout).toContain('DuckDB copies the table in full; on Snowflake this is a zero-copy clone.');
    // The prices are pence: the money format is for columns named for the currency only.
    expect(walk.stdout).toMatch(/PRODUCTS\s+453,000\n\s+PRODUCTS_BACKUP\s+4,530/);
    expect(walk.stdout).not.toContain('£');
    expect(walk.stdout).toContain('All 6 steps done.');
    expect(await pricesInDatabase()).toEqual({ products: 453_000, backup: 4530 });

    for (let i = 0; i < 2; i++) {
      const restore = await demo(['restore', '--engine', 'local', '--yes', '--runbook', RUNBOOK]);
      expect(restore.code).toBe(0);
      expect(restore.stdout).toMatch(/PRODUCTS\s+4,530\n\s+PRODUCTS_BACKUP\s+4,530/);
      expect(restore.stdout).toMatch(/✓ done in .* \[LOCAL\]/);
      expect(await pricesInDatabase()).toEqual({ products: 4530, backup: 4530 });
    }
  });

  it('passes its checklist after the restore, and refuses a destructive step without --yes', async () => {
    const check = await demo(['check', '--engine', 'local', '--runbook', RUNBOOK]);
    expect(check.stdout).toContain("✓ The shop's prices are the originals");
    expect(check.stdout).toContain('All 2 checks passed.');
    expect(check.code).toBe(0);
    const refused = await demo(['--engine', 'local', '--runbook', RUNBOOK]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("✗ not run: 'build' is destructive");
    expect(refused.stdout).toContain('table COFFEE_SHOP.SALES.PRODUCTS: replace');
  });

  it('reports its own run: the clone it made is its backup', async () => {
    const { code, stdout } = await demo(['report', '--runbook', RUNBOOK]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^# A coffee shop's prices: broken by one UPDATE, back in seconds — run report/);
    expect(stdout).toContain('## Backups');
    expect(stdout).toMatch(/\| PRODUCTS_BACKUP \| 10 \| Safety first — a clone of the price list \|/);
  });

  it('shares the state dir with the Pharmacy2U show: each rehearses only its own runs', async () => {
    // Both shows have a step 'restore' and recorded runs in this state dir.
    const ours = listRecordings(state.dir).map((r) => readRecording(r.file)!);
    expect(ours.map((r) => r.runbook.place)).toEqual(ours.map(() => runbookPlace(state.dir, path.join(ROOT, RUNBOOK))));
    const pharmacy = await demo(['restore', '--rehearse', '--speed', '1000']);
    expect(pharmacy.code).toBe(0);
    expect(pharmacy.stdout).toContain('Restore the original 100K dataset');
    expect(pharmacy.stdout).not.toMatch(/PRODUCTS|replayed from/);
    const coffee = await demo(['--rehearse', '--speed', '1000', '--runbook', RUNBOOK]);
    expect(coffee.stdout).toMatch(/Rehearsal: replaying local run of/);
    expect(coffee.stdout).not.toMatch(/RAW_PATIENTS/);
  });
});

/**
 * With `.demo/local.duckdb` lost (the SILVER tables still there, their dynamic-table definitions
 * gone), restore used to fail halfway, after BRONZE was already replaced, while `demo check` was all
 * green. Now the check says restore cannot run, and restore checks before it changes anything.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtBase, openEngine, query, RUNBOOK_FILE, scalar } from './helpers.js';

const BIN = path.resolve('dist/cli/main.js');
const PATIENTS = 'PHARMACY2U_BRONZE.RAW_DATA.RAW_PATIENTS';
let base: { dir: string; remove: () => void };

function demo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args, '--engine', 'local', '--runbook', RUNBOOK_FILE], { env: { PATH: process.env.PATH, CI: 'true', DEMO_STATE_DIR: base.dir } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  base = await builtBase();
  // A change restore would undo, to see whether it ran.
  const engine = openEngine(base.dir);
  await query(engine, `DELETE FROM ${PATIENTS} WHERE PATIENT_ID = 1`);
  await engine.close();
}, 120_000);

afterAll(() => base?.remove());

describe('restore on the local engine with its main database file lost', () => {
  it('is flagged by demo check, and refused by restore before it changes anything', async () => {
    const healthy = await demo(['check']);
    expect(healthy.stdout).toMatch(/✓ Restore can run/);

    rmSync(path.join(base.dir, 'local.duckdb'));
    rmSync(path.join(base.dir, 'local.duckdb.wal'), { force: true });

    const check = await demo(['check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/✗ Restore can run: what 'restore' needs is in place.*\n\s+restore would stop halfway: PHARMACY2U_SILVER\.GOVERNED_DATA\.(PATIENTS|PRESCRIPTIONS) is not a dynamic table on the local engine/);
    expect(check.stdout).toMatch(/checks failed: .*restore-ready/);

    const restore = await demo(['restore', '--yes']);
    expect(restore.code).toBe(1);
    expect(restore.stdout).toMatch(/✗ failed: not started, nothing was changed: PHARMACY2U_SILVER\.GOVERNED_DATA\.(PATIENTS|PRESCRIPTIONS) is not a dynamic table on the local engine.*\(PREFLIGHT\)/);
    const engine = openEngine(base.dir);
    expect(await scalar(engine, `SELECT COUNT(*) FROM ${PATIENTS}`)).toBe(99_999);
    await engine.close();
  });
});

/**
 * The whole show, for real, on the local engine at a small multiplier, through the runbook's own
 * steps: setup → seed → verify → backup → scale → refresh → verify → benchmarks → restore → verify.
 * The steps' expectations (exact counts, multiplier × base, zero orphans, ...) are checked by the
 * runner; the tests add what the runbook does not show.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareStep } from '../../src/core/prepare.js';
import type { LocalEngine } from '../../src/engine/local/index.js';
import type { Cell } from '../../src/engine/types.js';
import { runsOn } from '../../src/runbook/model.js';
import { openEngine, query, scalar, Show, tempDir } from './helpers.js';

const M = 3;
const BASE = { patients: 100_000, prescriptions: 500_809, governed: 477_612, rejected: 23_197 };

/** Modulus 11, written independently of the SQL that generates and checks NHS numbers. */
function validNhsNumber(value: Cell): boolean {
  if (typeof value !== 'string' || !/^\d{10}$/.test(value)) return false;
  const digits = [...value].map(Number);
  const sum = digits.slice(0, 9).reduce((total, d, i) => total + d * (10 - i), 0);
  const check = (11 - (sum % 11)) % 11;
  return check !== 10 && check === digits[9];
}

describe(`the show on the local engine, multiplier ${M}`, () => {
  let remove: () => void;
  let dir: string;
  let engine: LocalEngine;
  let show: Show;
  /** Ids of the steps and checks run, `check:` before a check's. */
  const ran = new Set<string>();
  const B = 'PHARMACY2U_BRONZE.RAW_DATA';
  const S = 'PHARMACY2U_SILVER.GOVERNED_DATA';

  const run = async (id: string, options: Parameters<Show['run']>[1] = {}) => {
    ran.add(options.check ? `check:${id}` : id);
    return show.run(id, options);
  };
  const checklist = async () => {
    for (const check of show.runbook.checklist.filter((c) => runsOn(c, 'local') && c.queries.length > 0)) {
      await run(check.id, { check: true });
    }
  };
  const setup = (label: string) => label === 'Warehouse' || label === 'Databases and schemas';
  const nhsNumbers = async () => (await query(engine, `SELECT NHS_NUMBER FROM ${B}.RAW_PATIENTS`, 1_000_000)).rows.map((r) => r[0]!);
  const fingerprint = (table: string) =>
    scalar(engine, `SELECT COUNT(*) || ':' || SUM(hash(COLUMNS(*))) FROM ${B}.${table}`);
  /** SILVER's dynamic tables and the scheduling state the engine recorded (SUSPEND, RESUME). */
  const silverSchedule = async () =>
    Object.fromEntries((await query(engine, 'SHOW DYNAMIC TABLES IN SCHEMA PHARMACY2U_SILVER.GOVERNED_DATA')).rows.map((r) => [r[0], r[3]]));
  const columns = async (table: string) =>
    (await query(engine, `SELECT column_name, data_type, is_nullable FROM duckdb_columns() WHERE database_name = 'PHARMACY2U_BRONZE' AND table_name = '${table}' ORDER BY column_index`)).rows;
  /** The first `count` statements of a step, as the show would send them: a run cut short. */
  const runFirst = async (id: string, count: number) => {
    for (const statement of prepareStep(show.step(id), 'local', show.params).slice(0, count)) {
      await engine.run(statement, { signal: new AbortController().signal, maxRows: 10 });
    }
  };
  /** Restore as a presenter would, then what must hold after any restore. */
  const restoreAndCheck = async () => {
    await run('restore');
    await run('starting-counts');
    expect(await silverSchedule()).toEqual({ PATIENTS: 'ACTIVE', PRESCRIPTIONS: 'ACTIVE' });
    expect(await fingerprint('RAW_PATIENTS')).toBe(originals[0]);
    expect(await fingerprint('RAW_PRESCRIPTIONS')).toBe(originals[1]);
    expect(await columns('RAW_PATIENTS')).toEqual(await columns('RAW_PATIENTS_ORIGINAL'));
  };
  const rejects = async () => Show.byKey({ queries: [{ result: await query(engine, `SELECT RULE_NAME, REJECTED_ROWS FROM ${S}.V_QUALITY_REJECTS`) }] } as never);
  let baseBench: Record<string, Cell[][]> = {};
  let originals: Cell[] = [];

  beforeAll(async () => {
    const made = tempDir();
    remove = made.remove;
    dir = made.dir;
    // One thread: vitest runs two files at a time on a two-core runner, and the other one may be timing-sensitive.
    engine = openEngine(dir, 1);
    show = new Show(engine, { multiplier: String(M) });
    await engine.connect(new AbortController().signal);
  });

  afterAll(async () => {
    await engine.close();
    remove();
  });

  it('sets up and seeds the base: exactly 100,000 / 500,809, and 477,612 through the rules', async () => {
    const setupRun = await run('build-pipeline', { queries: setup });
    expect(setupRun.notices).toContain('warehouse statement: no-op on DuckDB');
    await run('build-pipeline', { queries: (label) => !setup(label) });
    await run('starting-counts');
    await run('welcome');
    expect(Show.byKey(await run('quality-rules'))).toEqual({
      NHS_NUMBER_CHECK_DIGIT: 0,
      MISSING_DATE_OF_BIRTH: 0,
      NULL_PATIENT_ID: 4200,
      ORPHAN_PATIENT_ID: 5700,
      NON_POSITIVE_QUANTITY: 6900,
      NEGATIVE_PRICE: 5300,
      MALFORMED_BNF_CODE: 3897,
      ANY_RULE: BASE.rejected,
    });
  });

  it('seeds realistic UK data: valid unique NHS numbers, UK postcode shapes, BNF codes, GBP prices, a JSON payload', async () => {
    const numbers = await nhsNumbers();
    expect(numbers).toHaveLength(BASE.patients);
    expect(numbers.filter((n) => !validNhsNumber(n))).toEqual([]);
    expect(new Set(numbers).size).toBe(BASE.patients);

    const badPostcodes = await scalar(
      engine,
      `SELECT COUNT(*) FROM ${B}.RAW_PATIENTS
       WHERE NOT regexp_full_match(POSTCODE, '[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][ABD-HJLNP-UW-Z]{2}')`,
    );
    expect(badPostcodes).toBe(0);
    expect(await scalar(engine, `SELECT COUNT(*) FROM ${B}.REF_DRUGS WHERE NOT regexp_full_match(BNF_CODE, '[0-9]{7}[0-9A-Z]{8}')`)).toBe(0);
    const row = (await query(engine, `SELECT DRUG_NAME, PRICE_GBP, PRACTICE_CODE, ORDER_CHANNEL, DOSAGE_INSTRUCTIONS FROM ${S}.PRESCRIPTIONS WHERE PRESCRIPTION_ID = 77`)).rows[0]!;
    expect(row[0]).toMatch(/\d+(mg|microgram|unit)/);
    expect(row[1]).toBeGreaterThan(0);
    expect(row[2]).toMatch(/^[A-Z]\d{5}$/);
    expect(row[3]).toMatch(/^(app|web|nhs_app)$/);
    expect(row[4]).toMatch(/^(Take|Inhale|Inject)/);
  });

  it('runs the benchmarks and the checklist on the base', async () => {
    const bench = await run('benchmarks');
    baseBench = Object.fromEntries(bench.queries.map((q) => [q.label!, q.result.rows]));
    expect(baseBench['Top 10 drugs across all prescriptions']).toHaveLength(10);
    await expect(show.run('originals', { check: true })).rejects.toThrow(/RAW_PATIENTS_ORIGINAL/);
  });

  it('backs up: originals and backups hold the base', async () => {
    expect(Show.byKey(await run('backups'))).toEqual({
      RAW_PATIENTS_ORIGINAL: BASE.patients,
      RAW_PRESCRIPTIONS_ORIGINAL: BASE.prescriptions,
      RAW_PATIENTS_BACKUP: BASE.patients,
      RAW_PRESCRIPTIONS_BACKUP: BASE.prescriptions,
    });
    await checklist();
    expect(await scalar(engine, 'SELECT COUNT(*) FROM PHARMACY2U_SILVER_BACKUP.GOVERNED_DATA.PRESCRIPTIONS')).toBe(BASE.governed);
    originals = [await fingerprint('RAW_PATIENTS_ORIGINAL'), await fingerprint('RAW_PRESCRIPTIONS_ORIGINAL')];
  });

  it(`scales BRONZE ${M}x, and SILVER catches up to exactly ${M} x the base`, async () => {
    const scaled = await run('scale-1000x');
    expect(Show.byKey(scaled)).toEqual({ RAW_PATIENTS: BASE.patients * M, RAW_PRESCRIPTIONS: BASE.prescriptions * M });
    expect(scaled.notices).toContain('warehouse statement: no-op on DuckDB');
    // SILVER waits while BRONZE is replaced; the scaled tables keep the seed's types and NOT NULL.
    expect(await silverSchedule()).toEqual({ PATIENTS: 'SUSPENDED', PRESCRIPTIONS: 'SUSPENDED' });
    for (const table of ['RAW_PATIENTS', 'RAW_PRESCRIPTIONS']) expect(await columns(table)).toEqual(await columns(`${table}_ORIGINAL`));
    expect(await scalar(engine, "SELECT COUNT(*) FROM duckdb_tables() WHERE table_name = 'SCALE_COPIES'")).toBe(0);
    const caughtUp = await run('dynamic-tables-catch-up');
    expect(caughtUp.queries[0]!.result.rows.map((r) => r.at(-1))).toEqual(['ACTIVE', 'ACTIVE']);
    await run('scaled-counts');
    await run('data-quality');
    expect((await rejects()).ANY_RULE).toBe(BASE.rejected * M);
  });

  it('keeps every key: each copy points at its own patient, orphans stay orphans, NULLs stay NULL', async () => {
    const broken = await scalar(
      engine,
      `SELECT COUNT(*) FROM ${B}.RAW_PRESCRIPTIONS s
       JOIN ${B}.RAW_PRESCRIPTIONS_ORIGINAL o ON o.PRESCRIPTION_ID = s.PRESCRIPTION_ID // ${M}
       WHERE s.PATIENT_ID IS DISTINCT FROM o.PATIENT_ID * ${M} + s.PRESCRIPTION_ID % ${M}
          OR s.BNF_CODE IS DISTINCT FROM o.BNF_CODE OR s.QUANTITY <> o.QUANTITY OR s.PRICE_GBP <> o.PRICE_GBP
          OR s.PAYLOAD::VARCHAR <> o.PAYLOAD::VARCHAR`,
    );
    expect(broken).toBe(0);
    const bronzeOrphans = await scalar(
      engine,
      `SELECT COUNT(*) FROM ${B}.RAW_PRESCRIPTIONS r LEFT JOIN ${B}.RAW_PATIENTS p ON p.PATIENT_ID = r.PATIENT_ID
       WHERE r.PATIENT_ID IS NOT NULL AND p.PATIENT_ID IS NULL`,
    );
    expect(bronzeOrphans).toBe(5700 * M);
    expect(await scalar(engine, `SELECT COUNT(*) FROM ${B}.RAW_PRESCRIPTIONS WHERE PATIENT_ID IS NULL`)).toBe(4200 * M);
    expect(await scalar(engine, `SELECT COUNT(DISTINCT PATIENT_ID) FROM ${B}.RAW_PATIENTS`)).toBe(BASE.patients * M);
  });

  it('gives every copy a unique, valid NHS number', async () => {
    const numbers = await nhsNumbers();
    expect(numbers).toHaveLength(BASE.patients * M);
    expect(numbers.filter((n) => !validNhsNumber(n))).toEqual([]);
    expect(new Set(numbers).size).toBe(BASE.patients * M);
  });

  it('moves every date by at most 30 days from its original, and varies them', async () => {
    for (const [table, id, date] of [
      ['RAW_PRESCRIPTIONS', 'PRESCRIPTION_ID', 'PRESCRIBED_DATE'],
      ['RAW_PATIENTS', 'PATIENT_ID', 'DATE_OF_BIRTH'],
    ] as const) {
      const [min, max, rows, shifts] = (
        await query(
          engine,
          `SELECT MIN(s.${date} - o.${date}), MAX(s.${date} - o.${date}), COUNT(*), COUNT(DISTINCT s.${date} - o.${date})
           FROM ${B}.${table} s JOIN ${B}.${table}_ORIGINAL o ON o.${id} = s.${id} // ${M}`,
        )
      ).rows[0]!;
      expect(min).toBe(-30);
      expect(max).toBe(30);
      expect(shifts).toBe(61);
      expect(rows).toBe((table === 'RAW_PATIENTS' ? BASE.patients : BASE.prescriptions) * M);
    }
  });

  it(`answers the benchmarks with exactly ${M} x the base figures`, async () => {
    const bench = await run('benchmarks');
    const scaled = Object.fromEntries(bench.queries.map((q) => [q.label!, q.result.rows]));
    const [highValue] = Object.keys(baseBench);
    expect(scaled[highValue!]![0]![0]).toBe(Number(baseBench[highValue!]![0]![0]) * M);
    const topDrugs = 'Top 10 drugs across all prescriptions';
    expect(scaled[topDrugs]!.map((r) => [r[0], r[1]])).toEqual(baseBench[topDrugs]!.map((r) => [r[0], Number(r[1]) * M]));
  });

  it('leaves the originals untouched, and a second run of setup and backups is harmless', async () => {
    expect([await fingerprint('RAW_PATIENTS_ORIGINAL'), await fingerprint('RAW_PRESCRIPTIONS_ORIGINAL')]).toEqual(originals);
    await run('build-pipeline', { queries: setup });
    const again = Show.byKey(await run('backups'));
    expect(again.RAW_PATIENTS_ORIGINAL).toBe(BASE.patients);
    expect(again.RAW_PRESCRIPTIONS_ORIGINAL).toBe(BASE.prescriptions);
    expect([await fingerprint('RAW_PATIENTS_ORIGINAL'), await fingerprint('RAW_PRESCRIPTIONS_ORIGINAL')]).toEqual(originals);
    await run('scaled-counts');
  });

  it('refuses to take originals from scaled data', async () => {
    await query(engine, `ALTER TABLE ${B}.RAW_PATIENTS_ORIGINAL RENAME TO RAW_PATIENTS_KEEP`);
    await expect(show.run('backups')).rejects.toThrow(/refusing to create \*_ORIGINAL/);
    expect(await scalar(engine, `SELECT COUNT(*) FROM ${B}.RAW_PATIENTS_ORIGINAL`).catch(() => 'missing')).toBe('missing');
    await query(engine, `ALTER TABLE ${B}.RAW_PATIENTS_KEEP RENAME TO RAW_PATIENTS_ORIGINAL`);
  });

  it('restores the exact base, and every check passes again', async () => {
    const restored = await run('restore');
    expect(restored.notices).toContain('dynamic table: a plain table on DuckDB, rebuilt in full on REFRESH');
    await run('starting-counts');
    await run('quality-rules');
    expect(await fingerprint('RAW_PATIENTS')).toBe(originals[0]);
    expect(await fingerprint('RAW_PRESCRIPTIONS')).toBe(originals[1]);
    await checklist();
    const bench = await run('benchmarks');
    expect(Object.fromEntries(bench.queries.map((q) => [q.label!, q.result.rows]))).toEqual(baseBench);
  });

  it('restores again at once: the same base, SILVER scheduled', async () => {
    await restoreAndCheck();
  });

  it('restores after a scale cut short (SILVER suspended, patients scaled, prescriptions not)', async () => {
    const statements = prepareStep(show.step('scale-1000x'), 'local', show.params);
    await runFirst('scale-1000x', statements.findIndex((s) => /CREATE OR REPLACE TABLE \S+RAW_PRESCRIPTIONS/.test(s.sql)));
    expect(await scalar(engine, `SELECT COUNT(*) FROM ${B}.RAW_PATIENTS`)).toBe(BASE.patients * M);
    expect(await silverSchedule()).toEqual({ PATIENTS: 'SUSPENDED', PRESCRIPTIONS: 'SUSPENDED' });
    await restoreAndCheck();
  });

  it('restores after a restore killed half-way in another process (a crash)', async () => {
    await runFirst('scale-1000x', 99);
    await engine.close();
    // `demo restore` on this database, killed as soon as it has started on the prescriptions.
    const killed = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, [path.resolve('dist/cli/main.js'), 'restore', '--engine', 'local', '--yes'], {
        env: { PATH: process.env.PATH, CI: 'true', DEMO_STATE_DIR: path.join(dir, 'state'), DEMO_LOCAL_DB: path.join(dir, 'local.duckdb') },
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        // The sixth statement of the restore proper: the clone of the prescriptions.
        if ((out.match(/\] Restore from the originals/g) ?? []).length >= 6) child.kill('SIGKILL');
      });
      child.on('close', () => resolve(out));
    });
    expect(killed).not.toMatch(/✓ done/);
    engine = openEngine(dir, 1);
    show = new Show(engine, { multiplier: String(M) });
    // Killed before SILVER was scheduled again.
    expect(await silverSchedule()).toEqual({ PATIENTS: 'SUSPENDED', PRESCRIPTIONS: 'SUSPENDED' });
    await restoreAndCheck();
    await checklist();
  });

  it('has run every step that has SQL for the local engine', () => {
    const { steps, restore, checklist: checks } = show.runbook;
    const ids = [...[...steps, restore].map((s) => ({ s, id: s.id })), ...checks.map((s) => ({ s, id: `check:${s.id}` }))];
    const runnable = ids.filter(({ s }) => s.queries.length > 0 && runsOn(s, 'local'));
    expect(runnable.map(({ id }) => id).filter((id) => !ran.has(id))).toEqual([]);
    // The only ones left out are those the runbook itself keeps to Snowflake.
    expect(ids.filter(({ s }) => s.queries.length > 0 && !runsOn(s, 'local')).every(({ s }) => s.engines?.includes('snowflake'))).toBe(true);
  });
});

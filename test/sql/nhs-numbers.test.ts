/**
 * NHS numbers on Snowflake, not only on DuckDB. The derivation the seed and the scale call
 * (sql/seed/nhs_numbers.sql) is read as shipped and evaluated under Snowflake's NUMBER rules by the
 * model in snowflake-number.ts, for every patient number the largest multiplier makes; the
 * derivation shipped before issue 9 (fixtures/) is evaluated the same way and must fail exactly
 * where Snowflake would have failed it. DuckDB divides in floating point, so only this model can
 * see the difference.
 *
 * Every slot is evaluated in two worker threads: 10 to 15 s for each derivation on this two-core
 * machine when it is quiet, three times that when other test files load it (hence the timeouts).
 * NHS_NUMBER(n) is NHS_NUMBER_AT_SLOT(n * a mod m);
 * with a coprime to m that is a bijection of 0..m-1, so evaluating every slot is evaluating every n,
 * and the n of a failing slot is slot * a^-1 mod m.
 */
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalEngine } from '../../src/engine/local/index.js';
import { loadRunbook } from '../../src/runbook/load.js';
import { openEngine, query, RUNBOOK_FILE, tempDir } from '../local/helpers.js';
import { compile, parseExpression, readFunctions, unpackText, type SqlFunction } from './snowflake-number.js';

const SHIPPED = new URL('../../sql/seed/nhs_numbers.sql', import.meta.url);
const BEFORE_FIX = new URL('./fixtures/nhs_numbers_before_issue_9.sql', import.meta.url);
const BASE_PATIENTS = 100_000;
const SCHEMA = 'PHARMACY2U_BRONZE.RAW_DATA.';

/** The largest multiplier the runbook allows: the model must cover every patient it makes. */
function maxMultiplier(): number {
  const spec = loadRunbook(RUNBOOK_FILE, { engines: ['snowflake'] }).params.multiplier;
  if (spec?.type !== 'integer' || spec.max === undefined) throw new Error('the runbook no longer bounds the multiplier');
  return spec.max;
}

function functionsOf(file: URL): Map<string, SqlFunction> {
  return readFunctions(readFileSync(file, 'utf8').replaceAll('{{ bronze_db }}', 'PHARMACY2U_BRONZE'));
}

/** NHS_NUMBER(N) must be `<AT_SLOT>(MOD(N * a, m))`: its slot function and the constants. */
function slotMapping(functions: Map<string, SqlFunction>, name: string): { atSlot: string; a: number; m: number } {
  const body = functions.get(name)?.body;
  const mod = body?.t === 'call' ? body.args[0] : undefined;
  const product = mod?.t === 'call' && mod.name === 'MOD' ? mod.args[0] : undefined;
  const [factor, modulus] = [product?.t === 'bin' && product.op === '*' ? product.right : undefined, mod?.t === 'call' ? mod.args[1] : undefined];
  if (body?.t !== 'call' || !functions.has(body.name) || factor?.t !== 'num' || modulus?.t !== 'num') {
    throw new Error(`${name} is no longer NHS_NUMBER_AT_SLOT(MOD(N * a, m)): teach this test its new shape`);
  }
  return { atSlot: body.name, a: factor.mantissa, m: modulus.mantissa };
}

function gcd(a: bigint, b: bigint): bigint {
  return b === 0n ? a : gcd(b, a % b);
}

function inverse(a: number, m: number): number {
  let [r0, r1, s0, s1] = [BigInt(m), BigInt(a), 0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return Number(((s0 % BigInt(m)) + BigInt(m)) % BigInt(m));
}

interface Report {
  from: number;
  to: number;
  invalid: number;
  invalidSlots: number[];
  examples: { slot: number; text: string }[];
  nonIncreasing: number;
  firstPrefix: number;
  lastPrefix: number;
}

/** Every slot 0..slots-1 through the compiled function, in two worker threads; the merged verdict. */
async function everySlot(code: string, slots: number): Promise<Report & { uniqueAcrossHalves: boolean }> {
  const half = Math.ceil(slots / 2);
  const reports = await Promise.all(
    [0, half].map(
      (from) =>
        new Promise<Report>((resolve, reject) => {
          const worker = new Worker(new URL('./nhs-worker.mjs', import.meta.url), { workerData: { code, from, to: Math.min(slots, from + half) } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  const [first, second] = reports as [Report, Report];
  return {
    from: 0,
    to: slots,
    invalid: first.invalid + second.invalid,
    invalidSlots: [...first.invalidSlots, ...second.invalidSlots],
    examples: [...first.examples, ...second.examples],
    nonIncreasing: first.nonIncreasing + second.nonIncreasing,
    firstPrefix: first.firstPrefix,
    lastPrefix: second.lastPrefix,
    uniqueAcrossHalves: first.lastPrefix < second.firstPrefix,
  };
}

describe("the Snowflake NUMBER model follows Snowflake's documented rules", () => {
  const evaluate = (sql: string, x: number) =>
    compile(new Map([['T.F', { name: 'T.F', params: [{ name: 'X', type: 'NUMBER' }], returns: 'VARCHAR', body: parseExpression(sql) }]]), 'T.F', [{ lo: 0, hi: 1e9 }]).call(x);

  it('divides NUMBER(38,0) at scale 6 and rounds: FLOOR(59999999 / 10000000) is 6, the issue\'s example', () => {
    expect(unpackText(evaluate('CAST(FLOOR(X / 10000000) AS VARCHAR)', 59_999_999))).toBe('6');
    expect(unpackText(evaluate('CAST(FLOOR(X / 10000000) AS VARCHAR)', 59_999_994))).toBe('5');
    expect(unpackText(evaluate('CAST(MOD((X - MOD(X, 10000000)) / 10000000, 10) AS INTEGER)', 59_999_999))).toBe('5');
  });

  it('keeps the scale in text (5 / 1 is 5.000000, not digits) and rounds a cast half away from zero', () => {
    expect(unpackText(evaluate('CAST(X / 1 AS VARCHAR)', 5))).toBeUndefined();
    expect(unpackText(evaluate('CAST(CAST(X / 4 AS INTEGER) AS VARCHAR)', 10))).toBe('3');
    expect(unpackText(evaluate('CAST(CAST(X / 4 AS INTEGER) AS VARCHAR)', 9))).toBe('2');
  });

  it('computes MOD of a product exactly beyond 2^53, and refuses to guess any other value there', () => {
    const n = 359_999_999;
    expect(unpackText(evaluate('CAST(MOD(X * 123456791, 360000000) AS VARCHAR)', n))).toBe(String((BigInt(n) * 123456791n) % 360000000n));
    expect(() => evaluate('CAST(X * 123456791 * 1000 AS VARCHAR)', n)).toThrow(/beyond 2\^53/);
  });
});

describe('NHS numbers under Snowflake NUMBER arithmetic, for every patient of the largest multiplier', () => {
  const patients = BASE_PATIENTS * maxMultiplier();

  it('gives every patient number a valid NHS number, all different: the shipped derivation', async () => {
    const functions = functionsOf(SHIPPED);
    const { atSlot, a, m } = slotMapping(functions, `${SCHEMA}NHS_NUMBER`);
    // Every patient number has its own slot, and every slot is one the model evaluates.
    expect(m).toBe(patients);
    expect(gcd(BigInt(a), BigInt(m))).toBe(1n);
    const report = await everySlot(compile(functions, atSlot, [{ lo: 0, hi: m - 1 }]).code, m);
    expect(report.examples).toEqual([]);
    expect(report.invalid).toBe(0);
    // Prefixes (the first nine digits) increase with the slot: no two patients share a number.
    expect(report.nonIncreasing).toBe(0);
    expect(report.uniqueAcrossHalves).toBe(true);
    expect([report.firstPrefix, report.lastPrefix]).toEqual([400_000_000, 799_999_999]);
  }, 180_000);

  it('would have caught the derivation shipped before: exactly the patients Snowflake would have given invalid numbers', async () => {
    const functions = functionsOf(BEFORE_FIX);
    const { atSlot, a, m } = slotMapping(functions, 'OLD.NHS_NUMBER');
    expect(m).toBe(patients);
    expect(gcd(BigInt(a), BigInt(m))).toBe(1n);
    const report = await everySlot(compile(functions, atSlot, [{ lo: 0, hi: m - 1 }]).code, m);
    // The stems whose low seven digits are 9,999,995 or more: 5 per 10^7 stems, 4 blocks, 9 slots each.
    expect(report.invalid).toBe(180);
    const stems = new Set(report.invalidSlots.map((slot) => 40_000_000 + Math.floor(slot / 9)));
    expect([...stems].every((stem) => stem % 10_000_000 >= 9_999_995)).toBe(true);
    expect(stems.size).toBe(20);
    // Which patients: n = slot * a^-1 mod m; at multiplier M the patients are n < 100,000 * M.
    const back = inverse(a, m);
    const bad = report.invalidSlots.map((slot) => Number((BigInt(slot) * BigInt(back)) % BigInt(m)));
    const badAt = (multiplier: number) => bad.filter((n) => n < BASE_PATIENTS * multiplier).length;
    expect({ x1: badAt(1), x10: badAt(10), x1000: badAt(1000), x3600: badAt(3600) }).toEqual({ x1: 0, x10: 1, x1000: 56, x3600: 180 });
  }, 180_000);
});

describe('DuckDB runs the same text to the same numbers (the local engine makes each function a macro)', () => {
  let engine: LocalEngine;
  let remove: () => void;

  beforeAll(async () => {
    const dir = tempDir();
    remove = dir.remove;
    engine = openEngine(dir.dir, 1);
    await query(engine, 'CREATE DATABASE PHARMACY2U_BRONZE');
    await query(engine, 'CREATE SCHEMA PHARMACY2U_BRONZE.RAW_DATA');
    const { splitStatements } = await import('../../src/runbook/sql.js');
    for (const statement of splitStatements(readFileSync(SHIPPED, 'utf8').replaceAll('{{ bronze_db }}', 'PHARMACY2U_BRONZE'))) {
      await query(engine, statement.sql);
    }
  });

  afterAll(async () => {
    await engine.close();
    remove();
  });

  it('agrees with the Snowflake model on the base patients, both ends of the range and a spread in between', async () => {
    const top = compile(functionsOf(SHIPPED), `${SCHEMA}NHS_NUMBER`, [{ lo: 0, hi: 359_999_999 }]);
    const sample = [...new Set([...Array.from({ length: 2000 }, (_, i) => i), 99_999, 359_999_998, 359_999_999, ...Array.from({ length: 2000 }, (_, i) => i * 179_999 + 7)])];
    const duck = await query(engine, `SELECT N, ${SCHEMA}NHS_NUMBER(N) FROM (SELECT UNNEST([${sample.join(', ')}]) AS N) ORDER BY N`, 10_000);
    const model = new Map(sample.map((n) => [n, unpackText(top.call(n))]));
    const differing = duck.rows.filter(([n, nhs]) => model.get(Number(n)) !== nhs);
    expect(duck.rows).toHaveLength(sample.length);
    expect(differing).toEqual([]);
  });
});

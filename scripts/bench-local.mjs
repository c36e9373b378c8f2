#!/usr/bin/env node
// Benchmarks the local engine (run after `npm run build`):
//   node scripts/bench-local.mjs [--multiplier 100] [--rows 10000000]
//
// 1. The runbook's scale step at the given multiplier, against a bare DuckDB CREATE TABLE AS of the
//    same row count and column types from range(), in the same database: rows per second for both
//    and their ratio (target: the scale step at 0.7 of the bare statement or better). Wall time and
//    CPU time (DuckDB's threads included) are both reported: on a busy machine, only the second is
//    a fair comparison. With --rounds N, the best of N runs of each.
// 2. Peak memory of `demo --engine local` (plain output) walking a one-step runbook whose step
//    returns --rows rows (target: under 300 MB for 10 million rows), next to the same with one row.
// 3. Peak memory and time of the whole show (`demo --engine local --yes`, every step) at
//    --show-multiplier (default 10), with the engine's defaults (DuckDB's memory_limit: a quarter of
//    the memory, at most 2 GB; threads: the cores less one) against the settings before them (all
//    cores, DuckDB's own 80% of the memory), interleaved, each in a fresh state dir; and the ratio.
//    With --only show, only this part.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (file) => pathToFileURL(path.join(root, 'dist', file)).href;
const { values: args } = parseArgs({
  options: {
    multiplier: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '1' },
    rows: { type: 'string', default: '10000000' },
    'show-multiplier': { type: 'string', default: '10' },
    only: { type: 'string' },
  },
});

const { LocalEngine } = await import(dist('engine/local/index.js'));
const { runStep } = await import(dist('core/runner.js'));
const { loadRunbook } = await import(dist('runbook/load.js'));
const { resolveParams } = await import(dist('runbook/params.js'));
const { resolveResources } = await import(dist('engine/local/resources.js'));

const fmt = (n) => Math.round(n).toLocaleString('en-GB');
const signal = new AbortController().signal;

async function run(engine, step, params) {
  const outcome = await runStep({ engine, step, params, signal, maxRows: 1000 });
  if (outcome.status !== 'done') throw new Error(`${step.id}: ${outcome.status} ${outcome.error?.message ?? ''}`);
  return outcome;
}

/** Wall and CPU milliseconds of `work`. */
async function measure(work) {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  await work();
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 };
}

const best = (a, b) => (a ? { wallMs: Math.min(a.wallMs, b.wallMs), cpuMs: Math.min(a.cpuMs, b.cpuMs) } : b);

async function sql(engine, text) {
  const started = performance.now();
  const result = await engine.run({ sql: text, stepId: 'bench', index: 0, count: 1 }, { signal, maxRows: 10 });
  return { result, ms: performance.now() - started };
}

/** Peak RSS in MB of `demo --engine local` walking a runbook whose one step runs `text`. */
function demoPeakMb(dir, text) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'sql'), { recursive: true });
  writeFileSync(path.join(dir, 'sql', 'rows.sql'), `${text};\n`);
  writeFileSync(
    path.join(dir, 'runbook.yml'),
    'title: Rows\nsteps:\n  - id: rows\n    title: Rows\n    sql: sql/rows.sql\nrestore:\n  id: restore\n  title: Nothing\n  inline: SELECT 1 AS OK\n',
  );
  const report = 'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nmaxrss="+process.resourceUsage().maxRSS))';
  const demo = spawnSync(process.execPath, ['--import', report, path.join(root, 'dist', 'cli', 'main.js'), '--engine', 'local', '--runbook', 'runbook.yml'], {
    cwd: dir,
    env: { ...process.env, CI: '1', DEMO_LOCAL_DB: path.join(dir, 'local.duckdb') },
    encoding: 'utf8',
  });
  const kb = /maxrss=(\d+)/.exec(demo.stderr)?.[1];
  if (demo.status !== 0 || !kb) throw new Error(`demo failed: ${demo.stdout}${demo.stderr}`);
  return Number(kb) / 1024;
}

/** Peak RSS (MB) and wall time (ms) of the whole show on the local engine, in a fresh state dir, with these flags. */
function showPeak(dir, flags) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const report = 'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nmaxrss="+process.resourceUsage().maxRSS))';
  const started = performance.now();
  const demo = spawnSync(
    process.execPath,
    ['--import', report, path.join(root, 'dist', 'cli', 'main.js'), '--engine', 'local', '--yes', '--param', `multiplier=${args['show-multiplier']}`, ...flags],
    { cwd: root, env: { ...process.env, CI: '1', DEMO_STATE_DIR: dir }, encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  const ms = performance.now() - started;
  const kb = /maxrss=(\d+)/.exec(demo.stderr)?.[1];
  if (demo.status !== 0 || !kb) throw new Error(`demo failed: ${demo.stdout.slice(-2000)}${demo.stderr}`);
  return { mb: Number(kb) / 1024, ms };
}

function wholeShow(work) {
  const cores = os.availableParallelism();
  const now = resolveResources(undefined, undefined);
  const before = ['--memory-limit', '80%', '--threads', String(cores)];
  const runs = { before: [], now: [] };
  for (let round = 0; round < 2; round++) {
    runs.before.push(showPeak(path.join(work, 'show-before'), before));
    runs.now.push(showPeak(path.join(work, 'show-now'), []));
  }
  const peak = (list) => Math.max(...list.map((r) => r.mb));
  const time = (list) => Math.min(...list.map((r) => r.ms));
  console.log(`whole show at multiplier ${args['show-multiplier']}, ${runs.now.length} runs each, interleaved:`);
  console.log(`  before (all ${cores} cores, DuckDB's 80% of ${fmt(os.totalmem() / 2 ** 20)} MB): peak RSS ${fmt(peak(runs.before))} MB, ${fmt(time(runs.before))} ms (best)`);
  console.log(`  now (the defaults: memory_limit ${fmt(now.memoryMb)} MB, ${now.threads} thread${now.threads === 1 ? '' : 's'}): peak RSS ${fmt(peak(runs.now))} MB, ${fmt(time(runs.now))} ms (best)`);
  console.log(`  ratio now / before: peak RSS ${(peak(runs.now) / peak(runs.before)).toFixed(2)}, time ${(time(runs.now) / time(runs.before)).toFixed(2)}`);
}

const multiplier = Number(args.multiplier);
const work = mkdtempSync(path.join(tmpdir(), 'demo-bench-'));
if (args.only === 'show') {
  try {
    wholeShow(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(0);
}
try {
  const engine = new LocalEngine({ file: path.join(work, 'local.duckdb') });
  await engine.connect(signal);
  const runbook = loadRunbook(path.join(root, 'runbook.yml'), { engines: ['local'] });
  const params = resolveParams(runbook.params, 'local', { multiplier: String(multiplier) });
  const step = (id) => runbook.steps.find((s) => s.id === id);

  const base = await measure(async () => {
    await run(engine, step('build-pipeline'), params);
    await run(engine, step('backups'), params);
  });
  console.log(`base pipeline and backups: ${fmt(base.wallMs)} ms`);

  const patients = 100_000 * multiplier;
  const prescriptions = 500_809 * multiplier;
  const rows = patients + prescriptions;

  const bronze = params.bronze_db;
  const barePatients = `CREATE OR REPLACE TABLE ${bronze}.RAW_DATA.BARE_PATIENTS AS
     SELECT range AS PATIENT_ID, CAST(4000000000 + range AS VARCHAR) AS NHS_NUMBER,
       'Olivia' || CAST(range % 50 AS VARCHAR) AS FIRST_NAME, 'Smith' || CAST(range % 64 AS VARCHAR) AS LAST_NAME,
       CASE WHEN range % 2 = 0 THEN 'F' ELSE 'M' END AS SEX, DATE '1935-01-01' + CAST(range % 25567 AS INTEGER) AS DATE_OF_BIRTH,
       'SW1A ' || CAST(range % 9000 AS VARCHAR) AS POSTCODE, 'Region ' || CAST(range % 9 AS VARCHAR) AS REGION
     FROM range(${patients})`;
  const barePrescriptions = (payload) => `CREATE OR REPLACE TABLE ${bronze}.RAW_DATA.BARE_PRESCRIPTIONS AS
     SELECT range AS PRESCRIPTION_ID, range // 5 AS PATIENT_ID, DATE '2019-01-01' + CAST(range % 2192 AS INTEGER) AS PRESCRIBED_DATE,
       '0212000B0AAAB' || CAST(range % 33 AS VARCHAR) AS BNF_CODE, 'Drug name ' || CAST(range % 33 AS VARCHAR) AS DRUG_NAME,
       CAST(range % 100 AS INTEGER) AS QUANTITY, CAST((range % 10000) / 100 AS DECIMAL(10, 2)) AS PRICE_GBP,
       ${payload} AS PAYLOAD
     FROM range(${prescriptions})`;
  // The payload decides the comparison, so there are two bare statements. One writes a constant
  // payload: the cheapest table of this shape DuckDB can write, an upper bound on its speed. The
  // other builds a payload of the seed's shape and size that varies per row, as real data does.
  const bares = {
    'constant payload': barePrescriptions(`CAST('{"prescriber":{"practice_code":"A81001","type":"GP"},"order":{"channel":"app","repeat":true},"dosage":"Take ONE tablet daily","charge":{"exemption":"AGE_60_PLUS","amount_gbp":0.00}}' AS JSON)`),
    'varying payload': barePrescriptions(`json_object(
         'prescriber', json_object('practice_code', 'A' || CAST(10000 + range % 90000 AS VARCHAR), 'type', 'GP'),
         'order', json_object('channel', 'app', 'repeat', range % 10 < 6),
         'dosage', 'Take ONE tablet daily ' || CAST(range % 33 AS VARCHAR),
         'charge', json_object('exemption', 'AGE_60_PLUS', 'amount_gbp', CAST(range % 2 AS DECIMAL(4, 2)) * 9.90))`),
  };

  let scale;
  const plain = {};
  for (let round = 0; round < Number(args.rounds); round++) {
    scale = best(scale, await measure(() => run(engine, step('scale-1000x'), params)));
    for (const [label, statement] of Object.entries(bares)) {
      plain[label] = best(plain[label], await measure(async () => {
        await sql(engine, barePatients);
        await sql(engine, statement);
      }));
      await sql(engine, `DROP TABLE ${bronze}.RAW_DATA.BARE_PATIENTS`);
      await sql(engine, `DROP TABLE ${bronze}.RAW_DATA.BARE_PRESCRIPTIONS`);
    }
  }
  await engine.close();

  const rate = (ms) => rows / (ms / 1000);
  const line = (label, m) =>
    console.log(`${label}: ${fmt(rows)} rows in ${fmt(m.wallMs)} ms = ${fmt(rate(m.wallMs))} rows/s (CPU ${fmt(m.cpuMs)} ms = ${fmt(rate(m.cpuMs))} rows per CPU-second)`);
  line(`scale step, multiplier ${multiplier}`, scale);
  for (const [label, m] of Object.entries(plain)) {
    line(`bare CREATE TABLE AS from range(), ${label}`, m);
    console.log(
      `  ratio (scale / bare, ${label}): ${(m.wallMs / scale.wallMs).toFixed(2)} by wall time, ${(m.cpuMs / scale.cpuMs).toFixed(2)} by CPU time (target >= 0.70)`,
    );
  }

  const rowsSql = `SELECT range AS N, 'row ' || range AS LABEL FROM range(${Number(args.rows)})`;
  const many = demoPeakMb(path.join(work, 'memory'), rowsSql);
  const one = demoPeakMb(path.join(work, 'memory'), 'SELECT 1 AS N');
  console.log(`demo --engine local, a step returning ${fmt(Number(args.rows))} rows: peak RSS ${fmt(many)} MB (${fmt(one)} MB for one row; target < 300 MB)`);
  wholeShow(work);
} finally {
  rmSync(work, { recursive: true, force: true });
}

/**
 * The whole loop on the real local engine, through the CLI: a local run records; `--rehearse`
 * replays it (same tables, same durations, compressed by --speed); a step whose SQL changed is
 * marked stale (and a change to the Snowflake SQL of a step the local engine ran as a DuckDB twin
 * is not); `demo report` of the run states its measured numbers.
 */
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCount, formatDuration } from '../../src/format/numbers.js';
import { listRecordings, readRecording, runbookPlace } from '../../src/record/store.js';
import type { Recording } from '../../src/record/types.js';
import { openEngine, RUNBOOK_FILE, Show, tempDir } from '../local/helpers.js';

const BIN = path.resolve('dist/cli/main.js');
const SPEED = 10;
let state: { dir: string; remove: () => void };
let walk: Run;
let recording: Recording;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function demo(args: string[], stateDir = state.dir): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, CI: 'true', DEMO_STATE_DIR: stateDir }, maxBuffer: 1 << 24 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr, ms: performance.now() - started }),
    );
  });
}

/** The walkthrough's text per step, without what legitimately differs between a run and its replay. */
function blocks(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const block of stdout.split(/\n(?=── )/).slice(1)) {
    const title = block.split('\n')[0]!;
    const body = block
      .split('\n')
      .filter((line) => !/^\s+note: |^\s+\[\d+\/\d+\] /.test(line))
      .map((line) => line.replace(/\[(LOCAL|REHEARSAL · from DuckDB)\]/, '[SOURCE]'))
      .join('\n');
    out.set(title, body.replace(/\n+(Stopped|All \d+ steps)[\s\S]*$/, ''));
  }
  return out;
}

beforeAll(async () => {
  state = tempDir();
  // The show opens on the layer counts: it needs the base to exist, as on a presenter's laptop.
  const engine = openEngine(state.dir);
  await new Show(engine).run('build-pipeline');
  await engine.close();
  walk = await demo(['--engine', 'local', '--yes', '--param', 'multiplier=2', '--runbook', RUNBOOK_FILE]);
  const [ref] = listRecordings(state.dir);
  recording = readRecording(ref!.file)!;
}, 180_000);

afterAll(() => state?.remove());

describe('a local run, recorded and replayed', () => {
  it('records every step it ran, as it ran it', () => {
    expect(walk.stderr).toBe('');
    expect(walk.code).toBe(0);
    expect(recording).toMatchObject({ command: 'walk', engine: 'local', params: { multiplier: 2 } });
    expect(recording.finishedAt).toBeDefined();
    const ids = recording.entries.map((e) => e.stepId);
    expect(ids).toEqual(expect.arrayContaining(['welcome', 'build-pipeline', 'backups', 'scale-1000x', 'scaled-counts', 'data-quality', 'benchmarks']));
    const scaled = recording.entries.find((e) => e.stepId === 'scaled-counts')!;
    expect(scaled.queries[0]!.rows).toContainEqual(['BRONZE', 'RAW_PATIENTS', 200_000]);
    expect(scaled.sqlHash).toMatch(/^sha256:/);
    expect(recording.entries.find((e) => e.stepId === 'idle-cost')).toMatchObject({ status: 'skipped' });
  });

  it('--rehearse replays it: the same tables and durations, in a tenth of the time at --speed 10', async () => {
    const recordedMs = recording.entries.filter((e) => e.status === 'done').reduce((sum, e) => sum + e.elapsedMs, 0);
    const rehearsal = await demo(['--rehearse', '--speed', String(SPEED), '--runbook', RUNBOOK_FILE]);
    expect(rehearsal.code).toBe(0);
    expect(rehearsal.stdout).toMatch(/^Rehearsal: replaying local run of \d{4}-\d\d-\d\d \d\d:\d\d \(2 from the runbook's mocks\) with its params \(multiplier=2\)\. Figures are recorded, not measured now\.$/m);
    const live = blocks(walk.stdout);
    const replayed = blocks(rehearsal.stdout);
    const compared = [...live].filter(([, body]) => /✓ done in/.test(body) && !/– skipped/.test(body));
    expect(compared.length).toBeGreaterThanOrEqual(10);
    for (const [title, body] of compared) expect(replayed.get(title), title).toBe(body);
    // Every replayed figure is labelled REHEARSAL, never LOCAL or LIVE.
    expect(rehearsal.stdout).not.toMatch(/\[(LOCAL|LIVE)\]/);
    expect(rehearsal.stdout).toMatch(/note: replayed from the local run of /);
    // The comparison names the engine and the date that measured its figures, and estimates no
    // credits from a DuckDB time.
    expect(rehearsal.stdout).toMatch(/Load time +[\d.]+ m?s \(recorded \d{4}-\d\d-\d\d \d\d:\d\d on DuckDB\) \[REHEARSAL\]/);
    expect(rehearsal.stdout).toMatch(/Cost during idle +.* \(mock\) \[REHEARSAL\]/);
    expect(rehearsal.stdout).toContain('no credits: measured on DuckDB');
    expect(rehearsal.stdout).not.toMatch(/Snowflake \(|credits \(estimate/);
    // Waiting compressed by --speed; a second of slack for start-up and the mock-only steps.
    expect(rehearsal.ms).toBeGreaterThanOrEqual(recordedMs / SPEED);
    expect(rehearsal.ms).toBeLessThan(recordedMs / SPEED + 3_000);
  });

  it('marks a step stale when its SQL changed since the run, judging local runs by the DuckDB twin they ran', async () => {
    const copy = tempDir();
    try {
      cpSync(path.dirname(RUNBOOK_FILE) + '/runbook.yml', path.join(copy.dir, 'runbook.yml'));
      cpSync(path.join(path.dirname(RUNBOOK_FILE), 'sql'), path.join(copy.dir, 'sql'), { recursive: true });
      const bench = path.join(copy.dir, 'sql/bench/high_value_patients.sql');
      writeFileSync(bench, readFileSync(bench, 'utf8').replace('> 2000', '> 2500'));
      // The Snowflake SQL of a step the local engine ran as its DuckDB twin: not what was recorded, so not stale.
      const refresh = path.join(copy.dir, 'sql/maintenance/refresh_dynamic_tables.sql');
      expect(existsSync(path.join(copy.dir, 'sql/duckdb/maintenance/refresh_dynamic_tables.sql'))).toBe(true);
      writeFileSync(refresh, `-- reworded\n${readFileSync(refresh, 'utf8')}`);
      // The copy stands for the runbook edited where it is: its recordings say they are of the copy.
      const copyState = path.join(copy.dir, '.demo');
      for (const ref of listRecordings(state.dir)) {
        const recorded = JSON.parse(readFileSync(ref.file, 'utf8')) as Recording;
        recorded.runbook.place = runbookPlace(copyState, path.join(copy.dir, 'runbook.yml'));
        mkdirSync(path.join(copyState, 'recordings'), { recursive: true });
        writeFileSync(path.join(copyState, 'recordings', path.basename(ref.file)), JSON.stringify(recorded));
      }
      const rehearsal = await demo(['--rehearse', '--speed', '100', '--runbook', path.join(copy.dir, 'runbook.yml')], copyState);
      const stale = rehearsal.stdout
        .split(/\n(?=── )/)
        .filter((block) => /stale: this step's SQL changed since it was recorded/.test(block))
        .map((block) => block.split('\n')[0]);
      expect(stale).toEqual([expect.stringMatching(/Querying all 200K patients, timed/)]);
      expect(rehearsal.stdout).toMatch(/note: replayed from the local run of .*; stale: this step's SQL changed since it was recorded \(\d{4}-\d\d-\d\d \d\d:\d\d\); the figures are from the old SQL/);
    } finally {
      copy.remove();
    }
  });

  it('demo report states the run\'s measured numbers, and marks what it did not measure', async () => {
    const { code, stdout, stderr } = await demo(['report', '--runbook', RUNBOOK_FILE]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`**Recording:** ${recording.id}`);
    expect(stdout).toMatch(/\| BRONZE \| RAW_PATIENTS \| 100,000 \| 200,000 \| 2x \|/);
    expect(stdout).toMatch(/\| SILVER \| PRESCRIPTIONS \| 477,612 \| 955,224 \| 2x \|/);
    const scale = recording.entries.find((e) => e.stepId === 'scale-1000x')!;
    expect(stdout).toContain(`(scale-1000x): **${formatDuration(scale.elapsedMs)}**`);
    const bench = recording.entries.find((e) => e.stepId === 'benchmarks')!;
    for (const q of bench.queries) expect(stdout).toContain(`| ${q.label} | ${formatCount(q.rowCount)} | ${formatDuration(q.elapsedMs)} | not measured |`);
    expect(stdout).toMatch(/\| Data quality, proven at 200K patients \| ORPHANED_PRESCRIPTIONS\.VALUE \| 0 \| 0 \| ✓ \|/);
    expect(stdout).toMatch(/\| RAW_PATIENTS_ORIGINAL \| 100,000 \|/);
    expect(stdout).toMatch(/\| Cost during idle \| not measured \|/);
    expect(stdout).toContain('demo restore --engine local');
    expect(stdout).toMatch(
      /```sql\n-- Stop our statements still running elsewhere\n[^\n]+\n\n-- Restore from the originals\nUSE WAREHOUSE PHARMACY2U_DEMO_WH;\n(ALTER DYNAMIC TABLE \S+ SUSPEND;\n){2}CREATE OR REPLACE TABLE PHARMACY2U_BRONZE\.RAW_DATA\.RAW_PATIENTS CLONE/,
    );
    expect(stdout).toMatch(/'Restore the original 100K dataset' \(restore\): not run in this recording/);

    const file = path.join(state.dir, 'out', 'report.md');
    const written = await demo(['report', recording.id.slice(0, 16), '--out', file, '--runbook', RUNBOOK_FILE]);
    expect(written.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(stdout);
    expect((await demo(['report', 'no-such-recording'])).code).toBe(2);
  });

  it('a show killed mid-way keeps every step it had finished, and still makes a report', async () => {
    const crash = tempDir();
    try {
      for (const name of readdirSync(state.dir).filter((n) => n.endsWith('.duckdb'))) copyFileSync(path.join(state.dir, name), path.join(crash.dir, name));
      const child = spawn(process.execPath, [BIN, '--engine', 'local', '--yes', '--param', 'multiplier=2', '--runbook', RUNBOOK_FILE], {
        env: { PATH: process.env.PATH, CI: 'true', DEMO_STATE_DIR: crash.dir },
        stdio: 'ignore',
      });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      // Kill it, without warning, once two steps are on disk.
      let entries = 0;
      for (const until = Date.now() + 60_000; entries < 2 && Date.now() < until; await new Promise((r) => setTimeout(r, 20))) {
        const [ref] = listRecordings(crash.dir);
        entries = ref ? (readRecording(ref.file)?.entries.length ?? 0) : 0;
      }
      child.kill('SIGKILL');
      await exited;
      const [ref] = listRecordings(crash.dir);
      const killed = readRecording(ref!.file)!;
      expect(killed.entries.length).toBeGreaterThanOrEqual(2);
      expect(killed.finishedAt).toBeUndefined();
      const report = await new Promise<string>((resolve) =>
        execFile(process.execPath, [BIN, 'report', '--runbook', RUNBOOK_FILE], { env: { PATH: process.env.PATH, DEMO_STATE_DIR: crash.dir } }, (_e, stdout) => resolve(stdout)),
      );
      expect(report).toMatch(/did not end normally \(last step recorded \d{4}-\d\d-\d\d \d\d:\d\d\)/);
    } finally {
      crash.remove();
    }
  });
});

/**
 * `demo check` on the local engine, as a presenter runs it 30 minutes before the show: passes on a
 * healthy database, and fails with exit 1, naming the check and its fix, when the database is
 * broken on purpose. One seeded database per file; each breakage works on its own copy.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import React from 'react';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import schemaJson from '../../src/check/check-result.schema.json' with { type: 'json' };
import { CheckBoard, LiveList } from '../../src/check/LiveList.js';
import type { CheckResult } from '../../src/check/checklist.js';
import { listRecordings, readRecording } from '../../src/record/store.js';
import { builtBase, openEngine, query, RUNBOOK_FILE } from '../local/helpers.js';

const BIN = path.resolve('dist/cli/main.js');
const schema = z.fromJSONSchema(schemaJson as Parameters<typeof z.fromJSONSchema>[0]);
let base: { dir: string; remove: () => void };
const copies: string[] = [];

beforeAll(async () => {
  base = await builtBase();
}, 120_000);

afterAll(() => {
  base?.remove();
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the healthy database, broken by `sql` (run through the local engine, as the show would). */
async function brokenCopy(sql: string[]): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'demo-check-'));
  copies.push(dir);
  for (const name of readdirSync(base.dir).filter((n) => n.endsWith('.duckdb'))) copyFileSync(path.join(base.dir, name), path.join(dir, name));
  const engine = openEngine(dir);
  for (const statement of sql) await query(engine, statement);
  await engine.close();
  return dir;
}

function demo(stateDir: string, args: string[]) {
  return execDemo(stateDir, ['check', '--engine', 'local', '--runbook', RUNBOOK_FILE, ...args]);
}

function execDemo(stateDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { PATH: process.env.PATH, CI: 'true', DEMO_STATE_DIR: stateDir } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr, ms: performance.now() - started }),
    );
  });
}

const BRONZE = 'PHARMACY2U_BRONZE.RAW_DATA';
const SILVER = 'PHARMACY2U_SILVER.GOVERNED_DATA';

describe('demo check on the local engine', () => {
  it('passes on a healthy database, in seconds, skipping the Snowflake-only checks, and records the run', async () => {
    const dir = await brokenCopy([]);
    const { code, stdout, stderr, ms } = await demo(dir, []);
    expect(stderr).toBe('');
    expect(stdout).toContain('[LOCAL · DUCKDB]');
    expect(stdout).toMatch(/✓ The \*_ORIGINAL backups exist with the base counts/);
    expect(stdout).toMatch(/– SILVER dynamic tables active.*\n\s+not run on the local engine \(runs on snowflake\)/);
    expect(stdout).toMatch(/✓ Restore can run: what 'restore' needs is in place/);
    expect(stdout).toMatch(/All 8 checks passed \(3 not run on this engine\)\./);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(10_000);
    const [ref] = listRecordings(dir);
    expect(ref).toMatchObject({ command: 'check', engine: 'local' });
    const recording = readRecording(ref!.file)!;
    expect(recording.entries.map((e) => e.stepId).sort()).toContain('originals');
    expect(recording.entries.find((e) => e.stepId === 'originals')).toMatchObject({ kind: 'check', check: { status: 'pass' } });
  });

  it('--json prints a document that validates against src/check/check-result.schema.json', async () => {
    const dir = await brokenCopy([]);
    const { code, stdout } = await demo(dir, ['--json']);
    expect(code).toBe(0);
    const document = JSON.parse(stdout);
    expect(schema.safeParse(document).error).toBeUndefined();
    expect(document).toMatchObject({ format: 'demo-check/1', engine: 'local', source: 'LOCAL', ok: true, counts: { pass: 8, fail: 0, skip: 3 } });
    expect(document.recording).toMatch(/-check-local$/);
    // Rehearsing the checklist replays this very run: same timings, labelled REHEARSAL.
    const rehearsal = await execDemo(dir, ['check', '--rehearse', '--json', '--runbook', RUNBOOK_FILE]);
    const replayed = JSON.parse(rehearsal.stdout);
    expect(replayed).toMatchObject({ engine: 'rehearsal', source: 'REHEARSAL', ok: true, recording: null });
    const originals = (d: { checks: CheckResult[] }) => d.checks.find((c) => c.id === 'originals')!.elapsedMs;
    expect(originals(replayed)).toBe(originals(document));
    // The validation is real: a failure without a fix is rejected.
    const broken = { ...document, checks: [{ ...document.checks[0], status: 'fail' }] };
    expect(schema.safeParse(broken).success).toBe(false);
  });

  const breakages: Array<{ what: string; sql: string[]; failing: string[]; says: RegExp }> = [
    // Restore clones the originals: without one it cannot run either.
    { what: 'a backup dropped', sql: [`DROP TABLE ${BRONZE}.RAW_PRESCRIPTIONS_ORIGINAL`], failing: ['originals', 'restore-ready'], says: /RAW_PRESCRIPTIONS_ORIGINAL/ },
    {
      what: 'a count changed',
      sql: [`DELETE FROM ${BRONZE}.RAW_PATIENTS WHERE PATIENT_ID = (SELECT MAX(PATIENT_ID) FROM ${BRONZE}.RAW_PATIENTS)`],
      failing: ['layer-counts'],
      says: /RAW_PATIENTS\.ROW_COUNT: expected 100000, got 99999/,
    },
    {
      what: 'an orphan inserted',
      // A prescription for a patient who does not exist; SILVER also holds one row more than the show expects.
      sql: [`INSERT INTO ${SILVER}.PRESCRIPTIONS SELECT * REPLACE (-1 AS PATIENT_ID) FROM ${SILVER}.PRESCRIPTIONS LIMIT 1`],
      failing: ['layer-counts', 'data-quality'],
      says: /ORPHANED_PRESCRIPTIONS\.VALUE: expected 0, got 1/,
    },
    {
      what: 'a duplicate NHS number inserted',
      sql: [
        `UPDATE ${BRONZE}.RAW_PATIENTS SET NHS_NUMBER = (SELECT NHS_NUMBER FROM ${BRONZE}.RAW_PATIENTS ORDER BY PATIENT_ID LIMIT 1)
         WHERE PATIENT_ID = (SELECT MAX(PATIENT_ID) FROM ${BRONZE}.RAW_PATIENTS)`,
      ],
      failing: ['data-quality'],
      says: /DUPLICATE_NHS_NUMBERS\.VALUE: expected 0, got 1/,
    },
  ];

  for (const { what, sql, failing, says } of breakages) {
    it(`fails with exit 1 after ${what}, naming ${failing.join(' and ')} and how to fix it`, async () => {
      const dir = await brokenCopy(sql);
      const plain = await demo(dir, []);
      expect(plain.code).toBe(1);
      expect(plain.stdout).toMatch(says);
      expect(plain.stdout).toContain(`checks failed: ${failing.join(', ')}`);
      for (const id of failing) expect(plain.stdout).toMatch(new RegExp(`✗ .*\\n.*\\n\\s+fix: .+\\n\\s+check: ${id}\\n`));
      // A fix names the command that works on this engine.
      if (failing.includes('layer-counts')) expect(plain.stdout).toContain("fix: Run 'demo restore --engine local' to return to the 100K base");
      const json = await demo(dir, ['--json']);
      expect(json.code).toBe(1);
      const document = JSON.parse(json.stdout);
      expect(schema.safeParse(document).error).toBeUndefined();
      const failed = (document.checks as CheckResult[]).filter((c) => c.status === 'fail');
      expect(failed.map((c) => c.id).sort()).toEqual([...failing].sort());
      for (const check of failed) expect(check.fix).toBeTruthy();
    });
  }

  it('bad input is exit 2 with no checks run', async () => {
    const { code, stderr } = await demo(base.dir, ['--param', 'nope=1']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown param 'nope'/);
  });
});

describe('the live list in a terminal', () => {
  it('lists every check at once and ticks each as it finishes, in whatever order', async () => {
    const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
    const board = new CheckBoard([
      { id: 'a', title: 'First check' },
      { id: 'b', title: 'Second check' },
    ]);
    const { lastFrame } = render(React.createElement(LiveList, { board, heading: 'Pre-demo checklist' }));
    expect(lastFrame()).toMatch(/First check\n.*Second check/);
    board.start('a');
    board.start('b');
    board.finish({ id: 'b', title: 'Second check', status: 'fail', elapsedMs: 12, message: 'expected 0, got 1', fix: 'rebuild it', expectations: [], queryIds: [] });
    await settle();
    const frame = lastFrame()!;
    expect(frame).toMatch(/… First check {2}\(running\)/);
    expect(frame).toMatch(/✗ Second check {2}\(12 ms\)\n\s+expected 0, got 1\n\s+fix: rebuild it/);
    board.finish({ id: 'a', title: 'First check', status: 'pass', elapsedMs: 3, expectations: [], queryIds: [] });
    board.done('1 of 2 checks failed: b.');
    await settle();
    expect(lastFrame()).toMatch(/✓ First check {2}\(3 ms\)[\s\S]*1 of 2 checks failed: b\./);
  });
});

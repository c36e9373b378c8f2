/**
 * Restore, every time: the real `demo --engine local` in a pseudo-terminal restores three times in
 * one session — from an idle step, during a running scale (cancelled first), and straight after a
 * restore — each time showing that run's own result; then the database itself holds the base.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRecordings, readRecording } from '../../src/record/store.js';
import { openEngine, scalar, Show, tempDir } from '../local/helpers.js';
import { CLI, KEY, TerminalSession, terminalRestored } from './terminal.js';

let state: ReturnType<typeof tempDir>;

beforeAll(async () => {
  state = tempDir();
  // A presenter's laptop before the show: the base built and backed up.
  const engine = openEngine(state.dir);
  const show = new Show(engine);
  await show.run('build-pipeline');
  await show.run('backups');
  await engine.close();
}, 240_000);

afterAll(() => state?.remove());

const heading = (rows: string[]) => rows[2] ?? '';
/** "started 14:03:05" of the restore on screen: which run the dialog shows. */
const startedOf = (rows: string[]) => /Restored and verified in .* \(started (\d\d:\d\d:\d\d)\)/.exec(rows.join('\n'))?.[1];

describe('restore on the local engine, in a terminal', () => {
  it('restores three times in one session, each result its own, and leaves the base in the database', async () => {
    const show = new TerminalSession([CLI, '--engine', 'local'], { cols: 120, rows: 35, env: { DEMO_STATE_DIR: state.dir } });
    try {
      await show.waitFor((rows) => rows[0]!.includes('LOCAL · DUCKDB') && rows[0]!.includes('Step 1/13'), 'the first frame', 30_000);
      await new Promise((r) => setTimeout(r, 200));

      // 1. From an idle step.
      await show.press('R');
      await show.waitForText('restore will:');
      await show.press('y');
      const first = startedOf(await show.waitForText('Restored and verified', 60_000));
      expect(first).toBeDefined();
      await show.press(KEY.escape);

      // 2. During a running scale: one yes cancels it, and restore runs once it has really stopped.
      await show.press('g', KEY.home, KEY.down, KEY.down, KEY.down, KEY.down, KEY.down, KEY.enter);
      await show.waitFor((rows) => heading(rows).startsWith(' 6. '), 'the scale step');
      await show.press(KEY.enter);
      await show.waitForText('It is destructive');
      await show.press('y');
      // One of the scale's CREATE TABLE AS statements (from the 5th on, the 12th is its count):
      // restore is asked for while it runs.
      const underWay = (r: string) => {
        const m = /running statement (\d+)\/(\d+)/.exec(r);
        return m !== null && Number(m[1]) >= 5 && Number(m[1]) < Number(m[2]);
      };
      await show.waitFor((rows) => rows.some(underWay), 'the scale to be under way', 60_000);
      await show.press('R');
      await show.waitForText('Step 6 is running: cancel it and restore?');
      await show.press('y');
      let rows = await show.waitFor((r) => startedOf(r) !== undefined && startedOf(r) !== first, 'the second restore to finish', 120_000);
      const second = startedOf(rows);
      expect(heading(rows)).toContain('– cancelled');
      expect(rows.join('\n')).not.toMatch(/Restore failed|was cancelled/);

      // 3. Straight after a restore: R asks afresh, and this run's result replaces the last.
      await show.press('R');
      await show.waitForText('This one runs afresh');
      await show.press('y');
      rows = await show.waitFor((r) => startedOf(r) !== undefined && startedOf(r) !== second, 'the third restore to finish', 60_000);
      expect(rows.join('\n')).toMatch(/BRONZE RAW_PATIENTS\s+100,000 \(100K\)\s+█+ ✓/);

      await show.press(KEY.escape, 'q');
      await show.waitForText('Quit the show?');
      await show.press('y');
      expect((await show.exited(30_000)).exitCode).toBe(0);
      // Once the screen is gone, the one line that says how the runbook's teardown went.
      expect(terminalRestored(show, /^demo: teardown \S+ ran when the show ended: done[^\u001B]*(\u001B\[\?25h)*$/)).toEqual([]);
    } finally {
      if (!show.exit) show.child.kill('SIGKILL');
    }

    // The recording: three restores, each verified; the scale cancelled.
    const recording = readRecording(listRecordings(state.dir)[0]!.file)!;
    expect(recording.entries.filter((e) => e.stepId === 'restore').map((e) => e.status)).toEqual(['done', 'done', 'done']);
    expect(recording.entries.find((e) => e.stepId === 'scale-1000x')?.status).toBe('cancelled');

    // And the database itself, opened afresh once the show has gone: the base, in every layer.
    const engine = openEngine(state.dir);
    try {
      const count = (table: string) => scalar(engine, `SELECT COUNT(*) FROM ${table}`);
      expect(await count('PHARMACY2U_BRONZE.RAW_DATA.RAW_PATIENTS')).toBe(100_000);
      expect(await count('PHARMACY2U_BRONZE.RAW_DATA.RAW_PRESCRIPTIONS')).toBe(500_809);
      expect(await count('PHARMACY2U_SILVER.GOVERNED_DATA.PATIENTS')).toBe(100_000);
      expect(await count('PHARMACY2U_SILVER.GOVERNED_DATA.PRESCRIPTIONS')).toBe(477_612);
      expect(await count('PHARMACY2U_GOLD.ANALYTICS.V_PATIENT_360')).toBe(100_000);
      expect(await count('PHARMACY2U_BRONZE.RAW_DATA.RAW_PATIENTS_ORIGINAL')).toBe(100_000);
    } finally {
      await engine.close();
    }
  }, 400_000);
});

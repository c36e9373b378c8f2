/**
 * `demo report` without an argument reports the most complete recent run, keeps each step's
 * successful measurement when a later re-run was cancelled, counts steps as the show does, and
 * words everything for the engine and params the run had.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StepStatus } from '../../src/core/runner.js';
import { recordingsDir } from '../../src/record/store.js';
import { RECORDING_FORMAT, type RecordedEntry, type Recording } from '../../src/record/types.js';
import { pickRecording } from '../../src/report/command.js';
import { renderReport } from '../../src/report/markdown.js';
import { loadRunbook } from '../../src/runbook/load.js';
import { resolveParams } from '../../src/runbook/params.js';
import { scratch } from '../helpers.js';

const runbook = loadRunbook(path.resolve('runbook.yml'));

function entry(stepId: string, status: StepStatus, finishedAt: string, elapsedMs: number, rows: Array<[string, string, number]> = []): RecordedEntry {
  return {
    kind: 'step',
    stepId,
    title: stepId,
    startedAt: finishedAt,
    finishedAt,
    status,
    elapsedMs,
    wallMs: elapsedMs,
    queries: rows.length
      ? [{ columns: [{ name: 'LAYER', type: 'text' }, { name: 'OBJECT', type: 'text' }, { name: 'ROW_COUNT', type: 'number' }], rows, rowCount: rows.length, truncated: false, elapsedMs, expectations: [] }]
      : status === 'done'
        ? [{ columns: [{ name: 'N', type: 'number' }], rows: [[1]], rowCount: 1, truncated: false, elapsedMs, expectations: [] }]
        : [],
    statements: [],
    notices: [],
    ...(status === 'cancelled' ? { error: undefined } : {}),
  };
}

function recording(startedAt: string, entries: RecordedEntry[]): Recording {
  const stamp = startedAt.replace(/:/g, '-');
  return {
    format: RECORDING_FORMAT,
    id: `${stamp}-walk-local`,
    command: 'walk',
    runbook: { title: runbook.title, file: 'runbook.yml' },
    engine: 'local',
    startedAt,
    updatedAt: startedAt,
    finishedAt: startedAt,
    params: resolveParams(runbook.params, 'local'),
    entries,
  };
}

function stateWith(...recordings: Recording[]): string {
  const dir = scratch({});
  mkdirSync(recordingsDir(dir), { recursive: true });
  for (const r of recordings) writeFileSync(path.join(recordingsDir(dir), `${r.id}.json`), JSON.stringify(r));
  return dir;
}

const base: Array<[string, string, number]> = [['BRONZE', 'RAW_PATIENTS', 100_000]];
const scaled: Array<[string, string, number]> = [['BRONZE', 'RAW_PATIENTS', 1_000_000]];

describe('demo report', () => {
  const full = recording('2026-11-20T14:00:00.000Z', [
    entry('starting-counts', 'done', '2026-11-20T14:01:00.000Z', 40, base),
    entry('backups', 'done', '2026-11-20T14:02:00.000Z', 5000),
    entry('scale-1000x', 'done', '2026-11-20T14:03:00.000Z', 15_000),
    entry('scaled-counts', 'done', '2026-11-20T14:04:00.000Z', 500, scaled),
    entry('benchmarks', 'done', '2026-11-20T14:05:00.000Z', 300),
    // The scale re-run and cancelled: its measurement above still stands.
    entry('scale-1000x', 'cancelled', '2026-11-20T14:06:00.000Z', 2000),
  ]);
  const nearlyEmpty = recording('2026-11-20T16:00:00.000Z', [entry('welcome', 'done', '2026-11-20T16:00:05.000Z', 30, base)]);

  it('without an argument picks the most complete recent run, and says why it is not the newest', () => {
    const dir = stateWith(full, nearlyEmpty);
    const picked = pickRecording(dir, 'runbook.yml');
    expect(picked.recording.id).toBe(full.id);
    expect(picked.note).toContain(`the newest, ${nearlyEmpty.id}, measured 1`);
    // A run from days before is not recent: the newest wins then.
    const old = { ...full, id: '2026-11-10T14-00-00.000Z-walk-local', startedAt: '2026-11-10T14:00:00.000Z' };
    expect(pickRecording(stateWith(old, nearlyEmpty), 'runbook.yml').recording.id).toBe(nearlyEmpty.id);
    // Asked for by id, that one.
    expect(pickRecording(dir, 'runbook.yml', nearlyEmpty.id.slice(0, 16)).recording.id).toBe(nearlyEmpty.id);
  });

  it("reports only runs of this runbook: another show's newer, fuller run in the same state dir is not this one's", () => {
    const other = { ...full, id: '2026-11-20T17-00-00.000Z-walk-local', startedAt: '2026-11-20T17:00:00.000Z', runbook: { title: 'Coffee', file: 'examples/coffee-shop/runbook.yml' } };
    const dir = stateWith(other, nearlyEmpty);
    expect(pickRecording(dir, 'runbook.yml').recording.id).toBe(nearlyEmpty.id);
    expect(pickRecording(dir, 'examples/coffee-shop/runbook.yml').recording.id).toBe(other.id);
    expect(() => pickRecording(stateWith(other), 'runbook.yml')).toThrow(/no valid recording of runbook\.yml/);
  });

  it("keeps a step's successful measurement when a later re-run was cancelled, and counts steps as the show does", () => {
    const report = renderReport(full, runbook);
    expect(report).toContain(`5 of the ${runbook.steps.length} steps recorded (2 run no SQL)`);
    expect(report).toMatch(/\(scale-1000x\): \*\*15 s\*\*/);
    expect(report).toContain('Run again later: cancelled at 2026-11-20');
    expect(report).not.toMatch(/- 'One SQL script[^']*' \(scale-1000x\): cancelled/);
  });

  it('words the report for the run: its params, its engine, figures at their scale', () => {
    const report = renderReport(full, runbook);
    expect(report).toMatch(/^# Pharmacy2U: 100K to 1M patients with one SQL script — run report$/m);
    expect(report).toContain("'One SQL script — 10x the data' (scale-1000x)");
    expect(report).toContain('| Feature | recorded 2026-11-20 14:00 on DuckDB | Microsoft Fabric | Traditional DB |');
    expect(report).toContain("Scale: our figures 1,000,000 patients; the others' claims 100,000,000 patients.");
    expect(report).toMatch(/Load time — rows per second, each at its own scale; longer is better: recorded .* 401K rows\/s \(15 s for 1,000,000 patients\)/);
    expect(report).toContain('demo restore --engine local');
    // (The step's id, scale-1000x, is a name, not a claim.)
    for (const untrue of ['100 million', '1000x', '{{']) expect(report.replaceAll('(scale-1000x)', '')).not.toContain(untrue);
  });
});

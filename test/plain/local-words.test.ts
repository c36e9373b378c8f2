/**
 * Every word true for the engine and multiplier in use: the whole show on the local engine at its
 * multiplier of 10, printed as plain text, makes no claim of 100 million or 1000x, heads no column
 * Snowflake, and says the scale of the claims it quotes.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../local/helpers.js';

const BIN = path.resolve('dist/cli/main.js');
let state: ReturnType<typeof tempDir>;
let run: { code: number; stdout: string; stderr: string };

beforeAll(async () => {
  state = tempDir();
  run = await new Promise((resolve) =>
    execFile(process.execPath, [BIN, '--engine', 'local', '--yes'], { env: { PATH: process.env.PATH, CI: 'true', DEMO_STATE_DIR: state.dir }, maxBuffer: 1 << 24 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    ),
  );
}, 300_000);

afterAll(() => state?.remove());

describe('the plain show on the local engine, multiplier 10', () => {
  it('runs every step', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('All 13 steps done.');
  });

  it('claims nothing of the 1000x show, and heads no column Snowflake', () => {
    for (const untrue of [/100 million/i, /\b100M\b/, /1,?000x/i, /half a billion/i, /Snowflake \(/, /It took us 20 minutes/]) expect(run.stdout).not.toMatch(untrue);
    expect(run.stdout).toMatch(/^Pharmacy2U: 100K to 1M patients with one SQL script {2}\[LOCAL · DUCKDB\]$/m);
    expect(run.stdout).toMatch(/── Step 6\/13 · One SQL script — 10x the data/);
    expect(run.stdout).toMatch(/── Step 8\/13 · 1 million patients/);
  });

  it('says the measured time, and the scale of the claims it sets beside it', () => {
    const comparison = run.stdout.split(/\n(?=── )/).find((block) => block.includes('How that compares'))!;
    expect(comparison).toMatch(/• Scaling to 1 million patients took [\d.]+ m?s\./);
    expect(comparison).toContain("Scale: our figures 1,000,000 patients; the others' claims 100,000,000 patients.");
    expect(comparison).toMatch(/^ +DuckDB on this machine +Microsoft Fabric +Traditional DB$/m);
    expect(comparison).toContain('no credits: measured on DuckDB');
    expect(comparison).toContain('Cost during idle            not measured on this engine');
    expect(comparison).toMatch(/DuckDB on this machine: [\d.]+[KM]? rows\/s \([\d.]+ m?s for 1,000,000 patients\), measured/);
    expect(comparison).toMatch(/Microsoft Fabric: 27\.8K–41\.7K rows\/s \(“4-6 hours” claimed for 100,000,000 patients\)/);
  });
});

/**
 * The local engine's share of the machine: DuckDB's memory_limit and threads from the defaults, the
 * runbook's `local:` and the flags, in that order of precedence; what does not fit spills to the
 * state dir, owner-only, with DuckDB's external access still off.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalEngine } from '../../src/engine/local/index.js';
import { memoryMb, resolveResources } from '../../src/engine/local/resources.js';
import type { Engine } from '../../src/engine/types.js';
import { loadRunbook } from '../../src/runbook/load.js';
import { MINIMAL, scratch } from '../helpers.js';
import { tempDir } from './helpers.js';

const GiB = 1024 ** 3;
const BIN = path.resolve('dist/cli/main.js');

describe('how much of the machine the local engine takes', () => {
  it('by default leaves room for the projector: a quarter of the memory, at most 512 MB, and every core but one', () => {
    expect(resolveResources(undefined, undefined, { totalBytes: 16 * GiB, cores: 8 })).toMatchObject({ memoryMb: 512, threads: 7, from: { memory: 'default', threads: 'default' } });
    expect(resolveResources(undefined, undefined, { totalBytes: 1 * GiB, cores: 1 })).toMatchObject({ memoryMb: 256, threads: 1 });
  });

  it('takes the runbook over the defaults, and the flags over both', () => {
    const machine = { totalBytes: 16 * GiB, cores: 8 };
    expect(resolveResources({ memoryLimit: '25%', threads: 2 }, undefined, machine)).toMatchObject({ memoryMb: 4096, threads: 2, from: { memory: 'runbook', threads: 'runbook' } });
    expect(resolveResources({ memoryLimit: '25%', threads: 2 }, { memoryLimit: '1GiB' }, machine)).toMatchObject({ memoryMb: 1024, threads: 2, from: { memory: 'flag', threads: 'runbook' } });
    expect(resolveResources({ threads: 2 }, { threads: 6 }, machine)).toMatchObject({ threads: 6, from: { threads: 'flag' } });
  });

  it('reads sizes as DuckDB does: GB in thousands, GiB in 1024s, % of this machine', () => {
    expect(memoryMb('512MiB')).toBe(512);
    expect(memoryMb('1.5GiB')).toBe(1536);
    expect(memoryMb('2GB')).toBe(1907);
    expect(memoryMb('50%', 8 * GiB)).toBe(4096);
    expect(memoryMb('2 gigs')).toBeUndefined();
  });

  it('sets them on DuckDB, and a statement larger than the memory spills to the state dir and finishes', async () => {
    const state = tempDir();
    const dir = scratch({ 'runbook.yml': MINIMAL.replace('params:', 'local: { memory_limit: 64MiB, threads: 1 }\nparams:'), 'sql/counts.sql': 'SELECT 1 AS N;\n' });
    const runbook = loadRunbook(path.join(dir, 'runbook.yml'));
    const engine: Engine = await createLocalEngine({ runbook, stateDir: state.dir, local: { threads: 2 } });
    const signal = new AbortController().signal;
    const run = (sql: string) => engine.run({ sql, stepId: 't', index: 0, count: 1, allows: 'changes' }, { signal, maxRows: 5 });
    try {
      const settings = await run("SELECT current_setting('memory_limit') AS M, current_setting('threads') AS T, current_setting('temp_directory') AS D");
      expect(settings.rows[0]).toEqual(['64.0 MiB', 2, path.join(state.dir, 'tmp')]);
      expect(statSync(path.join(state.dir, 'tmp')).mode & 0o777).toBe(0o700);
      await run('CREATE DATABASE IF NOT EXISTS BIG');
      await run('CREATE SCHEMA IF NOT EXISTS BIG.S');
      // About 200 MB to sort: four times the limit.
      const sorted = await run('CREATE OR REPLACE TABLE BIG.S.T AS SELECT range AS ID, md5(CAST(range AS VARCHAR)) AS H FROM range(3000000) ORDER BY H');
      expect(sorted.rows[0]![0]).toMatch(/3,000,000 rows/);
      // Spilling needs no external access: reading a file outside the folder is still refused.
      await expect(run("SELECT * FROM read_text('/etc/hostname')")).rejects.toThrow();
    } finally {
      await engine.close();
      state.remove();
    }
  });

  it('refuses flags that are not a size or a number of threads, before anything runs', () => {
    const bad = spawnSync(process.execPath, [BIN, '--engine', 'local', '--memory-limit', '2'], { encoding: 'utf8', env: { PATH: process.env.PATH, CI: 'true' } });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--memory-limit 2: expected a size such as 2GB or 512MiB');
    const none = spawnSync(process.execPath, [BIN, '--engine', 'local', '--threads', '0'], { encoding: 'utf8', env: { PATH: process.env.PATH, CI: 'true' } });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('--threads 0: expected a whole number of threads');
    expect(execFileSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' })).toMatch(/--memory-limit SIZE[\s\S]*--threads N/);
  });
});

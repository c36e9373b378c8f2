import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunbookCached } from '../../src/runbook/cache.js';
import { COUNTS_SQL, MINIMAL, scratch } from '../helpers.js';

describe('the runbook cache', () => {
  it('gives the same runbook as a fresh load, and sees every change to the runbook or its SQL', async () => {
    const dir = scratch({ 'runbook.yml': MINIMAL, 'sql/counts.sql': COUNTS_SQL });
    const file = path.join(dir, 'runbook.yml');
    const cache = path.join(dir, '.demo/cache');
    const fresh = await loadRunbookCached(file, ['local'], cache);
    const cached = await loadRunbookCached(file, ['local'], cache);
    expect(cached).toEqual(JSON.parse(JSON.stringify(fresh)));

    writeFileSync(path.join(dir, 'sql/counts.sql'), 'SELECT 2 AS N;');
    expect((await loadRunbookCached(file, ['local'], cache)).steps[0]!.queries[0]!.sql.snowflake.text).toBe('SELECT 2 AS N;');

    // A DuckDB twin that appears later is picked up.
    mkdirSync(path.join(dir, 'sql/duckdb'), { recursive: true });
    writeFileSync(path.join(dir, 'sql/duckdb/counts.sql'), 'SELECT 3 AS N;');
    expect((await loadRunbookCached(file, ['local'], cache)).steps[0]!.queries[0]!.sql.local?.text).toBe('SELECT 3 AS N;');

    writeFileSync(file, MINIMAL.replace('title: Test show', 'title: Renamed show'));
    expect((await loadRunbookCached(file, ['local'], cache)).title).toBe('Renamed show');
  });

  it('still reports errors in an invalid runbook', async () => {
    const dir = scratch({ 'runbook.yml': MINIMAL, 'sql/counts.sql': 'SELECT {{ nope }}' });
    await expect(loadRunbookCached(path.join(dir, 'runbook.yml'), ['local'], path.join(dir, 'cache'))).rejects.toThrow(/unknown param 'nope'/);
  });
});

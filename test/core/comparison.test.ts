/**
 * The comparison names the engine behind every figure, estimates credits only from Snowflake's
 * timings, and never sets a figure measured at one scale against a claim made at another unsaid.
 */
import { describe, expect, it } from 'vitest';
import { comparisonView } from '../../src/core/comparison.js';
import type { StepOutcome } from '../../src/core/runner.js';
import type { ResultOrigin, ResultSource } from '../../src/engine/types.js';
import type { Comparison } from '../../src/runbook/schema.js';

const comparison: Comparison = {
  competitors: ['Fabric'],
  claims_at: { multiplier: 1000 },
  scale: '{{ 100000 * multiplier }} patients',
  rows: [
    { feature: 'Load time', measure: 'step-time', from: 'scale', work: '600000 * multiplier', others: { Fabric: { value: '4-6 hours', source: 'seed document' } } },
    { feature: 'Query performance', measure: 'median-benchmark', from: 'bench', others: { Fabric: { value: 'Minutes' } } },
    { feature: 'Compute', measure: 'credits-estimate', from: 'scale', others: { Fabric: { value: 'n/a' } } },
  ],
};

function outcome(source: ResultSource, elapsedMs: number, origin?: ResultOrigin, warehouseSize?: string): StepOutcome {
  const result = { columns: [], rows: [], rowCount: 0, truncated: false, elapsedMs, source, origin, server: warehouseSize ? { warehouseSize } : undefined };
  return { status: 'done', elapsedMs, notices: [], queries: [{ result, expectations: [] }] };
}

describe('the comparison', () => {
  it('on the local engine: headed DuckDB on this machine, no credits, both scales said, load time in rows/s', () => {
    const view = comparisonView(comparison, { scale: outcome('local', 15_000), bench: outcome('local', 400) }, { multiplier: 10, scale_size: 'LARGE' }, 'local');
    expect(view.oursTitle).toBe('DuckDB on this machine');
    expect(view.cells[2]).toMatchObject({ kind: 'missing', text: 'no credits: measured on DuckDB' });
    expect(view.scale).toEqual({ ours: '1,000,000 patients', claims: '100,000,000 patients' });
    const [bar] = view.bars;
    expect(bar).toMatchObject({ unit: 'rate', title: 'Load time — rows per second, each at its own scale; longer is better' });
    // 6,000,000 rows in 15 s; 600,000,000 rows in 4 to 6 hours.
    expect(bar!.ours.value).toBe(400_000);
    expect(bar!.ours.text).toBe('400K rows/s (15 s for 1,000,000 patients)');
    expect(bar!.claims[0]).toMatchObject({ low: 600_000_000 / (6 * 3600), high: 600_000_000 / (4 * 3600) });
    expect(bar!.claims[0]!.text).toBe('27.8K–41.7K rows/s (“4-6 hours” claimed for 100,000,000 patients)');
  });

  it('without a declared amount of work, a figure at another scale is not drawn against the claim', () => {
    const noWork = { ...comparison, rows: comparison.rows.map(({ work: _work, ...row }) => row) };
    const view = comparisonView(noWork, { scale: outcome('local', 15_000) }, { multiplier: 10 }, 'local');
    expect(view.bars).toEqual([]);
    expect(view.notDrawn).toEqual(['Load time: measured at 1,000,000 patients, claimed at 100,000,000 patients; not drawn side by side']);
  });

  it('at the scale the claims were made at: times side by side, shorter is better', () => {
    const view = comparisonView(comparison, { scale: outcome('live', 1_182_000, undefined, 'LARGE') }, { multiplier: 1000, scale_size: 'LARGE' }, 'snowflake');
    expect(view.scale).toBeUndefined();
    expect(view.oursTitle).toBe('Snowflake LARGE');
    expect(view.bars[0]).toMatchObject({ unit: 'time', ours: { value: 1_182_000, text: '19 m 42 s' } });
    expect(view.cells[2]).toMatchObject({ kind: 'estimate', text: '≈ 2.63 credits (estimate: LARGE × 19 m 42 s)' });
  });

  it('in a rehearsal: names the recording (engine, date) and judges its scale by the params it was recorded at', () => {
    const recorded: ResultOrigin = { engine: 'local', recordedAt: '2026-11-20T14:03:00', params: { multiplier: 2 } };
    const view = comparisonView(comparison, { scale: outcome('rehearsal', 8000, recorded) }, { multiplier: 1000, scale_size: 'LARGE' }, 'rehearsal');
    expect(view.oursTitle).toBe('recorded 2026-11-20 14:03 on DuckDB');
    // A DuckDB time replayed in a rehearsal makes no credit estimate, whatever the runbook's size.
    expect(view.cells[2]).toMatchObject({ kind: 'missing', text: 'no credits: measured on DuckDB' });
    expect(view.scale).toEqual({ ours: '200,000 patients', claims: '100,000,000 patients' });
    expect(view.cells[0]).toMatchObject({ source: 'REHEARSAL' });
    expect(view.bars[0]).toMatchObject({ label: 'recorded 2026-11-20 14:03 on DuckDB', ours: { text: '150K rows/s (8.0 s for 200,000 patients)' } });
  });

  it("a recorded Snowflake run's credits come only from the size Snowflake reported", () => {
    const recorded: ResultOrigin = { engine: 'snowflake', recordedAt: '2026-11-20T14:03:00', params: { multiplier: 1000 } };
    const unsized = comparisonView(comparison, { scale: outcome('rehearsal', 1_182_000, recorded) }, { multiplier: 1000, scale_size: 'LARGE' }, 'rehearsal');
    expect(unsized.cells[2]).toMatchObject({ kind: 'missing', text: 'no estimate (warehouse size unknown)' });
    const sized = comparisonView(comparison, { scale: outcome('rehearsal', 1_182_000, { ...recorded, warehouseSize: 'MEDIUM' }) }, { multiplier: 1000 }, 'rehearsal');
    expect(sized.oursTitle).toBe('recorded 2026-11-20 14:03 on Snowflake MEDIUM');
    expect(sized.cells[2]).toMatchObject({ kind: 'estimate', text: '≈ 1.31 credits (estimate: MEDIUM × 19 m 42 s)' });
  });

  it("a mock says it is one, and makes no estimate", () => {
    const view = comparisonView(comparison, { scale: outcome('rehearsal', 1_182_000, { engine: 'mock' }) }, { multiplier: 1000, scale_size: 'LARGE' }, 'rehearsal');
    expect(view.oursTitle).toBe('mock');
    expect(view.cells[2]).toMatchObject({ kind: 'missing', text: 'no credits: measured on a mock' });
  });

  it('figures from different engines each say where they came from', () => {
    const recorded: ResultOrigin = { engine: 'snowflake', recordedAt: '2026-11-20T14:03:00', params: { multiplier: 10 } };
    const view = comparisonView(comparison, { scale: outcome('rehearsal', 8000, recorded), bench: outcome('rehearsal', 300, { engine: 'mock' }) }, { multiplier: 10 }, 'rehearsal');
    expect(view.oursTitle).toBe('several sources (each figure says which)');
    expect(view.cells[0]!.text).toBe('8.0 s (recorded 2026-11-20 14:03 on Snowflake)');
    expect(view.cells[1]!.text).toBe('300 ms median (mock)');
  });
});

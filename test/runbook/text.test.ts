/**
 * The words on screen: titles, talk, changes, comparison labels and fixes take params, products of
 * params, this run's measured times and the command that works on this engine; a name the runbook
 * does not know is a validation error where it is written.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatWords } from '../../src/format/numbers.js';
import { RunbookError } from '../../src/runbook/errors.js';
import { loadRunbook } from '../../src/runbook/load.js';
import { resolveParams } from '../../src/runbook/params.js';
import { commandFlags, renderRunbookText, renderText } from '../../src/runbook/text.js';
import { COUNTS_SQL, MINIMAL, scratch } from '../helpers.js';

function load(text: string) {
  const dir = scratch({ 'runbook.yml': text, 'sql/counts.sql': COUNTS_SQL });
  return loadRunbook(path.join(dir, 'runbook.yml'));
}

function issuesOf(text: string): string[] {
  try {
    load(text);
  } catch (error) {
    if (error instanceof RunbookError) return error.issues.map((i) => `${path.basename(i.file)}:${i.line}:${i.column}: ${i.path ?? ''}: ${i.message}`);
    throw error;
  }
  return [];
}

describe('text placeholders', () => {
  const params = { multiplier: 10, db: 'BRONZE' };

  it('fill in params, products of params, and say big numbers the way a presenter would', () => {
    const ctx = { params, engine: 'local' as const };
    expect(renderText('{{ multiplier }}x the data', ctx)).toBe('10x the data');
    expect(renderText('{{ 100000 * multiplier }} patients', ctx)).toBe('1,000,000 patients');
    expect(renderText('{{ 100000 * multiplier | short }}', ctx)).toBe('1M');
    expect(renderText('{{ 100000*multiplier|words }}', ctx)).toBe('1 million');
    expect(renderText('{{ 100_000 * multiplier * 100 | words }}', ctx)).toBe('100 million');
    expect(renderText('in {{ db }}', ctx)).toBe('in BRONZE');
    expect(formatWords(500_809_000)).toBe('501 million');
    expect(formatWords(5_008_090)).toBe('5 million');
    expect(formatWords(1_500_000)).toBe('1.5 million');
    expect(formatWords(100_000)).toBe('100,000');
  });

  it("say this run's measured time, where it came from when it is not this engine's own, or that it is not measured yet", () => {
    const base = { params, engine: 'rehearsal' as const };
    expect(renderText('It took {{ elapsed(scale) }}.', base)).toBe('It took (not measured yet).');
    expect(renderText('It took {{ elapsed(scale) }}.', { ...base, measured: () => ({ ms: 15_000 }) })).toBe('It took 15 s.');
    expect(renderText('It took {{ elapsed(scale) }}.', { ...base, measured: () => ({ ms: 1_182_000, origin: 'mock' }) })).toBe('It took 19 m 42 s (mock).');
  });

  it('name the command that works on the engine in use', () => {
    expect(renderText('Run {{ demo(restore) }}.', { params, engine: 'local' })).toBe('Run demo restore --engine local.');
    expect(renderText('Run {{ demo(restore) }}.', { params, engine: 'snowflake' })).toBe('Run demo restore.');
    expect(renderText('{{ demo(check) }}', { params, engine: 'snowflake', flags: commandFlags('snowflake', { connection: 'stage', params: ['multiplier=100'] }) })).toBe(
      'demo check -c stage --param multiplier=100',
    );
    expect(renderText('{{ demo() }}', { params, engine: 'rehearsal' })).toBe('demo --rehearse');
  });

  it('render a whole runbook for an engine: talk limited to engines shows only where it is true', () => {
    const text = MINIMAL.replace('title: Test show', 'title: "{{ 100 * multiplier | short }} patients"').replace(
      '      - "We have data."',
      '      - "We have {{ 100 * multiplier }} patients."\n      - { say: "Zero-copy clones.", engines: [snowflake] }\n      - { say: "On this laptop a clone is a full copy.", engines: [local] }',
    );
    const runbook = load(text);
    const local = renderRunbookText(runbook, { params: resolveParams(runbook.params, 'local'), engine: 'local' });
    expect(local.title).toBe('200 patients');
    expect(local.steps[0]!.talk.map((t) => t.text)).toEqual(['We have 200 patients.', 'On this laptop a clone is a full copy.', 'for effect']);
    const live = renderRunbookText(runbook, { params: resolveParams(runbook.params, 'snowflake'), engine: 'snowflake' });
    expect(live.title).toBe('1K patients');
    expect(live.steps[0]!.talk.map((t) => t.text)).toEqual(['We have 1,000 patients.', 'Zero-copy clones.', 'for effect']);
    // A rehearsal speaks the words of the run it replays; on mocks alone, the live show's.
    const rehearsal = renderRunbookText(runbook, { params: resolveParams(runbook.params, 'rehearsal'), engine: 'rehearsal' });
    expect(rehearsal.steps[0]!.talk.map((t) => t.text)).toContain('Zero-copy clones.');
    const replayingLocal = renderRunbookText(runbook, { params: resolveParams(runbook.params, 'local'), engine: 'rehearsal', speaksFor: 'local' });
    expect(replayingLocal.steps[0]!.talk.map((t) => t.text)).toEqual(local.steps[0]!.talk.map((t) => t.text));
    // The SQL is never touched.
    expect(local.steps[1]!.queries).toBe(runbook.steps[1]!.queries);
  });

  it('are validated where they are written: an unknown name is file:line:column, nothing runs', () => {
    const broken = MINIMAL.replace('title: Counts\n', 'title: "Counts at {{ multiplier * patients }}"\n')
      .replace('      - "We have data."', '      - "We have {{ multiplier | huge }} rows, {{ elapsed(nope) }}"')
      .replace('changes: [Replaces the patients table]', 'changes: ["Replaces {{ db * 2 }}"]');
    expect(issuesOf(broken)).toEqual([
      expect.stringMatching(/^runbook\.yml:7:23: steps\[0\]\.title: unknown param 'patients' \(known: multiplier, db\) in \{\{ multiplier \* patients \}\}/),
      expect.stringMatching(/^runbook\.yml:10:18: steps\[0\]\.talk\[0\]: unknown format 'huge' \(one of count, short, words\)/),
      expect.stringMatching(/^runbook\.yml:10:48: steps\[0\]\.talk\[0\]: no step 'nope' in \{\{ elapsed\(nope\) \}\}/),
      expect.stringMatching(/^runbook\.yml:\d+:\d+: steps\[1\]\.changes\[0\]: param 'db' is not an integer/),
    ]);
  });

  it('check the comparison: claims made at declared params, work as a product, from a real step', () => {
    const comparison = `
  - id: compare
    title: Compare
    comparison:
      competitors: [Other]
      claims_at: { multiplier: 1000, nope: 1 }
      scale: "{{ 100 * multiplier }} patients"
      rows:
        - feature: Load time
          measure: step-time
          from: missing-step
          work: "600 * multiplier * db"
          others: { Other: { value: "4-6 hours" } }
restore:`;
    const issues = issuesOf(MINIMAL.replace('\nrestore:', comparison));
    expect(issues).toEqual([
      expect.stringMatching(/steps\[3\]\.comparison\.claims_at\.nope: unknown param 'nope'/),
      expect.stringMatching(/steps\[3\]\.comparison\.rows\[0\]\.from: no step 'missing-step'/),
      expect.stringMatching(/steps\[3\]\.comparison\.rows\[0\]\.work: param 'db' is not an integer/),
    ]);
  });
});

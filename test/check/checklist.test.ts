/** The checklist runner: side by side when the engine says it can, one at a time otherwise. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { concurrencyOf, runChecklist } from '../../src/check/checklist.js';
import { RehearsalEngine } from '../../src/engine/rehearsal.js';
import type { Engine } from '../../src/engine/types.js';
import { loadRunbook } from '../../src/runbook/load.js';
import { resolveParams } from '../../src/runbook/params.js';
import { COUNTS_SQL, MINIMAL, scratch } from '../helpers.js';

const CHECKLIST = `checklist:
${[1, 2, 3, 4].map((i) => `  - id: check-${i}
    title: Check ${i}
    inline: SELECT ${i} AS N
    fix: "Rebuild {{ db }}."
    expect: [{ column: N, equals: ${i === 3 ? 0 : i} }]
    mock: { duration: 200ms, columns: [N], rows: [[${i}]] }`).join('\n')}
`;

function setup() {
  const dir = scratch({ 'runbook.yml': `${MINIMAL}${CHECKLIST}`, 'sql/counts.sql': COUNTS_SQL });
  return loadRunbook(path.join(dir, 'runbook.yml'));
}

/** The rehearsal engine without its concurrency: an engine that runs one statement at a time. */
function oneAtATime(engine: Engine): Engine {
  return { kind: engine.kind, connect: (s) => engine.connect(s), close: () => engine.close(), run: (r, o) => engine.run(r, o) };
}

describe('runChecklist', () => {
  const runbook = setup();
  const params = resolveParams(runbook.params, 'rehearsal');

  it('runs independent checks side by side on an engine that can, and reports each as it finishes', async () => {
    const engine = new RehearsalEngine({ speed: 1 });
    expect(concurrencyOf(engine)).toBeGreaterThan(1);
    const seen: string[] = [];
    const started = performance.now();
    const results = await runChecklist({ runbook, engine, params, signal: new AbortController().signal, onResult: (r) => seen.push(r.id) });
    expect(performance.now() - started).toBeLessThan(700);
    expect(results.map((r) => r.id)).toEqual(['check-1', 'check-2', 'check-3', 'check-4']);
    expect(seen.sort()).toEqual(['check-1', 'check-2', 'check-3', 'check-4']);
    expect(results.map((r) => r.status)).toEqual(['pass', 'pass', 'fail', 'pass']);
    // The fix names the param's value, not its placeholder.
    expect(results[2]).toMatchObject({ message: expect.stringMatching(/N: expected 0, got 3/), fix: 'Rebuild BRONZE.' });
  });

  it('runs them one at a time on an engine that does not say it can', async () => {
    const engine = oneAtATime(new RehearsalEngine({ speed: 1 }));
    expect(concurrencyOf(engine)).toBe(1);
    const started = performance.now();
    await runChecklist({ runbook, engine, params, signal: new AbortController().signal });
    expect(performance.now() - started).toBeGreaterThanOrEqual(790);
  });

  it('fails the first check with the connection error and skips the rest when the engine cannot connect', async () => {
    const engine: Engine = { ...oneAtATime(new RehearsalEngine()), connect: async () => Promise.reject(Object.assign(new Error('login refused'), { hint: 'check the password' })) };
    const results = await runChecklist({ runbook, engine, params, signal: new AbortController().signal });
    expect(results[0]).toMatchObject({ status: 'fail', message: 'could not connect: login refused', fix: 'Rebuild BRONZE. (check the password)' });
    expect(results.slice(1).map((r) => r.status)).toEqual(['skip', 'skip', 'skip']);
  });
});

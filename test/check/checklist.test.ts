/** The checklist runner: side by side when the engine says it can, one at a time otherwise. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { concurrencyOf, runChecklist } from '../../src/check/checklist.js';
import { RehearsalEngine } from '../../src/engine/rehearsal.js';
import { summaryLine } from '../../src/check/output.js';
import { EngineError, type Engine } from '../../src/engine/types.js';
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

  it('fails the first check with the connection error, after the time it really took, and reports the rest at once as not run', async () => {
    const engine: Engine = {
      ...oneAtATime(new RehearsalEngine()),
      connect: () => new Promise((_, reject) => setTimeout(() => reject(Object.assign(new Error('login refused'), { hint: 'check the password' })), 300)),
    };
    const seen: string[] = [];
    const results = await runChecklist({
      runbook,
      engine,
      params,
      signal: new AbortController().signal,
      // While the connection is made the first check is shown running: the list never sits still.
      onStart: (item) => seen.push(`start ${item.id}`),
      onResult: (r) => seen.push(r.id),
    });
    expect(results[0]).toMatchObject({ status: 'fail', message: 'could not connect: login refused', fix: 'Rebuild BRONZE. (check the password)' });
    expect(results[0]!.elapsedMs).toBeGreaterThanOrEqual(290);
    expect(results.slice(1)).toEqual(
      ['check-2', 'check-3', 'check-4'].map((id) => expect.objectContaining({ id, status: 'skip', notRun: 'connection', message: 'not run: no connection' })),
    );
    expect(seen).toEqual(['start check-1', 'check-1', 'check-2', 'check-3', 'check-4']);
    expect(summaryLine(results)).toBe('1 of 4 checks failed: check-1 (3 not run: the connection failed).');
  });

  it('once a check fails because of the connection, the checks not yet run are reported at once as not run because of it', async () => {
    const rehearsal = new RehearsalEngine({ speed: 1 });
    let calls = 0;
    const engine: Engine = {
      ...oneAtATime(rehearsal),
      run: async (request, options) => {
        if (++calls === 2) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          throw new EngineError('Snowflake did not answer the request to run the statement within 15 s', { code: 'SUBMIT_TIMEOUT', connectionFault: true });
        }
        return rehearsal.run(request, options);
      },
    };
    const started = performance.now();
    const results = await runChecklist({ runbook, engine, params, signal: new AbortController().signal });
    expect(calls).toBe(2);
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(results.map((r) => r.status)).toEqual(['pass', 'fail', 'skip', 'skip']);
    // The failed check took the time the statement did not answer in, not 0 ms.
    expect(results[1]!.elapsedMs).toBeGreaterThanOrEqual(240);
    expect(results.slice(2).map((r) => r.message)).toEqual(["not run: the connection failed during 'check-2'", "not run: the connection failed during 'check-2'"]);
    expect(summaryLine(results)).toBe('1 of 4 checks failed: check-2 (2 not run: the connection failed).');
  });

  it('{{ connection }} in a fix names where the connection is configured', async () => {
    const fixed = loadRunbook(path.join(scratch({
      'runbook.yml': `${MINIMAL}checklist:\n  - id: conn\n    title: Connection\n    inline: SELECT 0 AS N\n    fix: "Check {{ connection }}."\n    expect: [{ column: N, equals: 1 }]\n    mock: { duration: 0s, columns: [N], rows: [[0]] }\n`,
      'sql/counts.sql': COUNTS_SQL,
    }), 'runbook.yml'));
    const engine: Engine = { ...oneAtATime(new RehearsalEngine()), source: "connection 'demo' in /home/me/.snowflake/connections.toml" };
    const [result] = await runChecklist({ runbook: fixed, engine, params, signal: new AbortController().signal });
    expect(result!.fix).toBe("Check connection 'demo' in /home/me/.snowflake/connections.toml.");
  });
});

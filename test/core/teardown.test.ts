/**
 * The runbook's teardown through ShowSession, as the TUI drives it: after a failed or cancelled
 * step, once when the show ends, on an engine that connected and never in rehearsal, never twice in
 * a row for nothing, bounded, and a failure is a note, not a crash.
 */
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ShowSession } from '../../src/core/session.js';
import { TEARDOWN_ON_EXIT_TIMEOUT_MS } from '../../src/core/teardown.js';
import { RehearsalEngine } from '../../src/engine/rehearsal.js';
import { CancelledError, EngineError, type Engine, type EngineKind, type RunOptions, type StatementRequest, type StatementResult } from '../../src/engine/types.js';
import { loadRunbook } from '../../src/runbook/load.js';
import { readRecording, listRecordings } from '../../src/record/store.js';
import { RunbookError } from '../../src/runbook/errors.js';
import { resolveParams } from '../../src/runbook/params.js';
import { COUNTS_SQL, MINIMAL, scratch } from '../helpers.js';

const TEARDOWN_SQL = 'USE WAREHOUSE WH;\nALTER WAREHOUSE WH SET WAREHOUSE_SIZE = XSMALL;\n';

function show(teardown = 'teardown: sql/teardown.sql\n') {
  const dir = scratch({ 'runbook.yml': `${MINIMAL}${teardown}`, 'sql/counts.sql': COUNTS_SQL, 'sql/teardown.sql': TEARDOWN_SQL });
  return { runbook: loadRunbook(path.join(dir, 'runbook.yml')), stateDir: path.join(dir, '.demo') };
}

type Behaviour = 'answer' | 'fail' | 'hang';

/** Records every statement; answers, fails or hangs (until aborted, or for ever) by the SQL. */
class ScriptedEngine implements Engine {
  readonly sent: string[] = [];
  closed = false;
  constructor(
    readonly kind: EngineKind = 'local',
    private readonly behaviour: (sql: string) => Behaviour = () => 'answer',
    private readonly connects = true,
  ) {}
  async connect(): Promise<void> {
    if (!this.connects) throw new EngineError('host unreachable');
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  run(request: StatementRequest, options: RunOptions): Promise<StatementResult> {
    this.sent.push(request.sql);
    const behaviour = this.behaviour(request.sql);
    if (behaviour === 'fail') return Promise.reject(new EngineError('Object does not exist or not authorized.', { code: '002003' }));
    if (behaviour === 'hang') {
      // A dead network: not even the abort is answered.
      return new Promise<never>(() => undefined);
    }
    if (options.signal.aborted) return Promise.reject(new CancelledError());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve({ columns: [{ name: 'N', type: 'number' }], rows: [[1]], rowCount: 1, truncated: false, elapsedMs: 5, source: 'local' }), 5);
      options.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new CancelledError());
      });
    });
  }
  teardowns(): number {
    return this.sent.filter((sql) => /ALTER WAREHOUSE WH SET WAREHOUSE_SIZE = XSMALL/.test(sql)).length;
  }
}

function session(engine: Engine, teardown?: string) {
  const { runbook, stateDir } = show(teardown);
  return { session: new ShowSession(engine, resolveParams(runbook.params, engine.kind), { runbook, stateDir }), runbook, stateDir };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("the runbook's teardown key", () => {
  it('takes a SQL file like sql:, or inline SQL, with its DuckDB twin, and renders its placeholders', () => {
    expect(show().runbook.teardown!.sql.snowflake.text).toBe(TEARDOWN_SQL);
    const inline = show('teardown: { inline: "ALTER WAREHOUSE {{db}} SET WAREHOUSE_SIZE = XSMALL" }\n').runbook.teardown!;
    expect(inline.sql.snowflake).toMatchObject({ text: 'ALTER WAREHOUSE {{db}} SET WAREHOUSE_SIZE = XSMALL', line: expect.any(Number) });
    const real = loadRunbook(path.resolve(import.meta.dirname, '../../runbook.yml'));
    expect(real.teardown!.sql.snowflake.file).toBe(path.join('sql', 'maintenance', 'warehouse_base_size.sql'));
  });

  it('is checked like any SQL: a missing file or an unknown placeholder says where, and nothing runs', () => {
    const problems = (teardown: string) => {
      try {
        show(teardown);
      } catch (error) {
        return (error as RunbookError).issues.map((i) => `${path.basename(i.file)}:${i.line}: ${i.message}`);
      }
      return [];
    };
    expect(problems('teardown: sql/missing.sql\n')).toEqual([expect.stringMatching(/^runbook\.yml:\d+: SQL file not found: .*missing\.sql$/)]);
    expect(problems('teardown: { inline: "ALTER WAREHOUSE {{ nope }} SUSPEND" }\n')).toEqual([expect.stringMatching(/unknown param 'nope'/)]);
    expect(problems('teardown: { sql: sql/teardown.sql, inline: "SELECT 1" }\n')).toEqual([expect.stringMatching(/either 'sql' .* or 'inline'/)]);
  });
});

describe('the teardown', () => {
  it('runs after a failed step, says so on the step and in the recording, and not again at quit for nothing', async () => {
    const engine = new ScriptedEngine('local', (sql) => (/COUNT\(\*\)/.test(sql) ? 'fail' : 'answer'));
    const { session: s, runbook, stateDir } = session(engine);
    const outcome = await s.run(runbook.steps[0]!, () => undefined);
    expect(outcome.status).toBe('failed');
    expect(engine.teardowns()).toBe(1);
    expect(outcome.notices).toContainEqual(expect.stringMatching(/^teardown \S*sql\/teardown\.sql ran after 'counts' had failed: done in /));
    await s.close();
    expect(engine.teardowns()).toBe(1);
    expect(engine.closed).toBe(true);
    const recording = readRecording(listRecordings(stateDir)[0]!.file)!;
    expect(recording.entries.map((e) => [e.stepId, e.status])).toEqual([['teardown', 'done'], ['counts', 'failed']]);
    expect(recording.entries[1]!.notices.join(' ')).toMatch(/teardown .* ran after 'counts' had failed/);
  });

  it('runs after a cancelled step, though the show\'s own signal is aborted', async () => {
    // Statements answer after 5 ms unless cancelled first: the cancel lands while the step runs.
    const engine = new ScriptedEngine();
    const { session: s, runbook } = session(engine);
    let cancelled = false;
    const outcome = await s.run(runbook.steps[1]!, (event) => {
      // Once a statement is under way (a cancel before anything ran has nothing to undo).
      if (event.type === 'statement' && !cancelled) {
        cancelled = true;
        s.cancel();
      }
    });
    expect(outcome.status).toBe('cancelled');
    expect(engine.teardowns()).toBe(1);
    expect(outcome.notices.join(' ')).toMatch(/teardown \S*sql\/teardown\.sql ran after 'scale' was cancelled/);
  });

  it('runs once when the show ends after steps that succeeded, and never twice in a row for nothing', async () => {
    const engine = new ScriptedEngine();
    const { session: s, runbook } = session(engine);
    expect((await s.run(runbook.steps[1]!, () => undefined)).status).toBe('done');
    expect(engine.teardowns()).toBe(0);
    await s.close();
    expect(engine.teardowns()).toBe(1);
    expect(s.closingNote).toMatch(/^teardown \S*sql\/teardown\.sql ran when the show ended: done in /);
    await s.close();
    expect(engine.teardowns()).toBe(1);
  });

  it('does not run when nothing ran, when the engine never connected, or without a teardown in the runbook', async () => {
    const idle = new ScriptedEngine();
    await session(idle).session.close();
    const unreachable = new ScriptedEngine('snowflake', () => 'answer', false);
    const { session: offline, runbook } = session(unreachable);
    expect((await offline.run(runbook.steps[0]!, () => undefined)).error?.message).toMatch(/could not connect/);
    await offline.close();
    const failing = new ScriptedEngine('local', () => 'fail');
    const { session: without } = session(failing, '');
    const outcome = await without.run(runbook.steps[0]!, () => undefined);
    await without.close();
    expect([idle, unreachable, failing].map((e) => e.teardowns())).toEqual([0, 0, 0]);
    expect(outcome.notices.join(' ')).not.toMatch(/teardown/);
  });

  it('never runs in rehearsal', async () => {
    const { runbook, stateDir } = show();
    const rehearsal = new ShowSession(new RehearsalEngine(), resolveParams(runbook.params, 'rehearsal'), { runbook, stateDir });
    const outcome = await rehearsal.run(runbook.steps[1]!, () => undefined);
    expect(outcome.status).toBe('done');
    await rehearsal.close();
    expect(outcome.notices.join(' ')).not.toMatch(/teardown/);
    expect(rehearsal.closingNote).toBeUndefined();
  });

  it('fails as a note, never a crash: the show goes on and the engine is still closed at the end', async () => {
    const engine = new ScriptedEngine('local', (sql) => (/COUNT\(\*\)|ALTER WAREHOUSE/.test(sql) ? 'fail' : 'answer'));
    const { session: s, runbook } = session(engine);
    const outcome = await s.run(runbook.steps[0]!, () => undefined);
    expect(outcome.notices.join(' ')).toMatch(/teardown \S*sql\/teardown\.sql:2 after 'counts' had failed: FAILED: Object does not exist or not authorized\. — run \S*sql\/teardown\.sql by hand/);
    expect((await s.run(runbook.steps[1]!, () => undefined)).status).toBe('done');
    await s.close();
    expect(s.closingNote).toMatch(/when the show ended: FAILED: Object does not exist/);
    expect(engine.closed).toBe(true);
  });

  it('holds the end of the show for its own short bound at most, however silent the server', async () => {
    vi.useFakeTimers();
    const engine = new ScriptedEngine('local', (sql) => (/ALTER WAREHOUSE/.test(sql) ? 'hang' : 'answer'));
    const { session: s, runbook } = session(engine);
    const ran = s.run(runbook.steps[1]!, () => undefined);
    await vi.advanceTimersByTimeAsync(10);
    expect((await ran).status).toBe('done');
    let closed = false;
    const closing = s.close().then(() => (closed = true));
    await vi.advanceTimersByTimeAsync(TEARDOWN_ON_EXIT_TIMEOUT_MS - 100);
    expect(closed).toBe(false);
    // The watchdog, then the runner's 2 s of grace for the engine to give up.
    await vi.advanceTimersByTimeAsync(2_200);
    await closing;
    expect(s.closingNote).toMatch(/FAILED: no answer within 15 s/);
    expect(engine.closed).toBe(true);
  });
});

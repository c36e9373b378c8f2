/**
 * Every key of the one key map, pressed as a presenter would, with what it must do on screen.
 * The scenarios are keyed by action: a key added to the map without a scenario fails here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { StepOutcome } from '../../src/core/runner.js';
import { RehearsalEngine } from '../../src/engine/rehearsal.js';
import type { ConnectionState, Engine, RunOptions, StatementRequest } from '../../src/engine/types.js';
import { CONFIRM_KEYS, GLOBAL_KEYS, LIST_KEYS, OVERLAY_KEYS, SHOW_KEYS, type Action, type Binding } from '../../src/ui/keymap.js';
import { frameWhere, has, KEYS, lacks, press, sequence, setup, stageRunbook, waitFor, type Setup } from './harness.js';

let current: Setup | undefined;
afterEach(() => current?.app.unmount());


function start(options: Parameters<typeof setup>[0] = {}): Setup {
  current = setup(options);
  return current;
}

const recorded: StepOutcome = {
  status: 'done',
  elapsedMs: 900,
  notices: [],
  recordedAt: '2026-11-20T14:03:00',
  queries: [{ result: { columns: [{ name: 'N', type: 'number' }], rows: [[2]], rowCount: 1, truncated: false, elapsedMs: 900, source: 'recorded' }, expectations: [] }],
};

type Scenario = (key: string) => Promise<void>;

/** Presses each group of keys, then waits for what it must show: keys never race the screen. */
async function steps(app: Setup['app'], ...moves: Array<[keys: string[], shows: string]>): Promise<string> {
  let frame = '';
  for (const [keys, shows] of moves) {
    await press(app, ...keys);
    frame = await frameWhere(app, has(shows));
  }
  return frame;
}

/** A result of 44 rows at 80×24, run, shown from its top. */
async function longResult(): Promise<Setup['app']> {
  const { app } = start({ text: stageRunbook({ manyRows: true }), size: { columns: 80, rows: 24 } });
  await steps(app, [[KEYS.enter], '1-14/44 ↑↓']);
  return app;
}

/** A destructive step's question with 30 changes at 80×24, open at its top. */
async function longQuestion(): Promise<Setup['app']> {
  const { app } = start({ text: stageRunbook({ changes: 30 }), size: { columns: 80, rows: 24 } });
  await steps(app, [['n', 'n', KEYS.enter], '(1-13 of 35 ↑↓)']);
  return app;
}

/** The help at 80×24, open at its top. */
async function longHelp(): Promise<Setup['app']> {
  const { app } = start({ size: { columns: 80, rows: 24 } });
  await steps(app, [['?'], '(1-13 of']);
  return app;
}

/** On a step, nothing open. */
const SHOW: Partial<Record<Action, Scenario>> = {
  async next(key) {
    const { app } = start();
    await frameWhere(app, has('Step 1/7'));
    await press(app, key);
    const frame = await frameWhere(app, has('Step 2/7'));
    expect(frame).toContain('2. The architecture');
    expect(frame).toContain('Next: 3. Scale the data');
  },
  async previous(key) {
    const { app } = start();
    await press(app, 'n', 'n');
    await frameWhere(app, has('Step 3/7'));
    await press(app, key);
    await frameWhere(app, has('Step 2/7'));
  },
  async run(key) {
    const { app } = start();
    await press(app, key);
    const frame = await frameWhere(app, has('✓ done'));
    // The layer counts with separators, short form, bars and their checks, and where they came from.
    expect(frame).toMatch(/BRONZE RAW_PATIENTS\s+1,000 \(1K\)\s+█+ ✓/);
    // A rehearsal's figure says what it replays: here the runbook's mock.
    expect(frame).toMatch(/REHEARSAL · mock · 20 ms · finished \d\d:\d\d:\d\d/);
  },
  async fallback(key) {
    const { app, session } = start();
    await press(app, key);
    await frameWhere(app, has('this one has not'));
    await press(app, 'n', 'n', 'n', 'n', KEYS.enter);
    // Offered in the hints once it works.
    await frameWhere(app, has('Step 5/7', '✗ failed', 'expectation not met', 'f fallback'));
    await press(app, key);
    await frameWhere(app, has('no recording of this step yet'));
    session.recordings.broken = recorded;
    await press(app, key);
    const frame = await frameWhere(app, has('RECORDED 2026-11-20 14:03 · NOT LIVE'));
    // The failure stays on screen, and the recorded figures say they are recorded.
    expect(frame).toContain('✗ expectation not met');
    expect(frame).toMatch(/N\n\s*─+\n\s*2/);
  },
  async pageDown(key) {
    const app = await longResult();
    // A page at a time, never past the end; at the end, the next step (what a clicker's "next" sends).
    await steps(app, [[key], '14-27/44 ↑↓'], [[key, key], '31-44/44 ↑↓'], [[key], 'Step 2/7']);
  },
  async pageUp(key) {
    const app = await longResult();
    await steps(app, [[KEYS.end], '31-44/44 ↑↓'], [[key], '18-31/44 ↑↓'], [[key, key], '1-14/44 ↑↓'], [['n'], 'Step 2/7']);
    // At the top of a step, the previous step (a clicker's "back").
    await steps(app, [[key], 'Step 1/7']);
  },
  async top(key) {
    const app = await longResult();
    await steps(app, [[KEYS.end], '31-44/44 ↑↓'], [[key], '1-14/44 ↑↓']);
  },
  async bottom(key) {
    const app = await longResult();
    // Clamped: more presses past the end do not pile up, so one k scrolls back at once.
    await steps(app, [[key], '31-44/44 ↑↓'], [['j', 'j', 'j', 'k'], '30-43/44 ↑↓']);
  },
  async allRows(key) {
    const { app } = start({ text: stageRunbook({ benchRows: 20 }), size: { columns: 80, rows: 24 } });
    await press(app, 'n', 'n', 'n', KEYS.enter);
    let frame = await frameWhere(app, has('Step 4/7', '✓ done', '… 15 more rows (a shows them)'));
    expect(frame).toContain('Drug 5');
    expect(frame).not.toContain('Drug 6');
    await press(app, key, KEYS.end);
    frame = await frameWhere(app, has('Drug 20'));
    expect(frame).not.toContain('more rows');
    await press(app, key);
    await frameWhere(app, has('… 15 more rows (a shows them)'));
  },
  async blank(key) {
    const { app } = start();
    await frameWhere(app, has('Step 1/7'));
    await press(app, key);
    await frameWhere(app, (f) => f.trim() === '');
    // A dialog still shows (restore is always one key away), and the show comes back with the key.
    await press(app, 'R');
    await frameWhere(app, has('restore will:'));
    await press(app, KEYS.escape);
    await frameWhere(app, (f) => f.trim() === '');
    await press(app, key);
    await frameWhere(app, has('Step 1/7', 'We have data.'));
  },
  async talkClock(key) {
    const clock = { t: 1_000_000 };
    const { app } = start({ now: () => clock.t });
    await frameWhere(app, has('00:00 / 10:00'));
    clock.t += 65_000;
    // The first step's target is a minute: its timer says it is over.
    await frameWhere(app, has('01:05 / 10:00', '01:05 / 01:00 over'));
    await press(app, key);
    const frame = await frameWhere(app, has('00:00 / 10:00', 'talk clock started'));
    // The step's own timer starts again too.
    expect(frame).toContain('00:00 / 01:00');
    expect(frame).not.toContain('over');
  },
  async jump(key) {
    const { app } = start();
    await press(app, key);
    const frame = await frameWhere(app, has('Jump to a step'));
    expect(frame).toContain(' 7. Just talk');
    expect(frame).toContain('1. Counts per layer (here)');
  },
  async sql(key) {
    const { app } = start();
    await press(app, key);
    const frame = await frameWhere(app, has('SQL of step 1 on REHEARSAL'));
    expect(frame).toMatch(/-- 1\/1 \S*sql\/counts\.sql:2/);
    expect(frame).toContain("SELECT 'BRONZE' AS LAYER");
  },
  async scrollDown(key) {
    const app = await longResult();
    const frame = await steps(app, [[key, key], '3-16/44 ↑↓']);
    expect(frame).not.toContain('REHEARSAL · mock · 20 ms');
  },
  async scrollUp(key) {
    const app = await longResult();
    await steps(app, [[KEYS.down, KEYS.down, KEYS.down], '4-17/44 ↑↓'], [[key], '3-16/44 ↑↓']);
  },
  async help(key) {
    const { app } = start({ size: { columns: 100, rows: 50 } });
    await press(app, key);
    const frame = await frameWhere(app, has('Keys', 'In a question'));
    // Generated from the key map: every binding of every section is listed.
    for (const b of [...GLOBAL_KEYS, ...SHOW_KEYS, ...LIST_KEYS, ...CONFIRM_KEYS]) expect(frame).toContain(b.description);
  },
  async quit(key) {
    const { app, exitCode } = start();
    await press(app, key);
    await frameWhere(app, has('Quit the show?', 'Nothing is running.'));
    await press(app, 'n');
    await frameWhere(app, lacks('Quit the show?'));
    await press(app, key, 'y');
    await waitFor(() => exitCode() === 0);
  },
};

/** Anywhere, over anything. */
const GLOBAL: Partial<Record<Action, Scenario>> = {
  async cancel(key) {
    const clock = { t: 1_000_000 };
    const { app, exitCode } = start({ text: stageRunbook({ scale: '30s' }), now: () => clock.t });
    await press(app, 'n', 'n', KEYS.enter, 'y');
    await frameWhere(app, has('running', 'RUNNING'));
    await press(app, key);
    // The "cancelling…" line gives way to the news once the cancel is done; the fallback is offered.
    let frame = await frameWhere(app, has('– cancelled', '– step 3 cancelled after'));
    expect(frame).not.toContain('cancelling');
    expect(frame).toContain('f fallback');
    // A second Ctrl-C long after the first does not quit: it asks again, with its window.
    clock.t += 8000;
    await press(app, key);
    frame = await frameWhere(app, has('press Ctrl-C again within 3 s to quit'));
    expect(exitCode()).toBeUndefined();
    clock.t += 1000;
    await press(app, key);
    await waitFor(() => exitCode() === 130);
  },
  async restore(key) {
    const { app } = start({ text: stageRunbook({ scale: '30s' }) });
    await press(app, key);
    let frame = await frameWhere(app, has('Restore: Restore the base data', 'restore will:'));
    expect(frame).toContain('- table T: replace, change settings');
    expect(frame).toContain('- Clones the originals back');
    expect(frame).toMatch(/Restore from the originals[^\n]*\n[^\n]*1\/3 CREATE OR REPLACE TABLE T CLONE T_ORIGINAL/);
    await press(app, KEYS.escape);
    // Over every other dialog too.
    for (const [open, marker] of [['?', 'Anywhere'], ['s', 'SQL of'], ['g', 'Jump to a step'], ['q', 'Quit the show?']] as const) {
      await press(app, open);
      await frameWhere(app, has(marker));
      await press(app, key);
      await frameWhere(app, (f) => f.includes('restore will:') && !f.includes(marker));
      await press(app, KEYS.escape);
      await frameWhere(app, lacks('restore will:'));
    }
    // While a step runs: one yes cancels it and restores once it has really stopped.
    await press(app, 'n', 'n', KEYS.enter, 'y');
    await frameWhere(app, has('RUNNING'));
    await press(app, key);
    frame = await frameWhere(app, has('Step 3 is running: cancel it and restore?'));
    expect(frame).toContain("'Scale the data a thousand times over' is still running (statement 1/1)");
    await press(app, 'y');
    frame = await frameWhere(app, has('✓ Restored and verified'));
    expect(frame).toMatch(/Verified:[^\n]*\n[^\n]*BRONZE RAW_PATIENTS\s+1,000 \(1K\)\s+█+ ✓/);
    expect(frame).toMatch(/✓ 1\/3 CREATE OR REPLACE TABLE T CLONE T_ORIGINAL/);
    await frameWhere(app, has('3. Scale', '– cancelled'));
  },
};

/** In the jump list. */
const LIST: Partial<Record<Action, Scenario>> = {
  async scrollDown(key) {
    const { app } = start();
    await press(app, 'g', key, key, KEYS.enter);
    await frameWhere(app, has('Step 3/7'));
  },
  async scrollUp(key) {
    const { app } = start();
    await press(app, 'n', 'n', 'n', 'g', key, KEYS.enter);
    await frameWhere(app, has('Step 3/7'));
  },
  async confirm(key) {
    const { app } = start();
    await press(app, 'g', KEYS.down, key);
    await frameWhere(app, (f) => f.includes('Step 2/7') && !f.includes('Jump to a step'));
  },
  async pageDown(key) {
    const { app } = start();
    await press(app, 'g');
    await frameWhere(app, has('Jump to a step'));
    await press(app, key, KEYS.enter);
    await frameWhere(app, has('Step 7/7'));
  },
  async pageUp(key) {
    const { app } = start();
    await press(app, 'g');
    await frameWhere(app, has('Jump to a step'));
    await press(app, KEYS.end, key, KEYS.enter);
    await frameWhere(app, has('Step 1/7'));
  },
  async top(key) {
    const { app } = start();
    await press(app, 'n', 'n', 'g', key, KEYS.enter);
    await frameWhere(app, (f) => f.includes('Step 1/7') && !f.includes('Jump to a step'));
  },
  async bottom(key) {
    const { app } = start();
    await press(app, 'g', key, KEYS.enter);
    await frameWhere(app, has('Step 7/7'));
  },
  async dismiss(key) {
    const { app } = start();
    await press(app, 'g', KEYS.down);
    await frameWhere(app, has('Jump to a step'));
    await press(app, key);
    const frame = await frameWhere(app, lacks('Jump to a step'));
    expect(frame).toContain('Step 1/7');
  },
};

/** In a question: the destructive step's confirmation (with many changes, to scroll). */
const CONFIRM: Partial<Record<Action, Scenario>> = {
  async confirm(key) {
    const { app } = start();
    await press(app, 'n', 'n', KEYS.enter);
    const frame = await frameWhere(app, has("Run 'Scale the data a thousand times over'? It is destructive."));
    expect(frame).toContain('- Replaces the patients table with copies');
    // The SQL on request, not a truncated line of it.
    expect(frame).toContain('1 statement, in the background (you may move on) · s shows the SQL');
    expect(frame).not.toContain('CREATE OR REPLACE');
    await press(app, key);
    await frameWhere(app, has('3. Scale', '✓ done'));
    // Running it again asks again, and says it ran before.
    await press(app, KEYS.enter);
    await frameWhere(app, has('It has already run 1 time in this show'));
  },
  async dismiss(key) {
    const { app } = start();
    await press(app, 'n', 'n', KEYS.enter);
    await frameWhere(app, has('It is destructive'));
    await press(app, key);
    const frame = await frameWhere(app, lacks('It is destructive'));
    expect(frame).not.toContain('✓ done');
    expect(frame).toContain('enter runs this step on the REHEARSAL engine (asks first)');
  },
  async sql(key) {
    const { app } = start();
    await press(app, 'n', 'n', KEYS.enter);
    await frameWhere(app, has('s shows the SQL'));
    await press(app, key);
    const frame = await frameWhere(app, has('s hides the SQL', 'CREATE OR REPLACE TABLE T AS SELECT 1 AS X'));
    expect(frame).toMatch(/-- 1\/1 \S*runbook\.yml:\d+/);
    await press(app, key);
    await frameWhere(app, (f) => f.includes('s shows the SQL') && !f.includes('CREATE OR REPLACE'));
  },
  async scrollDown(key) {
    const frame = await steps(await longQuestion(), [[key, key], '(3-15 of 35 ↑↓)']);
    expect(frame).toContain('- Change 10');
  },
  async scrollUp(key) {
    await steps(await longQuestion(), [[KEYS.down, KEYS.down], '(3-15 of 35 ↑↓)'], [[key], '(2-14 of 35 ↑↓)']);
  },
  async pageDown(key) {
    await steps(await longQuestion(), [[key], '(13-25 of 35 ↑↓)'], [[key, key], '(23-35 of 35 ↑↓)']);
  },
  async pageUp(key) {
    await steps(await longQuestion(), [[KEYS.end, key], '(11-23 of 35 ↑↓)']);
  },
  async top(key) {
    await steps(await longQuestion(), [[KEYS.end], '(23-35 of 35 ↑↓)'], [[key], '(1-13 of 35 ↑↓)']);
  },
  async bottom(key) {
    // Clamped at the end: one k scrolls back at once.
    await steps(await longQuestion(), [[key, 'j', 'j', 'k'], '(22-34 of 35 ↑↓)']);
  },
};

/** In an overlay that only shows something: the help, at a size where it scrolls. */
const OVERLAY: Partial<Record<Action, Scenario>> = {
  async scrollDown(key) {
    await steps(await longHelp(), [[key], '(2-14 of']);
  },
  async scrollUp(key) {
    await steps(await longHelp(), [[KEYS.down, KEYS.down], '(3-15 of'], [[key], '(2-14 of']);
  },
  async pageDown(key) {
    await steps(await longHelp(), [[key], '(13-25 of']);
  },
  async pageUp(key) {
    await steps(await longHelp(), [[KEYS.pageDown, KEYS.pageDown, key], '(13-25 of']);
  },
  async top(key) {
    await steps(await longHelp(), [[KEYS.pageDown], '(13-25 of'], [[key], '(1-13 of']);
  },
  async bottom(key) {
    const app = await longHelp();
    await press(app, key);
    const frame = await frameWhere(app, (f) => /\((\d+)-(\d+) of \2 /.test(f));
    expect(frame).toContain('In a question');
  },
  async dismiss(key) {
    const { app } = start();
    for (const open of ['?', 's']) {
      await press(app, open);
      await frameWhere(app, has(open === '?' ? 'Anywhere' : 'SQL of'));
      await press(app, key);
      await frameWhere(app, (f) => !f.includes('Anywhere') && !f.includes('SQL of'));
    }
  },
};

const MAPS: Array<[string, readonly Binding[], Partial<Record<Action, Scenario>>]> = [
  ['anywhere', GLOBAL_KEYS, GLOBAL],
  ['on a step', SHOW_KEYS, SHOW],
  ['in the jump list', LIST_KEYS, LIST],
  ['in a question', CONFIRM_KEYS, CONFIRM],
  ['in help and SQL', OVERLAY_KEYS, OVERLAY],
];

for (const [where, bindings, scenarios] of MAPS) {
  describe(`keys ${where}`, () => {
    for (const binding of bindings) {
      for (const key of binding.keys) {
        it(`${key}: ${binding.description}`, async () => {
          const scenario = scenarios[binding.action];
          expect(scenario, `no scenario for '${binding.action}' ${where}`).toBeDefined();
          await scenario!(sequence(key));
        });
      }
    }
  });
}

/** An engine with a connection to make, whose state the test moves along (any engine may have one). */
function connectingEngine() {
  const rehearsal = new RehearsalEngine({ speed: 1 });
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const engine = {
    kind: 'rehearsal' as const,
    connections: 0,
    connectionState: undefined as ConnectionState | undefined,
    onConnectionState: undefined as ((state: ConnectionState) => void) | undefined,
    set(state: ConnectionState) {
      this.connectionState = state;
      this.onConnectionState?.(state);
    },
    async connect() {
      engine.connections++;
      engine.set({ status: 'connecting' });
      await released;
      engine.set({ status: 'connected', detail: 'DEMO_ROLE on DEMO_WH' });
    },
    run: (request: StatementRequest, options: RunOptions) => rehearsal.run(request, options),
    close: () => rehearsal.close(),
  } satisfies Engine & Record<string, unknown>;
  return { engine, release };
}

describe('the connection in the header', () => {
  it('connects in the background at launch: connecting, then connected as whom, then why not; the first step does not connect again', async () => {
    const { engine, release } = connectingEngine();
    const { app, session } = start({ engine });
    session.connectInBackground();
    await frameWhere(app, has('◌ connecting…'));
    release();
    await frameWhere(app, has('● connected as DEMO_ROLE on DEMO_WH'));
    await press(app, KEYS.enter);
    await frameWhere(app, has('✓ done'));
    expect(engine.connections).toBe(1);
    engine.set({ status: 'failed', reason: 'Snowflake did not answer about query 1 for 20 s' });
    await frameWhere(app, has('✗ not connected: Snowflake did not answer about query 1 for 20 s'));
  });

  it('a browser sign-in before any step puts its address on the status line', async () => {
    const { engine } = connectingEngine();
    const { app } = start({ engine });
    engine.set({ status: 'connecting', url: 'https://sso.example.com/login?x=1' });
    await frameWhere(app, has('connecting: finish the login in your browser', 'Log in in your browser: https://sso.example.com/login?x=1'));
  });
});

describe('the show on screen', () => {
  it('takes keys that arrive together in one read one by one', async () => {
    const { app } = start();
    await frameWhere(app, has('Step 1/7'));
    app.stdin.write('nng');
    await frameWhere(app, has('Step 3/7', 'Jump to a step'));
  });

  it('shows the title, the engine badge, step n of N, the talk with its pause cue and the next step', async () => {
    const { app } = start();
    const frame = await frameWhere(app, has('Step 1/7'));
    expect(frame).toContain(' REHEARSAL ');
    expect(frame).toContain('Stage test show');
    expect(frame).toContain('00:00 / 10:00');
    expect(frame).toContain('• We have data.');
    expect(frame).toContain('  PAUSE · for effect');
    expect(frame).toContain('Next: 2. The architecture');
  });

  it('hides the talking points, the timers, "over" and the key hints from the audience with --audience', async () => {
    const clock = { t: 1_000_000 };
    const { app } = start({ audience: true, now: () => clock.t, text: stageRunbook({ changes: 3 }) });
    let frame = await frameWhere(app, has('Step 1/7'));
    expect(frame).not.toContain('We have data.');
    expect(frame).not.toContain('PAUSE');
    expect(frame).toContain('1. Counts per layer');
    clock.t += 11 * 60_000;
    await press(app, KEYS.enter);
    frame = await frameWhere(app, has('✓ done'));
    for (const hidden of ['00:00', '11:00', '/ 10:00', '/ 01:00', 'over', '→ next', 'enter runs', 'R restore', '? help']) expect(frame).not.toContain(hidden);
    // A destructive step's confirmation: one line of what it changes, the SQL only on request.
    await press(app, 'n', 'n', KEYS.enter);
    frame = await frameWhere(app, has('It is destructive'));
    expect(frame).toContain('It will: Change 0; Change 1; Change 2');
    expect(frame).toContain('SQL on request');
    expect(frame).not.toContain('CREATE OR REPLACE');
  });

  it("says the engine's note (which recording a rehearsal replays) on every screen", async () => {
    const { RehearsalEngine } = await import('../../src/engine/rehearsal.js');
    const engine = new RehearsalEngine();
    Object.defineProperty(engine, 'note', { value: 'replaying live run of 2026-11-20 14:03' });
    const { app } = start({ engine });
    await frameWhere(app, has('── replaying live run of 2026-11-20 14:03 ──'));
    await press(app, '?');
    await frameWhere(app, has('Anywhere', 'replaying live run of 2026-11-20 14:03'));
  });

  it('lets the presenter move on while a long step runs, and says when it finishes', async () => {
    const { app } = start({ text: stageRunbook({ scale: '600ms' }) });
    await press(app, 'n', 'n', KEYS.enter, 'y', 'n', 'n');
    let frame = await frameWhere(app, has('Step 5/7', 'Scale the data'));
    expect(frame).toMatch(/⠋|⠙|⠹|⠸|⠼|⠴|⠦|⠧|⠇|⠏/);
    expect(frame).toContain('no estimate');
    // Another step cannot start meanwhile: the engine has one connection.
    await press(app, KEYS.enter);
    await frameWhere(app, has('step 3 is still running: wait for it, or Ctrl-C to cancel it'));
    frame = await frameWhere(app, has('✓ step 3 done after'), 3000);
    expect(frame).toMatch(/done after \d+ ms: Scale the data a thousand times over/);
  });

  it("shows elapsed against the last recorded run's time as a bar with an ETA", async () => {
    const { app, session } = start({ text: stageRunbook({ scale: '30s' }), size: { columns: 120, rows: 30 } });
    session.expected.scale = 60_000;
    await press(app, 'n', 'n', KEYS.enter, 'y');
    const frame = await frameWhere(app, has('of 1 m (last run) · ETA'));
    expect(frame).toMatch(/▕█?░+▏/);
  });

  it('measures the comparison from this run, and says so when it has not', async () => {
    const { app } = start({ size: { columns: 120, rows: 40 } });
    await press(app, 'n', 'n', 'n', 'n', 'n');
    let frame = await frameWhere(app, has('Step 6/7'));
    expect(frame).toContain('not measured yet (run step 3)');
    expect(frame).toContain('“4-6 hours” [1]');
    expect(frame).toContain('[1] source: vendor estimate');
    expect(frame).toContain('[2] source: seed document');
    expect(frame).toContain('“1 SQL script”');
    await press(app, 'g', KEYS.up, KEYS.up, KEYS.up, KEYS.enter, KEYS.enter, 'y');
    await frameWhere(app, has('Step 3/7', '✓ done'));
    await press(app, 'g', KEYS.down, KEYS.down, KEYS.down, KEYS.enter);
    frame = await frameWhere(app, has('Step 6/7', '150 ms · REHEARSAL'));
    // Measured next to the claims, as bars: ours in full blocks, the claimed range in shades.
    // Our column names what filled it: in a rehearsal without recordings, the runbook's mock.
    expect(frame).toMatch(/\s+mock\s+Fabric\s+Traditional DB/);
    expect(frame).toMatch(/mock\s+█ 150 ms mock · REHEARSAL/);
    expect(frame).not.toContain('Snowflake');
    expect(frame).toMatch(/Fabric\s+░+▒* “4-6 hours” claim/);
    expect(frame).toMatch(/Traditional DB\s+░+▒+ “8-12 hours” claim/);
  });

  it('restores afresh every time: from an idle step, during a running step, after a restore; each result its own run', async () => {
    const { RehearsalEngine } = await import('../../src/engine/rehearsal.js');
    const { EngineError } = await import('../../src/engine/types.js');
    // The second restore fails: the screen must say so, not show the first one's green tick.
    let restores = 0;
    class FlakyRestore extends RehearsalEngine {
      override async run(...args: Parameters<RehearsalEngine['run']>) {
        const [request] = args;
        if (request.stepId === 'restore' && request.index === 0 && ++restores === 2) throw new EngineError('the disk is full');
        return super.run(...args);
      }
    }
    const { app } = start({ engine: new FlakyRestore(), text: stageRunbook({ scale: '30s', restore: '200ms' }), size: { columns: 100, rows: 40 } });
    // 1. From an idle step.
    await press(app, 'R');
    await frameWhere(app, has('restore will:'));
    await press(app, 'y');
    let frame = await frameWhere(app, has('✓ Restored and verified'));
    const firstStarted = /started (\d\d:\d\d:\d\d)/.exec(frame)?.[1];
    expect(firstStarted).toBeDefined();
    await press(app, KEYS.escape);
    // 2. During a running step: cancelled first, then this restore runs, and it fails.
    await press(app, 'n', 'n', KEYS.enter, 'y');
    await frameWhere(app, has('RUNNING'));
    await press(app, 'R');
    await frameWhere(app, has('cancel it and restore?'));
    await press(app, 'y');
    frame = await frameWhere(app, has('✗ Restore', 'the disk is full'));
    expect(frame).not.toContain('✓ Restored and verified');
    expect(frame).toContain('Restore failed: Restore the base data');
    await frameWhere(app, has('3. Scale', '– cancelled'));
    // 3. After a restore: y tries again, and this run's result replaces the failure.
    await press(app, 'y');
    frame = await frameWhere(app, has('✓ Restored and verified'));
    expect(frame).not.toContain('the disk is full');
    await press(app, KEYS.escape, 'R');
    frame = await frameWhere(app, has('restore will:', 'The last restore: done at', 'This one runs afresh'));
    await press(app, 'y');
    await frameWhere(app, has('✓ Restored and verified'));
    expect(restores).toBe(4);
  });

  it("labels a step's previous result while it runs again, and hides that run's notes", async () => {
    const { app } = start({ text: stageRunbook({ scale: '400ms' }) });
    await press(app, 'n', 'n', KEYS.enter, 'y');
    await frameWhere(app, has('✓ done', 'REHEARSAL · mock · 400 ms'));
    await press(app, KEYS.enter, 'y');
    const frame = await frameWhere(app, has('running', 'PREVIOUS RUN, not this one: REHEARSAL · mock · 400 ms'));
    expect(frame).toContain('RAW_PATIENTS');
    await frameWhere(app, (f) => f.includes('✓ done') && !f.includes('PREVIOUS RUN'));
  });

  it('says a step limited to another engine has nothing to run here, instead of "enter runs this step"', async () => {
    const { RehearsalEngine } = await import('../../src/engine/rehearsal.js');
    const engine = new RehearsalEngine();
    Object.defineProperty(engine, 'kind', { value: 'local' });
    const text = stageRunbook().replace('    title: A check that fails\n', '    title: A check that fails\n    engines: [snowflake]\n');
    const { app } = start({ engine, text });
    await press(app, 'g', KEYS.end, KEYS.up, KEYS.up, KEYS.enter);
    const frame = await frameWhere(app, has('Step 5/7', 'this step runs on Snowflake only: nothing to run on the LOCAL · DUCKDB engine'));
    expect(frame).not.toContain('enter runs this step');
  });

  it('does not ask to run a destructive step this engine does not run: it says so', async () => {
    const { RehearsalEngine } = await import('../../src/engine/rehearsal.js');
    const engine = new RehearsalEngine();
    Object.defineProperty(engine, 'kind', { value: 'local' });
    const text = stageRunbook().replace('    destructive: true\n', '    destructive: true\n    engines: [snowflake]\n');
    const { app } = start({ engine, text });
    await press(app, 'n', 'n', KEYS.enter);
    const frame = await frameWhere(app, has('Step 3 runs on Snowflake only: nothing to run on the LOCAL · DUCKDB engine'));
    expect(frame).not.toContain('It is destructive');
  });

  it('draws the architecture with the latest counts and says where they came from', async () => {
    const { app } = start({ size: { columns: 100, rows: 30 } });
    await press(app, 'n');
    let frame = await frameWhere(app, has('Step 2/7'));
    expect(frame).toContain('BRONZE   RAW_PATIENTS …');
    expect(frame).toContain('counts: not measured yet');
    await press(app, 'p', KEYS.enter);
    await frameWhere(app, has('✓ done'));
    await press(app, 'n');
    frame = await frameWhere(app, has('Step 2/7', 'RAW_PATIENTS 1K'));
    expect(frame).toMatch(/counts: REHEARSAL · mock, from 'Counts per layer' at \d\d:\d\d:\d\d/);
    await press(app, KEYS.enter);
    frame = await frameWhere(app, has('RAW_PATIENTS 100M'));
    expect(frame).toContain("from 'The architecture'");
  });

  it('times benchmarks as bars and shows money in pounds', async () => {
    const { app } = start({ size: { columns: 100, rows: 30 } });
    await press(app, 'n', 'n', 'n', KEYS.enter);
    const frame = await frameWhere(app, has('Step 4/7', '✓ done'));
    expect(frame).toMatch(/High-value patients\s+█+\s+40 ms REHEARSAL/);
    expect(frame).toMatch(/Top drugs\s+█+\s+80 ms REHEARSAL/);
    expect(frame).toContain('6,211,000');
    expect(frame).toContain('£57,853,200.50');
  });
});

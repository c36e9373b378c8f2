/**
 * Every key of the one key map, pressed as a presenter would, with what it must do on screen.
 * The scenarios are keyed by action: a key added to the map without a scenario fails here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { StepOutcome } from '../../src/core/runner.js';
import { CONFIRM_KEYS, GLOBAL_KEYS, LIST_KEYS, OVERLAY_KEYS, SHOW_KEYS, type Action, type Binding } from '../../src/ui/keymap.js';
import { frameWhere, has, KEYS, lacks, press, setup, stageRunbook, waitFor, type Setup } from './harness.js';

let current: Setup | undefined;
afterEach(() => current?.app.unmount());

/** The bytes a terminal sends for a key named in the key map. */
function sequence(name: string): string {
  const named: Record<string, string> = { '→': KEYS.right, '←': KEYS.left, '↑': KEYS.up, '↓': KEYS.down, enter: KEYS.enter, escape: KEYS.escape, space: ' ', 'ctrl+c': KEYS.ctrlC };
  return named[name] ?? name;
}

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
    expect(frame).toMatch(/REHEARSAL · 20 ms · finished \d\d:\d\d:\d\d/);
  },
  async fallback(key) {
    const { app, session } = start();
    await press(app, key);
    await frameWhere(app, has("'counts' has not failed"));
    await press(app, 'n', 'n', 'n', 'n', KEYS.enter);
    await frameWhere(app, has('Step 5/7', '✗ failed', 'expectation not met'));
    await press(app, key);
    await frameWhere(app, has("no recording of this step yet ('broken')"));
    session.recordings.broken = recorded;
    await press(app, key);
    const frame = await frameWhere(app, has('RECORDED 2026-11-20 14:03 · NOT LIVE'));
    // The failure stays on screen, and the recorded figures say they are recorded.
    expect(frame).toContain('✗ expectation not met');
    expect(frame).toMatch(/N\n\s*─+\n\s*2/);
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
    const frame = await frameWhere(app, has("SQL of 'counts' on REHEARSAL"));
    expect(frame).toMatch(/-- 1\/1 \S*sql\/counts\.sql:2/);
    expect(frame).toContain("SELECT 'BRONZE' AS LAYER");
  },
  async scrollDown(key) {
    const { app } = start({ text: stageRunbook({ manyRows: true }), size: { columns: 80, rows: 24 } });
    await press(app, KEYS.enter);
    await frameWhere(app, has('1-14/44 ↑↓'));
    await press(app, key, key);
    const frame = await frameWhere(app, has('3-16/44 ↑↓'));
    expect(frame).not.toContain('REHEARSAL · 20 ms');
  },
  async scrollUp(key) {
    const { app } = start({ text: stageRunbook({ manyRows: true }), size: { columns: 80, rows: 24 } });
    await press(app, KEYS.enter, KEYS.down, KEYS.down, KEYS.down);
    await frameWhere(app, has('4-17/44 ↑↓'));
    await press(app, key);
    await frameWhere(app, has('3-16/44 ↑↓'));
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
    const { app, exitCode } = start({ text: stageRunbook({ scale: '30s' }) });
    await press(app, 'n', 'n', KEYS.enter, 'y');
    await frameWhere(app, has('running', 'RUNNING'));
    await press(app, key);
    await frameWhere(app, has('– cancelled', 'Ctrl-C again to quit'));
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
    // While a step runs: offer to cancel it first; y cancels, then restore is one more y away.
    await press(app, 'n', 'n', KEYS.enter, 'y');
    await frameWhere(app, has('RUNNING'));
    await press(app, key);
    frame = await frameWhere(app, has("'scale' is running: cancel it and restore?"));
    expect(frame).toContain("'Scale the data a thousand times over' is still running (statement 1/1)");
    await press(app, 'y');
    await frameWhere(app, has('restore will:'));
    await frameWhere(app, lacks('RUNNING'));
    await press(app, 'y');
    frame = await frameWhere(app, has('✓ Restored and verified'));
    expect(frame).toMatch(/Verified counts:[^\n]*\n[^\n]*BRONZE RAW_PATIENTS\s+1,000 \(1K\)\s+█+ ✓/);
    expect(frame).toMatch(/✓ 1\/3 CREATE OR REPLACE TABLE T CLONE T_ORIGINAL/);
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
    expect(frame).toContain('1 statement, in the background (you may move on):');
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
  async scrollDown(key) {
    const { app } = start({ text: stageRunbook({ changes: 30 }), size: { columns: 80, rows: 24 } });
    await press(app, 'n', 'n', KEYS.enter);
    await frameWhere(app, has('(1-13 of 36 ↑↓)'));
    await press(app, key, key);
    const frame = await frameWhere(app, has('(3-15 of 36 ↑↓)'));
    expect(frame).toContain('- Change 10');
  },
  async scrollUp(key) {
    const { app } = start({ text: stageRunbook({ changes: 30 }), size: { columns: 80, rows: 24 } });
    await press(app, 'n', 'n', KEYS.enter, KEYS.down, KEYS.down);
    await frameWhere(app, has('(3-15 of 36 ↑↓)'));
    await press(app, key);
    await frameWhere(app, has('(2-14 of 36 ↑↓)'));
  },
};

/** In an overlay that only shows something: the help, at a size where it scrolls. */
const OVERLAY: Partial<Record<Action, Scenario>> = {
  async scrollDown(key) {
    const { app } = start({ size: { columns: 80, rows: 24 } });
    await press(app, '?');
    await frameWhere(app, has('(1-13 of'));
    await press(app, key);
    await frameWhere(app, has('(2-14 of'));
  },
  async scrollUp(key) {
    const { app } = start({ size: { columns: 80, rows: 24 } });
    await press(app, '?', KEYS.down, KEYS.down);
    await frameWhere(app, has('(3-15 of'));
    await press(app, key);
    await frameWhere(app, has('(2-14 of'));
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

  it('hides the talking points from the audience with --audience', async () => {
    const { app } = start({ audience: true });
    const frame = await frameWhere(app, has('Step 1/7'));
    expect(frame).not.toContain('We have data.');
    expect(frame).not.toContain('PAUSE');
    expect(frame).toContain('1. Counts per layer');
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
    await frameWhere(app, has("'scale' is still running: wait for it, or Ctrl-C to cancel it"));
    frame = await frameWhere(app, has("✓ 'scale' done after"), 3000);
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
    expect(frame).toContain("not measured yet (run 'scale')");
    expect(frame).toContain('“4-6 hours” [1]');
    expect(frame).toContain('[1] source: vendor estimate');
    expect(frame).toContain('[2] source: seed document');
    expect(frame).toContain('“1 SQL script”');
    await press(app, 'g', KEYS.up, KEYS.up, KEYS.up, KEYS.enter, KEYS.enter, 'y');
    await frameWhere(app, has('Step 3/7', '✓ done'));
    await press(app, 'g', KEYS.down, KEYS.down, KEYS.down, KEYS.enter);
    frame = await frameWhere(app, has('Step 6/7', '150 ms · REHEARSAL'));
    // Measured next to the claims, as bars: ours in full blocks, the claimed range in shades.
    expect(frame).toMatch(/Snowflake \(rehearsal\)\s+█ 150 ms measured · REHEARSAL/);
    expect(frame).toMatch(/Fabric\s+░+▒* “4-6 hours” claim/);
    expect(frame).toMatch(/Traditional DB\s+░+▒+ “8-12 hours” claim/);
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
    expect(frame).toMatch(/counts: REHEARSAL, from 'Counts per layer' at \d\d:\d\d:\d\d/);
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

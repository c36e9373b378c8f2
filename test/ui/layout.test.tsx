/**
 * The frame never scrolls the terminal: at every size, on every screen, it is exactly one row
 * shorter than the terminal and no row is wider than it (Ink 6.8 clears the whole screen on every
 * render once the output reaches the terminal's height: that is the flicker this prevents).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MIN_COLUMNS, MIN_ROWS } from '../../src/ui/App.js';
import { expectFits, frameWhere, has, KEYS, lacks, press, resize, setup, stageRunbook, type Setup } from './harness.js';

let current: Setup | undefined;
afterEach(() => current?.app.unmount());

const SIZES: Array<[number, number]> = [
  [MIN_COLUMNS, MIN_ROWS],
  [80, 24],
  [200, 50],
  [61, 40],
  [150, 17],
];

/** A show whose words do not fit anywhere: a long title, long talk, a long unbroken word. */
function overlong(): string {
  const talk = Array.from({ length: 30 }, (_, i) => `      - "Point ${i}: ${'a rather long talking point that wraps '.repeat(4)}"`).join('\n');
  return stageRunbook()
    .replace('title: Stage test show', `title: "${'An extraordinarily long show title '.repeat(6)}"`)
    .replace('    title: Counts per layer', `    title: "${'Counts per layer with a title that never ends '.repeat(5)}"`)
    .replace('      - "We have data."', `      - "${'x'.repeat(400)}"\n${talk}`)
    .replace('changes: [Replaces the patients table with copies]', `changes: [${Array.from({ length: 25 }, (_, i) => `"Change ${i} ${'in many words '.repeat(8)}"`).join(', ')}]`);
}

describe('the frame fits the terminal', () => {
  for (const [columns, rows] of SIZES) {
    it(`on every screen at ${columns}×${rows}`, async () => {
      current = setup({ text: overlong(), size: { columns, rows } });
      const { app } = current;
      // The first frame is drawn before the resize; from the first one at this size on, every frame must fit.
      await frameWhere(app, (f) => f.includes('─'.repeat(columns - 2)) && !f.includes('─'.repeat(columns - 1)));
      const fits = async (check: (frame: string) => boolean) => expectFits(await frameWhere(app, check), columns, rows);
      await fits(has('Step 1/7'));
      // A result, then every dialog over it.
      await press(app, KEYS.enter);
      await fits(has('✓ done'));
      for (const [key, marker] of [['?', 'Anywhere'], ['s', 'SQL of'], ['g', 'Jump to a step'], ['q', 'Quit the show?'], ['R', 'Restore:']] as const) {
        await press(app, key);
        await fits(has(marker));
        await press(app, KEYS.escape);
        await fits(lacks(marker));
      }
      // Scrolled to the end of a long body.
      await press(app, ...Array<string>(40).fill(KEYS.down));
      await fits(has('Step 1/7'));
      // The architecture, the destructive question with its long list of changes, a run in the background.
      await press(app, 'n');
      await fits(has('Step 2/7'));
      await press(app, 'n', KEYS.enter);
      await fits(has("Run 'Scale"));
      await press(app, ...Array<string>(60).fill(KEYS.down));
      await fits(has("Run 'Scale"));
      await press(app, 'y');
      await fits(has('Step 3/7', '✓ done'));
      await press(app, 'n', KEYS.enter);
      await fits(has('Step 4/7', '✓ done'));
      await press(app, 'n', KEYS.enter);
      await fits(has('✗ failed'));
      await press(app, 'n');
      await fits(has('Step 6/7'));
    });
  }

  it('shows a clear message below the minimum size, and the show again when it grows', async () => {
    current = setup({ size: { columns: 40, rows: 10 } });
    const { app } = current;
    const small = await frameWhere(app, has('make it at least'));
    expect(small).toContain(`The terminal is 40×10`);
    expectFits(small, 40, 10);
    for (const [columns, rows] of [
      [20, 5],
      [MIN_COLUMNS - 1, 30],
      [120, MIN_ROWS - 1],
    ] as const) {
      resize(app, columns, rows);
      expectFits(await frameWhere(app, has(`${columns}×${rows}`)), columns, rows);
    }
    resize(app, 90, 30);
    expectFits(await frameWhere(app, has('Step 1/7')), 90, 30);
  });

  it('keeps the keys working below the minimum size and says which dialog is open', async () => {
    current = setup({ size: { columns: 50, rows: 12 } });
    const { app } = current;
    await press(app, 'q');
    const frame = await frameWhere(app, has('Open: Quit the show?'));
    expectFits(frame, 50, 12);
    await press(app, 'y');
    await frameWhere(app, () => current!.exitCode() === 0);
  });

  it('follows a resize in the middle of a dialog', async () => {
    current = setup({ size: { columns: 120, rows: 40 } });
    const { app } = current;
    await press(app, 'R');
    await frameWhere(app, has('Restore:'));
    resize(app, 64, 18);
    expectFits(await frameWhere(app, (f) => f.includes('Restore:') && f.split('\n').length === 17), 64, 18);
  });
});

/**
 * The real `demo --rehearse` in a pseudo-terminal, driven with keys only: the whole show, restore
 * opened from every step, resizes (below the minimum too), and a clean quit with the terminal
 * restored. Then the other ways out: SIGTERM, SIGINT, and an uncaught exception.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunbook } from '../../src/runbook/load.js';
import { CLI, KEY, ROOT, TerminalSession, terminalRestored } from './terminal.js';

const runbook = loadRunbook(path.join(ROOT, 'runbook.yml'));
const N = runbook.steps.length;

/** The header is the first row of the screen: if the frame ever scrolled, it would not be. */
const headerAtTop = (rows: string[], step: number) => rows[0]!.includes('REHEARSAL') && rows[0]!.includes(`Step ${step}/${N}`);
const heading = (rows: string[]) => rows[2] ?? '';

describe('demo --rehearse in a terminal', () => {
  it('walks the whole show with keys, restores from every step, survives resizes and quits cleanly', async () => {
    const show = new TerminalSession([CLI, '--rehearse', '--speed', '50'], { cols: 100, rows: 30 });
    try {
      await show.waitFor((rows) => headerAtTop(rows, 1), 'the first frame');
      expect(show.alternate).toBe(true);
      await new Promise((r) => setTimeout(r, 200)); // raw mode is on once the first frame's effects ran

      // The overlays that only show something: help from the key map, the SQL, the jump list.
      await show.press('?');
      await show.waitForText('Anywhere');
      await show.press(KEY.escape);
      await show.waitForGone('Anywhere');
      await show.press('s');
      await show.waitForText('SQL of');
      await show.press(KEY.escape);
      await show.waitForGone('SQL of');
      await show.press('g', KEY.down, KEY.enter);
      await show.waitFor((rows) => headerAtTop(rows, 2), 'the jump to step 2');
      await show.press('g', KEY.up, KEY.enter);
      await show.waitFor((rows) => headerAtTop(rows, 1), 'the jump back to step 1');

      let resized = false;
      let resizesFrom = 0;
      let resizesTo = 0;
      for (const [i, step] of runbook.steps.entries()) {
        const n = i + 1;
        await show.waitFor((rows) => headerAtTop(rows, n) && heading(rows).startsWith(` ${n}. `), `step ${n}`);

        // Restore is one key away on every step: it opens, says what it will do, and closes.
        await show.press('R');
        await show.waitForText('restore will:');
        await show.press(KEY.escape);
        await show.waitForGone('restore will:');

        if (step.queries.length > 0) {
          await show.press(KEY.enter);
          if (step.destructive) {
            await show.waitForText("Run '");
            await show.press('y');
          }
          if (step.long && !resized) {
            // While the long step runs: restore offers to cancel it first; then the terminal is
            // resized, below the minimum too, and the show follows every size.
            await show.waitFor((rows) => heading(rows).includes('running'), `step ${n} running`);
            await show.press('R');
            await show.waitForText('cancel it and restore?');
            await show.press('n');
            await show.waitForGone('cancel it and restore?');
            resizesFrom = show.raw.length;
            for (const [cols, rows] of [
              [80, 24],
              [50, 12],
              [200, 50],
              [64, 18],
              [100, 30],
            ] as const) {
              await show.resize(cols, rows);
              if (cols < 60) await show.waitForText(`The terminal is ${cols}×${rows}`);
              else {
                const screen = await show.waitFor((r) => headerAtTop(r, n) && r[rows - 2]!.includes('q quit'), `the frame at ${cols}×${rows}`);
                expect(screen[rows - 1], 'the last row stays free, so the frame never scrolls').toBe('');
              }
            }
            resized = true;
            resizesTo = show.raw.length;
          }
          const done = await show.waitFor((rows) => /✓ done|– skipped|✗ failed/.test(heading(rows)), `step ${n} to finish`, 40_000);
          expect(heading(done), `step ${n} (${step.id})`).not.toContain('✗ failed');
        }
        if (n < N) await show.press('n');
      }
      expect(resized, 'the show has a long step to resize under').toBe(true);

      // Restore for real, step by step, with verified counts at the end.
      await show.press('R');
      await show.waitForText('restore will:');
      await show.press('y');
      await show.waitForText('Restored and verified', 20_000);
      await show.waitForText('Verified:');
      await show.press(KEY.escape);

      await show.press('q');
      await show.waitForText('Quit the show?');
      await show.press('y');
      expect((await show.exited()).exitCode).toBe(0);
      expect(terminalRestored(show)).toEqual([]);
      // Ink clears the whole screen (ESC[2J) when the last frame is as tall as the terminal: our
      // frames never are, so the only clears are one per shrink of the terminal's height
      // (80×24, 50×12, 64×18): Ink clears when the frame drawn before is taller than the new terminal.
      const clears = (text: string) => text.split('\u001B[2J').length - 1;
      expect(clears(show.raw.slice(0, resizesFrom))).toBe(0);
      expect(clears(show.raw.slice(resizesFrom, resizesTo))).toBeLessThanOrEqual(3);
      expect(clears(show.raw.slice(resizesTo))).toBe(0);
    } finally {
      if (!show.exit) show.child.kill();
    }
  }, 90_000);

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const) {
    it(`restores the terminal on ${signal}`, async () => {
      const show = new TerminalSession([CLI, '--rehearse'], { cols: 80, rows: 24 });
      try {
        await show.waitFor((rows) => headerAtTop(rows, 1), 'the first frame');
        show.child.kill(signal);
        expect((await show.exited()).exitCode).toBe(code);
        expect(terminalRestored(show)).toEqual([]);
      } finally {
        if (!show.exit) show.child.kill('SIGKILL');
      }
    });
  }

  it('restores the terminal after an uncaught exception and says what it was', async () => {
    const show = new TerminalSession([path.join(ROOT, 'test/e2e/fixtures/crash.mjs')], { cols: 80, rows: 24 });
    try {
      await show.waitForText('about to fail');
      expect((await show.exited()).exitCode).toBe(1);
      expect(terminalRestored(show, /^demo: unexpected error: Error: boom[^\u001B]*(\u001B\[\?25h)*$/)).toEqual([]);
      expect(await show.screen()).toContain('demo: unexpected error: Error: boom');
    } finally {
      if (!show.exit) show.child.kill('SIGKILL');
    }
  });

  it('restores the terminal when a component fails while rendering, then shows the error', async () => {
    const show = new TerminalSession([path.join(ROOT, 'test/e2e/fixtures/render-error.mjs')], { cols: 80, rows: 24 });
    try {
      await show.waitForText('about to fail');
      expect((await show.exited()).exitCode).toBe(1);
      expect(terminalRestored(show, /^(\u001B\[\?25h)*demo: unexpected error: render failed[^\u001B]*(\u001B\[\?25h)*$/)).toEqual([]);
      expect(await show.screen()).toContain('demo: unexpected error: render failed');
    } finally {
      if (!show.exit) show.child.kill('SIGKILL');
    }
  });

  it('quits on a second Ctrl-C only within its window, and leaves the terminal as it found it (exit code 130)', async () => {
    const show = new TerminalSession([CLI, '--rehearse'], { cols: 80, rows: 24 });
    try {
      await show.waitFor((rows) => headerAtTop(rows, 1), 'the first frame');
      await new Promise((r) => setTimeout(r, 200));
      await show.press(KEY.ctrlC);
      await show.waitForText('press Ctrl-C again within 3 s to quit');
      // The hint goes when its window closes; a Ctrl-C after that is a first one again.
      await show.waitForGone('press Ctrl-C again', 6000);
      await show.press(KEY.ctrlC);
      await show.waitForText('press Ctrl-C again within 3 s to quit');
      expect(show.exit).toBeUndefined();
      await show.press(KEY.ctrlC);
      expect((await show.exited()).exitCode).toBe(130);
      expect(terminalRestored(show)).toEqual([]);
    } finally {
      if (!show.exit) show.child.kill('SIGKILL');
    }
  });

  it('demo presenter in a second terminal follows and drives the show', async () => {
    const env = { DEMO_STATE_DIR: mkdtempSync(path.join(tmpdir(), 'demo-e2e-presenter-')) };
    const show = new TerminalSession([CLI, '--rehearse', '--audience'], { cols: 100, rows: 30, env });
    const console_ = new TerminalSession([CLI, 'presenter'], { cols: 90, rows: 26, env });
    try {
      await show.waitFor((rows) => headerAtTop(rows, 1), 'the show');
      const first = await console_.waitForText('PRESENTER CONSOLE  the projected screen hides the talking points');
      expect(first.join('\n')).toContain(`Step 1/${N}`);
      expect(first.join('\n')).toContain(`• ${runbook.steps[0]!.talk.find((t) => t.kind === 'say')!.text.slice(0, 40)}`);
      await new Promise((r) => setTimeout(r, 200));
      await console_.press('n');
      await show.waitFor((rows) => headerAtTop(rows, 2), 'the show to move to step 2');
      await console_.waitForText(`Step 2/${N}`);
      await console_.press('R');
      await show.waitForText('restore will:');
      await console_.waitForText('The show asks');
      await console_.press(KEY.escape);
      await show.waitForGone('restore will:');
      await console_.press('q');
      expect((await console_.exited()).exitCode).toBe(0);
      expect(terminalRestored(console_)).toEqual([]);
      await show.press('q', 'y');
      expect((await show.exited()).exitCode).toBe(0);
    } finally {
      if (!console_.exit) console_.child.kill('SIGKILL');
      if (!show.exit) show.child.kill('SIGKILL');
    }
  });
});

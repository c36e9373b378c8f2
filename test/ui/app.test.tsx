import path from 'node:path';
import { render } from 'ink-testing-library';
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ShowSession } from '../../src/core/session.js';
import { RehearsalEngine } from '../../src/engine/rehearsal.js';
import { loadRunbook } from '../../src/runbook/load.js';
import { resolveParams } from '../../src/runbook/params.js';
import { App } from '../../src/ui/App.js';
import { COUNTS_SQL, MINIMAL, scratch } from '../helpers.js';

const KEYS = { right: '\u001B[C', left: '\u001B[D', down: '\u001B[B', up: '\u001B[A', enter: '\r', escape: '\u001B', ctrlC: '\u0003' };

function setup(text = MINIMAL) {
  const dir = scratch({ 'runbook.yml': text, 'sql/counts.sql': COUNTS_SQL });
  const runbook = loadRunbook(path.join(dir, 'runbook.yml'));
  const session = new ShowSession(new RehearsalEngine(), resolveParams(runbook.params, 'rehearsal'));
  let exitCode: number | undefined;
  const app = render(<App runbook={runbook} session={session} onExit={(code) => (exitCode = code)} />);
  return { app, runbook, session, exitCode: () => exitCode };
}

/** Waits until the frame satisfies `check` (renders are asynchronous). */
async function frameWhere(app: ReturnType<typeof render>, check: (frame: string) => boolean, timeoutMs = 3000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const frame = app.lastFrame() ?? '';
    if (check(frame)) return frame;
    if (Date.now() > until) throw new Error(`frame never matched; last frame:\n${frame}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function press(app: ReturnType<typeof render>, ...keys: string[]) {
  for (const key of keys) {
    app.stdin.write(key);
    await new Promise((r) => setTimeout(r, 30));
  }
}

let current: ReturnType<typeof render> | undefined;
afterEach(() => current?.unmount());

describe('the show on screen', () => {
  it('shows the title, an unmistakable engine badge, step n of N, the talk and the next step', async () => {
    const { app } = setup();
    current = app;
    const frame = await frameWhere(app, (f) => f.includes('Step 1/3'));
    expect(frame).toContain('REHEARSAL');
    expect(frame).toContain('Test show');
    expect(frame).toContain('• We have data.');
    expect(frame).toContain('PAUSE · for effect');
    expect(frame).toContain('Next: 2. Scale');
  });

  it('moves with → space n and ← p', async () => {
    const { app } = setup();
    current = app;
    await press(app, KEYS.right);
    await frameWhere(app, (f) => f.includes('Step 2/3'));
    await press(app, ' ');
    await frameWhere(app, (f) => f.includes('Step 3/3') && f.includes('Just talk'));
    await press(app, 'p');
    await frameWhere(app, (f) => f.includes('Step 2/3'));
    await press(app, KEYS.left);
    await frameWhere(app, (f) => f.includes('Step 1/3'));
    await press(app, 'n');
    await frameWhere(app, (f) => f.includes('Step 2/3'));
  });

  it('runs a step with enter and shows its result table with its checks', async () => {
    const { app } = setup();
    current = app;
    await press(app, KEYS.enter);
    const frame = await frameWhere(app, (f) => f.includes('PATIENTS') && f.includes('1,000'));
    expect(frame).toMatch(/OBJECT\s+N/);
  });

  it('asks before a destructive step and runs it only on y', async () => {
    const { app } = setup();
    current = app;
    await press(app, 'n', KEYS.enter);
    let frame = await frameWhere(app, (f) => f.includes('It is destructive'));
    expect(frame).toContain('Replaces the patients table');
    await press(app, 'n');
    frame = await frameWhere(app, (f) => !f.includes('It is destructive'));
    expect(frame).not.toContain('done');
    await press(app, KEYS.enter, 'y');
    await frameWhere(app, (f) => f.includes('status') && f.includes('done'));
  });

  it('opens the help overlay from the key map and closes it', async () => {
    const { app } = setup();
    current = app;
    await press(app, '?');
    const frame = await frameWhere(app, (f) => f.includes('Keys'));
    expect(frame).toContain('jump to a step');
    expect(frame).toContain('restore the original data');
    await press(app, KEYS.escape);
    await frameWhere(app, (f) => !f.includes('jump to a step'));
  });

  it('jumps with g, arrows and enter', async () => {
    const { app } = setup();
    current = app;
    await press(app, 'g');
    await frameWhere(app, (f) => f.includes('Jump to a step'));
    await press(app, KEYS.down, KEYS.down, KEYS.enter);
    await frameWhere(app, (f) => f.includes('Step 3/3'));
  });

  it('opens restore with R, says what it will do, and runs it on y', async () => {
    const { app } = setup();
    current = app;
    await press(app, 'R');
    await frameWhere(app, (f) => f.includes('Restore: Restore'));
    await press(app, 'y');
    await frameWhere(app, (f) => f.includes('Restored and verified'));
  });

  it('cancels a running step on the first Ctrl-C and quits on the second', async () => {
    const slow = MINIMAL.replace('duration: 50ms', 'duration: 30s');
    const { app, exitCode } = setup(slow);
    current = app;
    await press(app, KEYS.enter);
    await frameWhere(app, (f) => f.includes('RUNNING'));
    await press(app, KEYS.ctrlC);
    await frameWhere(app, (f) => f.includes('Ctrl-C again to quit'));
    await press(app, KEYS.ctrlC);
    const until = Date.now() + 2000;
    while (exitCode() === undefined && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(exitCode()).toBe(130);
  });

  it('asks before quitting on q', async () => {
    const { app, exitCode } = setup();
    current = app;
    await press(app, 'q');
    await frameWhere(app, (f) => f.includes('Quit the show?'));
    await press(app, 'y');
    const until = Date.now() + 2000;
    while (exitCode() === undefined && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(exitCode()).toBe(0);
  });
});

/**
 * The presenter console: a private socket, the show's state on the console, and the console's keys
 * driving the show exactly as the show's own keys do.
 */
import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { render } from 'ink-testing-library';
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ShowConnection, type ConsoleView } from '../../src/presenter/client.js';
import { PresenterApp, presenterHints } from '../../src/presenter/PresenterApp.js';
import { ensurePrivateDir, privateDirProblem } from '../../src/presenter/private.js';
import { socketDir, socketPath, type RemoteCommand } from '../../src/presenter/protocol.js';
import { startPresenterServer, type PresenterServer } from '../../src/presenter/server.js';
import { PRESENTER_KEYS, type Action } from '../../src/ui/keymap.js';
import { frameWhere, has, KEYS, lacks, loadStage, press, sequence, setup, stageRunbook, waitFor, type Setup } from './harness.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function stateDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'demo-presenter-'));
}

async function server(dir = stateDir(), audience = false): Promise<PresenterServer> {
  const runbook = loadStage();
  const s = await startPresenterServer({ stateDir: dir, show: runbook, engine: { kind: 'rehearsal' }, audience });
  cleanups.push(() => s.close());
  return s;
}

function connect(dir: string): ShowConnection {
  const c = new ShowConnection(socketPath(dir));
  cleanups.push(() => c.close());
  c.start();
  return c;
}

async function viewWhere(c: ShowConnection, check: (v: ConsoleView) => boolean): Promise<ConsoleView> {
  await waitFor(() => check(c.current));
  return c.current;
}

describe('the presenter socket', () => {
  it('lives in an owner-only folder (0700), the socket itself 0600', async () => {
    const dir = stateDir();
    const s = await server(dir);
    expect(statSync(socketDir(dir)).mode & 0o777).toBe(0o700);
    expect(statSync(s.path).mode & 0o777).toBe(0o600);
    expect(statSync(s.path).isSocket()).toBe(true);
  });

  it('closes a folder that was left open to others, and the console refuses one it finds open', () => {
    const dir = stateDir();
    mkdirSync(socketDir(dir), { recursive: true });
    chmodSync(socketDir(dir), 0o755);
    expect(privateDirProblem(socketDir(dir))).toMatch(/open to other users \(mode 755\)/);
    ensurePrivateDir(socketDir(dir));
    expect(statSync(socketDir(dir)).mode & 0o777).toBe(0o700);
    expect(privateDirProblem(socketDir(dir))).toBeUndefined();
  });

  it('replaces a stale socket file left by a crash, and refuses to start a second show on a live one', async () => {
    const dir = stateDir();
    mkdirSync(socketDir(dir), { recursive: true, mode: 0o700 });
    writeFileSync(socketPath(dir), 'stale');
    const first = await server(dir);
    expect(statSync(first.path).isSocket()).toBe(true);
    await expect(server(dir)).rejects.toThrow(/another show is already running/);
  });

  it('sends the outline and every snapshot to a console, and hands its commands to the show', async () => {
    const dir = stateDir();
    const s = await server(dir, true);
    const commands: RemoteCommand[] = [];
    s.onCommand((c) => commands.push(c));
    const c = connect(dir);
    const view = await viewWhere(c, (v) => v.status === 'connected' && v.hello !== undefined);
    expect(view.hello!.show.steps.map((st) => st.id)).toEqual(['counts', 'arch', 'scale', 'bench', 'broken', 'compare', 'talk-only']);
    expect(view.hello!.audience).toBe(true);
    s.publish({ state: { stepIds: ['counts'], restoreId: 'restore', current: 0, runs: {}, startedAt: 1, spentMs: {}, enteredAt: 1 }, expectedMs: {} });
    await viewWhere(c, (v) => v.snapshot?.state.startedAt === 1);
    c.send({ action: 'jump', index: 3 });
    await waitFor(() => commands.length === 1);
    expect(commands[0]).toEqual({ action: 'jump', index: 3 });
    s.reply('no such step');
    await viewWhere(c, (v) => v.notice?.text === 'no such step');
  });

  it('keeps waiting for the show, and reconnects when it comes back', async () => {
    const dir = stateDir();
    const c = connect(dir);
    await new Promise((r) => setTimeout(r, 100));
    expect(c.current.status).toBe('waiting');
    const s = await server(dir);
    await viewWhere(c, (v) => v.status === 'connected');
    s.close();
    await viewWhere(c, (v) => v.status === 'waiting' && /ended|went away/.test(v.notice?.text ?? ''));
    await server(dir);
    await viewWhere(c, (v) => v.status === 'connected');
  });
});

/** The show (App + its server) and the console (PresenterApp + its connection) in one process. */
async function stage(options: { audience?: boolean; text?: string } = {}) {
  const dir = stateDir();
  const s = await server(dir, options.audience);
  const show: Setup = setup({ remote: s, audience: options.audience, text: options.text });
  cleanups.push(() => show.app.unmount());
  const connection = new ShowConnection(socketPath(dir));
  const console_ = render(<PresenterApp connection={connection} />);
  cleanups.push(() => {
    console_.unmount();
    connection.close();
  });
  await frameWhere(console_, has('PRESENTER CONSOLE', 'Step 1/7'));
  return { show, console: console_, server: s };
}

type Scenario = (key: string, s: Awaited<ReturnType<typeof stage>>) => Promise<void>;


const CONSOLE: Partial<Record<Action, Scenario>> = {
  async next(key, { show, console: c }) {
    await press(c, key);
    await frameWhere(show.app, has('Step 2/7'));
    await frameWhere(c, has('Step 2/7', '2. The architecture', 'Next: 3. Scale the data'));
  },
  async previous(key, { show, console: c }) {
    await press(c, 'n', 'n');
    await frameWhere(show.app, has('Step 3/7'));
    await press(c, key);
    await frameWhere(show.app, has('Step 2/7'));
  },
  async run(key, { show, console: c }) {
    await press(c, key);
    await frameWhere(show.app, has('✓ done'));
    await frameWhere(c, has('✓ done'));
  },
  async jump(key, { show, console: c }) {
    await press(c, key);
    await frameWhere(c, has('Jump to a step', '1. Counts per layer (here)'));
    await press(c, KEYS.down, KEYS.down, KEYS.down, KEYS.enter);
    await frameWhere(show.app, has('Step 4/7'));
    await frameWhere(c, lacks('Jump to a step'));
  },
  async restore(key, { show, console: c }) {
    await press(c, key);
    await frameWhere(show.app, has('restore will:'));
    await frameWhere(c, has('The show asks', 'Restore: Restore the base data'));
  },
  async cancel(key, { show, console: c }) {
    await press(c, 'n', 'n', KEYS.enter, 'y');
    await frameWhere(show.app, has('RUNNING'));
    await press(c, key);
    await frameWhere(show.app, has('– cancelled'));
  },
  async confirm(key, { show, console: c }) {
    await press(c, 'n', 'n', KEYS.enter);
    await frameWhere(c, has("The show asks (y yes · esc no/close): Run 'Scale the data"));
    await press(c, key);
    await frameWhere(show.app, has('3. Scale', '✓ done'));
  },
  async dismiss(key, { show, console: c }) {
    await press(c, 'n', 'n', KEYS.enter);
    await frameWhere(show.app, has('It is destructive'));
    await press(c, key);
    await frameWhere(show.app, lacks('It is destructive'));
    await frameWhere(c, lacks('The show asks'));
  },
  async scrollDown(key, { console: c }) {
    // Everything the step says is on the console, scrollable.
    await frameWhere(c, has('• We have data.'));
    await press(c, key);
    await frameWhere(c, has('PAUSE · for effect'));
  },
  async scrollUp(key, { console: c }) {
    await press(c, KEYS.down);
    await press(c, key);
    await frameWhere(c, has('• We have data.'));
  },
  async pageDown(key, { show, console: c }) {
    // A clicker on the presenter's laptop: its "next" moves the show on when there is nothing more to page.
    await press(c, key);
    await frameWhere(show.app, has('Step 2/7'));
    await frameWhere(c, has('Step 2/7'));
  },
  async pageUp(key, { show, console: c }) {
    await press(c, 'n');
    await frameWhere(show.app, has('Step 2/7'));
    await press(c, key);
    await frameWhere(show.app, has('Step 1/7'));
  },
  async allRows(key, { show, console: c }) {
    await press(c, 'n', 'n', 'n', KEYS.enter);
    await frameWhere(show.app, has('Step 4/7', '✓ done'));
    await press(c, key);
    // The stage show's answers fit: the toggle is acknowledged without changing them.
    await frameWhere(show.app, has('Atorvastatin'));
  },
  async blank(key, { show, console: c }) {
    await press(c, key);
    await frameWhere(show.app, (f) => f.trim() === '');
    await frameWhere(c, has('the projected screen is BLANK (b shows it)'));
    await press(c, key);
    await frameWhere(show.app, has('Step 1/7'));
    await frameWhere(c, lacks('BLANK'));
  },
  async talkClock(key, { show, console: c }) {
    await press(c, key);
    await frameWhere(show.app, has('talk clock started'));
    await frameWhere(c, has('talk clock started', '00:00 / 10:00'));
  },
  async quit(key, { show, console: c }) {
    await press(c, key);
    await new Promise((r) => setTimeout(r, 100));
    // The console left; the show goes on.
    expect(show.exitCode()).toBeUndefined();
    await press(show.app, 'n');
    await frameWhere(show.app, has('Step 2/7'));
  },
};

describe('the presenter console', () => {
  for (const binding of PRESENTER_KEYS) {
    for (const key of binding.keys) {
      it(`${key}: ${binding.description}`, async () => {
        const scenario = CONSOLE[binding.action];
        expect(scenario, `no scenario for '${binding.action}'`).toBeDefined();
        await scenario!(sequence(key), await stage());
      });
    }
  }

  it('shows the talking points, the timers and the next step, even when the audience does not see them', async () => {
    const { show, console: c } = await stage({ audience: true });
    const frame = await frameWhere(c, has('• We have data.'));
    expect(frame).toContain('the projected screen hides the talking points');
    expect(frame).toContain('00:00 / 01:00');
    expect(frame).toContain('00:00 / 10:00');
    expect(frame).toContain('Next: 2. The architecture');
    expect(await frameWhere(show.app, has('Step 1/7'))).not.toContain('We have data.');
  });

  it('shows a running step with its progress, and the show answers commands it cannot follow', async () => {
    const { console: c } = await stage({ text: stageRunbook({ scale: '30s' }) });
    await press(c, 'n', 'n', KEYS.enter, 'y');
    await frameWhere(c, has('Scale the data', 'RUNNING', 'no estimate'));
    await press(c, 'n', KEYS.enter);
    await frameWhere(c, has('step 3 is still running'));
  });

  it("says what the show's dialog really is: a question it can answer, or a restore it follows", async () => {
    const { show, console: c } = await stage({ text: stageRunbook({ restore: '600ms' }) });
    await press(c, 'R');
    await frameWhere(c, has('The show asks (y yes · esc no/close): Restore: Restore the base data'));
    await press(c, 'y');
    await frameWhere(show.app, has('Restoring:'));
    // Following the restore is not a question: y has nothing to answer.
    await frameWhere(c, has('The show shows (esc closes): Restoring: Restore the base data'));
    await press(c, 'y');
    await frameWhere(c, has('the show is not asking anything'));
    await frameWhere(c, has('The show shows (esc closes): Restored: Restore the base data'));
    // R again asks afresh, on both screens.
    await press(c, 'R');
    await frameWhere(c, has('The show asks (y yes · esc no/close): Restore: Restore the base data'));
    await frameWhere(show.app, has('The last restore: done at'));
  });

  it("shows the show's words as rendered for this run", async () => {
    const text = stageRunbook().replace('title: Counts per layer', 'title: "Counts at {{ 100 * multiplier }} patients"');
    const { console: c } = await stage({ text });
    await frameWhere(c, has('1. Counts at 1,000 patients'));
  });

  it('keeps how to leave and how to answer in its hints on a narrow terminal', () => {
    const narrow = presenterHints(78);
    expect(narrow.length).toBeLessThanOrEqual(78);
    for (const hint of ['→ next', 'enter run', 'R restore', 'y yes', 'esc no', 'q quit']) expect(narrow).toContain(hint);
    expect(presenterHints(200)).toContain('^C cancel');
  });

  it('waits for a show that has not started', async () => {
    const dir = stateDir();
    const connection = new ShowConnection(socketPath(dir));
    const c = render(<PresenterApp connection={connection} />);
    cleanups.push(() => {
      c.unmount();
      connection.close();
    });
    const frame = await frameWhere(c, has('waiting for the show'));
    expect(frame).toContain(socketPath(dir).slice(0, 40));
  });
});

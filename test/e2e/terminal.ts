/**
 * A real program in a pseudo-terminal, read through a headless xterm: the tests see the screen a
 * presenter would see (rows after every cursor movement and erase), and the raw bytes too.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import xterm from '@xterm/headless';
import pty from 'node-pty';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(ROOT, 'dist/cli/main.js');

export class TerminalSession {
  readonly term: InstanceType<typeof xterm.Terminal>;
  readonly child: pty.IPty;
  raw = '';
  exit?: { exitCode: number; signal?: number };
  private pending = Promise.resolve();

  constructor(args: string[], options: { cols?: number; rows?: number; env?: Record<string, string> } = {}) {
    const cols = options.cols ?? 100;
    const rows = options.rows ?? 30;
    const env: Record<string, string> = { ...(process.env as Record<string, string>), TERM: 'xterm-256color', ...options.env };
    // Interactive: Ink prints only the last frame when CI is set, and demo then prints plain text.
    delete env.CI;
    env.DEMO_STATE_DIR ??= mkdtempSync(path.join(tmpdir(), 'demo-e2e-'));
    this.term = new xterm.Terminal({ cols, rows, allowProposedApi: true });
    this.child = pty.spawn(process.execPath, args, { cols, rows, cwd: ROOT, env });
    this.child.onData((data) => {
      this.raw += data;
      this.pending = this.pending.then(() => new Promise<void>((resolve) => this.term.write(data, resolve)));
    });
    this.child.onExit((e) => (this.exit = e));
  }

  /** The screen's rows, after every byte received so far was drawn. */
  async rows(): Promise<string[]> {
    await this.pending;
    const buffer = this.term.buffer.active;
    return Array.from({ length: this.term.rows }, (_, i) => buffer.getLine(buffer.viewportY + i)?.translateToString(true) ?? '');
  }

  async screen(): Promise<string> {
    return (await this.rows()).join('\n');
  }

  get alternate(): boolean {
    return this.term.buffer.active.type === 'alternate';
  }

  async waitFor(check: (rows: string[]) => boolean, what: string, timeoutMs = 10_000): Promise<string[]> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const rows = await this.rows();
      if (check(rows)) return rows;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}; screen:\n${rows.join('\n')}`);
      if (this.exit) throw new Error(`exited (${this.exit.exitCode}) waiting for ${what}; screen:\n${rows.join('\n')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  waitForText(text: string, timeoutMs?: number) {
    return this.waitFor((rows) => rows.some((r) => r.includes(text)), `'${text}'`, timeoutMs);
  }

  waitForGone(text: string, timeoutMs?: number) {
    return this.waitFor((rows) => rows.every((r) => !r.includes(text)), `'${text}' to go`, timeoutMs);
  }

  async press(...keys: string[]) {
    for (const key of keys) {
      this.child.write(key);
      await new Promise((r) => setTimeout(r, 40));
    }
  }

  async resize(cols: number, rows: number) {
    this.child.resize(cols, rows);
    this.term.resize(cols, rows);
    await new Promise((r) => setTimeout(r, 30));
  }

  async exited(timeoutMs = 10_000): Promise<{ exitCode: number; signal?: number }> {
    const until = Date.now() + timeoutMs;
    while (!this.exit) {
      if (Date.now() > until) throw new Error(`still running; screen:\n${await this.screen()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await this.pending;
    return this.exit;
  }
}

export const KEY = { enter: '\r', escape: '\u001B', right: '\u001B[C', left: '\u001B[D', up: '\u001B[A', down: '\u001B[B', ctrlC: '\u0003', home: '\u001B[H', pageDown: '\u001B[6~' };

/**
 * How a session must end: the alternate screen left, after which only `allowedAfter` may follow
 * (nothing but the cursor-show that Ink's restore-cursor always writes at exit, or an error message
 * meant for the normal screen), the cursor shown, the terminal on its normal screen.
 */
export function terminalRestored(session: TerminalSession, allowedAfter: RegExp = /^(\u001B\[\?25h)*$/): string[] {
  const problems: string[] = [];
  const leave = session.raw.lastIndexOf('\u001B[?1049l');
  if (leave < 0 || session.raw.lastIndexOf('\u001B[?1049h') > leave) problems.push('the alternate screen was not left');
  const after = session.raw.slice(leave + '\u001B[?1049l'.length);
  if (!allowedAfter.test(after)) problems.push(`unexpected output after leaving the alternate screen: ${JSON.stringify(after.slice(0, 200))}`);
  if (session.raw.lastIndexOf('\u001B[?25h') < session.raw.lastIndexOf('\u001B[?25l')) problems.push('the cursor is left hidden');
  if (session.alternate) problems.push('the terminal is still on the alternate screen');
  return problems;
}

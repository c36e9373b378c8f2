/**
 * The terminal's full-screen lifecycle, for the show and the presenter console alike: alternate
 * screen in before the first frame, and the terminal restored on every way out — a normal exit,
 * an error, a signal (SIGINT, SIGTERM, SIGHUP) or an uncaught exception. Ink 6.8 has no
 * alternate-screen option, so it is done here.
 */
import { render, type Instance } from 'ink';
import { cloneElement, type ReactElement } from 'react';

export const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H';
/** Cursor shown, then the normal screen back: the last thing a session writes. */
export const LEAVE_ALT_SCREEN = '\x1b[?25h\x1b[?1049l';

/** After a signal, how long cleanup (cancelling a query, closing a connection) may take. */
const SIGNAL_GRACE_MS = 3000;

export interface FullScreenOptions {
  /** Asynchronous cleanup before leaving on a signal: cancel what runs, close the engine. */
  cleanup: () => Promise<void>;
  /** Synchronous cleanup on every way out (e.g. removing a socket file). */
  cleanupSync?: () => void;
  /** Render options for Ink; the caller may want e.g. a higher maxFps. */
  maxFps?: number;
}

function write(text: string) {
  try {
    process.stdout.write(text);
  } catch {
    // the terminal is gone (SIGHUP): nothing left to restore
  }
}

/** Renders `tree` full screen until it exits; resolves after the terminal is restored. */
export async function runFullScreen(tree: ReactElement, options: FullScreenOptions): Promise<void> {
  let instance: Instance | undefined;
  let left = false;
  const leave = () => {
    if (left) return;
    left = true;
    try {
      options.cleanupSync?.();
    } catch {
      // cleanup must never keep the terminal from being restored
    }
    try {
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
    } catch {
      // stdin already closed
    }
    write(LEAVE_ALT_SCREEN);
  };
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    const code = signal === 'SIGINT' ? 130 : signal === 'SIGHUP' ? 129 : 143;
    const finish = () => {
      try {
        instance?.unmount();
      } catch {
        // unmounting a broken tree: the terminal is restored below all the same
      }
      leave();
      process.exit(code);
    };
    // A second signal while cleaning up: leave at once.
    if (signalled) return finish();
    signalled = true;
    setTimeout(finish, SIGNAL_GRACE_MS).unref();
    void options.cleanup().catch(() => undefined).finally(finish);
  };
  const onCrash = (error: unknown) => {
    try {
      instance?.unmount();
    } catch {
      // see above
    }
    leave();
    process.stderr.write(`demo: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  // `on`, not `once`: Ink's signal-exit re-sends a signal nobody else listens to, which would kill
  // the process before the cleanup and the terminal's restoration are done.
  for (const signal of signals) process.on(signal, onSignal);
  process.once('uncaughtException', onCrash);
  process.once('unhandledRejection', onCrash);
  process.once('exit', leave);

  const relayout = () => instance?.rerender(cloneElement(tree));

  write(ENTER_ALT_SCREEN);
  try {
    instance = render(tree, {
      exitOnCtrlC: false,
      patchConsole: false,
      // Not `incrementalRendering`: in ink 6.8 it writes each frame one row too low after a
      // frame that ends in a newline (seen in tmux). Standard frames are wrapped in synchronized
      // output (mode 2026) by Ink, so terminals that know it draw each frame at once.
      maxFps: options.maxFps,
    });
    // Ink redraws on resize with the tree as it was laid out for the old size; a frame taller than
    // the new terminal makes Ink clear the whole screen. Re-rendering first, synchronously, lays
    // the tree out for the new size before Ink's own listener draws it.
    process.stdout.prependListener('resize', relayout);
    await instance.waitUntilExit();
  } finally {
    process.stdout.off('resize', relayout);
    leave();
    for (const signal of signals) process.off(signal, onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    process.off('exit', leave);
  }
}

/**
 * Starts the full-screen show: alternate screen in, render, and the terminal restored on every
 * way out (quit, error, signal). Ink 6.8 has no alternate-screen option, so we do it here.
 */
import { render } from 'ink';
import React from 'react';
import type { CliOptions } from '../cli/args.js';
import { ShowSession } from '../core/session.js';
import { createEngine } from '../engine/create.js';
import type { Runbook } from '../runbook/model.js';
import type { ParamValue } from '../runbook/sql.js';
import { App } from './App.js';

const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H';
const LEAVE_ALT_SCREEN = '\x1b[?25h\x1b[?1049l';

export async function runTui(options: {
  runbook: Runbook;
  params: Readonly<Record<string, ParamValue>>;
  options: CliOptions;
  stateDir: string;
}): Promise<number> {
  const engine = await createEngine(options.options.engine, {
    runbook: options.runbook,
    connection: options.options.connection,
    stateDir: options.stateDir,
    speed: options.options.speed,
  });
  const session = new ShowSession(engine, options.params);

  let left = false;
  const leave = () => {
    if (left) return;
    left = true;
    process.stdout.write(LEAVE_ALT_SCREEN);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    void session.close().finally(() => {
      instance.unmount();
      leave();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  };
  const onCrash = (error: unknown) => {
    leave();
    process.stderr.write(`demo: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  process.once('uncaughtException', onCrash);
  process.once('unhandledRejection', onCrash);
  process.once('exit', leave);

  let code = 0;
  process.stdout.write(ENTER_ALT_SCREEN);
  const instance = render(<App runbook={options.runbook} session={session} audience={options.options.audience} onExit={(c) => (code = c)} />, {
    exitOnCtrlC: false,
    patchConsole: false,
  });
  try {
    await instance.waitUntilExit();
  } finally {
    leave();
  }
  return code;
}

/**
 * Starts the full-screen show: the engine, the session, the presenter console's socket, and the
 * App inside the full-screen lifecycle (alternate screen, terminal restored on every way out).
 */
import React from 'react';
import type { CliOptions } from '../cli/args.js';
import { ShowSession } from '../core/session.js';
import { createEngine } from '../engine/create.js';
import type { EngineKind } from '../engine/types.js';
import { startPresenterServer, type PresenterServer } from '../presenter/server.js';
import type { Runbook } from '../runbook/model.js';
import type { ParamValue } from '../runbook/sql.js';
import { renderRunbookText } from '../runbook/text.js';
import { App } from './App.js';
import { runFullScreen } from './screen.js';

export async function runTui(options: {
  runbook: Runbook;
  params: Readonly<Record<string, ParamValue>>;
  options: CliOptions;
  stateDir: string;
  /** The flags that select this engine and params, for the commands the screen names. */
  flags?: string;
  /** Rehearsal: the engine whose run it replays, whose words it speaks. */
  speaksFor?: EngineKind;
}): Promise<number> {
  const engine = await createEngine(options.options.engine, {
    runbook: options.runbook,
    connection: options.options.connection,
    stateDir: options.stateDir,
    speed: options.options.speed,
    limits: options.options.limits,
    local: options.options.local,
  });
  const session = new ShowSession(engine, options.params, { runbook: options.runbook, stateDir: options.stateDir });
  // On a live engine the header shows the connection being made before the first step is run.
  session.connectInBackground();

  // The show goes on without the console if its socket cannot be had (another show owns it, a
  // path too long for a socket…); the reason is shown on the status line.
  let server: PresenterServer | undefined;
  let serverProblem: string | undefined;
  try {
    server = await startPresenterServer({
      stateDir: options.stateDir,
      // The words as they read on this engine with these params; the show sends them afresh as it goes.
      show: renderRunbookText(options.runbook, { params: options.params, engine: engine.kind, flags: options.flags, speaksFor: options.speaksFor }),
      engine: { kind: engine.kind, note: engine.note },
      audience: options.options.audience,
    });
  } catch (error) {
    serverProblem = `presenter console unavailable: ${error instanceof Error ? error.message : String(error)}`;
  }

  let code = 0;
  await runFullScreen(
    <App
      runbook={options.runbook}
      session={session}
      audience={options.options.audience}
      flags={options.flags}
      speaksFor={options.speaksFor}
      remote={server}
      initialMessage={[...(engine.warnings ?? []).map((w) => `warning: ${w}`), serverProblem].filter(Boolean).join(' · ') || undefined}
      onExit={(c) => (code = c)}
    />,
    {
      cleanup: async () => {
        server?.close();
        await session.close();
      },
      cleanupSync: () => server?.closeSync(),
      maxFps: 1000,
    },
  );
  server?.close();
  // The screen is gone: how the teardown went (e.g. the warehouse back to its base size) stays readable.
  if (session.closingNote) process.stderr.write(`demo: ${session.closingNote}\n`);
  return code;
}

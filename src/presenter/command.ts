/** `demo presenter`: attach to the running show from a second terminal. */
// First: React must not load before the production flag is set (see ui/production.ts).
import '../ui/production.js';
import type { CliOptions } from '../cli/args.js';
import { stateDir } from '../cli/state-dir.js';
import { UsageError } from '../runbook/errors.js';
import { ShowConnection } from './client.js';
import { privateDirProblem } from './private.js';
import { socketDir, socketPath } from './protocol.js';


export async function presenterCommand(_options: CliOptions): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) throw new UsageError('demo presenter needs a terminal (it is a full-screen console)');
  const dir = socketDir(stateDir());
  // Refuse a folder others can reach: whoever can write there could pose as the show.
  const problem = privateDirProblem(dir);
  if (problem) throw new UsageError(`refusing to connect: ${problem}; it must be private to you (chmod 700)`);
  const connection = new ShowConnection(socketPath(stateDir()));
  const [React, { runFullScreen }, { PresenterApp }] = await Promise.all([import('react'), import('../ui/screen.js'), import('./PresenterApp.js')]);
  await runFullScreen(React.createElement(PresenterApp, { connection }), {
    cleanup: async () => connection.close(),
    cleanupSync: () => connection.close(),
  });
  connection.close();
  return 0;
}

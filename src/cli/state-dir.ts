import path from 'node:path';

/** Where local state lives: `.demo/` in the working directory, or $DEMO_STATE_DIR. One rule for every command. */
export function stateDir(): string {
  return process.env.DEMO_STATE_DIR ?? path.resolve('.demo');
}

#!/usr/bin/env node
import { main } from './commands.js';

// `demo --rehearse | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// Exit explicitly: after a network failure the Snowflake driver keeps retrying abandoned requests
// on its own timers, which would hold the process open long after the show said goodbye.
void main(process.argv.slice(2)).then((code) => {
  process.stdout.write('', () => process.exit(code));
});

/**
 * Local state: where it lives, and how files are written there. Everything under it is private to
 * its owner (folders 0700, files 0600): recordings, the cache, logs and the local database may name
 * accounts, users and data.
 */
import { chmodSync, lstatSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where local state lives: `.demo/` in the working directory, or $DEMO_STATE_DIR. One rule for every command. */
export function stateDir(): string {
  return process.env.DEMO_STATE_DIR ?? path.resolve('.demo');
}

/**
 * Creates a folder (and any missing parents) owner-only; an existing one of ours that others can
 * enter (made by an older version, or by hand) is closed. Folders above it that existed are left alone.
 */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  const ours = typeof process.getuid !== 'function' || stat.uid === process.getuid();
  if (stat.isDirectory() && !stat.isSymbolicLink() && ours && (stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/**
 * Writes through a temporary file and a rename: a reader sees the old file or the new, never half.
 * New files are owner-only unless `mode` says otherwise (a report the presenter asked for: 0o666,
 * less the umask). A failed write leaves no temporary file behind.
 */
export function writeAtomically(file: string, text: string, mode = 0o600): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    // A temporary file left by a crashed process with our pid would keep its own mode.
    rmSync(temp, { force: true });
    writeFileSync(temp, text, { mode });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

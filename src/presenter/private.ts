/**
 * The presenter socket's folder must be private: a folder only its owner can enter (0700) keeps
 * everyone else away from the socket inside it, whatever the socket's own mode says.
 */
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';

export class NotPrivateError extends Error {}

/** Creates the folder (0700) or checks an existing one: ours, a real folder, no access for others. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let stat = lstatSync(dir);
  if (!stat.isDirectory() || stat.isSymbolicLink()) throw new NotPrivateError(`${dir} is not a folder`);
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) throw new NotPrivateError(`${dir} belongs to another user`);
  // Ours but too open (made by hand, or under a loose umask by an older version): close it.
  if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  stat = lstatSync(dir);
  if ((stat.mode & 0o777) !== 0o700) throw new NotPrivateError(`${dir} could not be made private (mode ${(stat.mode & 0o777).toString(8)})`);
}

/** For the console: checks without changing anything; returns a reason when the folder is not private. */
export function privateDirProblem(dir: string): string | undefined {
  let stat;
  try {
    stat = lstatSync(dir);
  } catch {
    return undefined; // not there yet: the show has not started
  }
  if (!stat.isDirectory() || stat.isSymbolicLink()) return `${dir} is not a folder`;
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) return `${dir} belongs to another user`;
  if ((stat.mode & 0o077) !== 0) return `${dir} is open to other users (mode ${(stat.mode & 0o777).toString(8)})`;
  return undefined;
}

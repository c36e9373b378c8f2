/**
 * Reading the files a runbook names, as someone else's runbook might name them: only regular files
 * of a sane size are read (never a folder, a FIFO that would hang, or a device), and SQL files only
 * from inside the runbook's own folder, after following links.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** Larger than any runbook or SQL file a show needs; a bigger one is a mistake or an attack. */
export const MAX_FILE_BYTES = 1024 * 1024;

export type ReadResult = { text: string } | { missing: true } | { problem: string };

/**
 * Reads a UTF-8 text file without ever blocking on it: opened non-blocking (a FIFO opens at once),
 * then checked through its descriptor (no race with a file swapped in between).
 */
export function readTextFile(file: string, maxBytes = MAX_FILE_BYTES): ReadResult {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { missing: true };
    return { problem: code === 'EACCES' ? 'permission denied' : (error as Error).message };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { problem: 'a folder, not a file' };
    if (!stat.isFile()) return { problem: 'not a regular file (a FIFO, socket or device)' };
    if (stat.size > maxBytes) return { problem: `too large (${stat.size.toLocaleString('en-GB')} bytes; at most ${maxBytes.toLocaleString('en-GB')})` };
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return { text: buffer.subarray(0, read).toString('utf8') };
  } catch (error) {
    return { problem: (error as Error).message };
  } finally {
    closeSync(fd);
  }
}

/** The text, or null when the file is absent or cannot be read safely (for fingerprints). */
export function readTextOrNull(file: string, maxBytes = MAX_FILE_BYTES): string | null {
  const result = readTextFile(file, maxBytes);
  return 'text' in result ? result.text : null;
}

export type SqlFile = { abs: string; real: string } | { problem: string };

/**
 * Where `sql: PATH` points, or why it may not be read: a relative path to a `.sql` file that,
 * after following links, is inside the runbook's folder. `abs` is the path as written (messages
 * show the name the author used), `real` the file to read.
 */
export function resolveSqlFile(runbookDir: string, sqlPath: string): SqlFile {
  if (path.isAbsolute(sqlPath) || /^[A-Za-z]:[\\/]/.test(sqlPath)) {
    return { problem: `'${sqlPath}' is an absolute path: give a path relative to the runbook's folder` };
  }
  if (!sqlPath.toLowerCase().endsWith('.sql')) return { problem: `'${sqlPath}' is not a .sql file` };
  const abs = path.resolve(runbookDir, sqlPath);
  if (!isInside(runbookDir, abs)) return { problem: `'${sqlPath}' is outside the runbook's folder` };
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    return { abs, real: abs }; // missing: the reader says so
  }
  if (!isInside(realpathSync(runbookDir), real)) return { problem: `'${sqlPath}' leads outside the runbook's folder (through a link)` };
  return { abs, real };
}

function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

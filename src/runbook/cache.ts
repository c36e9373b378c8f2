/**
 * A validated runbook, kept under .demo/cache/ so the show starts without loading the YAML parser
 * and the schema (a tenth of a second on stage). An entry is used only while the runbook, every
 * SQL file it read and every twin it looked for are byte-for-byte unchanged.
 */
import { createHash } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { privateDir, writeAtomically } from '../cli/state-dir.js';
import type { EngineKind } from '../engine/types.js';
import { readTextOrNull } from './files.js';
import type { Runbook } from './model.js';

const KEEP = 20;

function hash(text: string | null): string {
  return text === null ? 'absent' : createHash('sha256').update(text).digest('hex');
}

/** Changes when our own loader changes, so an entry never outlives the code that made it. */
function loaderStamp(): string {
  try {
    return String(statSync(new URL('./load.js', import.meta.url)).mtimeMs);
  } catch {
    return 'unknown';
  }
}

interface Entry {
  files: Record<string, string>;
  runbook: Runbook;
}

export async function loadRunbookCached(file: string, engines: readonly EngineKind[], cacheDir: string): Promise<Runbook> {
  const text = readTextOrNull(path.resolve(file));
  const key = hash(JSON.stringify([loaderStamp(), process.cwd(), path.resolve(file), engines, text]));
  const entryFile = path.join(cacheDir, `runbook-${key.slice(0, 32)}.json`);
  if (text !== null) {
    const entry = readTextOrNull(entryFile, 64 * 1024 * 1024);
    if (entry !== null) {
      try {
        const parsed = JSON.parse(entry) as Entry;
        if (Object.entries(parsed.files).every(([f, h]) => hash(readTextOrNull(f)) === h)) return parsed.runbook;
      } catch {
        // A damaged entry is just a miss.
      }
    }
  }
  const { loadRunbook } = await import('./load.js');
  const files = new Map<string, string | null>();
  const runbook = loadRunbook(file, { engines, files });
  try {
    // Owner-only, like everything under .demo/; it holds the runbook and the SQL the show runs, nothing more.
    privateDir(cacheDir);
    const entry: Entry = { files: Object.fromEntries([...files].map(([f, t]) => [f, hash(t)])), runbook };
    writeAtomically(entryFile, JSON.stringify(entry));
    prune(cacheDir);
  } catch {
    // The cache is an optimisation: a read-only folder must not stop the show.
  }
  return runbook;
}

function prune(cacheDir: string): void {
  const entries = readdirSync(cacheDir)
    .filter((f) => f.startsWith('runbook-'))
    .map((f) => ({ f, t: statSync(path.join(cacheDir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { f } of entries.slice(KEEP)) rmSync(path.join(cacheDir, f), { force: true });
}

/**
 * A validated runbook, kept under .demo/cache/ so the show starts without loading the YAML parser
 * and the schema (a tenth of a second on stage). An entry is used only while the runbook, every
 * SQL file it read and every twin it looked for are byte-for-byte unchanged.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EngineKind } from '../engine/types.js';
import type { Runbook } from './model.js';

const KEEP = 20;

function hash(text: string | null): string {
  return text === null ? 'absent' : createHash('sha256').update(text).digest('hex');
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
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
  const text = readOrNull(path.resolve(file));
  const key = hash(JSON.stringify([loaderStamp(), process.cwd(), path.resolve(file), engines, text]));
  const entryFile = path.join(cacheDir, `runbook-${key.slice(0, 32)}.json`);
  if (text !== null) {
    const entry = readOrNull(entryFile);
    if (entry !== null) {
      try {
        const parsed = JSON.parse(entry) as Entry;
        if (Object.entries(parsed.files).every(([f, h]) => hash(readOrNull(f)) === h)) return parsed.runbook;
      } catch {
        // A damaged entry is just a miss.
      }
    }
  }
  const { loadRunbook } = await import('./load.js');
  const files = new Map<string, string | null>();
  const runbook = loadRunbook(file, { engines, files });
  try {
    mkdirSync(cacheDir, { recursive: true });
    const entry: Entry = { files: Object.fromEntries([...files].map(([f, t]) => [f, hash(t)])), runbook };
    writeFileSync(entryFile, JSON.stringify(entry));
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

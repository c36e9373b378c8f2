#!/usr/bin/env node
/**
 * `npm start` builds only when a source changed: each `src/**\/*.ts(x)` against its `dist/**\/*.js`,
 * and `tsconfig.json` and `package.json` against the oldest output. Reading the dates takes a few
 * milliseconds; `tsc` takes seconds, and is run only when an output is missing or older.
 * `--why` says what made it build.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');

function mtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(file);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [file] : [];
  });
}

/** Why the build is out of date, or undefined when every output is newer than what it is built from. */
function staleness() {
  let oldest = Infinity;
  for (const file of sources(src)) {
    const output = path.join(dist, path.relative(src, file)).replace(/\.tsx?$/, '.js');
    const built = mtime(output);
    if (built === undefined) return `${path.relative(root, output)} is missing`;
    if (built < mtime(file)) return `${path.relative(root, file)} changed`;
    oldest = Math.min(oldest, built);
  }
  for (const config of ['tsconfig.json', 'package.json']) {
    if ((mtime(path.join(root, config)) ?? 0) > oldest) return `${config} changed`;
  }
  return undefined;
}

const reason = staleness();
if (reason) {
  if (process.argv.includes('--why')) process.stderr.write(`building: ${reason}\n`);
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });
  process.exit(tsc.status ?? 1);
}

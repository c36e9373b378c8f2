/**
 * `npm start` builds only when a source changed: the check against dist/ runs `tsc` only when an
 * output is missing or older than its source (or than tsconfig.json / package.json).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratch } from '../helpers.js';

/** A project of two sources, with a stand-in `tsc` that counts its runs and writes the outputs. */
function project(): { root: string; check: () => { code: number | null; stderr: string }; builds: () => number } {
  const root = scratch({
    'src/a.ts': 'export const a = 1;\n',
    'src/ui/b.tsx': 'export const b = 2;\n',
    'tsconfig.json': '{}\n',
    'package.json': '{}\n',
    'node_modules/typescript/bin/tsc': `const fs = require('node:fs');
fs.appendFileSync(${JSON.stringify('BUILDS')}, 'x');
fs.mkdirSync('dist/ui', { recursive: true });
fs.writeFileSync('dist/a.js', '');
fs.writeFileSync('dist/ui/b.js', '');
`,
  });
  writeFileSync(path.join(root, 'node_modules/typescript/package.json'), '{"type":"commonjs"}');
  mkdirSync(path.join(root, 'scripts'));
  copyFileSync(path.resolve('scripts/build-if-stale.mjs'), path.join(root, 'scripts/build-if-stale.mjs'));
  const check = () => {
    const run = spawnSync(process.execPath, [path.join(root, 'scripts/build-if-stale.mjs'), '--why'], { cwd: root, encoding: 'utf8' });
    return { code: run.status, stderr: run.stderr };
  };
  const builds = () => (existsSync(path.join(root, 'BUILDS')) ? spawnSync('cat', [path.join(root, 'BUILDS')], { encoding: 'utf8' }).stdout.length : 0);
  return { root, check, builds };
}

/** Sets a file's modification time to `seconds` ago. */
const ago = (root: string, file: string, seconds: number) => {
  const at = new Date(Date.now() - seconds * 1000);
  utimesSync(path.join(root, file), at, at);
};

describe('npm start: build only when the sources changed', () => {
  it('builds when an output is missing, not when all are up to date, and again when a source or the config changed', () => {
    const { root, check, builds } = project();
    expect(check()).toEqual({ code: 0, stderr: 'building: dist/a.js is missing\n' });
    expect(builds()).toBe(1);
    expect(check()).toEqual({ code: 0, stderr: '' });
    expect(builds()).toBe(1);
    // A source edited after the build: its output is older.
    ago(root, 'dist/ui/b.js', 60);
    expect(check().stderr).toBe(`building: ${path.join('src', 'ui', 'b.tsx')} changed\n`);
    expect(builds()).toBe(2);
    for (const source of ['src/a.ts', 'src/ui/b.tsx', 'tsconfig.json', 'package.json']) ago(root, source, 120);
    for (const output of ['dist/a.js', 'dist/ui/b.js']) ago(root, output, 60);
    expect(check()).toEqual({ code: 0, stderr: '' });
    ago(root, 'tsconfig.json', 0);
    expect(check().stderr).toBe('building: tsconfig.json changed\n');
    expect(builds()).toBe(3);
    rmSync(path.join(root, 'dist/ui/b.js'));
    expect(check().stderr).toBe(`building: ${path.join('dist', 'ui', 'b.js')} is missing\n`);
    expect(check()).toEqual({ code: 0, stderr: '' });
    expect(builds()).toBe(4);
  });
});

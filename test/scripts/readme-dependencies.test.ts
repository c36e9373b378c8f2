/** The README's dependency table names every package of package.json, and no other. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

it("the README's dependency table matches package.json", () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('### Dependencies'), readme.indexOf('## Benchmarks'));
  const rows = table.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| package') && !line.startsWith('| ---'));
  const named = { dependencies: new Set<string>(), devDependencies: new Set<string>() };
  for (const row of rows) {
    const cell = row.split('|')[1]!;
    const dev = cell.trim().startsWith('dev:');
    for (const [, name] of cell.matchAll(/`([^`\s]+)`/g)) named[dev ? 'devDependencies' : 'dependencies'].add(name!);
  }
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<'dependencies' | 'devDependencies', Record<string, string>>;
  for (const kind of ['dependencies', 'devDependencies'] as const) {
    // `@types/*` stands for every type package.
    const declared = Object.keys(pkg[kind]).map((name) => (name.startsWith('@types/') ? '@types/*' : name));
    expect([...named[kind]].sort(), kind).toEqual([...new Set(declared)].sort());
  }
});

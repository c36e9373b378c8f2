/**
 * The JSON Schema editors read (runbook.schema.json, `demo schema`): generated from the zod schema,
 * shipped up to date, every key documented, and agreeing with `demo validate` on what a runbook may
 * hold — checked with a real JSON Schema validator on every runbook we ship and on a sample of
 * mistakes an author makes.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Validator } from '@cfworker/json-schema';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runbookJsonSchema, runbookJsonSchemaText } from '../../src/runbook/json-schema.js';
import { runbookSchema } from '../../src/runbook/schema.js';
import { MINIMAL } from '../helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SHIPPED = path.join(ROOT, 'runbook.schema.json');
const RUNBOOKS = [path.join(ROOT, 'runbook.yml'), ...readdirSync(path.join(ROOT, 'examples')).map((name) => path.join(ROOT, 'examples', name, 'runbook.yml'))];

const validator = new Validator(runbookJsonSchema() as never, '7', false);
const editorAccepts = (doc: unknown) => validator.validate(doc).valid;
const validateAccepts = (doc: unknown) => runbookSchema.safeParse(doc).success;

describe('the runbook JSON Schema', () => {
  it('is shipped as generated: runbook.schema.json is what demo schema prints', () => {
    const message = 'runbook.schema.json is out of date: run `npm run build && npx demo schema > runbook.schema.json`, then commit it';
    expect(readFileSync(SHIPPED, 'utf8'), message).toBe(runbookJsonSchemaText());
    const printed = execFileSync(process.execPath, [path.join(ROOT, 'dist/cli/main.js'), 'schema'], { cwd: '/', encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(printed, message).toBe(readFileSync(SHIPPED, 'utf8'));
  });

  it('documents every key, so an editor shows the doc while the author types it', () => {
    const undocumented: string[] = [];
    const walk = (node: unknown, where: string): void => {
      if (!node || typeof node !== 'object') return;
      const schema = node as Record<string, unknown>;
      for (const [key, value] of Object.entries((schema.properties as Record<string, Record<string, unknown>>) ?? {})) {
        if (typeof value.description !== 'string' || value.description.length < 10) undocumented.push(`${where}.${key}`);
        walk(value, `${where}.${key}`);
      }
      for (const key of ['anyOf', 'oneOf'] as const) for (const [i, branch] of ((schema[key] as unknown[]) ?? []).entries()) walk(branch, `${where}|${i}`);
      if (schema.items) walk(schema.items, `${where}[]`);
      if (typeof schema.additionalProperties === 'object') walk(schema.additionalProperties, `${where}.*`);
    };
    walk(runbookJsonSchema(), '');
    expect(undocumented).toEqual([]);
    // Spot checks that the docs are the README's.
    const text = runbookJsonSchemaText();
    expect(text).toContain('Lower-case letters, digits and dashes; unique.');
    expect(text).toContain('asks for confirmation every time');
  });

  it('accepts every runbook we ship, each of which names it for the editor on its first line', () => {
    for (const file of RUNBOOKS) {
      const text = readFileSync(file, 'utf8');
      const doc = parse(text) as unknown;
      const result = validator.validate(doc);
      expect(result.errors.map((e) => `${e.instanceLocation}: ${e.error}`), file).toEqual([]);
      expect(validateAccepts(doc), file).toBe(true);
      const first = text.split('\n')[0]!;
      const named = /^# yaml-language-server: \$schema=(\S+)$/.exec(first)?.[1];
      expect(named, `${file} starts with the yaml-language-server $schema comment`).toBeDefined();
      expect(path.resolve(path.dirname(file), named!)).toBe(SHIPPED);
    }
  });

  it('leaves out what has a default, as validate does', () => {
    const doc = { title: 'T', steps: [{ id: 'a', title: 'A', inline: 'SELECT 1' }], restore: { id: 'r', title: 'R', inline: 'SELECT 1' } };
    expect(editorAccepts(doc)).toBe(true);
    expect(validateAccepts(doc)).toBe(true);
    expect(editorAccepts(parse(MINIMAL))).toBe(true);
  });

  // Mistakes an author makes, each checked by hand to be one; the editor flags each as validate does.
  const base = parse(MINIMAL) as Record<string, unknown>;
  const steps = base.steps as Array<Record<string, unknown>>;
  const mistakes: Array<[string, Record<string, unknown>]> = [
    ['an unknown top-level key', { ...base, titel: 'typo' }],
    ['an unknown step key', { ...base, steps: [{ ...steps[0], destrutive: true }, ...steps.slice(1)] }],
    ['an unknown key in a mock', { ...base, steps: [{ ...steps[0], mock: { duration: '1s', colums: ['N'] } }] }],
    ['a display that does not exist', { ...base, steps: [{ ...steps[0], display: 'chart' }] }],
    ['a step id in capitals', { ...base, steps: [{ ...steps[0], id: 'Counts' }] }],
    ['a duration in words', { ...base, steps: [{ ...steps[0], target: '5 minutes' }] }],
    ['a param of no known type', { ...base, params: { n: { type: 'number', default: 1 } } }],
    ['an integer param with a text default', { ...base, params: { n: { type: 'integer', default: 'ten' } } }],
    ['an identifier param that is not one', { ...base, params: { db: { type: 'identifier', default: '1BRONZE' } } }],
    ['a talking point of the wrong shape', { ...base, steps: [{ ...steps[0], talk: [{ text: 'hello' }] }] }],
    ['a talk line for an engine that does not exist', { ...base, steps: [{ ...steps[0], talk: [{ say: 'hi', engines: ['postgres'] }] }] }],
    ['no restore', Object.fromEntries(Object.entries(base).filter(([k]) => k !== 'restore'))],
    ['no steps', { ...base, steps: [] }],
    ['an expectation with an unknown key', { ...base, steps: [{ ...steps[0], expect: [{ row: 'A', equal: 1 }] }] }],
    ['a may_change pattern with a space', { ...base, may_change: ['MY DB'] }],
    ['a memory limit without a unit', { ...base, local: { memory_limit: '2' } }],
    ['no threads at all', { ...base, local: { threads: 0 } }],
    ['a layer colour that does not exist', { ...base, layers: [{ layer: 'RAW', color: 'bronze' }] }],
    ['a comparison measure that does not exist', { ...base, steps: [{ ...steps[0], comparison: { competitors: ['X'], rows: [{ feature: 'F', measure: 'speed', others: {} }] } }] }],
  ];
  for (const [what, doc] of mistakes) {
    it(`flags ${what}, as validate does`, () => {
      expect(validateAccepts(doc)).toBe(false);
      expect(editorAccepts(doc)).toBe(false);
    });
  }
});

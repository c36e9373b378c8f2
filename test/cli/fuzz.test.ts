/**
 * Seeded random damage to the shipped runbook (its YAML text and its values) and to a recording,
 * thrown at `demo validate`, `demo --rehearse` (plain) and `demo report` through the built binary.
 * Whatever the damage: no stack trace, no control character on the terminal, an exit code of 0, 1
 * or 2, and nothing played when the runbook is invalid. A failure prints its seed: rerun it with
 * FUZZ_SEED=<seed>.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { loadRunbook } from '../../src/runbook/load.js';

const BIN = path.resolve('dist/cli/main.js');
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
// A few each in the suite; raise them for a longer hunt, e.g. FUZZ_RUNBOOKS=300 FUZZ_RECORDINGS=200.
const RUNBOOK_MUTATIONS = Number(process.env.FUZZ_RUNBOOKS ?? 14);
const RECORDING_MUTATIONS = Number(process.env.FUZZ_RECORDINGS ?? 10);

/** mulberry32: small, seeded, good enough to pick damage. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

/** Values an author, a param or a copied file might hold by mistake or on purpose. */
const NASTY: unknown[] = [
  null, -1, 0, 1e308, -1e-300, 3.5, true, '', ' ', 'x'.repeat(5000), [], {}, [null], { a: null },
  '../../etc/passwd', '/etc/passwd', 'sql/../../secret.sql', 'sql/verify', '{{ constructor }}', '{{ nope }}',
  'DROP TABLE PHARMACY2U_BRONZE.RAW_DATA.RAW_PATIENTS', 'WITH x AS (SELECT 1) DELETE FROM T', '__proto__', 'constructor',
  '\u001b]0;PWNED\u0007', '\u009b2J', 'NaN', '1e-300', '100000 * constructor', '5m', '-5m', '99999h', 'PROD_DB', 'café ☕',
];

/** YAML-level damage: lines removed, doubled, swapped, re-indented, cut, or junk typed in. */
function damageText(rng: Rng, text: string): string {
  const lines = text.split('\n');
  const at = Math.floor(rng() * lines.length);
  switch (Math.floor(rng() * 6)) {
    case 0:
      lines.splice(at, 1);
      return lines.join('\n');
    case 1:
      lines.splice(at, 0, lines[at]!);
      return lines.join('\n');
    case 2: {
      const other = Math.floor(rng() * lines.length);
      [lines[at], lines[other]] = [lines[other]!, lines[at]!];
      return lines.join('\n');
    }
    case 3:
      lines[at] = rng() < 0.5 ? ` ${lines[at]}` : lines[at]!.replace(/^ {1,2}/, '');
      return lines.join('\n');
    case 4:
      return text.slice(0, Math.floor(rng() * text.length));
    default: {
      const junk = Array.from({ length: 1 + Math.floor(rng() * 4) }, () => pick(rng, [...':{}[]&*!|>\'"#%@-?,\t', '\u0000', '\u001b', '\n'])).join('');
      const offset = Math.floor(rng() * text.length);
      return text.slice(0, offset) + junk + text.slice(offset);
    }
  }
}

/** Every path to a node of a parsed document (maps and sequences walked). */
function nodePaths(node: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [at];
  if (isMap(node)) for (const pair of node.items) if (isScalar(pair.key)) out.push(...nodePaths(pair.value, [...at, String(pair.key.value)]));
  if (isSeq(node)) node.items.forEach((item, i) => out.push(...nodePaths(item, [...at, i])));
  return out;
}

/** Value-level damage: a node replaced, a key removed or added, a destructive step unmarked. */
function damageValues(rng: Rng, text: string): string {
  const doc: Document = parseDocument(text);
  for (let n = 1 + Math.floor(rng() * 3); n > 0; n--) {
    // Afresh each time: an earlier change may have replaced a whole branch.
    const target = pick(rng, nodePaths(doc.contents as Node).filter((p) => p.length > 0));
    switch (Math.floor(rng() * 4)) {
      case 0:
        doc.setIn(target, doc.createNode(pick(rng, NASTY)));
        break;
      case 1:
        doc.deleteIn(target);
        break;
      case 2:
        if (isMap(doc.getIn(target.slice(0, -1), true))) doc.setIn([...target.slice(0, -1), pick(rng, ['destrutive', '__proto__', 'sql', 'cleanup', 'may_change'])], doc.createNode(pick(rng, NASTY)));
        break;
      default:
        if (target[0] === 'steps' && typeof target[1] === 'number') doc.setIn(['steps', target[1], 'destructive'], false);
    }
  }
  return doc.toString();
}

/** A well-formed recording of the shipped show, from its mocks, as a local run would write it. */
function recordingOf(runbookFile: string): Record<string, unknown> {
  const runbook = loadRunbook(runbookFile);
  const at = '2026-11-20T14:03:00.000Z';
  const entries = [...runbook.steps, runbook.restore]
    .filter((s) => s.queries.length > 0)
    .map((step) => ({
      kind: 'step', stepId: step.id, title: step.title, startedAt: at, finishedAt: at, status: 'done', elapsedMs: 1200, wallMs: 1300,
      queries: step.queries.map((q) => ({
        label: q.label, columns: q.mock?.columns ?? [], rows: q.mock?.rows ?? [], rowCount: q.mock?.rows.length ?? 0, truncated: false,
        elapsedMs: q.mock?.durationMs ?? 0, expectations: [],
      })),
      statements: [], notices: [],
    }));
  return {
    format: 'demo-recording/1', id: '2026-11-20T14-03-00.000Z-walk-local', command: 'walk', runbook: { title: runbook.title, file: 'runbook.yml' },
    engine: 'local', startedAt: at, updatedAt: at, finishedAt: at, params: { multiplier: 10 }, entries,
  };
}

/** JSON-level damage to a recording: a value replaced or removed, or the text cut or spiked. */
function damageRecording(rng: Rng, recording: Record<string, unknown>): string {
  const copy = structuredClone(recording);
  const paths: Array<Array<string | number>> = [];
  const walk = (value: unknown, at: Array<string | number>) => {
    paths.push(at);
    if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...at, Array.isArray(value) ? Number(k) : k]);
  };
  walk(copy, []);
  for (let n = 1 + Math.floor(rng() * 3); n > 0; n--) {
    const target = pick(rng, paths.filter((p) => p.length > 0));
    const parent = target.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], copy) as Record<string | number, unknown> | undefined;
    if (!parent || typeof parent !== 'object') continue;
    if (rng() < 0.3) delete parent[target.at(-1)!];
    else parent[target.at(-1)!] = pick(rng, NASTY);
  }
  const text = JSON.stringify(copy);
  return rng() < 0.15 ? text.slice(0, Math.floor(rng() * text.length)) : text;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function demo(args: string[], cwd: string, state: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH, CI: 'true', DEMO_STATE_DIR: state }, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs jobs two at a time (the machine has two cores). */
async function inPairs<T>(jobs: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all([0, 1].map(async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  }));
  return results;
}

/** What must hold for any run, whatever it was given. */
function problems(what: string, run: Run): string[] {
  const out: string[] = [];
  const all = `${run.stdout}${run.stderr}`;
  if (run.code === null || ![0, 1, 2].includes(run.code)) out.push(`${what}: exit code ${run.code}`);
  if (/unexpected error|\n\s+at .+:\d+:\d+\)?\n/.test(all)) out.push(`${what}: a stack trace or unexpected error:\n${all.slice(0, 2000)}`);
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(all)) out.push(`${what}: a raw control character in the output`);
  return out;
}

let dir: string;
const SHIPPED = path.resolve('runbook.yml');

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'demo-fuzz-'));
  cpSync(path.resolve('sql'), path.join(dir, 'sql'), { recursive: true });
});

describe(`fuzzing with seed ${SEED} (rerun with FUZZ_SEED=${SEED})`, () => {
  it('damaged runbooks: validate and rehearse fail cleanly, and play nothing when invalid', async () => {
    const rng = random(SEED);
    const { readFileSync } = await import('node:fs');
    const original = readFileSync(SHIPPED, 'utf8');
    const cases = Array.from({ length: RUNBOOK_MUTATIONS }, (_, i) => {
      const text = rng() < 0.5 ? damageText(rng, original) : damageValues(rng, original);
      const file = `runbook-${i}.yml`;
      writeFileSync(path.join(dir, file), text);
      return file;
    });
    const state = mkdtempSync(path.join(tmpdir(), 'demo-fuzz-state-'));
    const runs = await inPairs(cases.flatMap((file) => [() => demo(['validate', file], dir, state), () => demo(['--rehearse', '--speed', '100000', '--runbook', file], dir, state)]));
    const found: string[] = [];
    cases.forEach((file, i) => {
      const [validate, rehearse] = [runs[2 * i]!, runs[2 * i + 1]!];
      found.push(...problems(`seed ${SEED}, ${file}, validate`, validate), ...problems(`seed ${SEED}, ${file}, --rehearse`, rehearse));
      if (validate.code === 2 && (rehearse.code !== 2 || rehearse.stdout !== '')) found.push(`seed ${SEED}, ${file}: invalid, yet --rehearse exited ${rehearse.code} with output:\n${rehearse.stdout.slice(0, 500)}`);
    });
    expect(found).toEqual([]);
  }, 60_000 + RUNBOOK_MUTATIONS * 2_000);

  it('damaged recordings: rehearse and report fail cleanly or carry on without them', async () => {
    const rng = random(SEED + 1);
    const good = recordingOf(SHIPPED);
    const jobs = Array.from({ length: RECORDING_MUTATIONS }, (_, i) => {
      const state = mkdtempSync(path.join(tmpdir(), 'demo-fuzz-state-'));
      mkdirSync(path.join(state, 'recordings'));
      writeFileSync(path.join(state, 'recordings', `${good.id as string}.json`), damageRecording(rng, good));
      return { i, state };
    });
    const runs = await inPairs(
      jobs.flatMap(({ state }) => [
        () => demo(['--rehearse', '--speed', '100000', '--runbook', SHIPPED], dir, state),
        () => demo(['report', '--runbook', SHIPPED], dir, state),
      ]),
    );
    const found = jobs.flatMap(({ i }) => [
      ...problems(`seed ${SEED + 1}, recording ${i}, --rehearse`, runs[2 * i]!),
      ...problems(`seed ${SEED + 1}, recording ${i}, report`, runs[2 * i + 1]!),
      // The show never depends on a recording: a damaged one may only cost its replay.
      ...(runs[2 * i]!.code === 2 ? [`seed ${SEED + 1}, recording ${i}: the rehearsal refused to start:\n${runs[2 * i]!.stderr}`] : []),
    ]);
    expect(found).toEqual([]);
  }, 60_000 + RECORDING_MUTATIONS * 2_000);
});

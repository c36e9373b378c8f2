/**
 * Loads runbook.yml: YAML with source positions, the zod schema, then the checks a schema cannot
 * make (ids, SQL files, placeholders, the destructive lint). Every problem is collected with its
 * file:line:column; any problem means nothing runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { Column, ColumnType, EngineKind, MockResult } from '../engine/types.js';
import { parseDuration } from '../format/duration.js';
import { formatPath, RunbookError, type Issue } from './errors.js';
import type { Query, Runbook, SqlText, Step, Talk } from './model.js';
import { checkParamValue, resolveParams } from './params.js';
import { ENGINE_NAMES, runbookSchema, type Expectation, type ParamSpec, type RawCheck, type RawStep } from './schema.js';
import { expressionProblems, isExpression } from './expressions.js';
import { findDestructive, renderTemplate } from './sql.js';

type PathKey = string | number;

class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    readonly file: string,
  ) {}

  /** The position of the node at `path`, or of its nearest existing ancestor. */
  at(path: readonly PathKey[], key?: string): { line: number; column: number } {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.doc.getIn(path.slice(0, depth), true);
      if (depth === path.length && key !== undefined && isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
        if (pair && isNode(pair.key) && pair.key.range) return this.pos(pair.key.range[0]);
      }
      if (isNode(node) && node.range) return this.pos(node.range[0]);
    }
    return { line: 1, column: 1 };
  }

  issue(path: readonly PathKey[], message: string, key?: string): Issue {
    return { file: this.file, ...this.at(path, key), path: formatPath(key ? [...path, key] : path), message };
  }

  private pos(offset: number) {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }
}

function describeZodIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `required: expected ${issue.expected}` : `expected ${issue.expected}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return issue.message === 'Invalid input' ? 'not one of the allowed forms (see the README, "Runbook format")' : issue.message;
    case 'invalid_format':
      return issue.message.startsWith('Invalid') ? `expected ${issue.format}` : `expected ${issue.message}`;
    default:
      return issue.message;
  }
}

function inferType(values: unknown[]): ColumnType {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length > 0 && present.every((v) => typeof v === 'number')) return 'number';
  if (present.length > 0 && present.every((v) => typeof v === 'boolean')) return 'boolean';
  return 'text';
}

function toMock(raw: NonNullable<RawStep['mock']>): MockResult {
  const columns: Column[] = raw.columns.map((name, i) => ({ name, type: inferType(raw.rows.map((r) => r[i])) }));
  return {
    columns,
    rows: raw.rows,
    rowCount: raw.row_count ?? raw.rows.length,
    durationMs: parseDuration(raw.duration) ?? 0,
  };
}

function toTalk(lines: RawStep['talk']): Talk[] {
  return lines.map((line) => (typeof line === 'string' ? { kind: 'say', text: line } : { kind: 'pause', text: line.pause }));
}

export interface LoadOptions {
  /** Render every SQL file with these engines' params to find unknown placeholders. */
  engines?: readonly EngineKind[];
  /** Every file the load depended on, with its text (null: looked for, absent), for the cache. */
  files?: Map<string, string | null>;
}

export function loadRunbook(file: string, options: LoadOptions = {}): Runbook {
  const shown = path.relative(process.cwd(), file) || file;
  const dir = path.dirname(path.resolve(file));
  let text: string;
  const read = (abs: string): string | null => {
    const content = existsSync(abs) ? readFileSync(abs, 'utf8') : null;
    options.files?.set(abs, content);
    return content;
  };
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new RunbookError([{ file: shown, line: 1, column: 1, message: `cannot read the runbook: ${reason}; pass --runbook FILE` }]);
  }

  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new RunbookError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lines.linePos(e.pos[0]);
        const message = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        return { file: shown, line: pos.line, column: pos.col, message: `YAML syntax error: ${message}` };
      }),
    );
  }
  const at = new Locator(doc, lines, shown);

  const parsed = runbookSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new RunbookError(
      parsed.error.issues.map((issue) => {
        const keyPath = issue.path.filter((p): p is PathKey => typeof p !== 'symbol');
        const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
        return at.issue(keyPath, describeZodIssue(issue), unknownKey);
      }),
    );
  }
  const raw = parsed.data;
  const issues: Issue[] = [];

  // Params: defaults and per-engine values must be valid for their own type.
  for (const [name, spec] of Object.entries(raw.params)) {
    const check = (value: string | number, where: PathKey[]) => {
      const result = checkParamValue(spec, value);
      if ('error' in result) issues.push(at.issue(where, result.error));
    };
    check(spec.default, ['params', name, 'default']);
    for (const engine of ENGINE_NAMES) {
      const value = spec.engines?.[engine];
      if (value !== undefined) check(value, ['params', name, 'engines', engine]);
    }
  }

  const seen = new Map<string, string>();
  const buildStep = (rawStep: RawStep | RawCheck, where: PathKey[], ids: Map<string, string>): Step => {
    const here = formatPath(where);
    const previous = ids.get(rawStep.id);
    if (previous) issues.push(at.issue([...where, 'id'], `duplicate step id '${rawStep.id}' (also at ${previous})`));
    else ids.set(rawStep.id, here);

    const queries: Query[] = [];
    const single = rawStep.sql !== undefined || rawStep.inline !== undefined;
    if (single && rawStep.queries) {
      issues.push(at.issue(where, "give either 'sql'/'inline' or 'queries', not both", 'queries'));
    }
    if (rawStep.sql !== undefined && rawStep.inline !== undefined) {
      issues.push(at.issue(where, "give either 'sql' (a file) or 'inline' (the SQL itself), not both", 'inline'));
    }
    if (!single && !rawStep.queries && (rawStep.mock || rawStep.expect)) {
      issues.push(at.issue(where, "'mock' and 'expect' need SQL: add 'sql' or 'inline'", rawStep.mock ? 'mock' : 'expect'));
    }
    if (rawStep.queries && (rawStep.mock || rawStep.expect)) {
      issues.push(at.issue(where, "with 'queries', put 'mock' and 'expect' inside each query", rawStep.mock ? 'mock' : 'expect'));
    }
    const toQuery = (
      q: { label?: string; sql?: string; inline?: string; mock?: RawStep['mock']; expect?: Expectation[] },
      qWhere: PathKey[],
      sqlKey = 'sql',
    ): Query | undefined => {
      let snowflake: SqlText | undefined;
      let local: SqlText | undefined;
      if (q.sql !== undefined) {
        const abs = path.resolve(dir, q.sql);
        const display = path.relative(process.cwd(), abs);
        const content = read(abs);
        if (content === null) {
          issues.push(at.issue([...qWhere, sqlKey], `SQL file not found: ${display}`));
        } else {
          snowflake = { file: display, text: content, line: 1 };
          const twin = twinPath(dir, q.sql);
          const twinText = twin ? read(twin) : null;
          if (twin && twinText !== null) local = { file: path.relative(process.cwd(), twin), text: twinText, line: 1 };
        }
      } else if (q.inline !== undefined) {
        const pos = at.at([...qWhere, 'inline']);
        snowflake = { file: shown, text: q.inline, line: pos.line + 1 };
      } else {
        issues.push(at.issue(qWhere, "a query needs 'sql' (a file) or 'inline' (the SQL itself)"));
      }
      for (const [i, e] of (q.expect ?? []).entries()) {
        for (const key of ['equals', 'min', 'max'] as const) {
          const value = e[key];
          if (isExpression(value)) {
            const problem = expressionProblems(value, raw.params);
            if (problem) issues.push(at.issue([...qWhere, 'expect', i, key], problem));
          }
        }
      }
      return snowflake && { label: q.label, sql: { snowflake, local }, mock: q.mock ? toMock(q.mock) : undefined, expect: q.expect ?? [] };
    };
    const addQuery = (query: Query | undefined) => query && queries.push(query);
    if (single) addQuery(toQuery(rawStep, where));
    rawStep.queries?.forEach((q, i) => addQuery(toQuery(q, [...where, 'queries', i])));
    const cleanup = rawStep.cleanup === undefined ? undefined : toQuery({ sql: rawStep.cleanup }, where, 'cleanup');

    const display = rawStep.display ?? (rawStep.comparison ? 'comparison' : queries.length > 0 ? 'table' : 'none');
    if (display === 'comparison' && !rawStep.comparison) {
      issues.push(at.issue(where, "display: comparison needs a 'comparison' table", 'display'));
    }

    // The lint: a step that is not marked destructive may not drop, replace or rewrite data.
    if (!rawStep.destructive) {
      for (const query of cleanup ? [...queries, cleanup] : queries) {
        for (const text of [query.sql.snowflake, query.sql.local]) {
          if (!text) continue;
          for (const hit of findDestructive(text.text)) {
            issues.push({
              file: text.file,
              line: text.line + hit.line - 1,
              column: hit.column,
              path: `${here}`,
              message: `${hit.keyword} in step '${rawStep.id}', which is not marked destructive; add 'destructive: true' to the step (it will then ask for confirmation) or remove the statement`,
            });
          }
        }
      }
    }

    const check = 'fix' in rawStep || 'budget' in rawStep ? (rawStep as RawCheck) : undefined;
    return {
      id: rawStep.id,
      title: rawStep.title,
      talk: toTalk(rawStep.talk),
      targetMs: parseDuration(rawStep.target),
      display,
      destructive: rawStep.destructive,
      long: rawStep.long,
      timeoutMs: parseDuration(rawStep.timeout),
      cache: rawStep.cache,
      engines: rawStep.engines,
      changes: rawStep.changes ?? [],
      queries,
      comparison: rawStep.comparison,
      cleanup,
      fix: check?.fix,
      budgetMs: parseDuration(check?.budget),
    };
  };

  const steps = raw.steps.map((s, i) => buildStep(s, ['steps', i], seen));
  const restore = buildStep(raw.restore, ['restore'], seen);
  const checkIds = new Map<string, string>();
  const checklist = raw.checklist.map((c, i) => buildStep(c, ['checklist', i], checkIds));
  // The teardown is read as a query of a step of its own (what it may contain: see issue 11's lint).
  const rawTeardown = typeof raw.teardown === 'string' ? { sql: raw.teardown } : raw.teardown;
  const teardown = rawTeardown && buildStep({ id: 'teardown', title: 'Teardown', talk: [], destructive: true, long: false, cache: false, ...rawTeardown }, ['teardown'], new Map()).queries[0];

  const runbook: Runbook = {
    file: shown,
    dir,
    title: raw.title,
    description: raw.description,
    durationMs: parseDuration(raw.duration),
    connection: raw.connection,
    params: raw.params,
    steps,
    restore,
    checklist,
    teardown,
  };

  // Render every SQL text with each engine's params: an unknown placeholder is an error now,
  // not halfway through the show.
  if (issues.length === 0) {
    for (const engine of options.engines ?? ENGINE_NAMES) {
      const values = resolveParams(raw.params, engine);
      for (const step of [...steps, restore, ...checklist, ...(teardown ? [{ queries: [teardown] } as Step] : [])]) {
        for (const query of step.cleanup ? [...step.queries, step.cleanup] : step.queries) {
          const text = engine === 'local' ? (query.sql.local ?? query.sql.snowflake) : query.sql.snowflake;
          for (const issue of renderTemplate(text.text, text.file, values).issues) {
            issues.push({ ...issue, line: text.line + issue.line - 1 });
          }
        }
      }
    }
  }

  if (issues.length > 0) throw new RunbookError(dedupe(issues));
  return runbook;
}

/** sql/a/b.sql → sql/duckdb/a/b.sql: DuckDB twins live in one obvious place beside the originals. */
export function twinPath(dir: string, sqlPath: string): string | undefined {
  const normal = path.normalize(sqlPath);
  const [top, ...rest] = normal.split(path.sep);
  if (top !== 'sql' || rest.length === 0 || rest[0] === 'duckdb') return undefined;
  return path.resolve(dir, 'sql', 'duckdb', ...rest);
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.file}:${i.line}:${i.column}:${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

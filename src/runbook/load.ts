/**
 * Loads runbook.yml: YAML with source positions, the zod schema, then the checks a schema cannot
 * make (ids, SQL files, placeholders, the destructive lint). Every problem is collected with its
 * file:line:column; any problem means nothing runs.
 */
import path from 'node:path';
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { Column, ColumnType, EngineKind, MockResult } from '../engine/types.js';
import { parseDuration } from '../format/duration.js';
import { formatPath, RunbookError, type Issue } from './errors.js';
import type { Layer, Query, Runbook, SqlText, Step, Talk } from './model.js';
import { checkParamValue, resolveParams } from './params.js';
import { ENGINE_NAMES, runbookSchema, type Expectation, type ParamSpec, type RawCheck, type RawLayer, type RawStep } from './schema.js';
import { expressionProblems, isExpression } from './expressions.js';
import { renderTemplate } from './sql.js';
import { textProblems } from './text.js';
import { lintQuery } from './classify.js';
import { readTextFile, resolveSqlFile } from './files.js';
import { changesOutside, describeOutside } from '../core/changes.js';

type PathKey = string | number;

class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    readonly file: string,
    private readonly source: string,
  ) {}

  /** Where `needle` (e.g. a placeholder) is written inside the scalar at `path`, else the scalar itself. */
  within(path: readonly PathKey[], needle: string): { line: number; column: number } {
    const node = this.doc.getIn(path, true);
    if (isNode(node) && node.range) {
      const at = this.source.slice(node.range[0], node.range[1]).indexOf(needle);
      return this.pos(node.range[0] + Math.max(0, at));
    }
    return this.at(path);
  }

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

function toLayer(raw: RawLayer): Layer {
  return { name: raw.layer, objects: raw.objects, color: raw.color, arrow: toTalk(raw.arrow ?? []) };
}

function toTalk(lines: RawStep['talk']): Talk[] {
  return lines.map((line): Talk => {
    if (typeof line === 'string') return { kind: 'say', text: line };
    const engines = line.engines ? { engines: line.engines } : {};
    return 'say' in line ? { kind: 'say', text: line.say, ...engines } : { kind: 'pause', text: line.pause, ...engines };
  });
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
  const read = (abs: string, real = abs) => {
    const result = readTextFile(real);
    options.files?.set(abs, 'text' in result ? result.text : null);
    return result;
  };
  const runbookText = readTextFile(file);
  if (!('text' in runbookText)) {
    const reason = 'missing' in runbookText ? 'file not found' : runbookText.problem;
    throw new RunbookError([{ file: shown, line: 1, column: 1, message: `cannot read the runbook: ${reason}; pass --runbook FILE` }]);
  }
  const text = runbookText.text;

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
  const at = new Locator(doc, lines, shown, text);

  let js: unknown;
  try {
    js = doc.toJS();
  } catch (error) {
    // The yaml library stops aliases that expand without bound (a "billion laughs" document).
    const reason = /alias/i.test((error as Error).message) ? 'aliases expand too far (a resource-exhaustion pattern); write the values out' : (error as Error).message;
    throw new RunbookError([{ file: shown, line: 1, column: 1, message: `YAML: ${reason}` }]);
  }
  // JavaScript objects drop a `__proto__` key silently; in a runbook it is always a mistake or a trick.
  const proto = protoKeyPath(js);
  if (proto) throw new RunbookError([at.issue(proto, "'__proto__' cannot be a key", '__proto__')]);
  const parsed = runbookSchema.safeParse(js);
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
        const sqlFile = resolveSqlFile(dir, q.sql);
        const content = 'abs' in sqlFile ? read(sqlFile.abs, sqlFile.real) : undefined;
        const display = 'abs' in sqlFile ? path.relative(process.cwd(), sqlFile.abs) : q.sql;
        if (!content) issues.push(at.issue([...qWhere, sqlKey], `${(sqlFile as { problem: string }).problem}; SQL files are .sql files inside the runbook's folder`));
        else if ('missing' in content) issues.push(at.issue([...qWhere, sqlKey], `SQL file not found: ${display}`));
        else if ('problem' in content) issues.push(at.issue([...qWhere, sqlKey], `cannot use ${display} as SQL: ${content.problem}`));
        else {
          snowflake = { file: display, text: content.text, line: 1 };
          const twin = twinPath(q.sql);
          const twinFile = twin ? resolveSqlFile(dir, twin) : undefined;
          const twinText = twinFile && 'abs' in twinFile ? read(twinFile.abs, twinFile.real) : twinFile && { problem: twinFile.problem };
          const twinShown = twinFile && 'abs' in twinFile ? path.relative(process.cwd(), twinFile.abs) : twin;
          if (twinText && 'text' in twinText) local = { file: twinShown!, text: twinText.text, line: 1 };
          else if (twinText && 'problem' in twinText) issues.push(at.issue([...qWhere, sqlKey], `cannot use its DuckDB twin ${twinShown} as SQL: ${twinText.problem}`));
        }
      } else if (q.inline !== undefined) {
        const pos = at.at([...qWhere, 'inline']);
        // A block scalar (`inline: |`) starts on the next line; a plain or quoted one on this line.
        const node = doc.getIn([...qWhere, 'inline'], true);
        const block = isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED');
        snowflake = { file: shown, text: q.inline, line: pos.line + (block ? 1 : 0) };
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
    if (display === 'architecture' && !raw.layers) {
      issues.push(at.issue(where, "display: architecture draws the runbook's 'layers': add a top-level 'layers:' list (see the README)", 'display'));
    }

    // The lint: a step that is not marked destructive may only read; its cleanup (which runs
    // without asking) may also size a warehouse. Decided positively, for both engines' SQL.
    if (!rawStep.destructive) {
      const owner = `step '${rawStep.id}', which is not marked destructive`;
      const fix = "add 'destructive: true' to the step (it will then ask for confirmation) or remove the statement";
      const engines = rawStep.engines;
      for (const query of queries) issues.push(...lintQuery(query, 'read-only', { path: here, owner, fix, engines }));
      if (cleanup) issues.push(...lintQuery(cleanup, 'warehouse', { path: `${here}.cleanup`, owner: `the cleanup of ${owner}`, fix, engines }));
    }

    const check = 'fix' in rawStep || 'budget' in rawStep || 'requires' in rawStep ? (rawStep as RawCheck) : undefined;
    const requiresQuery = check?.requires && toQuery(check.requires, [...where, 'requires']);
    if (requiresQuery) {
      const owner = `the 'requires' of check '${rawStep.id}'`;
      issues.push(...lintQuery(requiresQuery, 'read-only', { path: `${here}.requires`, owner, fix: 'it decides whether the check runs: it may only read', engines: rawStep.engines }));
    }
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
      requires: requiresQuery && { query: requiresQuery, otherwise: check!.requires!.otherwise },
    };
  };

  // The words on screen: every placeholder must name a param, a product of integers, a step or a command.
  const stepIds = new Set([...raw.steps.map((s) => s.id), raw.restore.id]);
  const checkText = (value: string | undefined, where: PathKey[]) => {
    if (value === undefined) return;
    for (const problem of textProblems(value, raw.params, stepIds)) {
      issues.push({ file: shown, ...at.within(where, problem.placeholder), path: formatPath(where), message: problem.message });
    }
  };
  checkText(raw.title, ['title']);
  raw.layers?.forEach((layer, i) =>
    layer.arrow?.forEach((line, j) => checkText(typeof line === 'string' ? line : line.say, typeof line === 'string' ? ['layers', i, 'arrow', j] : ['layers', i, 'arrow', j, 'say'])),
  );
  const stepTexts = (step: RawStep | RawCheck, where: PathKey[]) => {
    checkText(step.title, [...where, 'title']);
    step.talk.forEach((t, i) => checkText(typeof t === 'string' ? t : 'say' in t ? t.say : t.pause, typeof t === 'string' ? [...where, 'talk', i] : [...where, 'talk', i, 'say' in t ? 'say' : 'pause']));
    step.changes?.forEach((c, i) => checkText(c, [...where, 'changes', i]));
    if ('fix' in step) checkText(step.fix, [...where, 'fix']);
    const comparison = step.comparison;
    if (!comparison) return;
    const here = [...where, 'comparison'];
    comparison.competitors.forEach((c, i) => checkText(c, [...here, 'competitors', i]));
    checkText(comparison.scale, [...here, 'scale']);
    for (const [name, value] of Object.entries(comparison.claims_at ?? {})) {
      const spec = raw.params[name];
      if (!spec) issues.push(at.issue([...here, 'claims_at'], `unknown param '${name}' (known: ${Object.keys(raw.params).join(', ') || 'none'})`, name));
      else {
        const checked = checkParamValue(spec, value);
        if ('error' in checked) issues.push(at.issue([...here, 'claims_at', name], checked.error));
      }
    }
    comparison.rows.forEach((row, r) => {
      const rowAt = [...here, 'rows', r];
      if (row.from !== undefined && !stepIds.has(row.from)) issues.push(at.issue([...rowAt, 'from'], `no step '${row.from}' in this runbook`));
      checkText(row.feature, [...rowAt, 'feature']);
      checkText(row.ours?.value, [...rowAt, 'ours', 'value']);
      checkText(row.ours?.source, [...rowAt, 'ours', 'source']);
      for (const [name, claim] of Object.entries(row.others)) {
        checkText(claim.value, [...rowAt, 'others', name, 'value']);
        checkText(claim.source, [...rowAt, 'others', name, 'source']);
      }
      if (row.work !== undefined) {
        const problem = isExpression(row.work) || /^\s*[A-Za-z_]\w*\s*$/.test(row.work) ? expressionProblems(row.work, raw.params) : `'${row.work}' is not a product such as "600809 * multiplier"`;
        if (problem) issues.push(at.issue([...rowAt, 'work'], problem));
      }
    });
  };
  raw.steps.forEach((s, i) => stepTexts(s, ['steps', i]));
  stepTexts(raw.restore, ['restore']);
  raw.checklist.forEach((c, i) => stepTexts(c, ['checklist', i]));

  const steps = raw.steps.map((s, i) => buildStep(s, ['steps', i], seen));
  const restore = buildStep(raw.restore, ['restore'], seen);
  const checkIds = new Map<string, string>();
  const checklist = raw.checklist.map((c, i) => buildStep(c, ['checklist', i], checkIds));
  // The teardown is read as a query of a step of its own. It runs without asking, so it may only
  // read or size a warehouse.
  const rawTeardown = typeof raw.teardown === 'string' ? { sql: raw.teardown } : raw.teardown;
  const teardown = rawTeardown && buildStep({ id: 'teardown', title: 'Teardown', talk: [], destructive: true, long: false, cache: false, ...rawTeardown }, ['teardown'], new Map()).queries[0];
  if (teardown) {
    issues.push(...lintQuery(teardown, 'warehouse', { path: 'teardown', owner: "the runbook's teardown", fix: 'a teardown runs unasked: keep it to reading and ALTER WAREHOUSE, and put anything else in a destructive step' }));
  }

  const runbook: Runbook = {
    file: shown,
    dir,
    title: raw.title,
    description: raw.description,
    durationMs: parseDuration(raw.duration),
    connection: raw.connection,
    snowflake: raw.snowflake && {
      loginTimeoutMs: parseDuration(raw.snowflake.login_timeout),
      submitTimeoutMs: parseDuration(raw.snowflake.submit_timeout),
      lostAfterMs: parseDuration(raw.snowflake.lost_after),
      resultTimeoutMs: parseDuration(raw.snowflake.result_timeout),
    },
    local: raw.local && { memoryLimit: raw.local.memory_limit, threads: raw.local.threads },
    params: raw.params,
    mayChange: raw.may_change,
    layers: (raw.layers ?? []).map(toLayer),
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
        for (const query of [...step.queries, ...(step.cleanup ? [step.cleanup] : []), ...(step.requires ? [step.requires.query] : [])]) {
          const text = engine === 'local' ? (query.sql.local ?? query.sql.snowflake) : query.sql.snowflake;
          for (const issue of renderTemplate(text.text, text.file, values).issues) {
            issues.push({ ...issue, line: text.line + issue.line - 1 });
          }
        }
      }
    }
  }

  // may_change: the runbook's own params must keep what its SQL changes inside the declared names.
  if (issues.length === 0 && runbook.mayChange) {
    const paths = new Map([...steps.map((s, i) => [s.id, `steps[${i}]`] as const), [restore.id, 'restore'], ...checklist.map((s, i) => [s.id, `checklist[${i}]`] as const)]);
    for (const engine of (options.engines ?? ENGINE_NAMES).filter((e) => e !== 'rehearsal')) {
      for (const outside of changesOutside(runbook, engine, resolveParams(raw.params, engine))) {
        const { file, line, column } = outside.change.statement;
        issues.push({ file, line, column, path: paths.get(outside.step.id), message: `${describeOutside(outside)} on the ${engine} engine, outside may_change (${runbook.mayChange.join(', ')}); add it to may_change or change the SQL` });
      }
    }
  }

  if (issues.length > 0) throw new RunbookError(dedupe(issues));
  return runbook;
}

/** sql/a/b.sql → sql/duckdb/a/b.sql: DuckDB twins live in one obvious place beside the originals. */
export function twinPath(sqlPath: string): string | undefined {
  const normal = path.normalize(sqlPath);
  const [top, ...rest] = normal.split(path.sep);
  if (top !== 'sql' || rest.length === 0 || rest[0] === 'duckdb') return undefined;
  return path.join('sql', 'duckdb', ...rest);
}

/** The path of the first map holding a `__proto__` key, if any. */
function protoKeyPath(value: unknown, at: PathKey[] = []): PathKey[] | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (!Array.isArray(value) && Object.hasOwn(value, '__proto__')) return at;
  for (const [key, child] of Object.entries(value)) {
    const found = protoKeyPath(child, [...at, Array.isArray(value) ? Number(key) : key]);
    if (found) return found;
  }
  return undefined;
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

/**
 * What a statement may do, decided positively: a statement is read-only only when it is recognisably
 * so (a query, SHOW, DESCRIBE, EXPLAIN of a query, a SHOW ->> SELECT chain, USE, a session setting);
 * `warehouse` is ALTER WAREHOUSE … SET / UNSET / SUSPEND / RESUME (compute only, no data); everything
 * else, including any scripting block, dynamic SQL, a procedure call and anything unrecognised,
 * `changes` things. `demo validate` and every engine use this one classifier.
 */
import type { EngineKind } from '../engine/types.js';
import type { Issue } from './errors.js';
import type { Query, SqlText } from './model.js';
import { scanSql, splitStatements, type SqlDialect } from './sql.js';

export type StatementClass = 'read-only' | 'warehouse' | 'changes';

export interface Verdict {
  class: StatementClass;
  /** What makes it so, for messages: "DELETE", "EXECUTE IMMEDIATE (dynamic SQL)", "SELECT". */
  reason: string;
}

const RANK: Record<StatementClass, number> = { 'read-only': 0, warehouse: 1, changes: 2 };

/** Whether a statement of class `actual` may run where `allowed` is the most that may happen. */
export function permits(allowed: StatementClass, actual: StatementClass): boolean {
  return RANK[actual] <= RANK[allowed];
}

/** The SQL an engine reads: Snowflake's rules, or DuckDB's on the local engine. */
export function dialectOf(engine: EngineKind): SqlDialect {
  return engine === 'local' ? 'duckdb' : 'snowflake';
}

export interface Token {
  /** Upper-cased for words; the symbol itself otherwise; the unquoted text for names and strings. */
  text: string;
  kind: 'word' | 'quoted' | 'string' | 'symbol';
  start: number;
  /** A `$$` string (no escapes in it). */
  dollar?: true;
}

/**
 * Words, quoted names, strings and symbols of one statement, as the scanner read them (so nothing in
 * a comment counts, and a string is one token whatever it holds).
 */
export function tokenize(sql: string, dialect: SqlDialect): Token[] {
  const { code, literals } = scanSql(sql, dialect);
  const starts = new Map(literals.map((l) => [l.start, l]));
  const tokens: Token[] = [];
  const pattern = /[A-Za-z_][A-Za-z0-9_$]*|\$\d+|\d[\w.$]*|->>|::|:=|\S/g;
  for (let m = pattern.exec(code); m; m = pattern.exec(code)) {
    const literal = starts.get(m.index);
    if (literal) {
      tokens.push({ text: literal.body, kind: literal.kind, start: m.index, ...(literal.dollar ? { dollar: true as const } : {}) });
      pattern.lastIndex = literal.end;
    } else if (/^[A-Za-z_]/.test(m[0])) tokens.push({ text: m[0].toUpperCase(), kind: 'word', start: m.index });
    else tokens.push({ text: m[0], kind: 'symbol', start: m.index });
  }
  return tokens;
}

/** Words a read-only statement never contains: each starts or is part of something that changes things. */
const CHANGING_WORDS = new Set([
  'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'UPSERT', 'DROP', 'CREATE', 'ALTER', 'TRUNCATE', 'COPY', 'CALL',
  'EXECUTE', 'IMMEDIATE', 'GRANT', 'REVOKE', 'INTO', 'ATTACH', 'DETACH', 'PRAGMA', 'EXPORT', 'IMPORT',
  'INSTALL', 'LOAD', 'UNDROP', 'RENAME', 'SWAP', 'BEGIN', 'DECLARE', 'VACUUM', 'CHECKPOINT', 'PUT',
  'REMOVE', 'COMMIT', 'ROLLBACK',
]);

/** Snowflake system functions a query may call: they only read. Any other SYSTEM$ function may act. */
const READING_SYSTEM_FUNCTIONS = new Set([
  'SYSTEM$TYPEOF', 'SYSTEM$CLUSTERING_INFORMATION', 'SYSTEM$CLUSTERING_DEPTH', 'SYSTEM$EXPLAIN_PLAN_JSON',
  'SYSTEM$EXPLAIN_JSON_TO_TEXT', 'SYSTEM$STREAM_HAS_DATA', 'SYSTEM$PIPE_STATUS', 'SYSTEM$GET_TAG',
]);

const QUERY_STARTS = new Set(['SELECT', 'WITH', 'VALUES', '(']);
/** DuckDB's own query forms: FROM-first, SUMMARIZE, PIVOT. */
const DUCKDB_QUERY_STARTS = new Set(['FROM', 'SUMMARIZE', 'PIVOT', 'UNPIVOT']);

const changes = (reason: string): Verdict => ({ class: 'changes', reason });

/** The first word of `tokens` from `from` that a read-only statement may not contain, if any. */
function changingWord(tokens: readonly Token[], from: number, dialect: SqlDialect): string | undefined {
  for (const t of tokens.slice(from)) {
    if (t.kind !== 'word') continue;
    if (CHANGING_WORDS.has(t.text)) return t.text;
    if (dialect === 'snowflake' && t.text.startsWith('SYSTEM$') && !READING_SYSTEM_FUNCTIONS.has(t.text)) return t.text;
  }
  return undefined;
}

/** What a statement's leading words say it is, e.g. "CREATE OR REPLACE TABLE", "ALTER TABLE … RENAME". */
function verbOf(tokens: readonly Token[]): string {
  const words = tokens.filter((t) => t.kind === 'word').map((t) => t.text);
  const [first = '', second = ''] = words;
  if (first === 'WITH') {
    const main = words.find((w) => ['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY'].includes(w));
    return main ? `${main} (after WITH)` : 'WITH';
  }
  if (first === 'CREATE' || first === 'DROP' || first === 'UNDROP') {
    const lead = [];
    for (const w of words) {
      lead.push(w);
      if (!['CREATE', 'DROP', 'UNDROP', 'OR', 'REPLACE', 'ALTER', 'TRANSIENT', 'TEMPORARY', 'TEMP', 'VOLATILE', 'SECURE', 'DYNAMIC', 'MATERIALIZED', 'EXTERNAL', 'HYBRID', 'ICEBERG', 'RECURSIVE', 'LOCAL', 'GLOBAL', 'UNIQUE'].includes(w)) break;
    }
    return lead.join(' ');
  }
  if (first === 'ALTER') {
    const action = words.slice(2).find((w) => ['RENAME', 'SWAP', 'REFRESH', 'SET', 'UNSET', 'ADD', 'DROP', 'SUSPEND', 'RESUME', 'CLUSTER', 'ABORT'].includes(w));
    return `ALTER ${second}${action ? ` … ${action}` : ''}`;
  }
  if (first === 'INSERT' && (second === 'OR' || second === 'OVERWRITE')) return second === 'OR' ? `INSERT OR ${words[2] ?? ''}`.trim() : 'INSERT OVERWRITE';
  if (first === 'EXECUTE' && second === 'IMMEDIATE') return 'EXECUTE IMMEDIATE (dynamic SQL)';
  if (first === 'EXECUTE') return 'EXECUTE (dynamic SQL)';
  if (first === 'CALL') return 'CALL (a procedure: what it does cannot be read from the statement)';
  if (first === 'BEGIN' || first === 'DECLARE') return 'a scripting block';
  return first || tokens[0]?.text || 'an empty statement';
}

/** Tab, line feed and CR LF only: any other control character is read differently by different parsers. */
const AMBIGUOUS_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]|\r(?!\n)/;

/** Classifies one statement (no semicolons between statements). */
export function classifyStatement(sql: string, dialect: SqlDialect): Verdict {
  if (AMBIGUOUS_CONTROL.test(sql)) return changes('a control character in the SQL (engines disagree on where a comment or string ends)');
  const tokens = tokenize(sql, dialect);
  if (tokens.length === 0) return { class: 'read-only', reason: 'nothing' };

  // A Snowflake pipe chain (SHOW … ->> SELECT … FROM $1): each part on its own. DuckDB's ->> is JSON.
  if (dialect === 'snowflake' && tokens.some((t) => t.text === '->>' && t.kind === 'symbol')) {
    const parts: Token[][] = [[]];
    for (const t of tokens) {
      if (t.kind === 'symbol' && t.text === '->>') parts.push([]);
      else parts.at(-1)!.push(t);
    }
    const verdicts = parts.map((part) => classifyTokens(part, dialect));
    return verdicts.find((v) => v.class === 'changes') ?? verdicts.find((v) => v.class === 'warehouse') ?? { class: 'read-only', reason: 'a SHOW ->> SELECT chain' };
  }
  return classifyTokens(tokens, dialect);
}

function classifyTokens(tokens: readonly Token[], dialect: SqlDialect): Verdict {
  if (tokens.length === 0) return changes('an empty part of a ->> chain');
  const first = tokens[0]!.text;
  const word = (i: number) => (tokens[i]?.kind === 'word' ? tokens[i]!.text : undefined);
  const readOnlyFrom = (from: number, what: string): Verdict => {
    const found = changingWord(tokens, from, dialect);
    return found ? changes(found === first ? verbOf(tokens) : `${found} inside ${what}`) : { class: 'read-only', reason: what };
  };

  if (QUERY_STARTS.has(first) || (dialect === 'duckdb' && DUCKDB_QUERY_STARTS.has(first))) {
    const found = changingWord(tokens, 0, dialect);
    return found ? changes(first === 'WITH' ? verbOf(tokens) : `${found} inside a query`) : { class: 'read-only', reason: first === '(' ? 'SELECT' : first };
  }
  switch (first) {
    case 'SHOW':
    case 'DESCRIBE':
    case 'DESC':
    case 'LIST':
    case 'LS':
      return readOnlyFrom(1, first);
    case 'USE':
      return readOnlyFrom(1, 'USE');
    case 'EXPLAIN': {
      // DuckDB's EXPLAIN ANALYZE runs the statement: EXPLAIN is read-only only of something read-only.
      let from = 1;
      while (['ANALYZE', 'USING', 'TEXT', 'JSON', 'TABULAR'].includes(word(from) ?? '')) from++;
      const inner = classifyTokens(tokens.slice(from), dialect);
      return inner.class === 'read-only' ? { class: 'read-only', reason: 'EXPLAIN' } : changes(`EXPLAIN of ${inner.reason}`);
    }
    case 'SET':
    case 'UNSET':
      if (word(1) === 'GLOBAL') return changes(`${first} GLOBAL`);
      return readOnlyFrom(1, `${first} (a variable or setting of this session)`);
    case 'ALTER': {
      if (word(1) === 'SESSION' && (word(2) === 'SET' || word(2) === 'UNSET')) return readOnlyFrom(3, 'ALTER SESSION');
      if (word(1) === 'WAREHOUSE') {
        let at = 2;
        if (word(at) === 'IF' && word(at + 1) === 'EXISTS') at += 2;
        // The name: one word or quoted name (warehouses are not qualified).
        if (tokens[at]?.kind === 'word' || tokens[at]?.kind === 'quoted') at++;
        const action = word(at);
        const compute = action === 'SET' || action === 'UNSET' || action === 'SUSPEND' || action === 'RESUME';
        if (compute && !changingWord(tokens, at + 1, dialect)) return { class: 'warehouse', reason: `ALTER WAREHOUSE … ${action}` };
      }
      return changes(verbOf(tokens));
    }
    default:
      return changes(tokens[0]!.kind === 'word' ? verbOf(tokens) : `an unrecognised statement starting '${first}'`);
  }
}

export interface ScriptVerdict extends Verdict {
  /** 1-based position of the statement in the text. */
  line: number;
  column: number;
}

/** Every statement of a script with its class, split by the dialect's own rules. */
export function classifyScript(text: string, dialect: SqlDialect): ScriptVerdict[] {
  return splitStatements(text, dialect).map((s) => ({ ...classifyStatement(s.sql, dialect), line: s.line, column: s.column }));
}

/** The strongest verdict of a script (its first statement of that class), for the run-time guard. */
export function strongest(text: string, dialect: SqlDialect): Verdict {
  const verdicts = classifyScript(text, dialect);
  return verdicts.find((v) => v.class === 'changes') ?? verdicts.find((v) => v.class === 'warehouse') ?? { class: 'read-only', reason: 'queries only' };
}

const ALLOWED_WORDS: Record<StatementClass, string> = {
  'read-only': 'it may only read',
  warehouse: 'it may only read or size a warehouse',
  changes: 'it may change things',
};

/**
 * Statements of a query (its Snowflake SQL as Snowflake reads it, and what the local engine runs as
 * DuckDB reads it) that do more than `allowed`, as located issues. `owner` names what runs them and
 * `fix` says what to do, e.g. for the runbook's teardown:
 * `lintQuery(teardown, 'warehouse', { path: 'teardown', owner: "the runbook's teardown", fix: '…' })`.
 */
export function lintQuery(
  query: Pick<Query, 'sql'>,
  allowed: StatementClass,
  context: { path: string; owner: string; fix: string; engines?: readonly EngineKind[] },
): Issue[] {
  // What the local engine runs is checked as DuckDB reads it, unless the step never runs there.
  const onLocal = !context.engines || context.engines.includes('local');
  const texts: Array<[SqlText, SqlDialect]> = [
    [query.sql.snowflake, 'snowflake'],
    ...(onLocal ? [[query.sql.local ?? query.sql.snowflake, 'duckdb'] as [SqlText, SqlDialect]] : []),
  ];
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const [text, dialect] of texts) {
    for (const verdict of classifyScript(asNames(text.text), dialect)) {
      if (permits(allowed, verdict.class)) continue;
      const issue: Issue = {
        file: text.file,
        line: text.line + verdict.line - 1,
        column: verdict.column,
        path: context.path,
        message: `${verdict.reason} in ${context.owner} (${ALLOWED_WORDS[allowed]}); ${context.fix}`,
      };
      const key = `${issue.file}:${issue.line}:${issue.column}`;
      if (!seen.has(key)) issues.push(issue);
      seen.add(key);
    }
  }
  return issues;
}

/**
 * The text before its params are filled in, each `{{ placeholder }}` read as one name of the same
 * length (positions hold): a param's value is always one token (an identifier, an integer, an enum
 * member), so `ALTER WAREHOUSE {{ warehouse }} SET …` is read as it will run.
 */
function asNames(text: string): string {
  return text.replace(/\{\{[^}]*\}\}/g, (whole) => '_'.repeat(whole.length));
}

/** Thrown (as the engine's error) when a statement does more than its step allows. */
export function refusal(sql: string, allowed: StatementClass, dialect: SqlDialect, stepId: string): string | undefined {
  const verdict = strongest(sql, dialect);
  if (permits(allowed, verdict.class)) return undefined;
  const what = allowed === 'read-only' ? `step '${stepId}' is not marked destructive` : `this part of step '${stepId}' may only read or size a warehouse`;
  return `refused to run: ${verdict.reason} ${verdict.class === 'warehouse' ? 'resizes a warehouse' : 'changes things'}, and ${what}`;
}

/**
 * The few Snowflake statements DuckDB cannot run as written, and what the local engine does
 * instead. Everything else goes to DuckDB unchanged; SQL that is not portable beyond this list
 * gets a DuckDB twin under sql/duckdb/ instead of more translation here.
 */
import { codeOnly } from '../../runbook/sql.js';

export type Action =
  /** Account-level Snowflake statements with nothing to do on a local database. */
  | { kind: 'noop'; what: string; notice: string }
  /** A Snowflake database is an attached DuckDB file; a clone is a copy of it. */
  | { kind: 'create-database'; name: string; replace: boolean; ifNotExists: boolean; cloneOf?: string }
  | { kind: 'drop-database'; name: string; ifExists: boolean }
  /** A dynamic table is a plain table plus its stored definition, rebuilt in full on REFRESH. */
  | { kind: 'create-dynamic-table'; name: string; replace: boolean; ifNotExists: boolean; query: string }
  | { kind: 'refresh-dynamic-table'; name: string }
  /** No scheduler here: SUSPEND and RESUME record the state Snowflake would report, nothing more. */
  | { kind: 'dynamic-table-state'; name: string; state: 'SUSPENDED' | 'ACTIVE' }
  | { kind: 'show-dynamic-tables'; like?: string; database?: string; schema?: string }
  /** A SQL UDF is a DuckDB macro; its declared argument and return types become casts. */
  | { kind: 'create-function'; name: string; replace: boolean; ifNotExists: boolean; params: FunctionParam[]; returns: string; body: string }
  /** The pipe operator: each statement after the first reads the earlier results as $1, $2, … */
  | { kind: 'pipe'; stages: string[] }
  /** A table CLONE: a full copy, with the source's NOT NULL columns (Snowflake's clone keeps them). */
  | { kind: 'clone-table'; name: string; source: string; replace: boolean; ifNotExists: boolean }
  /** Run on DuckDB: the statement itself. */
  | { kind: 'sql'; sql: string; notice?: string }
  | { kind: 'unsupported'; message: string };

export interface FunctionParam {
  name: string;
  /** The Snowflake type as written, e.g. NUMBER or VARCHAR(10). */
  type: string;
}

const NAME = String.raw`(?:"[^"]+"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"[^"]+"|[A-Za-z_][\w$]*)){0,2}`;

/** What the local engine says it did instead of Snowflake's statement. */
export const NOTICE = {
  warehouse: 'warehouse statement: no-op on DuckDB',
  access: 'role and grant statements: no-op on DuckDB',
  session: 'session setting: no-op on DuckDB (no result cache to turn off)',
  show: 'SHOW: no-op on DuckDB',
  changeTracking: 'change tracking: no-op on DuckDB',
  clone: 'zero-copy clone: a full copy on DuckDB',
  dynamic: 'dynamic table: a plain table on DuckDB, rebuilt in full on REFRESH',
  schedule: 'dynamic table: no scheduler on DuckDB; SUSPEND and RESUME only record the state',
  function: 'SQL function: a DuckDB macro, its argument and result types applied as casts',
};

const NOOPS: Array<[string, string, string]> = [
  [String.raw`^(CREATE|ALTER|DROP|USE|DESCRIBE|DESC)\s+(OR\s+(REPLACE|ALTER)\s+)?WAREHOUSE\b`, 'warehouse', NOTICE.warehouse],
  [String.raw`^SHOW\s+WAREHOUSES\b`, 'SHOW WAREHOUSES', NOTICE.warehouse],
  [String.raw`^USE\s+(SECONDARY\s+)?ROLES?\b`, 'USE ROLE', NOTICE.access],
  [String.raw`^(CREATE|ALTER|DROP)\s+(OR\s+REPLACE\s+)?(DATABASE\s+)?ROLE\b`, 'role', NOTICE.access],
  [String.raw`^(GRANT|REVOKE)\b`, 'grant', NOTICE.access],
  [String.raw`^ALTER\s+(SESSION|ACCOUNT|USER)\b`, 'session setting', NOTICE.session],
  [String.raw`^SHOW\s+(ROLES|GRANTS|PARAMETERS|USERS|TASKS|STAGES|INTEGRATIONS|RESOURCE\s+MONITORS)\b`, 'SHOW', NOTICE.show],
  [String.raw`^ALTER\s+TABLE\s+(IF\s+EXISTS\s+)?${NAME}\s+SET\s+CHANGE_TRACKING\b`, 'change tracking', NOTICE.changeTracking],
  [String.raw`^ALTER\s+DYNAMIC\s+TABLE\s+(IF\s+EXISTS\s+)?${NAME}\s+(SET|UNSET)\b`, 'dynamic table setting', NOTICE.dynamic],
];

/** `Db.Schema."Table"` → `DB.SCHEMA.Table`: Snowflake folds unquoted names to upper case. */
export function normalizeName(name: string): string {
  return name
    .split(/\s*\.\s*/)
    .map((part) => (part.startsWith('"') ? part.slice(1, -1) : part.toUpperCase()))
    .join('.');
}

/**
 * Matches on the statement with strings and comments blanked (so a keyword inside a string never
 * counts), then reads the groups from the original text at the same positions (so quoted names
 * and string contents survive).
 */
function matcher(statement: string) {
  const code = codeOnly(statement, 'duckdb');
  return (pattern: string): Array<string | undefined> | undefined => {
    const m = new RegExp(pattern.replace(/^\^/, String.raw`^\s*`), 'id').exec(code);
    if (!m) return undefined;
    return m.indices!.map((span) => (span ? statement.slice(span[0], span[1]) : undefined));
  };
}

export function translate(statement: string): Action {
  const sql = statement.trim();
  const match = matcher(sql);

  for (const [pattern, what, notice] of NOOPS) {
    if (match(pattern)) return { kind: 'noop', what, notice };
  }

  const stages = pipeStages(sql);
  if (stages.length > 1) {
    // A chain that starts with a no-op (SHOW WAREHOUSES ->> …) is a no-op as a whole.
    const first = translate(stages[0]!);
    return first.kind === 'noop' ? first : { kind: 'pipe', stages };
  }

  let m = match(String.raw`^CREATE\s+(OR\s+REPLACE\s+)?(TRANSIENT\s+)?DATABASE\s+(IF\s+NOT\s+EXISTS\s+)?(${NAME})(?:\s+CLONE\s+(${NAME}))?`);
  if (m) {
    if (match(String.raw`^CREATE\s[\s\S]*\bCLONE\b[\s\S]*\b(AT|BEFORE)\s*\(`)) {
      return { kind: 'unsupported', message: 'Time Travel (AT | BEFORE) is not available on DuckDB' };
    }
    return {
      kind: 'create-database',
      name: normalizeName(m[4]!),
      replace: Boolean(m[1]),
      ifNotExists: Boolean(m[3]),
      cloneOf: m[5] ? normalizeName(m[5]) : undefined,
    };
  }

  m = match(String.raw`^DROP\s+DATABASE\s+(IF\s+EXISTS\s+)?(${NAME})`);
  if (m) return { kind: 'drop-database', name: normalizeName(m[2]!), ifExists: Boolean(m[1]) };

  // The query starts at the first AS followed by SELECT, WITH or "(": everything between the name
  // and it (TARGET_LAG, WAREHOUSE, REFRESH_MODE, COMMENT, ...) only means something to Snowflake.
  m = match(String.raw`^CREATE\s+(OR\s+REPLACE\s+)?(TRANSIENT\s+)?DYNAMIC\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?(${NAME})[\s\S]*?\bAS\s+((?:SELECT|WITH|\()[\s\S]*)$`);
  if (m) {
    return { kind: 'create-dynamic-table', name: normalizeName(m[4]!), replace: Boolean(m[1]), ifNotExists: Boolean(m[3]), query: m[5]!.trim() };
  }

  m = match(String.raw`^ALTER\s+DYNAMIC\s+TABLE\s+(IF\s+EXISTS\s+)?(${NAME})\s+REFRESH\b`);
  if (m) return { kind: 'refresh-dynamic-table', name: normalizeName(m[2]!) };

  m = match(String.raw`^ALTER\s+DYNAMIC\s+TABLE\s+(IF\s+EXISTS\s+)?(${NAME})\s+(SUSPEND|RESUME)\s*$`);
  if (m) return { kind: 'dynamic-table-state', name: normalizeName(m[2]!), state: m[3]!.toUpperCase() === 'SUSPEND' ? 'SUSPENDED' : 'ACTIVE' };

  m = match(String.raw`^SHOW\s+DYNAMIC\s+TABLES(?:\s+LIKE\s+'([^']*)')?(?:\s+IN\s+(SCHEMA|DATABASE)\s+(${NAME}))?\s*$`);
  if (m) {
    const where = m[3] ? normalizeName(m[3]) : undefined;
    const [database, schema] = m[2]?.toUpperCase() === 'SCHEMA' ? where!.split('.') : [where];
    return { kind: 'show-dynamic-tables', like: m[1], database, schema };
  }

  if (match(String.raw`^CREATE\s+(OR\s+REPLACE\s+)?(SECURE\s+)?(TEMP(ORARY)?\s+)?FUNCTION\b`)) return createFunction(sql);

  m = match(String.raw`^CREATE\s+(OR\s+REPLACE\s+)?(TRANSIENT\s+)?TABLE\s+(IF\s+NOT\s+EXISTS\s+)?(${NAME})\s+CLONE\s+(${NAME})\s*$`);
  if (m) return { kind: 'clone-table', name: normalizeName(m[4]!), source: normalizeName(m[5]!), replace: Boolean(m[1]), ifNotExists: Boolean(m[3]) };

  if (match(String.raw`^(CREATE|ALTER|DROP)\s+(OR\s+REPLACE\s+)?(TRANSIENT\s+)?DYNAMIC\s+TABLE\b`)) {
    return { kind: 'unsupported', message: 'this dynamic-table statement has no DuckDB equivalent' };
  }
  return { kind: 'sql', sql: statement };
}

/**
 * Splits `A ->> B ->> C` (Snowflake's pipe operator) into its statements. Only an arrow followed
 * by a statement counts: DuckDB's JSON operator `->>` is followed by a path or an expression.
 */
export function pipeStages(sql: string): string[] {
  const code = codeOnly(sql);
  const stages: string[] = [];
  let start = 0;
  let depth = 0;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && code.startsWith('->>', i) && /^->>\s*(SELECT|WITH|SHOW|DESCRIBE|DESC)\b/i.test(code.slice(i, i + 20))) {
      stages.push(sql.slice(start, i).trim());
      start = i + 3;
      i += 2;
    }
  }
  stages.push(sql.slice(start).trim());
  return stages;
}

/**
 * `CREATE [OR REPLACE] FUNCTION name(arg TYPE, …) RETURNS TYPE [LANGUAGE SQL] [options] AS $$ body $$`
 * (or `AS 'body'`). Only scalar SQL functions: the only kind a DuckDB macro can stand in for.
 */
function createFunction(sql: string): Action {
  const code = codeOnly(sql);
  const head = new RegExp(String.raw`^CREATE\s+(OR\s+REPLACE\s+)?(?:SECURE\s+)?(?:TEMP(?:ORARY)?\s+)?FUNCTION\s+(IF\s+NOT\s+EXISTS\s+)?(${NAME})\s*\(`, 'id').exec(code);
  if (!head) return { kind: 'unsupported', message: 'this CREATE FUNCTION has no DuckDB equivalent' };
  const open = head[0].length - 1;
  const close = matchingParen(code, open);
  if (close < 0) return { kind: 'unsupported', message: 'CREATE FUNCTION: unbalanced parentheses in its arguments' };
  const params: FunctionParam[] = [];
  for (const piece of splitTopLevel(sql.slice(open + 1, close))) {
    const p = /^\s*([A-Za-z_][\w$]*)\s+(.+?)\s*$/s.exec(piece);
    if (!p) return { kind: 'unsupported', message: `CREATE FUNCTION: cannot read the argument '${piece.trim()}'` };
    params.push({ name: p[1]!.toUpperCase(), type: p[2]! });
  }
  const rest = code.slice(close + 1);
  const returns = /^\s*RETURNS\s+(?!TABLE\b)([A-Za-z_]+(?:\s*\(\s*\d+(?:\s*,\s*\d+)?\s*\))?)/i.exec(rest);
  if (!returns) return { kind: 'unsupported', message: 'only scalar SQL functions (RETURNS <type>) have a DuckDB equivalent' };
  const language = /\bLANGUAGE\s+(\w+)/i.exec(rest);
  if (language && language[1]!.toUpperCase() !== 'SQL') {
    return { kind: 'unsupported', message: `LANGUAGE ${language[1]} functions have no DuckDB equivalent` };
  }
  const as = /\bAS\s*(\$\$|')/i.exec(rest);
  if (!as) return { kind: 'unsupported', message: "CREATE FUNCTION: no body (AS $$ … $$ or AS '…')" };
  const bodyStart = close + 1 + as.index + as[0].length;
  const quote = as[1]!;
  const bodyEnd = quote === '$$' ? sql.indexOf('$$', bodyStart) : code.indexOf("'", bodyStart);
  if (bodyEnd < 0) return { kind: 'unsupported', message: 'CREATE FUNCTION: the body is not closed' };
  const raw = sql.slice(bodyStart, bodyEnd);
  return {
    kind: 'create-function',
    name: normalizeName(head[3]!),
    replace: Boolean(head[1]),
    ifNotExists: Boolean(head[2]),
    params,
    returns: returns[1]!.replace(/\s+/g, ''),
    body: (quote === "'" ? raw.replace(/''/g, "'") : raw).trim(),
  };
}

/** The position of the parenthesis closing the one at `open` (in code-only text), or -1. */
function matchingParen(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === '(') depth++;
    else if (code[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Splits on commas outside parentheses: `A NUMBER(38, 0), B VARCHAR` → two arguments. */
function splitTopLevel(text: string): string[] {
  if (!text.trim()) return [];
  const code = codeOnly(text);
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < code.length; i++) {
    if (code[i] === '(') depth++;
    else if (code[i] === ')') depth--;
    else if (code[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * The DuckDB type standing in for a Snowflake one, for the casts a macro makes where Snowflake
 * converts a UDF's arguments and result. NUMBER without a scale is BIGINT here (NUMBER(38,0) can
 * hold more; the show's values fit in 64 bits).
 */
export function duckType(snowflakeType: string): string | undefined {
  const t = /^([A-Za-z_]+)\s*(?:\(\s*(\d+)(?:\s*,\s*(\d+))?\s*\))?$/.exec(snowflakeType.trim());
  if (!t) return undefined;
  const base = t[1]!.toUpperCase();
  const scale = Number(t[3] ?? 0);
  if (['NUMBER', 'NUMERIC', 'DECIMAL', 'INT', 'INTEGER', 'BIGINT', 'SMALLINT', 'TINYINT', 'BYTEINT'].includes(base)) {
    return scale > 0 ? `DECIMAL(${Math.min(Number(t[2] ?? 38), 38)}, ${scale})` : 'BIGINT';
  }
  if (['VARCHAR', 'STRING', 'TEXT', 'CHAR', 'CHARACTER'].includes(base)) return 'VARCHAR';
  if (['FLOAT', 'FLOAT4', 'FLOAT8', 'DOUBLE', 'REAL'].includes(base)) return 'DOUBLE';
  if (['BOOLEAN', 'DATE'].includes(base)) return base;
  return undefined;
}

/**
 * The DuckDB macro for a Snowflake SQL function: each argument cast to its declared type where
 * the body uses it, and the body cast to the return type, as Snowflake converts them.
 */
export function macroFor(action: Extract<Action, { kind: 'create-function' }>): string {
  const cast = (type: string) => {
    const duck = duckType(type);
    if (!duck) throw new Error(`the type ${type} has no DuckDB equivalent here`);
    return duck;
  };
  const code = codeOnly(action.body);
  let body = '';
  let last = 0;
  const names = new Map(action.params.map((p) => [p.name, cast(p.type)]));
  for (const m of code.matchAll(/(?<![\w$."])([A-Za-z_][\w$]*)(?![\w$"]|\s*\()/g)) {
    const type = names.get(m[1]!.toUpperCase());
    if (!type) continue;
    body += `${action.body.slice(last, m.index)}CAST(${m[1]} AS ${type})`;
    last = m.index + m[0].length;
  }
  body += action.body.slice(last);
  const name = action.name.split('.').map((part) => `"${part.replace(/"/g, '""')}"`).join('.');
  const create = action.replace ? 'CREATE OR REPLACE MACRO' : action.ifNotExists ? 'CREATE MACRO IF NOT EXISTS' : 'CREATE MACRO';
  return `${create} ${name}(${action.params.map((p) => p.name).join(', ')}) AS CAST((${body}) AS ${cast(action.returns)})`;
}

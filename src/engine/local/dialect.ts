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
  /** Run on DuckDB: the statement itself, or its rewrite (a table CLONE becomes a full copy of `clone.source`). */
  | { kind: 'sql'; sql: string; notice?: string; clone?: { name: string; source: string } }
  | { kind: 'unsupported'; message: string };

const NAME = String.raw`(?:"[^"]+"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"[^"]+"|[A-Za-z_][\w$]*)){0,2}`;

const NOTICE = {
  warehouse: 'warehouse statement: no-op on DuckDB',
  access: 'role and grant statements: no-op on DuckDB',
  session: 'session setting: no-op on DuckDB (no result cache to turn off)',
  show: 'SHOW: no-op on DuckDB',
  changeTracking: 'change tracking: no-op on DuckDB',
  clone: 'zero-copy clone: a full copy on DuckDB',
  dynamic: 'dynamic table: a plain table on DuckDB, rebuilt in full on REFRESH',
};

const NOOPS: Array<[string, string, string]> = [
  [String.raw`^(CREATE|ALTER|DROP|USE|DESCRIBE|DESC)\s+(OR\s+(REPLACE|ALTER)\s+)?WAREHOUSE\b`, 'warehouse', NOTICE.warehouse],
  [String.raw`^SHOW\s+WAREHOUSES\b`, 'SHOW WAREHOUSES', NOTICE.warehouse],
  [String.raw`^USE\s+(SECONDARY\s+)?ROLES?\b`, 'USE ROLE', NOTICE.access],
  [String.raw`^(CREATE|ALTER|DROP)\s+(OR\s+REPLACE\s+)?(DATABASE\s+)?ROLE\b`, 'role', NOTICE.access],
  [String.raw`^(GRANT|REVOKE)\b`, 'grant', NOTICE.access],
  [String.raw`^ALTER\s+(SESSION|ACCOUNT|USER)\b`, 'session setting', NOTICE.session],
  [String.raw`^SHOW\s+(ROLES|GRANTS|DYNAMIC\s+TABLES|PARAMETERS|USERS|TASKS|STAGES|INTEGRATIONS|RESOURCE\s+MONITORS)\b`, 'SHOW', NOTICE.show],
  [String.raw`^ALTER\s+TABLE\s+(IF\s+EXISTS\s+)?${NAME}\s+SET\s+CHANGE_TRACKING\b`, 'change tracking', NOTICE.changeTracking],
  [String.raw`^ALTER\s+DYNAMIC\s+TABLE\s+(IF\s+EXISTS\s+)?${NAME}\s+(SUSPEND|RESUME|SET|UNSET)\b`, 'dynamic table setting', NOTICE.dynamic],
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

  m = match(String.raw`^CREATE\s+(OR\s+REPLACE\s+)?(TRANSIENT\s+)?TABLE\s+(IF\s+NOT\s+EXISTS\s+)?(${NAME})\s+CLONE\s+(${NAME})\s*$`);
  if (m) {
    const create = `CREATE ${m[1] ? 'OR REPLACE ' : ''}TABLE ${m[3] ? 'IF NOT EXISTS ' : ''}${m[4]}`;
    return { kind: 'sql', sql: `${create} AS SELECT * FROM ${m[5]}`, notice: NOTICE.clone, clone: { name: normalizeName(m[4]!), source: normalizeName(m[5]!) } };
  }

  if (match(String.raw`^(CREATE|ALTER|DROP)\s+(OR\s+REPLACE\s+)?(TRANSIENT\s+)?DYNAMIC\s+TABLE\b`)) {
    return { kind: 'unsupported', message: 'this dynamic-table statement has no DuckDB equivalent' };
  }
  return { kind: 'sql', sql: statement };
}

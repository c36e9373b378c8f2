/**
 * Which objects a statement changes, read from the statement itself (params already filled in), so a
 * confirmation says what will really happen and a runbook's `may_change` can be enforced. When a
 * statement's targets cannot be read from it (a procedure call, dynamic SQL), it says so instead.
 */
import { tokenize, type Token } from './classify.js';
import type { SqlDialect } from './sql.js';

export interface ObjectChange {
  /** "table", "dynamic table", "database", "warehouse", "file", … */
  kind: string;
  /** As the engine resolves it: unquoted parts upper-cased, e.g. PHARMACY2U_BRONZE.RAW_DATA.RAW_PATIENTS. */
  name: string;
  /** What happens to it: "replace", "create if missing", "delete rows", "rename to", … */
  action: string;
  /** Set when it is created as a clone (CREATE … CLONE source): the source, as the engine resolves it. */
  cloneOf?: string;
}

export interface StatementChanges {
  objects: ObjectChange[];
  /** Set when what the statement changes cannot be read from it. */
  unknown?: string;
}

/** Words between CREATE/DROP/ALTER and the kind of object that are part of the kind or modify it. */
const MODIFIERS = new Set(['TRANSIENT', 'TEMPORARY', 'TEMP', 'VOLATILE', 'SECURE', 'LOCAL', 'GLOBAL', 'RECURSIVE', 'UNIQUE', 'PERSISTENT']);
const KIND_PREFIXES = new Set(['DYNAMIC', 'MATERIALIZED', 'EXTERNAL', 'HYBRID', 'ICEBERG', 'EVENT']);
/** Kinds named by two words. */
const TWO_WORD_KINDS: Record<string, string> = { FILE: 'FORMAT', DATABASE: 'ROLE', NETWORK: 'POLICY', MASKING: 'POLICY' };

const MAX_DEPTH = 3;

class Reader {
  i = 0;
  constructor(readonly tokens: readonly Token[]) {}
  word(offset = 0): string | undefined {
    const t = this.tokens[this.i + offset];
    return t?.kind === 'word' ? t.text : undefined;
  }
  symbol(offset = 0): string | undefined {
    const t = this.tokens[this.i + offset];
    return t?.kind === 'symbol' ? t.text : undefined;
  }
  accept(...words: string[]): boolean {
    if (!words.every((w, k) => this.word(k) === w)) return false;
    this.i += words.length;
    return true;
  }
  /** A possibly qualified name: `a`, `a.b.c`, `"Quoted".b`, `@stage/path`; undefined when none is here. */
  name(): string | undefined {
    const parts: string[] = [];
    let prefix = '';
    if (this.symbol() === '@') {
      prefix = '@';
      this.i++;
    }
    for (;;) {
      const t = this.tokens[this.i];
      if (!t || (t.kind !== 'word' && t.kind !== 'quoted')) break;
      parts.push(t.text);
      this.i++;
      if (this.symbol() !== '.') break;
      this.i++;
    }
    return parts.length ? prefix + parts.join('.') : undefined;
  }
  /** Skips a parenthesised group starting here. */
  skipGroup(): boolean {
    if (this.symbol() !== '(') return false;
    let depth = 0;
    do {
      const s = this.symbol();
      if (s === '(') depth++;
      else if (s === ')') depth--;
      this.i++;
    } while (depth > 0 && this.i < this.tokens.length);
    return depth === 0;
  }
}

/** Modifiers, then the kind of object ("dynamic table"); leaves the reader on what follows. */
function readKind(r: Reader): string | undefined {
  const kind: string[] = [];
  while (r.word() && (MODIFIERS.has(r.word()!) || KIND_PREFIXES.has(r.word()!))) {
    if (KIND_PREFIXES.has(r.word()!)) kind.push(r.word()!);
    r.i++;
  }
  const main = r.word();
  if (!main) return undefined;
  kind.push(main);
  r.i++;
  const second = TWO_WORD_KINDS[main];
  if (second && r.word() === second) {
    kind.push(second);
    r.i++;
  }
  return kind.join(' ').toLowerCase();
}

const unknown = (reason: string): StatementChanges => ({ objects: [], unknown: reason });

/** The objects one statement changes. Read-only statements change none. */
export function changedObjects(sql: string, dialect: SqlDialect, depth = 0): StatementChanges {
  return changesOf(tokenize(sql, dialect), dialect, depth);
}

function changesOf(tokens: readonly Token[], dialect: SqlDialect, depth: number): StatementChanges {
  const r = new Reader(tokens);
  if (r.word() === 'WITH') {
    r.i++;
    r.accept('RECURSIVE');
    for (;;) {
      if (!r.name()) return unknown('a WITH clause that cannot be read');
      if (r.symbol() === '(') r.skipGroup();
      if (!r.accept('AS')) return unknown('a WITH clause that cannot be read');
      r.accept('NOT');
      r.accept('MATERIALIZED');
      if (!r.skipGroup()) return unknown('a WITH clause that cannot be read');
      if (r.symbol() !== ',') break;
      r.i++;
    }
  }
  const verb = r.word();
  const one = (kind: string, action: string): StatementChanges => {
    const name = r.name();
    return name ? { objects: [{ kind, name, action }] } : unknown(`${verb}: no object name where one was expected`);
  };
  r.i++;
  switch (verb) {
    case undefined:
      return { objects: [] };
    case 'EXPLAIN':
      // DuckDB's EXPLAIN ANALYZE runs what it explains.
      while (['ANALYZE', 'USING', 'TEXT', 'JSON', 'TABULAR'].includes(r.word() ?? '')) r.i++;
      return changesOf(tokens.slice(r.i), dialect, depth);
    case 'SELECT':
    case 'VALUES':
    case 'SHOW':
    case 'DESCRIBE':
    case 'DESC':
    case 'USE':
    case 'SET':
    case 'UNSET':
    case 'LIST':
    case 'LS':
    case 'FROM':
    case 'SUMMARIZE':
    case 'COMMIT':
    case 'ROLLBACK':
      return { objects: [] };
    case 'CREATE': {
      let action = 'create';
      if (r.accept('OR', 'REPLACE')) action = 'replace';
      else if (r.accept('OR', 'ALTER')) action = 'create or alter';
      const kind = readKind(r);
      if (!kind) return unknown('CREATE of something that cannot be read');
      if (r.accept('IF', 'NOT', 'EXISTS')) action = 'create if missing';
      const created = one(kind, action);
      const source = r.accept('CLONE') ? r.name() : undefined;
      if (source && created.objects[0]) created.objects[0].cloneOf = source;
      return created;
    }
    case 'DROP':
    case 'UNDROP': {
      const kind = readKind(r);
      if (!kind) return unknown(`${verb} of something that cannot be read`);
      const ifExists = r.accept('IF', 'EXISTS');
      const objects: ObjectChange[] = [];
      const action = verb === 'UNDROP' ? 'restore (undrop)' : ifExists ? 'drop if present' : 'drop';
      // DuckDB drops several at once: DROP TABLE a, b.
      for (;;) {
        const name = r.name();
        if (!name) break;
        objects.push({ kind, name, action });
        if (r.symbol() !== ',') break;
        r.i++;
      }
      return objects.length ? { objects } : unknown(`${verb}: no object name where one was expected`);
    }
    case 'ALTER': {
      if (r.word() === 'SESSION') return { objects: [] };
      const kind = readKind(r);
      if (!kind) return unknown('ALTER of something that cannot be read');
      r.accept('IF', 'EXISTS');
      const name = r.name();
      if (!name) return unknown('ALTER: no object name where one was expected');
      const action = r.word();
      if (action === 'RENAME' && r.accept('RENAME', 'TO')) {
        const to = r.name();
        return { objects: [{ kind, name, action: 'rename' }, ...(to ? [{ kind, name: to, action: 'rename to' }] : [])] };
      }
      if (action === 'SWAP' && r.accept('SWAP', 'WITH')) {
        const other = r.name();
        return { objects: [{ kind, name, action: 'swap' }, ...(other ? [{ kind, name: other, action: 'swap' }] : [])] };
      }
      const words: Record<string, string> = { REFRESH: 'refresh', SET: 'change settings', UNSET: 'change settings', SUSPEND: 'suspend', RESUME: 'resume' };
      return { objects: [{ kind, name, action: (action && words[action]) ?? 'alter' }] };
    }
    case 'INSERT': {
      const action = r.accept('OVERWRITE') ? 'overwrite' : r.accept('OR', 'REPLACE') ? 'insert or replace rows' : 'insert rows';
      const objects: ObjectChange[] = [];
      // INSERT ALL / FIRST write to every INTO.
      for (; r.i < tokens.length; r.i++) {
        if (r.word() !== 'INTO') continue;
        r.i++;
        const name = r.name();
        if (name) objects.push({ kind: 'table', name, action });
        r.i--;
      }
      return objects.length ? { objects } : unknown('INSERT: no table name where one was expected');
    }
    case 'UPDATE':
      return one('table', 'update rows');
    case 'DELETE':
      r.accept('FROM');
      return one('table', 'delete rows');
    case 'MERGE':
      r.accept('INTO');
      return one('table', 'merge rows');
    case 'TRUNCATE':
      r.accept('TABLE');
      r.accept('IF', 'EXISTS');
      return one('table', 'empty (truncate)');
    case 'COPY':
      return copyChanges(r);
    case 'ATTACH': {
      r.accept('DATABASE');
      r.accept('IF', 'NOT', 'EXISTS');
      const file = tokens[r.i]?.kind === 'string' ? tokens[r.i]!.text : undefined;
      if (file === undefined) return unknown('ATTACH of something that cannot be read');
      r.i++;
      if (r.accept('AS')) return one('database', `attach (file '${file}')`);
      return { objects: [{ kind: 'database', name: file, action: 'attach' }] };
    }
    case 'DETACH':
      r.accept('DATABASE');
      r.accept('IF', 'EXISTS');
      return one('database', 'detach');
    case 'EXECUTE': {
      if (!r.accept('IMMEDIATE')) return unknown('EXECUTE: dynamic SQL');
      const body = tokens[r.i];
      const rest = tokens.slice(r.i + 1);
      if (body?.kind !== 'string' || (rest.length > 0 && rest[0]!.text !== 'USING')) return unknown('EXECUTE IMMEDIATE of SQL built at run time');
      return blockChanges(dialect === 'snowflake' && !body.dollar ? unescapeSnowflake(body.text) : body.text, dialect, depth + 1);
    }
    case 'BEGIN':
    case 'DECLARE':
      return blockChanges(tokens, dialect, depth + 1);
    case 'CALL':
      return unknown(`CALL ${r.name() ?? ''}: a procedure; what it changes cannot be read from the statement`.replace('  ', ' '));
    default:
      return unknown(`${verb ?? tokens[0]?.text}: what it changes cannot be read from the statement`);
  }
}

/** Snowflake COPY INTO (load or unload) and DuckDB COPY … FROM / TO. */
function copyChanges(r: Reader): StatementChanges {
  if (r.accept('INTO')) {
    const target = r.name();
    if (!target) return unknown('COPY INTO: no target where one was expected');
    return { objects: [target.startsWith('@') ? { kind: 'stage', name: target, action: 'unload files to' } : { kind: 'table', name: target, action: 'load rows' }] };
  }
  if (r.accept('FROM', 'DATABASE')) {
    r.name();
    if (!r.accept('TO')) return unknown('COPY FROM DATABASE: no target');
    const to = r.name();
    return to ? { objects: [{ kind: 'database', name: to, action: 'copy into' }] } : unknown('COPY FROM DATABASE: no target');
  }
  const source = r.symbol() === '(' ? (r.skipGroup(), undefined) : r.name();
  if (r.accept('FROM') && source) return { objects: [{ kind: 'table', name: source, action: 'load rows' }] };
  if (r.accept('TO')) {
    const t = r.tokens[r.i];
    if (t?.kind === 'string') return { objects: [{ kind: 'file', name: t.text, action: 'write' }] };
  }
  return unknown('COPY that cannot be read');
}

function unescapeSnowflake(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

/**
 * A Snowflake Scripting block (or an EXECUTE IMMEDIATE string): each of its statements that starts
 * with a verb that changes things is read; control flow (IF … THEN, LET, RETURN) is skipped.
 */
function blockChanges(body: string | readonly Token[], dialect: SqlDialect, depth: number): StatementChanges {
  if (depth > MAX_DEPTH) return unknown('SQL nested too deep to read');
  const tokens = typeof body === 'string' ? tokenize(body, dialect) : body;
  const objects: ObjectChange[] = [];
  let piece: Token[] = [];
  const VERBS = new Set(['CREATE', 'DROP', 'UNDROP', 'ALTER', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'TRUNCATE', 'COPY', 'EXECUTE', 'CALL', 'GRANT', 'REVOKE', 'ATTACH', 'DETACH', 'WITH']);
  for (const t of [...tokens, { text: ';', kind: 'symbol', start: -1 } as Token]) {
    if (!(t.kind === 'symbol' && t.text === ';')) {
      piece.push(t);
      continue;
    }
    const at = piece.findIndex((p) => p.kind === 'word' && VERBS.has(p.text));
    if (at >= 0) {
      const found = changesOf(piece.slice(at), dialect, depth);
      if (found.unknown) return found;
      objects.push(...found.objects);
    }
    piece = [];
  }
  return { objects };
}

/**
 * SQL text handling: typed placeholders and statement splitting. They, the classifier (classify.ts)
 * and the local engine's dialect must agree on what is code and what is a string or a comment, so
 * they share one scanner.
 */
import type { Issue } from './errors.js';

export type ParamValue = string | number;

export interface Statement {
  /** The statement's text, without the trailing semicolon. */
  sql: string;
  /** 1-based position of the statement's first token in its file. */
  line: number;
  column: number;
}

/**
 * Which SQL the text is read as. The two engines disagree on what is a string or a comment, and
 * every disagreement is a place where SQL could hide from the lint, so each is read by its own rules:
 * - Snowflake: `--` and `//` line comments, `/* *\/` block comments that do not nest, `'…'` strings
 *   with backslash escapes, `$$…$$` strings.
 * - DuckDB: `--` line comments (`//` is integer division), block comments that nest, `'…'` strings
 *   without backslash escapes (except `E'…'`), `$tag$…$tag$` strings.
 */
export type SqlDialect = 'snowflake' | 'duckdb';

const WORD_CHAR = /[A-Za-z0-9_$]/;
const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;

/** A string or a quoted name: where it starts and ends (delimiters included) and its contents. */
export interface Literal {
  kind: 'string' | 'quoted';
  start: number;
  end: number;
  body: string;
  /** A `$$` string: its body is taken as written, with no escapes. */
  dollar?: true;
}

/**
 * Reads a script once by the dialect's rules: its code with every character inside strings and
 * comments replaced by a space (newlines kept, so positions survive and keyword searches only see
 * code; quotes and `$$` delimiters are kept, so a string is still a token), and its literals.
 */
export function scanSql(text: string, dialect: SqlDialect = 'snowflake'): { code: string; literals: Literal[] } {
  const out = text.split('');
  const literals: Literal[] = [];
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  const lineComment = (from: number) => {
    const end = text.indexOf('\n', from);
    const stop = end === -1 ? text.length : end;
    blank(from, stop);
    return stop;
  };
  while (i < text.length) {
    const ch = text[i]!;
    const next = text[i + 1];
    const afterWord = i > 0 && WORD_CHAR.test(text[i - 1]!);
    const dollar = ch === '$' && !afterWord ? DOLLAR_TAG.exec(text.slice(i, i + 66))?.[0] : undefined;
    if (ch === '-' && next === '-') {
      i = lineComment(i);
    } else if (ch === '/' && next === '/' && dialect === 'snowflake') {
      i = lineComment(i);
    } else if (ch === '/' && next === '*') {
      let depth = 1;
      let k = i + 2;
      while (k < text.length && depth > 0) {
        if (text[k] === '*' && text[k + 1] === '/') {
          depth--;
          k += 2;
        } else if (dialect === 'duckdb' && text[k] === '/' && text[k + 1] === '*') {
          depth++;
          k += 2;
        } else k++;
      }
      blank(i, k);
      i = k;
    } else if (dollar && (dialect === 'duckdb' || dollar === '$$')) {
      const close = text.indexOf(dollar, i + dollar.length);
      const bodyEnd = close === -1 ? text.length : close;
      const stop = close === -1 ? text.length : close + dollar.length;
      blank(i + dollar.length, bodyEnd);
      literals.push({ kind: 'string', start: i, end: stop, body: text.slice(i + dollar.length, bodyEnd), dollar: true });
      i = stop;
    } else if (ch === "'" || ch === '"') {
      const escapes = ch === "'" && (dialect === 'snowflake' || (i > 0 && /[Ee]/.test(text[i - 1]!) && !(i > 1 && WORD_CHAR.test(text[i - 2]!))));
      let k = i + 1;
      while (k < text.length) {
        if (escapes && text[k] === '\\') k += 2;
        else if (text[k] === ch && text[k + 1] === ch) k += 2;
        else if (text[k] === ch) break;
        else k++;
      }
      const bodyEnd = Math.min(k, text.length);
      blank(i + 1, bodyEnd);
      const body = text.slice(i + 1, bodyEnd).split(ch + ch).join(ch);
      literals.push({ kind: ch === '"' ? 'quoted' : 'string', start: i, end: Math.min(k + 1, text.length), body });
      i = k + 1;
    } else {
      i++;
    }
  }
  return { code: out.join(''), literals };
}

/** The script with strings and comments blanked (see scanSql). */
export function codeOnly(text: string, dialect: SqlDialect = 'snowflake'): string {
  return scanSql(text, dialect).code;
}

function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset; k++) {
    if (text[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Splits a script on semicolons that are code (not inside strings, comments or $$ blocks). */
export function splitStatements(text: string, dialect: SqlDialect = 'snowflake'): Statement[] {
  const code = codeOnly(text, dialect);
  const statements: Statement[] = [];
  let start = 0;
  const flush = (end: number) => {
    const body = code.slice(start, end);
    const lead = body.search(/\S/);
    if (lead !== -1) {
      const from = start + lead;
      statements.push({ sql: text.slice(from, end).trimEnd(), ...positionAt(text, from) });
    }
    start = end + 1;
  };
  for (let i = 0; i < code.length; i++) if (code[i] === ';') flush(i);
  flush(code.length);
  return statements;
}

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

/** The names of the placeholders in a text, with their positions (for validation). */
export function placeholders(text: string): Array<{ name: string; line: number; column: number }> {
  return [...text.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1]!, ...positionAt(text, m.index) }));
}

/**
 * Substitutes `{{ name }}` placeholders. Values were checked against their declared type when
 * params were resolved (identifier pattern, integer, enum member), so nothing here is free text.
 */
export function renderTemplate(
  text: string,
  file: string,
  params: Readonly<Record<string, ParamValue>>,
): { sql: string; issues: Issue[] } {
  const issues: Issue[] = [];
  const sql = text.replace(PLACEHOLDER, (whole, name: string, offset: number) => {
    // Own keys only: `{{ constructor }}` must not paste Object's constructor into the SQL.
    const value = Object.hasOwn(params, name) ? params[name] : undefined;
    if (value === undefined) {
      const known = Object.keys(params).join(', ') || 'none';
      issues.push({
        file,
        ...positionAt(text, offset),
        message: `unknown param '${name}' in placeholder ${whole}; declare it under params: in the runbook (known: ${known})`,
      });
      return whole;
    }
    return String(value);
  });
  return { sql, issues };
}

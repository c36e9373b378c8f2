/**
 * SQL text handling: typed placeholders, statement splitting and the destructive-statement lint.
 * All three must agree on what is code and what is a string or a comment, so they share one scanner.
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
 * Replaces every character inside strings and comments with a space (newlines kept), so
 * positions survive and keyword searches only see code.
 */
export function codeOnly(text: string): string {
  const out = text.split('');
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  while (i < text.length) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (ch === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      blank(i, stop);
      i = stop;
    } else if (ch === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (ch === '$' && next === '$') {
      const end = text.indexOf('$$', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      blank(i + 2, stop - 2);
      i = stop;
    } else if (ch === "'" || ch === '"') {
      let k = i + 1;
      while (k < text.length) {
        if (text[k] === '\\' && ch === "'") k += 2;
        else if (text[k] === ch && text[k + 1] === ch) k += 2;
        else if (text[k] === ch) break;
        else k++;
      }
      // Keep the quotes: a string is still a token for the statement splitter.
      blank(i + 1, Math.min(k, text.length));
      i = k + 1;
    } else {
      i++;
    }
  }
  return out.join('');
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
export function splitStatements(text: string): Statement[] {
  const code = codeOnly(text);
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
    const value = params[name];
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

const DESTRUCTIVE_ANYWHERE: Array<[RegExp, string]> = [
  [/\bDROP\b/gi, 'DROP'],
  [/\bCREATE\s+OR\s+REPLACE\b/gi, 'CREATE OR REPLACE'],
  [/\bSWAP\s+WITH\b/gi, 'ALTER TABLE … SWAP'],
  [/\bTRUNCATE\b/gi, 'TRUNCATE'],
];
const DESTRUCTIVE_LEADING: Array<[RegExp, string]> = [
  [/^\s*DELETE\b/i, 'DELETE'],
  [/^\s*UPDATE\b/i, 'UPDATE'],
  [/^\s*MERGE\b/i, 'MERGE'],
  [/^\s*INSERT\s+OVERWRITE\b/i, 'INSERT OVERWRITE'],
];

/** Destructive statements in a script, with the position of the offending keyword. */
export function findDestructive(text: string): Array<{ keyword: string; line: number; column: number }> {
  const code = codeOnly(text);
  const found: Array<{ keyword: string; offset: number }> = [];
  for (const [pattern, keyword] of DESTRUCTIVE_ANYWHERE) {
    for (const m of code.matchAll(pattern)) found.push({ keyword, offset: m.index });
  }
  let start = 0;
  for (const piece of code.split(';')) {
    for (const [pattern, keyword] of DESTRUCTIVE_LEADING) {
      const m = pattern.exec(piece);
      if (m) found.push({ keyword, offset: start + piece.search(/\S/) });
    }
    start += piece.length + 1;
  }
  return found
    .sort((a, b) => a.offset - b.offset)
    .map(({ keyword, offset }) => ({ keyword, ...positionAt(text, offset) }));
}

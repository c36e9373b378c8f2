/** Checks a result against a step's expectations ("RAW_PATIENTS should be 100000 * multiplier"). */
import type { Cell, StatementResult } from '../engine/types.js';
import { isExpression } from '../runbook/expressions.js';
import type { Expectation } from '../runbook/schema.js';
import type { ParamValue } from '../runbook/sql.js';

export interface ExpectationResult {
  ok: boolean;
  /** What was checked, e.g. "RAW_PATIENTS.ROW_COUNT = 100,000". */
  description: string;
  expected?: Cell;
  actual?: Cell;
  message?: string;
}

/** Evaluates "100000 * multiplier" with integer params; plain numbers and strings pass through. */
export function evaluate(value: string | number | boolean, params: Readonly<Record<string, ParamValue>>): Cell {
  if (!isExpression(value)) return value;
  return value
    .split('*')
    .map((t) => t.trim())
    .reduce((product, term) => product * (/^[\d_,]+$/.test(term) ? Number(term.replace(/[_,]/g, '')) : Number(Object.hasOwn(params, term) ? params[term] : NaN)), 1);
}

function same(actual: Cell, expected: Cell): boolean {
  if (typeof expected === 'number') return Number(actual) === expected;
  return String(actual) === String(expected);
}

export function checkExpectation(e: Expectation, result: StatementResult, params: Readonly<Record<string, ParamValue>>): ExpectationResult {
  if (e.rows !== undefined) {
    const ok = result.rowCount === e.rows;
    return { ok, description: `row count = ${e.rows}`, expected: e.rows, actual: result.rowCount, message: ok ? undefined : e.message };
  }
  const columnIndex = e.column === undefined ? result.columns.length - 1 : result.columns.findIndex((c) => c.name.toUpperCase() === e.column!.toUpperCase());
  const row = e.row === undefined ? result.rows[0] : result.rows.find((r) => r.some((cell) => cell !== null && String(cell) === String(e.row)));
  const what = [e.row, e.column ?? result.columns[columnIndex]?.name].filter((x) => x !== undefined).join('.');
  if (columnIndex < 0) return { ok: false, description: what, message: `no column ${e.column} in the result` };
  if (!row) return { ok: false, description: what, message: `no row ${e.row ?? ''} in the result`.trim() };
  const actual = row[columnIndex] ?? null;
  const failures: string[] = [];
  let expected: Cell | undefined;
  if (e.equals !== undefined) {
    expected = evaluate(e.equals, params);
    if (!same(actual, expected)) failures.push(`expected ${expected}`);
  }
  if (e.min !== undefined) {
    const min = Number(evaluate(e.min, params));
    if (!(Number(actual) >= min)) failures.push(`expected at least ${min}`);
  }
  if (e.max !== undefined) {
    const max = Number(evaluate(e.max, params));
    if (!(Number(actual) <= max)) failures.push(`expected at most ${max}`);
  }
  const ok = failures.length === 0;
  return {
    ok,
    description: what,
    expected,
    actual,
    message: ok ? undefined : [e.message, `${failures.join(', ')}, got ${actual}`].filter(Boolean).join(': '),
  };
}

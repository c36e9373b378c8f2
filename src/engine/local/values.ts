/** DuckDB types and values → the engine-neutral columns and plain JSON cells the UI shows. */
import type { DuckDBType } from '@duckdb/node-api';
import type { Cell, ColumnType } from '../types.js';

// DuckDBTypeId values, inlined so that this module needs no runtime import of DuckDB.
const NUMBER_TYPES = new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16, 19, 32]);
const TEXT_TYPES = new Set([17, 23, 27]);
const TIMESTAMP_TYPES = new Set([12, 20, 21, 22, 31]);
const NESTED_TYPES = new Set([24, 25, 26, 28, 33, 41]);
const BOOLEAN = 1;
const DATE = 13;

export function columnType(type: DuckDBType): ColumnType {
  const id = type.typeId as number;
  if (type.alias?.toUpperCase() === 'JSON') return 'json';
  if (NUMBER_TYPES.has(id)) return 'number';
  if (TEXT_TYPES.has(id)) return 'text';
  if (id === BOOLEAN) return 'boolean';
  if (id === DATE) return 'date';
  if (TIMESTAMP_TYPES.has(id)) return 'timestamp';
  if (NESTED_TYPES.has(id)) return 'json';
  return 'other';
}

/** Significant digits a double holds exactly (a DECIMAL(38, 2) sum may have more). */
const EXACT_DIGITS = 15;

/**
 * A value from DuckDB's JSON converter (BIGINT and DECIMAL arrive as strings, nested values as
 * arrays and objects) → a cell. Numbers become numbers when a double holds them exactly, and stay
 * strings otherwise, so a figure on screen is never silently rounded.
 */
export function toCell(value: unknown, type: ColumnType): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'string') {
    if (type !== 'number' || !/^-?\d+(\.\d+)?$/.test(value)) return value;
    const digits = value.replace(/^-/, '').replace('.', '').replace(/^0+(?=\d)/, '').length;
    const n = Number(value);
    return digits <= EXACT_DIGITS || Number.isSafeInteger(n) ? n : value;
  }
  return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

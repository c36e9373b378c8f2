/** Reads a statement's result the way the screen wants it: typed columns, a capped number of rows. */
import type { Column as DriverColumn, DataType, RowStatement } from 'snowflake-sdk';
import type { Cell, Column, ColumnType } from '../types.js';

/**
 * Everything but booleans comes back as the server's text: exact decimals and big integers stay
 * exact, dates keep the session's format, JSON stays JSON.
 */
export const FETCH_AS_STRING: DataType[] = ['Number', 'Date', 'JSON', 'Buffer'];

function columnType(column: DriverColumn): ColumnType {
  if (column.isNumber()) return 'number';
  if (column.isString()) return 'text';
  if (column.isBoolean()) return 'boolean';
  if (column.isDate()) return 'date';
  if (column.isTimestamp() || column.isTime()) return 'timestamp';
  if (column.isVariant() || column.isObject() || column.isArray() || column.isMap()) return 'json';
  return 'other';
}

function toCell(value: unknown, type: ColumnType): Cell {
  if (value === null || value === undefined) return null;
  if (type === 'number' && typeof value === 'string') {
    const n = Number(value);
    // Beyond 2^53 a JS number would silently change the figure: keep the exact text.
    if (!Number.isFinite(n) || (Number.isInteger(n) && !Number.isSafeInteger(n))) return value;
    return n;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

export function columnsOf(statement: RowStatement): Column[] {
  return (statement.getColumns() ?? []).map((c) => ({ name: c.getName(), type: columnType(c) }));
}

/** The first `maxRows` rows only: the driver downloads just the chunks that hold them. */
export function readRows(statement: RowStatement, columns: Column[], maxRows: number): Promise<Cell[][]> {
  const total = statement.getNumRows() ?? 0;
  const wanted = Math.min(total, maxRows);
  if (wanted <= 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const rows: Cell[][] = [];
    statement
      .streamRows({ start: 0, end: wanted - 1 })
      .on('data', (row: unknown[]) => {
        rows.push(row.map((value, i) => toCell(value, columns[i]?.type ?? 'other')));
      })
      .on('error', reject)
      .on('end', () => resolve(rows));
  });
}

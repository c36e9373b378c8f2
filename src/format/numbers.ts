/** The one place figures are formatted for the screen, the plain output and the report. */
import type { Cell } from '../engine/types.js';

const whole = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });
const pounds = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', minimumFractionDigits: 2 });

/** 100000000 → "100,000,000". */
export function formatCount(value: number): string {
  return Number.isInteger(value) ? whole.format(value) : decimal.format(value);
}

/** A figure in the largest unit it reaches, one decimal below 100 of it: "1.5M", "501 million". */
function inUnits(value: number, units: ReadonlyArray<[number, string]>): string {
  for (const [size, unit] of units) {
    if (Math.abs(value) >= size) {
      const scaled = value / size;
      const text = scaled >= 100 || Number.isInteger(scaled) ? formatCount(Math.round(scaled)) : scaled.toFixed(1).replace(/\.0$/, '');
      return `${text}${unit}`;
    }
  }
  return formatCount(value);
}

/** 100000000 → "100M", 500809000 → "501M", 1500000 → "1.5M", 477612 → "478K". */
export function formatShort(value: number): string {
  return inUnits(value, [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ]);
}

/**
 * For a sentence read aloud: 100000000 → "100 million", 1500000 → "1.5 million"; below a million
 * the count itself, 100000 → "100,000".
 */
export function formatWords(value: number): string {
  return inUnits(value, [
    [1e12, ' trillion'],
    [1e9, ' billion'],
    [1e6, ' million'],
  ]);
}

/** Rows per second from a count and a time: 6008090 rows in 15 s → "400.5K rows/s". */
export function formatRate(rows: number, ms: number): string {
  if (!(ms > 0) || !Number.isFinite(rows)) return '—';
  return `${formatShort(Math.round((rows * 1000) / ms))} rows/s`;
}

/** 57853200 → "£57,853,200.00". */
export function formatGBP(value: number): string {
  return pounds.format(value);
}

/** 1800 → "1.8 s", 1182000 → "19 m 42 s", 350 → "350 ms", 3_900_000 → "1 h 5 m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 60) return `${totalSeconds} s`;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} m` : `${hours} h`;
  return seconds > 0 ? `${minutes} m ${seconds} s` : `${minutes} m`;
}

/** A clock: 65000 → "01:05", 3725000 → "1:02:05". */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * Columns whose name says the currency (GBP as a word of it: TOTAL_GBP, GBP) are shown in pounds.
 * Only the currency counts: a PRICE_PENCE or a NEGATIVE_PRICE count is not pounds.
 */
export function isMoneyColumn(name: string): boolean {
  return /(^|_)GBP(_|$)/i.test(name);
}

/** A cell as text: counts with separators, money in £, NULL visible. */
export function formatCell(value: Cell, column?: string): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (column && isMoneyColumn(column)) return formatGBP(value);
    return formatCount(value);
  }
  return String(value);
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A moment as a local time of day: "14:03", or "14:03:05" with seconds. */
export function formatTimeOfDay(at: number | Date, seconds = false): string {
  const d = typeof at === 'number' ? new Date(at) : at;
  const hm = `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  return seconds ? `${hm}:${pad2(d.getSeconds())}` : hm;
}

/** A moment as a local date and time, "2026-11-20 14:03"; text that is not a date is returned as is. */
export function formatDateTime(at: string | number | Date): string {
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) return String(at);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${formatTimeOfDay(d)}`;
}

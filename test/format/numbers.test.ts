import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/format/duration.js';
import { formatCell, formatClock, formatCount, formatDuration, formatGBP, formatShort } from '../../src/format/numbers.js';

describe('formatting for the back of the room', () => {
  it('counts with separators and a short form', () => {
    expect(formatCount(100_000_000)).toBe('100,000,000');
    expect(formatShort(100_000_000)).toBe('100M');
    expect(formatShort(500_809_000)).toBe('501M');
    expect(formatShort(477_612)).toBe('478K');
    expect(formatShort(1_500_000)).toBe('1.5M');
    expect(formatShort(999)).toBe('999');
  });

  it('pounds and durations', () => {
    expect(formatGBP(2000)).toBe('£2,000.00');
    expect(formatDuration(1800)).toBe('1.8 s');
    expect(formatDuration(1_182_000)).toBe('19 m 42 s');
    expect(formatDuration(350)).toBe('350 ms');
    expect(formatDuration(3_900_000)).toBe('1 h 5 m');
    expect(formatClock(65_000)).toBe('01:05');
  });

  it('formats cells by column: money in pounds, NULL visible', () => {
    expect(formatCell(1234.5, 'LIFETIME_VALUE_GBP')).toBe('£1,234.50');
    expect(formatCell(1234, 'ROW_COUNT')).toBe('1,234');
    expect(formatCell(1234, 'GBP')).toBe('£1,234.00');
    expect(formatCell(1234, 'PACK_PRICE_GBP')).toBe('£1,234.00');
    // Only the currency says money: pence, or a count of rows with a negative price, are not pounds.
    expect(formatCell(4530, 'PRICES_PENCE')).toBe('4,530');
    expect(formatCell(5300, 'NEGATIVE_PRICE')).toBe('5,300');
    expect(formatCell(12, 'COST_CENTRE')).toBe('12');
    expect(formatCell(null)).toBe('NULL');
  });

  it('parses runbook durations', () => {
    expect(parseDuration('19m 42s')).toBe(1_182_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration(2)).toBe(2000);
    expect(parseDuration('soon')).toBeUndefined();
  });
});

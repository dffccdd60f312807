import { describe, expect, it } from 'vitest';
import type { RowTypeEntry } from '../finish/encode-jsonv2.js';
import { cellText, epochSecondsToMicros, jsonCell } from './cell-text.js';

function col(type: RowTypeEntry['type'], scale: number | null = null): RowTypeEntry {
  return { name: 'C', database: '', schema: '', table: '', type, nullable: true, precision: null, scale, length: null, byteLength: null, collation: null };
}

describe('cell text', () => {
  it('reads jsonv2 timestamps back to microseconds', () => {
    expect(epochSecondsToMicros('1700000000.123456000')).toBe(1_700_000_000_123_456);
    expect(epochSecondsToMicros('-1.500000000')).toBe(-1_500_000);
    expect(epochSecondsToMicros('0.000001000')).toBe(1);
    expect(epochSecondsToMicros('12')).toBe(12_000_000);
  });

  it('shows dates and timestamps readably and everything else as sent', () => {
    expect(cellText('19876', col('date'))).toBe('2024-06-02');
    expect(cellText('-1', col('date'))).toBe('1969-12-31');
    expect(cellText('1717245296.789000000', col('timestamp_ntz'))).toBe('2024-06-01 12:34:56.789');
    expect(cellText('-0.000001000', col('timestamp_ntz'))).toBe('1969-12-31 23:59:59.999999');
    expect(cellText('12.50', col('fixed', 2))).toBe('12.50');
    expect(cellText(null, col('text'))).toBeNull();
  });

  it('gives JSON numbers only when they carry the decimal exactly', () => {
    const fixed = col('fixed', 2);
    expect(jsonCell('12.50', fixed)).toBe(12.5);
    expect(jsonCell('-0.05', fixed)).toBe(-0.05);
    expect(jsonCell('1234567890123456.78', fixed)).toBe('1234567890123456.78');
    expect(jsonCell('123456789012345.67', fixed)).toBe(123456789012345.67);
    expect(jsonCell('9007199254740993', col('fixed', 0))).toBe('9007199254740993');
    expect(jsonCell('9007199254740992', col('fixed', 0))).toBe(9007199254740992);
    expect(jsonCell('100000000000000000000', col('fixed', 0))).toBe(1e20);
    expect(jsonCell('0.000000000000000000000000000001', col('fixed', 30))).toBe(1e-30);
    expect(jsonCell('1e+21', col('real'))).toBe(1e21);
    expect(jsonCell('-inf', col('real'))).toBe('-inf');
    expect(jsonCell('false', col('boolean'))).toBe(false);
    expect(jsonCell(null, fixed)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import type { RowTypeEntry } from '../result/encode-jsonv2.js';
import { parseEpochSeconds } from '../../storage/types/value-text.js';
import { cellText, jsonCell } from './cell-text.js';

function col(type: RowTypeEntry['type'], scale: number | null = null): RowTypeEntry {
  return { name: 'C', database: '', schema: '', table: '', type, nullable: true, precision: null, scale, length: null, byteLength: null, collation: null };
}

describe('cell text', () => {
  it('reads jsonv2 timestamps back exactly, nanoseconds included', () => {
    expect(parseEpochSeconds('1700000000.123456789')).toEqual([1_700_000_000, 123_456_789]);
    expect(parseEpochSeconds('-1.500000000')).toEqual([-2, 500_000_000]);
    expect(parseEpochSeconds('0.000000001')).toEqual([0, 1]);
    expect(parseEpochSeconds('12')).toEqual([12, 0]);
    expect(parseEpochSeconds('253402300799.999999999')).toEqual([253_402_300_799, 999_999_999]);
  });

  it('shows dates and timestamps readably and everything else as sent', () => {
    expect(cellText('19876', col('date'))).toBe('2024-06-02');
    expect(cellText('-1', col('date'))).toBe('1969-12-31');
    expect(cellText('1717245296.789000000', col('timestamp_ntz'))).toBe('2024-06-01 12:34:56.789');
    expect(cellText('-0.000001000', col('timestamp_ntz'))).toBe('1969-12-31 23:59:59.999999');
    expect(cellText('1704164645.123456789', col('timestamp_ntz'))).toBe('2024-01-02 03:04:05.123456789');
    expect(cellText('-62135596800.000000001', col('timestamp_ntz'))).toBe('0000-12-31 23:59:59.999999999');
    expect(cellText('253402300799.999999999', col('timestamp_ntz'))).toBe('9999-12-31 23:59:59.999999999');
    expect(cellText('36672.123456789', col('time'))).toBe('10:11:12.123456789');
    expect(cellText('36672.120000000', col('time'))).toBe('10:11:12.120');
    expect(cellText('86399.999999000', col('time'))).toBe('23:59:59.999999');
    expect(cellText('0.000000000', col('time'))).toBe('00:00:00');
    expect(cellText('45296', col('time'))).toBe('12:34:56');
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

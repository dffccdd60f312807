import { describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import { encodeArrowStream } from '../services/result/encode-arrow-stream.js';
import { Types } from '../storage/types/data-type.js';
import type { Column } from '../storage/types/schema.js';
import type { Batch } from '../storage/types/vector.js';
import { compareRows, displayValue, formatDecimal, formatTime, formatTimestamp, numericValue, resultColumns } from './result-columns.js';

async function roundTrip(columns: Column[], batches: Batch[]) {
  const parts: Uint8Array[] = [];
  for await (const p of encodeArrowStream(columns, batches)) parts.push(p);
  return resultColumns(tableFromIPC(Buffer.concat(parts)));
}

const col = (name: string, type: Column['type']): Column => ({ name, type, nullable: true });

describe('resultColumns over the server\'s Arrow answer', () => {
  it('reads every type with its label, across batches, and displays it as Snowflake shows it', async () => {
    const columns = [col('I', Types.number(18, 0)), col('D', Types.number(10, 2)), col('F', Types.float), col('S', Types.varchar), col('B', Types.boolean), col('DT', Types.date), col('TS', Types.timestamp(3))];
    const one = (i: number, d: number, f: number, s: string, b: number, dt: number, secs: number, nanos: number, nulls: boolean): Batch => {
      const n = nulls ? Uint8Array.from([1]) : null;
      return {
        length: 1,
        columns: [
          { kind: 'f64', length: 1, values: Float64Array.from([i]), nulls: n },
          { kind: 'f64', length: 1, values: Float64Array.from([d]), nulls: n },
          { kind: 'f64', length: 1, values: Float64Array.from([f]), nulls: n },
          { kind: 'str', length: 1, codes: Int32Array.from([0]), dict: [s], nulls: n },
          { kind: 'bool', length: 1, values: Uint8Array.from([b]), nulls: n },
          { kind: 'i32', length: 1, values: Int32Array.from([dt]), nulls: n },
          { kind: 'ts', length: 1, secs: Float64Array.from([secs]), nanos: Int32Array.from([nanos]), nulls: n },
        ],
      };
    };
    const cols = await roundTrip(columns, [one(-7, 5, 0.25, 'ünï', 1, 19724, 1704164645, 678_000_000, false), one(0, 0, 0, '', 0, 0, 0, 0, true), one(3, -1234, 1e21, 'z', 0, -1, -1, 500_000_000, false)]);
    expect(cols.map((c) => `${c.name} ${c.typeLabel} ${c.kind}`)).toEqual([
      'I NUMBER(18,0) int',
      'D NUMBER(10,2) decimal',
      'F FLOAT float',
      'S VARCHAR text',
      'B BOOLEAN bool',
      'DT DATE date',
      'TS TIMESTAMP_NTZ(3) timestamp',
    ]);
    expect(cols.map((c) => [0, 1, 2].map((r) => displayValue(c, r)))).toEqual([
      ['-7', '', '3'],
      ['0.05', '', '-12.34'],
      ['0.25', '', '1e+21'],
      ['ünï', '', 'z'],
      ['true', '', 'false'],
      ['2024-01-02', '', '1969-12-31'],
      ['2024-01-02 03:04:05.678', '', '1969-12-31 23:59:59.500'],
    ]);
    expect(cols.map((c) => numericValue(c, 2))).toEqual([3, -12.34, 1e21, null, null, -86_400_000, -500]);
  });

  it('sorts NULLs last and numbers exactly', async () => {
    const cols = await roundTrip([col('W', Types.number(38, 0))], [
      { length: 3, columns: [{ kind: 'dec', length: 3, values: [10n ** 20n + 1n, 0n, 10n ** 20n], nulls: Uint8Array.from([0, 1, 0]) }] },
    ]);
    const order = [0, 1, 2].sort((a, b) => compareRows(cols[0]!, a, b));
    expect(order).toEqual([2, 0, 1]);
    expect(displayValue(cols[0]!, 0)).toBe('100000000000000000001');
  });
});

describe('formatting', () => {
  it('formats decimals with exactly their scale', () => {
    expect([formatDecimal(5n, 3), formatDecimal(-5n, 3), formatDecimal(123456n, 2), formatDecimal(-100n, 0)]).toEqual(['0.005', '-0.005', '1234.56', '-100']);
  });
  it('formats timestamps in every unit with the column\'s digits', () => {
    expect(formatTimestamp(0n, 1, 0)).toBe('1970-01-01 00:00:00');
    expect(formatTimestamp(-1n, 1_000_000_000, 9)).toBe('1969-12-31 23:59:59.999999999');
    expect(formatTimestamp(1_500_000n, 1_000_000, 6)).toBe('1970-01-01 00:00:01.500000');
  });
});

describe('TIME columns', () => {
  it('read Time64 nanoseconds and show HH:MM:SS with the fraction digits of TIME(p), sorting and charting by time of day', async () => {
    const tm = (values: number[], nulls: number[] | null): Batch => ({ length: values.length, columns: [{ kind: 'f64', length: values.length, values: Float64Array.from(values), nulls: nulls && Uint8Array.from(nulls) }, { kind: 'f64', length: values.length, values: Float64Array.from(values), nulls: nulls && Uint8Array.from(nulls) }] });
    const [t9, t0] = await roundTrip([col('T', Types.time()), col('T0', Types.time(0))], [tm([36_672_123_456_789, 0, 86_399_999_999_999], [0, 1, 0])]);
    expect([t9!.typeLabel, t9!.kind, t0!.typeLabel]).toEqual(['TIME(9)', 'time', 'TIME(0)']);
    expect([0, 1, 2].map((r) => displayValue(t9!, r))).toEqual(['10:11:12.123456789', '', '23:59:59.999999999']);
    expect(displayValue(t0!, 0)).toBe('10:11:12');
    expect(numericValue(t9!, 0)).toBe(36_672_123);
    expect(compareRows(t9!, 0, 2)).toBe(-1);
    expect(formatTime(1_000_000n, 3)).toBe('00:00:00.001');
  });
});

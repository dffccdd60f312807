import { describe, expect, it } from 'vitest';
import { tableFromIPC, type Table } from 'apache-arrow';
import { ARROW_STREAM_MEDIA_TYPE, encodeArrowStream } from './encode-arrow-stream.js';
import { Types, type DataType } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch, Vector } from '../../storage/types/vector.js';
import { DataError } from '../../storage/errors/firn-error.js';

async function encode(columns: Column[], batches: Batch[]): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const piece of encodeArrowStream(columns, batches)) parts.push(piece);
  return Buffer.concat(parts);
}

async function decode(columns: Column[], batches: Batch[]): Promise<Table> {
  return tableFromIPC(await encode(columns, batches));
}

const col = (name: string, type: DataType): Column => ({ name, type, nullable: true });
const batchOf = (...columns: Vector[]): Batch => ({ length: columns[0]!.length, columns });

describe('encodeArrowStream', () => {
  it('names the media type of an Arrow IPC stream', () => {
    expect(ARROW_STREAM_MEDIA_TYPE).toBe('application/vnd.apache.arrow.stream');
  });

  it('sends NUMBER(p<=18, 0) as Int64, exactly, from both physical kinds, with NULLs', async () => {
    const columns = [col('N', Types.number(18, 0))];
    const t = await decode(columns, [
      batchOf({ kind: 'f64', length: 4, values: Float64Array.from([0, -1, 2 ** 53, -(2 ** 53)]), nulls: null }),
      batchOf({ kind: 'dec', length: 3, values: [999999999999999999n, -999999999999999999n, 0n], nulls: Uint8Array.from([0, 0, 1]) }),
    ]);
    expect(String(t.schema.fields[0]!.type)).toBe('Int64');
    expect([...t.getChild('N')!]).toEqual([0n, -1n, 2n ** 53n, -(2n ** 53n), 999999999999999999n, -999999999999999999n, null]);
  });

  it('sends other NUMBER(p,s) as Decimal128(p,s) holding the scaled integer', async () => {
    const columns = [col('D', Types.number(10, 2)), col('W', Types.number(38, 0))];
    const t = await decode(columns, [
      batchOf(
        { kind: 'f64', length: 3, values: Float64Array.from([12345, -5, 0]), nulls: Uint8Array.from([0, 0, 1]) },
        { kind: 'dec', length: 3, values: [10n ** 30n, -(10n ** 30n) - 7n, 1n], nulls: null },
      ),
    ]);
    const d = t.schema.fields[0]!.type as { scale: number; precision: number; bitWidth: number };
    expect([d.precision, d.scale, d.bitWidth]).toEqual([10, 2, 128]);
    const words = (i: number, c: string) => t.getChild(c)!.data[0]!.values.subarray(i * 4, i * 4 + 4) as Uint32Array;
    const asBig = (w: Uint32Array) => BigInt.asIntN(128, (BigInt(w[3]!) << 96n) | (BigInt(w[2]!) << 64n) | (BigInt(w[1]!) << 32n) | BigInt(w[0]!));
    expect([asBig(words(0, 'D')), asBig(words(1, 'D'))]).toEqual([12345n, -5n]);
    expect(t.getChild('D')!.isValid(2)).toBe(false);
    expect([0, 1, 2].map((i) => asBig(words(i, 'W')))).toEqual([10n ** 30n, -(10n ** 30n) - 7n, 1n]);
  });

  it('sends FLOAT, VARCHAR, BOOLEAN and DATE as Float64, Utf8, Bool and Date32', async () => {
    const columns = [col('F', Types.float), col('S', Types.varchar), col('B', Types.boolean), col('DT', Types.date)];
    const t = await decode(columns, [
      batchOf(
        { kind: 'f64', length: 3, values: Float64Array.from([1.5, Number.NaN, -0.1]), nulls: null },
        { kind: 'str', length: 3, codes: Int32Array.from([1, 0, 1]), dict: ['é', 'abc'], nulls: Uint8Array.from([0, 0, 1]) },
        { kind: 'bool', length: 3, values: Uint8Array.from([1, 0, 1]), nulls: Uint8Array.from([0, 1, 0]) },
        { kind: 'i32', length: 3, values: Int32Array.from([0, -1, 19723]), nulls: null },
      ),
    ]);
    expect(t.schema.fields.map((f) => String(f.type))).toEqual(['Float64', 'Utf8', 'Bool', 'Date32<DAY>']);
    expect([...t.getChild('F')!]).toEqual([1.5, Number.NaN, -0.1]);
    expect([...t.getChild('S')!]).toEqual(['abc', 'é', null]);
    expect([...t.getChild('B')!]).toEqual([true, null, true]);
    expect(Array.from((t.getChild('DT')!.data[0]!.values as Int32Array).subarray(0, 3))).toEqual([0, -1, 19723]);
  });

  it('sends TIMESTAMP_NTZ(p) in the unit of its scale, exactly, before and after 1970', async () => {
    const ts: Vector = { kind: 'ts', length: 2, secs: Float64Array.from([-1, 1_700_000_000]), nanos: Int32Array.from([500_000_000, 123_456_789]), nulls: null };
    const columns = [col('T0', Types.timestamp(0)), col('T3', Types.timestamp(3)), col('T6', Types.timestamp(6)), col('T9', Types.timestamp(9))];
    const t = await decode(columns, [batchOf(ts, ts, ts, ts)]);
    expect(t.schema.fields.map((f) => String(f.type))).toEqual(['Timestamp<SECOND>', 'Timestamp<MILLISECOND>', 'Timestamp<MICROSECOND>', 'Timestamp<NANOSECOND>']);
    const raw = (c: string) => Array.from((t.getChild(c)!.data[0]!.values as BigInt64Array).subarray(0, 2));
    expect(raw('T0')).toEqual([-1n, 1_700_000_000n]);
    expect(raw('T3')).toEqual([-500n, 1_700_000_000_123n]);
    expect(raw('T6')).toEqual([-500_000n, 1_700_000_000_123_456n]);
    expect(raw('T9')).toEqual([-500_000_000n, 1_700_000_000_123_456_789n]);
  });

  it('sends TIME(p) as Time64 nanoseconds since midnight, exactly', async () => {
    const tm: Vector = { kind: 'f64', length: 3, values: Float64Array.from([36_672_123_456_789, 86_399_999_999_999, 0]), nulls: Uint8Array.from([0, 0, 1]) };
    const t = await decode([col('T', Types.time()), col('T0', Types.time(0))], [batchOf(tm, tm)]);
    expect(t.schema.fields.map((f) => String(f.type))).toEqual(['Time64<NANOSECOND>', 'Time64<NANOSECOND>']);
    expect(Array.from((t.getChild('T')!.data[0]!.values as BigInt64Array).subarray(0, 2))).toEqual([36_672_123_456_789n, 86_399_999_999_999n]);
    expect(t.getChild('T')!.get(2)).toBeNull();
  });

  it('keeps every column\'s Firn type in its field metadata', async () => {
    const columns = [col('N', Types.number(12, 3)), { name: 'V', type: { kind: 'VARCHAR', length: 10 } as DataType, nullable: false }];
    const t = await decode(columns, []);
    expect(t.schema.fields.map((f) => f.metadata.get('firn.type'))).toEqual(['{"kind":"NUMBER","precision":12,"scale":3}', '{"kind":"VARCHAR","length":10}']);
    expect(t.schema.fields.map((f) => f.nullable)).toEqual([true, false]);
    expect(t.numRows).toBe(0);
  });

  it('writes one record batch per non-empty batch, one schema and one end-of-stream', async () => {
    const columns = [col('N', Types.number(18, 0))];
    const one = (v: number[]): Batch => batchOf({ kind: 'f64', length: v.length, values: Float64Array.from(v), nulls: null });
    const pieces: Uint8Array[] = [];
    for await (const piece of encodeArrowStream(columns, [one([1, 2]), one([]), one([3])])) pieces.push(piece);
    expect(pieces.length).toBe(4);
    const t = tableFromIPC(Buffer.concat(pieces));
    expect(t.batches.length).toBe(2);
    expect([...t.getChild('N')!]).toEqual([1n, 2n, 3n]);
    expect(Buffer.from(pieces[3]!).toString('hex')).toBe('ffffffff00000000');
  });

  it('fails with DATETIME_OUT_OF_RANGE for a nanosecond timestamp past 2262', async () => {
    const columns = [col('T', Types.timestamp(9))];
    const late: Vector = { kind: 'ts', length: 1, secs: Float64Array.from([9_300_000_000]), nanos: Int32Array.from([0]), nulls: null };
    const err = await encode(columns, [batchOf(late)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).codeName).toBe('DATETIME_OUT_OF_RANGE');
  });
});

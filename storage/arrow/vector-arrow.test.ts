import {
  Data,
  DateDay,
  DateMillisecond,
  Decimal,
  Dictionary,
  Float32,
  Float64,
  Int8,
  Int32,
  Int64,
  LargeUtf8,
  List,
  Field,
  makeData,
  makeVector,
  Null,
  Table,
  tableFromIPC,
  tableToIPC,
  TimestampMillisecond,
  TimestampNanosecond,
  TimestampSecond,
  Uint8,
  Utf8,
  vectorFromArray,
  type Vector as ArrowVector,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DataError, LoadError } from '../errors/firn-error.js';
import type { DataType } from '../types/data-type.js';
import type { Vector } from '../types/vector.js';
import { nanosToTs, tsToNanos } from '../types/timestamp-nanos.js';
import { arrowToVector, firnTypeFromArrow, strToUtf8Data, vectorToArrowData } from './vector-arrow.js';

/** Logical values of a vector: null under NULL; NUMBER as bigint; strings; booleans. */
function logical(v: Vector, type: DataType): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < v.length; i++) {
    if (v.nulls !== null && v.nulls[i] !== 0) {
      out.push(null);
      continue;
    }
    switch (v.kind) {
      case 'bool':
        out.push(v.values[i] !== 0);
        break;
      case 'f64':
        out.push(type.kind === 'NUMBER' ? BigInt(v.values[i]) : v.values[i]);
        break;
      case 'i32':
        out.push(v.values[i]);
        break;
      case 'dec':
        out.push(v.values[i]);
        break;
      case 'str':
        out.push(v.dict[v.codes[i]]);
        break;
      case 'ts':
        out.push(tsToNanos(v.secs[i], v.nanos[i]));
        break;
    }
  }
  return out;
}

/** A 'ts' vector of nanosecond timestamps. */
function tsVector(nanos: bigint[]): Vector {
  const secs = new Float64Array(nanos.length);
  const ns = new Int32Array(nanos.length);
  nanos.forEach((v, i) => ([secs[i], ns[i]] = nanosToTs(v)));
  return { kind: 'ts', length: nanos.length, secs, nanos: ns, nulls: null };
}

/** Through a real IPC stream, as Arrow buffers arrive from files and workers. */
function viaIpc(data: Data): ArrowVector {
  const t = tableFromIPC(tableToIPC(new Table({ x: makeVector(data) }), 'stream'));
  return t.getChild('x')!;
}

const mask = (...bits: number[]) => new Uint8Array(bits);

/** The error fn throws (failing the test when it does not throw). */
function caught(fn: () => unknown): Error & { codeName?: string } {
  try {
    fn();
  } catch (e) {
    return e as Error & { codeName?: string };
  }
  throw new Error('expected an error');
}

function roundTrip(v: Vector, type: DataType): Vector {
  return arrowToVector(viaIpc(vectorToArrowData(v, type)), type, 'column X');
}

describe('vectorToArrowData / arrowToVector round trips', () => {
  it('BOOLEAN with NULLs, across a byte boundary', () => {
    const values = new Uint8Array([1, 0, 1, 1, 0, 0, 1, 0, 1, 1]);
    const nulls = mask(0, 0, 1, 0, 0, 0, 0, 0, 0, 1);
    const v: Vector = { kind: 'bool', length: 10, values, nulls };
    const back = roundTrip(v, { kind: 'BOOLEAN' });
    expect(back.kind).toBe('bool');
    expect(logical(back, { kind: 'BOOLEAN' })).toEqual([true, false, null, true, false, false, true, false, true, null]);
  });

  it('NUMBER(p,s) in f64 form, negatives and the 2^53 edges, stays f64', () => {
    const type: DataType = { kind: 'NUMBER', precision: 18, scale: 2 };
    const values = new Float64Array([12345, -5, 0, 2 ** 53, -(2 ** 53), 4294967296, -4294967297, 7]);
    const v: Vector = { kind: 'f64', length: 8, values, nulls: mask(0, 0, 0, 0, 0, 0, 0, 1) };
    const data = vectorToArrowData(v, type);
    expect(String(data.type)).toBe(String(new Decimal(2, 18, 128)));
    const back = roundTrip(v, type);
    expect(back.kind).toBe('f64');
    expect(logical(back, type)).toEqual([12345n, -5n, 0n, 2n ** 53n, -(2n ** 53n), 4294967296n, -4294967297n, null]);
  });

  it('NUMBER(38,0) wide values come back as exact dec', () => {
    const type: DataType = { kind: 'NUMBER', precision: 38, scale: 0 };
    const wide = [10n ** 37n * 9n, -(10n ** 30n) - 1n, 0n, 2n ** 53n + 1n, -1n];
    const v: Vector = { kind: 'dec', length: 6, values: [...wide, 0n], nulls: mask(0, 0, 0, 0, 0, 1) };
    const back = roundTrip(v, type);
    expect(back.kind).toBe('dec');
    expect(logical(back, type)).toEqual([...wide, null]);
  });

  it('a dec vector whose values all fit 2^53 reads back as f64', () => {
    const type: DataType = { kind: 'NUMBER', precision: 38, scale: 4 };
    const back = roundTrip({ kind: 'dec', length: 2, values: [-12345n, 99n], nulls: null }, type);
    expect(back.kind).toBe('f64');
    expect(logical(back, type)).toEqual([-12345n, 99n]);
  });

  it('FLOAT keeps NaN, infinities and -0', () => {
    const values = new Float64Array([1.5, NaN, Infinity, -Infinity, -0, 3]);
    const back = roundTrip({ kind: 'f64', length: 6, values, nulls: mask(0, 0, 0, 0, 0, 1) }, { kind: 'FLOAT' });
    expect(back.kind).toBe('f64');
    const got = logical(back, { kind: 'FLOAT' });
    expect(got.slice(0, 5)).toEqual([1.5, NaN, Infinity, -Infinity, -0]);
    expect(Object.is(got[4], -0)).toBe(true);
    expect(got[5]).toBeNull();
  });

  it('VARCHAR: non-ASCII, emoji, empty strings, NULLs, duplicate and unused dict entries', () => {
    const dict = ['héllo', '', '日本語', 'a😀b', 'unused', 'héllo'];
    const codes = new Int32Array([0, 1, 2, 3, 5, 0, 3]);
    const v: Vector = { kind: 'str', length: 7, codes, dict, nulls: mask(0, 0, 0, 0, 0, 1, 0) };
    const type: DataType = { kind: 'VARCHAR' };
    const back = roundTrip(v, type);
    expect(back.kind).toBe('str');
    expect(logical(back, type)).toEqual(['héllo', '', '日本語', 'a😀b', 'héllo', null, 'a😀b']);
  });

  it('VARCHAR as plain Utf8 (strToUtf8Data) reads back with a de-duplicated dict', () => {
    const v: Vector = { kind: 'str', length: 5, codes: new Int32Array([1, 0, 1, 1, 0]), dict: ['x', 'ÿz'], nulls: mask(0, 0, 0, 1, 0) };
    const data = strToUtf8Data(v, vectorToArrowData(v, { kind: 'VARCHAR' }).nullBitmap, 1);
    expect(String(data.type)).toBe('Utf8');
    const back = arrowToVector(viaIpc(data), { kind: 'VARCHAR' });
    expect(logical(back, { kind: 'VARCHAR' })).toEqual(['ÿz', 'x', 'ÿz', null, 'x']);
    expect(back.kind === 'str' && back.dict.length).toBe(2);
  });

  it('a compacted dict when the vector uses few entries of a large dict', () => {
    const dict = Array.from({ length: 1000 }, (_, i) => `v${i}`);
    const v: Vector = { kind: 'str', length: 3, codes: new Int32Array([999, 5, 999]), dict, nulls: null };
    const data = vectorToArrowData(v, { kind: 'VARCHAR' });
    expect(data.dictionary!.length).toBe(2);
    expect(logical(arrowToVector(viaIpc(data), { kind: 'VARCHAR' }), { kind: 'VARCHAR' })).toEqual(['v999', 'v5', 'v999']);
  });

  it('DATE and TIMESTAMP_NTZ before and after the epoch', () => {
    const days = new Int32Array([-719162, -1, 0, 19000, 2932896]);
    const d = roundTrip({ kind: 'i32', length: 5, values: days, nulls: mask(0, 0, 1, 0, 0) }, { kind: 'DATE' });
    expect(d.kind).toBe('i32');
    expect(logical(d, { kind: 'DATE' })).toEqual([-719162, -1, null, 19000, 2932896]);
    // Whole microseconds travel as Timestamp(MICROSECOND), exact from year 0001 to 9999.
    const micros = [-62135596800000000n, -1n, 0n, 1700000000123456n, 253402300799999999n];
    const us = tsVector(micros.map((m) => m * 1000n));
    expect(vectorToArrowData(us, { kind: 'TIMESTAMP_NTZ' }).type.toString()).toBe('Timestamp<MICROSECOND>');
    expect(logical(roundTrip(us, { kind: 'TIMESTAMP_NTZ' }), { kind: 'TIMESTAMP_NTZ' })).toEqual(micros.map((m) => m * 1000n));
    // Any sub-microsecond digit: Decimal128(38, 9) epoch seconds, every nanosecond exact.
    const nanos = [-62135596800000000000n, -62135596799999999999n, -1n, 0n, 1704164645123456789n, 253402300799999999999n];
    const ns = tsVector(nanos);
    expect(vectorToArrowData(ns, { kind: 'TIMESTAMP_NTZ' }).type.toString()).toBe('Decimal[38e+9]');
    expect(logical(roundTrip(ns, { kind: 'TIMESTAMP_NTZ' }), { kind: 'TIMESTAMP_NTZ' })).toEqual(nanos);
    // Read into a lower precision: the fraction is cut to p digits (towards the past).
    expect(logical(roundTrip(ns, { kind: 'TIMESTAMP_NTZ', precision: 3 }), { kind: 'TIMESTAMP_NTZ' })).toEqual([
      -62135596800000000000n, -62135596800000000000n, -1000000n, 0n, 1704164645123000000n, 253402300799999000000n,
    ]);
  });

  it('a sliced Arrow vector (non-zero offset) with NULLs', () => {
    const v: Vector = { kind: 'f64', length: 12, values: new Float64Array(12).map((_, i) => i * 10), nulls: mask(0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0) };
    const full = makeVector(vectorToArrowData(v, { kind: 'NUMBER', precision: 10, scale: 0 }));
    const back = arrowToVector(full.slice(3, 11), { kind: 'NUMBER', precision: 10, scale: 0 });
    expect(logical(back, { kind: 'NUMBER', precision: 10, scale: 0 })).toEqual([null, 40n, 50n, 60n, 70n, 80n, 90n, null]);
    const b: Vector = { kind: 'bool', length: 12, values: new Uint8Array(12).map((_, i) => i % 3 === 0 ? 1 : 0), nulls: null };
    const bb = arrowToVector(makeVector(vectorToArrowData(b, { kind: 'BOOLEAN' })).slice(5, 12), { kind: 'BOOLEAN' });
    expect(logical(bb, { kind: 'BOOLEAN' })).toEqual([false, true, false, false, true, false, false]);
  });

  it('several chunks concatenate', () => {
    const a = vectorFromArray(['x', 'y'], new Utf8());
    const b = vectorFromArray(['y', 'z', null], new Utf8());
    const back = arrowToVector(a.concat(b), { kind: 'VARCHAR' });
    expect(logical(back, { kind: 'VARCHAR' })).toEqual(['x', 'y', 'y', 'z', null]);
  });
});

describe('arrowToVector from types other writers produce', () => {
  const num = (precision: number, scale: number): DataType => ({ kind: 'NUMBER', precision, scale });

  it('Int32 / Int8 / UInt8 into NUMBER, rescaled to the target scale', () => {
    const i32 = vectorFromArray([1, -2, null, 2147483647], new Int32());
    expect(logical(arrowToVector(i32, num(12, 2)), num(12, 2))).toEqual([100n, -200n, null, 214748364700n]);
    expect(logical(arrowToVector(vectorFromArray([-128, 127], new Int8()), num(3, 0)), num(3, 0))).toEqual([-128n, 127n]);
    expect(logical(arrowToVector(vectorFromArray([255], new Uint8()), num(3, 0)), num(3, 0))).toEqual([255n]);
  });

  it('Int64 beyond 2^53 becomes dec; within stays f64; into FLOAT converts', () => {
    const big = vectorFromArray([2n ** 62n, -(2n ** 60n) - 3n, null], new Int64());
    const back = arrowToVector(viaIpc(big.data[0]), num(38, 0));
    expect(back.kind).toBe('dec');
    expect(logical(back, num(38, 0))).toEqual([2n ** 62n, -(2n ** 60n) - 3n, null]);
    const small = arrowToVector(vectorFromArray([5n, -7n], new Int64()), num(19, 0));
    expect(small.kind).toBe('f64');
    expect(logical(small, num(19, 0))).toEqual([5n, -7n]);
    expect(logical(arrowToVector(vectorFromArray([-(2n ** 40n)], new Int64()), { kind: 'FLOAT' }), { kind: 'FLOAT' })).toEqual([-(2 ** 40)]);
  });

  it('Decimal with another precision/scale: rounds half away from zero and range-checks', () => {
    const words = new Uint32Array(4 * 4);
    const put = (i: number, v: bigint) => {
      const u = BigInt.asUintN(128, v);
      for (let k = 0; k < 4; k++) words[i * 4 + k] = Number((u >> BigInt(32 * k)) & 0xffffffffn);
    };
    [1235n, -1235n, 1234n, -5n].forEach((v, i) => put(i, v));
    const dec = makeVector(makeData({ type: new Decimal(3, 5, 128), length: 4, data: words }));
    expect(logical(arrowToVector(dec, num(10, 2)), num(10, 2))).toEqual([124n, -124n, 123n, -1n]);
    expect(logical(arrowToVector(dec, num(10, 5)), num(10, 5))).toEqual([123500n, -123500n, 123400n, -500n]);
    expect(logical(arrowToVector(dec, { kind: 'FLOAT' }), { kind: 'FLOAT' })).toEqual([1.235, -1.235, 1.234, -0.005]);
    expect(() => arrowToVector(dec, num(2, 2))).toThrow(DataError);
    expect(logical(arrowToVector(dec, num(3, 2)), num(3, 2))).toEqual([124n, -124n, 123n, -1n]);
    const e = caught(() => arrowToVector(dec, num(2, 2), 'column P of f.parquet'));
    expect(e.codeName).toBe('NUMERIC_OUT_OF_RANGE');
    expect(e.message).toContain('column P of f.parquet');
  });

  it('floats into NUMBER round, into FLOAT widen; non-finite into NUMBER is an error', () => {
    const f32 = vectorFromArray([2.5, -0.125, null], new Float32());
    expect(logical(arrowToVector(f32, num(10, 2)), num(10, 2))).toEqual([250n, -13n, null]);
    expect(logical(arrowToVector(f32, { kind: 'FLOAT' }), { kind: 'FLOAT' })).toEqual([2.5, -0.125, null]);
    expect(() => arrowToVector(vectorFromArray([NaN], new Float64()), num(10, 0))).toThrow(DataError);
  });

  it('LargeUtf8, Dictionary<Utf8, Int8> and plain Utf8 (repeating: de-duplicated; distinct: one entry per row)', () => {
    const large = arrowToVector(vectorFromArray(['ä', null, 'b'], new LargeUtf8()), { kind: 'VARCHAR' });
    expect(logical(large, { kind: 'VARCHAR' })).toEqual(['ä', null, 'b']);
    const dict = vectorFromArray(['p', 'q', 'p', null], new Dictionary(new Utf8(), new Int8()));
    expect(logical(arrowToVector(viaIpc(dict.data[0]), { kind: 'VARCHAR' }), { kind: 'VARCHAR' })).toEqual(['p', 'q', 'p', null]);
    const rep = Array.from({ length: 500 }, (_, i) => `k${i % 7}`);
    const repV = arrowToVector(vectorFromArray(rep, new Utf8()), { kind: 'VARCHAR' });
    expect(repV.kind === 'str' && repV.dict.length).toBe(7);
    expect(logical(repV, { kind: 'VARCHAR' })).toEqual(rep);
    const distinct = Array.from({ length: 500 }, (_, i) => `ü${i}`);
    const distV = arrowToVector(vectorFromArray(distinct, new Utf8()), { kind: 'VARCHAR' });
    expect(logical(distV, { kind: 'VARCHAR' })).toEqual(distinct);
  });

  it('VARCHAR(n) counts characters, not UTF-16 units, and rejects longer values', () => {
    const ok = vectorFromArray(['ab😀', null], new Utf8());
    expect(logical(arrowToVector(ok, { kind: 'VARCHAR', length: 3 }), { kind: 'VARCHAR' })).toEqual(['ab😀', null]);
    const long = vectorFromArray(['abc', 'abcd'], new Utf8());
    expect(() => arrowToVector(long, { kind: 'VARCHAR', length: 3 })).toThrow(/too long/);
    expect(caught(() => arrowToVector(long, { kind: 'VARCHAR', length: 3 })).codeName).toBe('STRING_TOO_LONG');
  });

  it('Date64 and timestamps of every unit (floored, negative included)', () => {
    const d64 = makeVector(makeData({ type: new DateMillisecond(), length: 3, data: new BigInt64Array([-1n, 86_400_000n * 3n + 5n, 0n]) }));
    expect(logical(arrowToVector(d64, { kind: 'DATE' }), { kind: 'DATE' })).toEqual([-1, 3, 0]);
    const ns = makeVector(makeData({ type: new TimestampNanosecond(), length: 3, data: new BigInt64Array([-1n, 1_700_000_000_123_456_789n, -1_000_000_001_500n]) }));
    expect(logical(arrowToVector(viaIpc(ns.data[0]), { kind: 'TIMESTAMP_NTZ' }), { kind: 'TIMESTAMP_NTZ' })).toEqual([-1n, 1_700_000_000_123_456_789n, -1_000_000_001_500n]);
    const ms = makeVector(makeData({ type: new TimestampMillisecond(), length: 1, data: new BigInt64Array([-1500n]) }));
    expect(logical(arrowToVector(ms, { kind: 'TIMESTAMP_NTZ' }), { kind: 'TIMESTAMP_NTZ' })).toEqual([-1_500_000_000n]);
    const s = makeVector(makeData({ type: new TimestampSecond(), length: 1, data: new BigInt64Array([86_401n]) }));
    expect(logical(arrowToVector(s, { kind: 'DATE' }), { kind: 'DATE' })).toEqual([1]);
    const d32 = makeVector(makeData({ type: new DateDay(), length: 1, data: new Int32Array([-2]) }));
    expect(logical(arrowToVector(d32, { kind: 'TIMESTAMP_NTZ' }), { kind: 'TIMESTAMP_NTZ' })).toEqual([-2n * 86_400_000_000_000n]);
  });

  it('an all-NULL (Null type) column loads as NULLs of any type', () => {
    const n = makeVector(makeData({ type: new Null(), length: 3 }));
    const v = arrowToVector(n, { kind: 'NUMBER', precision: 38, scale: 0 });
    expect(logical(v, { kind: 'NUMBER', precision: 38, scale: 0 })).toEqual([null, null, null]);
  });

  it('impossible pairings are LoadError TYPE_MISMATCH naming the column', () => {
    const s = vectorFromArray(['1'], new Utf8());
    expect(() => arrowToVector(s, num(10, 0), 'column N of x.parquet')).toThrow(LoadError);
    const e = caught(() => arrowToVector(s, num(10, 0), 'column N of x.parquet'));
    expect(e.codeName).toBe('TYPE_MISMATCH');
    expect(e.message).toContain('column N of x.parquet');
    expect(() => arrowToVector(vectorFromArray([1], new Int32()), { kind: 'BOOLEAN' })).toThrow(LoadError);
  });

  it('firnTypeFromArrow maps foreign types and rejects nested ones', () => {
    expect(firnTypeFromArrow(new Int64(), 'c')).toEqual({ kind: 'NUMBER', precision: 38, scale: 0 });
    expect(firnTypeFromArrow(new Decimal(2, 9, 128), 'c')).toEqual({ kind: 'NUMBER', precision: 9, scale: 2 });
    expect(firnTypeFromArrow(new Float32(), 'c')).toEqual({ kind: 'FLOAT' });
    expect(firnTypeFromArrow(new LargeUtf8(), 'c')).toEqual({ kind: 'VARCHAR' });
    expect(firnTypeFromArrow(new Dictionary(new Utf8(), new Int32()), 'c')).toEqual({ kind: 'VARCHAR' });
    expect(firnTypeFromArrow(new DateMillisecond(), 'c')).toEqual({ kind: 'DATE' });
    expect(firnTypeFromArrow(new TimestampNanosecond('UTC'), 'c')).toEqual({ kind: 'TIMESTAMP_NTZ' });
    expect(() => firnTypeFromArrow(new List(new Field('item', new Int32())), 'column L')).toThrow(/column L/);
  });
});

import { describe, expect, it } from 'vitest';
import { InternalError, ResourceError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch, Vector } from '../../storage/types/vector.js';
import { formatDecimal, formatEpochSeconds9 } from '../../storage/types/value-text.js';
import type { StatementResult } from '../session/statement-result.js';
import { encodeJsonV2, MAX_RESULT_BYTES, rowTypeOf, scaledF64ToDecimal } from './encode-jsonv2.js';

const stats = { partitionsTotal: 4, partitionsScanned: 1, bytesScanned: 2048, cacheHitRatio: 0.5, elapsedMs: 12, warehouse: 'COMPUTE_WH', partitionedJoins: 0, bytesSpilled: 0, profile: [], partitionsAdded: 0, partitionsRemoved: 0, queuedMs: 0, cluster: null, warehouseSize: null, fromResultCache: false, memoryBytes: 0 };
const context = { database: 'FIRN', schema: 'PUBLIC', warehouse: 'COMPUTE_WH' };

function mask(...bits: number[]): Uint8Array {
  return Uint8Array.from(bits);
}

function result(columns: Column[], vectors: Vector[]): StatementResult {
  const batch: Batch = { length: vectors[0]?.length ?? 0, columns: vectors };
  return { queryId: '01234567-89ab-4def-8123-456789abcdef', columns, batch, stats, context };
}

function encodeOne(column: Column, vector: Vector) {
  return encodeJsonV2(result([column], [vector]), { requestId: 'req-1', createdOn: 1_700_000_000_000 }).data.map((r) => r[0]);
}

describe('encodeJsonV2 cells', () => {
  it('NUMBER in f64 vectors: exactly `scale` fraction digits, negatives, NULL', () => {
    const col: Column = { name: 'N', type: Types.number(10, 2), nullable: true };
    const v: Vector = { kind: 'f64', length: 6, values: Float64Array.from([1234, -5, 0, 0, -123456, 7]), nulls: mask(0, 0, 0, 1, 0, 0) };
    expect(encodeOne(col, v)).toEqual(['12.34', '-0.05', '0.00', null, '-1234.56', '0.07']);
  });

  it('NUMBER scale 0 without NULLs uses the no-null path and prints integers', () => {
    const col: Column = { name: 'N', type: Types.number(38, 0), nullable: false };
    const v: Vector = { kind: 'f64', length: 4, values: Float64Array.from([0, -0, 42, -(2 ** 53)]), nulls: null };
    expect(encodeOne(col, v)).toEqual(['0', '0', '42', '-9007199254740992']);
  });

  it("NUMBER in wide 'dec' vectors", () => {
    const col: Column = { name: 'D', type: Types.number(38, 4), nullable: true };
    const v: Vector = {
      kind: 'dec',
      length: 4,
      values: [12345678901234567890123456789012345678n, -12345678901234567890123n, 0n, -1n],
      nulls: mask(0, 0, 1, 0),
    };
    expect(encodeOne(col, v)).toEqual(['1234567890123456789012345678901234.5678', '-1234567890123456789.0123', null, '-0.0001']);
    const noNulls: Vector = { kind: 'dec', length: 2, values: [10n ** 30n, -(10n ** 30n)], nulls: null };
    expect(encodeOne({ name: 'D', type: Types.number(38, 0), nullable: false }, noNulls)).toEqual([
      '1000000000000000000000000000000',
      '-1000000000000000000000000000000',
    ]);
  });

  it('FLOAT: shortest round-trip text, NaN and infinities spelled out', () => {
    const col: Column = { name: 'F', type: Types.float, nullable: true };
    const values = Float64Array.from([1.5, 0.1, 1e21, -2.5e-7, NaN, Infinity, -Infinity, 0, 1 / 3]);
    const v: Vector = { kind: 'f64', length: 10, values: Float64Array.from([...values, 9]), nulls: mask(0, 0, 0, 0, 0, 0, 0, 0, 0, 1) };
    const cells = encodeOne(col, v);
    expect(cells).toEqual(['1.5', '0.1', '1e+21', '-2.5e-7', 'NaN', 'inf', '-inf', '0', '0.3333333333333333', null]);
    expect(Number(cells[8])).toBe(1 / 3);
  });

  it('BOOLEAN, DATE, TIMESTAMP_NTZ, VARCHAR with and without NULLs', () => {
    expect(encodeOne({ name: 'B', type: Types.boolean, nullable: true }, { kind: 'bool', length: 3, values: mask(1, 0, 1), nulls: mask(0, 0, 1) })).toEqual(['true', 'false', null]);
    expect(encodeOne({ name: 'B', type: Types.boolean, nullable: false }, { kind: 'bool', length: 2, values: mask(0, 1), nulls: null })).toEqual(['false', 'true']);
    expect(encodeOne({ name: 'D', type: Types.date, nullable: true }, { kind: 'i32', length: 3, values: Int32Array.from([19876, -1, 5]), nulls: mask(0, 0, 1) })).toEqual(['19876', '-1', null]);
    expect(encodeOne({ name: 'D', type: Types.date, nullable: false }, { kind: 'i32', length: 1, values: Int32Array.from([0]), nulls: null })).toEqual(['0']);
    const ts: Vector = { kind: 'ts', length: 5, secs: Float64Array.from([1_700_000_000, -2, 0, 3, 1_704_164_645]), nanos: Int32Array.from([123_456_000, 500_000_000, 0, 0, 123_456_789]), nulls: mask(0, 0, 0, 1, 0) };
    expect(encodeOne({ name: 'T', type: Types.timestampNtz, nullable: true }, ts)).toEqual(['1700000000.123456000', '-1.500000000', '0.000000000', null, '1704164645.123456789']);
    const str: Vector = { kind: 'str', length: 4, codes: Int32Array.from([1, 0, 1, 99]), dict: ['a', 'héllo "x"'], nulls: mask(0, 0, 0, 1) };
    expect(encodeOne({ name: 'S', type: { kind: 'VARCHAR', length: 10 }, nullable: true }, str)).toEqual(['héllo "x"', 'a', 'héllo "x"', null]);
    const strNoNull: Vector = { kind: 'str', length: 2, codes: Int32Array.from([0, 0]), dict: [''], nulls: null };
    expect(encodeOne({ name: 'S', type: Types.varchar, nullable: false }, strNoNull)).toEqual(['', '']);
  });

  it('a NULL-typed column is all null whatever its vector holds', () => {
    const v: Vector = { kind: 'f64', length: 2, values: Float64Array.from([0, 0]), nulls: mask(1, 1) };
    expect(encodeOne({ name: 'X', type: Types.null, nullable: true }, v)).toEqual([null, null]);
  });

  it('rejects a vector whose kind does not fit the column type', () => {
    const v: Vector = { kind: 'i32', length: 1, values: Int32Array.from([1]), nulls: null };
    expect(() => encodeOne({ name: 'F', type: Types.float, nullable: false }, v)).toThrow(InternalError);
  });

  it('refuses with 53200 a result whose text would pass MAX_RESULT_BYTES, before building it', () => {
    // 300 rows that all show one 1-million-character value: 300 MB of text from 2 MB of vector.
    const rows = 300;
    const v: Vector = { kind: 'str', length: rows, codes: new Int32Array(rows), dict: ['x'.repeat(1_000_000)], nulls: null };
    const column = { name: 'S', type: Types.varchar, nullable: false };
    let err: unknown;
    try {
      encodeOne(column, v);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ResourceError);
    expect((err as ResourceError).sqlState).toBe('53200');
    expect(MAX_RESULT_BYTES).toBe(268_435_456);
    expect(encodeOne(column, { ...v, length: 200, codes: new Int32Array(200) }).length).toBe(200);
  });
});

describe('scaledF64ToDecimal', () => {
  it('agrees with formatDecimal on random and boundary values for every scale', () => {
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const specials = [0, 1, -1, 9, 10, 99, 100, 999_999, 2 ** 52 - 1, 2 ** 52, 2 ** 53, -(2 ** 53), 2 ** 52 + 1, 123_456_789_012_345];
    for (let scale = 0; scale <= 18; scale++) {
      const values = [...specials, ...specials.map((v) => -v)];
      for (let i = 0; i < 300; i++) {
        const magnitude = 10 ** Math.floor(rand() * 16);
        values.push(Math.round((rand() - 0.5) * 2 * magnitude));
      }
      for (const v of values) expect(scaledF64ToDecimal(v, scale)).toBe(formatDecimal(BigInt(v), scale));
    }
  });

  it('timestamp text is exact epoch seconds with 9 digits, years 0001 to 9999, nanoseconds included', () => {
    const col: Column = { name: 'T', type: Types.timestampNtz, nullable: false };
    const secs = [0, 0, -1, -1, 253_402_300_799, -62_135_596_800, -62_135_596_800];
    const nanos = [0, 1, 999_999_999, 0, 999_999_999, 0, 1];
    const v: Vector = { kind: 'ts', length: secs.length, secs: Float64Array.from(secs), nanos: Int32Array.from(nanos), nulls: null };
    expect(encodeOne(col, v)).toEqual([
      '0.000000000', '0.000000001', '-0.000000001', '-1.000000000', '253402300799.999999999', '-62135596800.000000000', '-62135596799.999999999',
    ]);
    expect(secs.map((s, i) => formatEpochSeconds9(s, nanos[i]))).toEqual(encodeOne(col, v));
  });
});

describe('rowType', () => {
  it('uses Snowflake type names and metadata per type', () => {
    const base = { database: '', schema: '', table: '', collation: null };
    expect(rowTypeOf({ name: 'N', type: Types.number(12, 3), nullable: false })).toEqual({
      ...base, name: 'N', type: 'fixed', nullable: false, precision: 12, scale: 3, length: null, byteLength: null,
    });
    expect(rowTypeOf({ name: 'F', type: Types.float, nullable: true })).toEqual({
      ...base, name: 'F', type: 'real', nullable: true, precision: null, scale: null, length: null, byteLength: null,
    });
    expect(rowTypeOf({ name: 'S', type: { kind: 'VARCHAR', length: 10 }, nullable: true })).toMatchObject({ type: 'text', length: 10, byteLength: 40 });
    expect(rowTypeOf({ name: 'S', type: { kind: 'VARCHAR', length: 5_000_000 }, nullable: true })).toMatchObject({ length: 5_000_000, byteLength: 16_777_216 });
    expect(rowTypeOf({ name: 'S', type: Types.varchar, nullable: true })).toMatchObject({ length: 16_777_216, byteLength: 16_777_216 });
    expect(rowTypeOf({ name: 'B', type: Types.boolean, nullable: true })).toMatchObject({ type: 'boolean', precision: null, scale: null });
    expect(rowTypeOf({ name: 'D', type: Types.date, nullable: true })).toMatchObject({ type: 'date', scale: null });
    expect(rowTypeOf({ name: 'T', type: Types.timestampNtz, nullable: true })).toMatchObject({ type: 'timestamp_ntz', precision: 0, scale: 9 });
    expect(rowTypeOf({ name: 'TM', type: Types.time(), nullable: true })).toMatchObject({ type: 'time', precision: 0, scale: 9, length: null });
    expect(rowTypeOf({ name: 'TM', type: Types.time(3), nullable: true })).toMatchObject({ type: 'time', precision: 0, scale: 3 });
    expect(rowTypeOf({ name: 'X', type: Types.null, nullable: true })).toMatchObject({ type: 'text', nullable: true });
  });
});

describe('encodeJsonV2 body', () => {
  it('has the SQL API v2 ResultSet shape plus stats and context', () => {
    const columns: Column[] = [
      { name: 'ID', type: Types.number(38, 0), nullable: false },
      { name: 'NAME', type: Types.varchar, nullable: true },
    ];
    const vectors: Vector[] = [
      { kind: 'f64', length: 2, values: Float64Array.from([1, 2]), nulls: null },
      { kind: 'str', length: 2, codes: Int32Array.from([0, 0]), dict: ['x'], nulls: mask(0, 1) },
    ];
    const body = encodeJsonV2(result(columns, vectors), { requestId: 'req 1', createdOn: 1_700_000_000_000 });
    expect(body).toMatchObject({
      resultSetMetaData: { numRows: 2, format: 'jsonv2', partitionInfo: [{ rowCount: 2 }] },
      data: [['1', 'x'], ['2', null]],
      code: '090001',
      sqlState: '00000',
      statementHandle: '01234567-89ab-4def-8123-456789abcdef',
      statementStatusUrl: '/api/v2/statements/01234567-89ab-4def-8123-456789abcdef?requestId=req%201',
      requestId: 'req 1',
      message: 'Statement executed successfully.',
      createdOn: 1_700_000_000_000,
      stats,
      context,
    });
    expect(body.resultSetMetaData.rowType.map((r) => r.name)).toEqual(['ID', 'NAME']);
    const size = body.resultSetMetaData.partitionInfo[0]!.uncompressedSize;
    expect(size).toBe(JSON.stringify(body.data).length);
  });

  it('encodes an empty result and a result without columns', () => {
    const empty = encodeJsonV2(result([{ name: 'A', type: Types.date, nullable: true }], [{ kind: 'i32', length: 0, values: new Int32Array(0), nulls: null }]), {
      requestId: 'r',
      createdOn: 0,
    });
    expect(empty.data).toEqual([]);
    expect(empty.resultSetMetaData.numRows).toBe(0);
    const none = encodeJsonV2(result([], []), { requestId: 'r', createdOn: 0 });
    expect(none.data).toEqual([]);
    expect(none.resultSetMetaData.rowType).toEqual([]);
  });
});

describe('TIME cells', () => {
  it('are seconds since midnight with 9 fraction digits, exactly, and NULL as null', () => {
    const t: Vector = { kind: 'f64', length: 4, values: Float64Array.from([36_672_123_456_789, 0, 86_399_999_999_999, 0]), nulls: mask(0, 0, 0, 1) };
    expect(encodeOne({ name: 'T', type: Types.time(), nullable: true }, t)).toEqual(['36672.123456789', '0.000000000', '86399.999999999', null]);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { parquetSourceBatches, readParquetSource } from './parquet-source-reader.js';
import { writePartition } from '../../storage/partition/partition-writer.js';
import type { Column } from '../../storage/types/schema.js';
import type { DataType } from '../../storage/types/data-type.js';
import { Types } from '../../storage/types/data-type.js';
import type { Batch, Vector } from '../../storage/types/vector.js';
import { scalarAt } from '../../storage/types/scalar-at.js';
import { DataError, LoadError } from '../../storage/errors/firn-error.js';

const col = (name: string, type: DataType, nullable = true): Column => ({ name, type, nullable });
const num = (p: number, s: number): DataType => Types.number(p, s);

const f64 = (xs: (number | null)[]): Vector => ({
  kind: 'f64',
  length: xs.length,
  values: Float64Array.from(xs, (x) => x ?? 0),
  nulls: xs.includes(null) ? Uint8Array.from(xs, (x) => (x === null ? 1 : 0)) : null,
});
const str = (xs: (string | null)[]): Vector => ({
  kind: 'str',
  length: xs.length,
  codes: Int32Array.from(xs, (_, i) => i),
  dict: xs.map((x) => x ?? ''),
  nulls: xs.includes(null) ? Uint8Array.from(xs, (x) => (x === null ? 1 : 0)) : null,
});
const ts = (secs: number[], nanos: number[]): Vector => ({ kind: 'ts', length: secs.length, secs: Float64Array.from(secs), nanos: Int32Array.from(nanos), nulls: null });
const i32 = (xs: number[]): Vector => ({ kind: 'i32', length: xs.length, values: Int32Array.from(xs), nulls: null });

/** Rows as scalars, column by column of `columns`. */
function rows(batch: Batch, columns: Column[]): unknown[][] {
  return Array.from({ length: batch.length }, (_, i) => columns.map((c, k) => scalarAt(batch.columns[k], i, c.type)));
}

// A Firn-written file with lower-case names: id NUMBER(10,0), name VARCHAR, price NUMBER(10,2), day DATE.
const fileColumns = [col('id', num(10, 0)), col('name', Types.varchar), col('price', num(10, 2)), col('day', Types.date)];
const fileBatch: Batch = { length: 3, columns: [f64([1, 2, 3]), str(['a', null, 'ccc']), f64([150, -25, null]), i32([0, 19_000, -1])] };
const parquet = writePartition(fileColumns, fileBatch, { rowGroupRows: 2 }).bytes;

describe('readParquetSource', () => {
  test('matches columns by name, case-insensitively, in the table order', async () => {
    const table = [col('DAY', Types.date), col('PRICE', num(12, 3)), col('ID', num(38, 0)), col('NAME', Types.varchar)];
    const { batch, result } = await readParquetSource(parquet, table, 'p.parquet');
    expect(rows(batch, table)).toEqual([
      [0, 1500n, 1n, 'a'],
      [19_000, -250n, 2n, null],
      [-1, null, 3n, 'ccc'],
    ]);
    expect(result).toEqual({
      file: 'p.parquet',
      status: 'LOADED',
      rowsParsed: 3,
      rowsLoaded: 3,
      errorLimit: 1,
      errorsSeen: 0,
      firstError: null,
      firstErrorLine: null,
      firstErrorCharacter: null,
      firstErrorColumnName: null,
    });
  });

  test('an exact-case name wins over a case-insensitive one', async () => {
    const cols = [col('x', num(10, 0)), col('X', num(10, 0))];
    const bytes = writePartition(cols, { length: 1, columns: [f64([1]), f64([2])] }).bytes;
    const table = [col('X', num(10, 0)), col('x', num(10, 0))];
    const { batch } = await readParquetSource(bytes, table, 'dup.parquet');
    expect(rows(batch, table)).toEqual([[2n, 1n]]);
  });

  test('extra file columns are ignored; table columns missing from the file load NULL', async () => {
    const table = [col('NAME', Types.varchar), col('COMMENT', Types.varchar), col('ID', num(10, 0))];
    const { batch } = await readParquetSource(parquet, table, 'p.parquet');
    expect(rows(batch, table)).toEqual([
      ['a', null, 1n],
      [null, null, 2n],
      ['ccc', null, 3n],
    ]);
  });

  test('with no matching names but equal counts, columns match by position', async () => {
    const table = [col('K', num(10, 0)), col('LABEL', Types.varchar), col('AMOUNT', Types.float), col('D', Types.date)];
    const { batch } = await readParquetSource(parquet, table, 'p.parquet');
    expect(rows(batch, table)).toEqual([
      [1n, 'a', 1.5, 0],
      [2n, null, -0.25, 19_000],
      [3n, 'ccc', null, -1],
    ]);
  });

  test('no matching names and different counts -> FILE_COLUMN_COUNT', async () => {
    const table = [col('K', num(10, 0))];
    await expect(readParquetSource(parquet, table, 'p.parquet')).rejects.toMatchObject({ codeName: 'FILE_COLUMN_COUNT' });
    await expect(readParquetSource(parquet, table, 'p.parquet')).rejects.toThrow(/p\.parquet/);
  });

  test('a NULL for a NOT NULL column names the file, row and column', async () => {
    const table = [col('ID', num(10, 0)), col('NAME', Types.varchar, false)];
    const err = await readParquetSource(parquet, table, 'p.parquet').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).codeName).toBe('NULL_NOT_ALLOWED');
    expect((err as DataError).message).toBe(`NULL result in a non-nullable column\n  File 'p.parquet', row 2, column "NAME"`);
  });

  test('a NULL in a later row group names its row in the file', async () => {
    const table = [col('ID', num(10, 0)), col('PRICE', num(10, 2), false)];
    await expect(readParquetSource(parquet, table, 'p.parquet')).rejects.toThrow(`File 'p.parquet', row 3, column "PRICE"`);
  });

  test('parquetSourceBatches yields the file one row group at a time, converted like the whole file', async () => {
    const table = [col('ID', num(38, 0)), col('NAME', Types.varchar)];
    const source = parquetSourceBatches(parquet, table, 'p.parquet');
    const groups: unknown[][][] = [];
    for await (const b of source.batches) groups.push(rows(b, table));
    expect(groups).toEqual([
      [
        [1n, 'a'],
        [2n, null],
      ],
      [[3n, 'ccc']],
    ]);
    expect(source.rowCount).toBe(3);
    expect(source.result).toMatchObject({ status: 'LOADED', rowsParsed: 3, rowsLoaded: 3 });
  });

  test('parquetSourceBatches with a row range loads only those rows, decoding only their row groups', async () => {
    const table = [col('ID', num(38, 0)), col('NAME', Types.varchar)];
    // Row groups of 3 rows: [0,3) [3,6) [6,9) [9,10).
    const ten: Batch = { length: 10, columns: [f64([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), str(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9'])] };
    const bytes = writePartition([col('id', num(10, 0)), col('name', Types.varchar)], ten, { rowGroupRows: 3 }).bytes;
    const load = async (range: { start: number; end: number }) => {
      const source = parquetSourceBatches(bytes, table, 'p.parquet', range);
      const out: unknown[][][] = [];
      for await (const b of source.batches) out.push(rows(b, table));
      return { out, rowCount: source.rowCount, result: source.result };
    };
    const mid = await load({ start: 2, end: 7 });
    expect(mid.out).toEqual([[[2n, 'r2']], [[3n, 'r3'], [4n, 'r4'], [5n, 'r5']], [[6n, 'r6']]]);
    expect(mid.rowCount).toBe(5);
    expect(mid.result).toMatchObject({ file: 'p.parquet', status: 'LOADED', rowsParsed: 5, rowsLoaded: 5 });
    expect((await load({ start: 3, end: 6 })).out).toEqual([[[3n, 'r3'], [4n, 'r4'], [5n, 'r5']]]);
    const tail = await load({ start: 8, end: 99 });
    expect(tail.out).toEqual([[[8n, 'r8']], [[9n, 'r9']]]);
    expect(tail.rowCount).toBe(2);
    expect((await load({ start: 10, end: 10 })).out).toEqual([]);
  });

  test('a NULL in a piece of the file names its row in the file', async () => {
    const withNull: Batch = { length: 7, columns: [f64([0, 1, 2, 3, 4, null, 6])] };
    const bytes = writePartition([col('id', num(10, 0))], withNull, { rowGroupRows: 2 }).bytes;
    const source = parquetSourceBatches(bytes, [col('ID', num(10, 0), false)], 'p.parquet', { start: 3, end: 7 });
    const drain = async () => {
      for await (const b of source.batches) void b;
    };
    await expect(drain()).rejects.toThrow(`File 'p.parquet', row 6, column "ID"`);
  });

  test('a NOT NULL column missing from the file cannot load', async () => {
    const table = [col('ID', num(10, 0)), col('MISSING', Types.varchar, false)];
    await expect(readParquetSource(parquet, table, 'p.parquet')).rejects.toMatchObject({ codeName: 'NULL_NOT_ALLOWED' });
  });

  test('values that do not fit the table type fail with the conversion error', async () => {
    await expect(readParquetSource(parquet, [col('NAME', { kind: 'VARCHAR', length: 2 })], 'p.parquet')).rejects.toMatchObject({
      codeName: 'STRING_TOO_LONG',
    });
    await expect(readParquetSource(parquet, [col('PRICE', num(2, 2))], 'p.parquet')).rejects.toMatchObject({ codeName: 'NUMERIC_OUT_OF_RANGE' });
  });

  test('dates and timestamps past 0001-01-01 .. 9999-12-31 fail with DATETIME_OUT_OF_RANGE; the ends load', async () => {
    const cols = [col('D', Types.date), col('T', Types.timestampNtz)];
    const ends: Batch = { length: 2, columns: [i32([-719_162, 2_932_896]), ts([-62_135_596_800, 253_402_300_799], [0, 999_999_999])] };
    const ok = await readParquetSource(writePartition(cols, ends).bytes, cols, 'ends.parquet');
    expect(rows(ok.batch, cols)).toEqual([
      [-719_162, -62_135_596_800_000_000_000n],
      [2_932_896, 253_402_300_799_999_999_999n],
    ]);
    const lateDay: Batch = { length: 2, columns: [i32([0, 2_932_897]), ts([0, 0], [0, 0])] };
    await expect(readParquetSource(writePartition(cols, lateDay).bytes, cols, 'late.parquet')).rejects.toMatchObject({
      codeName: 'DATETIME_OUT_OF_RANGE',
      message: `Date out of range in column "D" of file 'late.parquet': the supported range is 0001-01-01 to 9999-12-31`,
    });
    // One nanosecond before 0001-01-01 00:00:00, and the first instant of year 10000.
    const earlyTs: Batch = { length: 1, columns: [i32([0]), ts([-62_135_596_801], [999_999_999])] };
    await expect(readParquetSource(writePartition(cols, earlyTs).bytes, cols, 'early.parquet')).rejects.toMatchObject({ codeName: 'DATETIME_OUT_OF_RANGE' });
    const lateTs: Batch = { length: 1, columns: [i32([0]), ts([253_402_300_800], [0])] };
    await expect(readParquetSource(writePartition(cols, lateTs).bytes, cols, 'late-ts.parquet')).rejects.toMatchObject({
      codeName: 'DATETIME_OUT_OF_RANGE',
      message: `Timestamp out of range in column "T" of file 'late-ts.parquet': the supported range is 0001-01-01 to 9999-12-31`,
    });
  });

  test('TIME loads to the nanosecond, cut to the table\'s TIME(p); a value past 23:59:59.999999999 is not recognized', async () => {
    const file = [col('T', Types.time())];
    const bytes = writePartition(file, { length: 3, columns: [f64([36_672_123_456_789, 86_399_999_999_999, null])] }).bytes;
    const table = [col('T', Types.time()), col('T3', Types.time(3))];
    const both = await readParquetSource(bytes, [table[0]!], 'time.parquet');
    expect(rows(both.batch, [table[0]!])).toEqual([[36_672_123_456_789], [86_399_999_999_999], [null]]);
    const cut = await readParquetSource(bytes, [col('T', Types.time(3))], 'time.parquet');
    expect(rows(cut.batch, [table[1]!])).toEqual([[36_672_123_000_000], [86_399_999_000_000], [null]]);
    const day = writePartition(file, { length: 1, columns: [f64([86_400_000_000_000])] }).bytes;
    await expect(readParquetSource(day, file, 'day.parquet')).rejects.toMatchObject({
      codeName: 'TIME_NOT_RECOGNIZED',
      message: `Time '86400' (seconds since midnight) is not recognized in column "T" of file 'day.parquet'`,
    });
  });

  test('corrupt bytes -> LoadError FILE_CORRUPT naming the file', async () => {
    const garbage = new TextEncoder().encode('this is not parquet at all, just text that goes on');
    const err = await readParquetSource(garbage, [col('ID', num(10, 0))], 'bad.parquet').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoadError);
    expect((err as LoadError).codeName).toBe('FILE_CORRUPT');
    expect((err as LoadError).message).toContain('bad.parquet');
    const truncated = parquet.subarray(0, parquet.length - 20);
    await expect(readParquetSource(truncated, [col('ID', num(10, 0))], 'cut.parquet')).rejects.toMatchObject({ codeName: 'FILE_CORRUPT' });
  });

  test('an empty file loads no rows', async () => {
    const bytes = writePartition([col('id', num(10, 0))], { length: 0, columns: [f64([])] }).bytes;
    const { batch, result } = await readParquetSource(bytes, [col('ID', num(10, 0))], 'empty.parquet');
    expect(batch.length).toBe(0);
    expect(batch.columns[0].length).toBe(0);
    expect(result.status).toBe('LOADED');
  });
});

describe('readParquetSource: a file written by DuckDB', () => {
  let dir = '';
  let bytes: Uint8Array = new Uint8Array(0);
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'firn-parquet-src-'));
    const path = join(dir, 'orders.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    await con.run(
      `COPY (SELECT i AS o_orderkey, 'cust' || (i % 3) AS "O_Name", (i * 1.25)::DECIMAL(12,2) AS o_total, DATE '2024-01-01' + i::INTEGER AS o_date,
              i % 2 = 0 AS o_flag, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) SECOND AS o_ts, i / 4 AS o_ratio
            FROM range(1000) t(i)) TO '${path}' (FORMAT PARQUET, ROW_GROUP_SIZE 300)`,
    );
    con.closeSync();
    db.closeSync();
    bytes = readFileSync(path);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('loads every row with names matched case-insensitively', async () => {
    const table = [
      col('O_ORDERKEY', num(38, 0)),
      col('O_NAME', Types.varchar),
      col('O_TOTAL', num(12, 2)),
      col('O_DATE', Types.date),
      col('O_FLAG', Types.boolean),
      col('O_TS', Types.timestampNtz),
      col('O_RATIO', Types.float),
    ];
    const { batch, result } = await readParquetSource(bytes, table, 'orders.parquet');
    expect(result).toMatchObject({ status: 'LOADED', rowsParsed: 1000, rowsLoaded: 1000 });
    const got = rows(batch, table);
    const dayOf2024 = 19_723;
    for (const i of [0, 1, 299, 300, 999]) {
      expect(got[i]).toEqual([BigInt(i), `cust${i % 3}`, BigInt(i * 125), dayOf2024 + i, i % 2 === 0, BigInt(dayOf2024 * 86_400 + i) * 1_000_000_000n, i / 4]);
    }
  });
});

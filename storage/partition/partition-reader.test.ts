import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsToNanos } from '../types/timestamp-nanos.js';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, LoadError } from '../errors/firn-error.js';
import { readParquetFooter } from '../arrow/parquet-footer.js';
import type { DataType } from '../types/data-type.js';
import type { Column } from '../types/schema.js';
import type { Batch, Vector } from '../types/vector.js';
import { readParquetFile, readPartitionColumns } from './partition-reader.js';
import { writePartition } from './partition-writer.js';

/** The error fn throws, or null. */
function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return null;
}

/** Logical values of a vector: null under NULL; NUMBER as bigint. */
function logical(v: Vector, type: DataType): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < v.length; i++) {
    if (v.nulls !== null && v.nulls[i] !== 0) out.push(null);
    else if (v.kind === 'str') out.push(v.dict[v.codes[i]]);
    else if (v.kind === 'bool') out.push(v.values[i] !== 0);
    else if (v.kind === 'f64' && type.kind === 'NUMBER') out.push(BigInt(v.values[i]));
    else if (v.kind === 'ts') out.push(tsToNanos(v.secs[i], v.nanos[i]));
    else out.push(v.values[i]);
  }
  return out;
}

const N = 3000;
const columns: Column[] = [
  { name: 'ID', type: { kind: 'NUMBER', precision: 18, scale: 0 }, nullable: false },
  { name: 'PRICE', type: { kind: 'NUMBER', precision: 12, scale: 2 }, nullable: true },
  { name: 'BIG', type: { kind: 'NUMBER', precision: 38, scale: 0 }, nullable: true },
  { name: 'RATIO', type: { kind: 'FLOAT' }, nullable: true },
  { name: 'CAT', type: { kind: 'VARCHAR', length: 20 }, nullable: true },
  { name: 'NAME', type: { kind: 'VARCHAR' }, nullable: true },
  { name: 'DAY', type: { kind: 'DATE' }, nullable: true },
  { name: 'AT', type: { kind: 'TIMESTAMP_NTZ' }, nullable: true },
  { name: 'FLAG', type: { kind: 'BOOLEAN' }, nullable: true },
  { name: 'odd name.x', type: { kind: 'NUMBER', precision: 5, scale: 0 }, nullable: true },
];

function makeBatch(): Batch {
  const nulls = new Uint8Array(N).map((_, i) => (i % 7 === 3 ? 1 : 0));
  return {
    length: N,
    columns: [
      { kind: 'f64', length: N, values: new Float64Array(N).map((_, i) => i), nulls: null },
      { kind: 'f64', length: N, values: new Float64Array(N).map((_, i) => (i - 1500) * 125), nulls },
      { kind: 'dec', length: N, values: Array.from({ length: N }, (_, i) => (i % 2 ? -1n : 1n) * (10n ** 36n + BigInt(i))), nulls },
      { kind: 'f64', length: N, values: new Float64Array(N).map((_, i) => i / 7), nulls },
      { kind: 'str', length: N, codes: new Int32Array(N).map((_, i) => i % 5), dict: ['north', 'south', 'ëast', 'west', ''], nulls },
      { kind: 'str', length: N, codes: new Int32Array(N).map((_, i) => i), dict: Array.from({ length: N }, (_, i) => `customer ${i} ☃`), nulls },
      { kind: 'i32', length: N, values: new Int32Array(N).map((_, i) => i - 1000), nulls },
      { kind: 'ts', length: N, secs: new Float64Array(N).map((_, i) => (i - 1500) * 3600), nanos: new Int32Array(N).map((_, i) => ((i * 123) % 1_000_000) * 1000), nulls },
      { kind: 'bool', length: N, values: new Uint8Array(N).map((_, i) => i % 3 === 0 ? 1 : 0), nulls },
      { kind: 'f64', length: N, values: new Float64Array(N).map((_, i) => i % 100), nulls: null },
    ],
  };
}

const batch = makeBatch();
const all = columns.map((_, i) => i);

describe('readPartitionColumns', () => {
  it('round-trips every type, NULLs, wide decimals, both VARCHAR layouts and several row groups', async () => {
    for (const rowGroupRows of [undefined, 1000]) {
      const { bytes } = writePartition(columns, batch, { rowGroupRows });
      const back = readPartitionColumns(bytes, columns, all, 'p/1.parquet');
      expect(back.length).toBe(N);
      columns.forEach((c, i) => expect(logical(back.columns[i], c.type)).toEqual(logical(batch.columns[i], c.type)));
      expect(back.columns[2].kind).toBe('dec');
      expect(back.columns[1].kind).toBe('f64');
    }
  });

  it('returns the wanted columns in the wanted order, duplicates included', async () => {
    const { bytes } = writePartition(columns, batch);
    const back = readPartitionColumns(bytes, columns, [9, 4, 0, 4], 'p/2.parquet');
    expect(back.columns.length).toBe(4);
    expect(logical(back.columns[0], columns[9].type)).toEqual(logical(batch.columns[9], columns[9].type));
    expect(logical(back.columns[1], columns[4].type)).toEqual(logical(batch.columns[4], columns[4].type));
    expect(logical(back.columns[3], columns[4].type)).toEqual(logical(batch.columns[4], columns[4].type));
    expect(logical(back.columns[2], columns[0].type)).toEqual(logical(batch.columns[0], columns[0].type));
  });

  it('decodes only the wanted columns: destroyed unwanted column chunks do not matter', () => {
    const { bytes } = writePartition(columns, batch);
    // Wipe the NAME chunk (column 5) and the PRICE chunk (column 1).
    const broken = bytes.slice();
    for (const c of [1, 5]) {
      const { start, length } = readParquetFooter(bytes, 'p').rowGroups[0].chunks[c];
      broken.fill(0xab, start, start + length);
    }
    const back = readPartitionColumns(broken, columns, [0, 4, 6], 'p/3.parquet');
    expect(logical(back.columns[1], columns[4].type)).toEqual(logical(batch.columns[4], columns[4].type));
    for (const c of [1, 5]) {
      const err = caught(() => readPartitionColumns(broken, columns, [0, c], 'p/3.parquet'));
      expect(err).toBeInstanceOf(LoadError);
      expect((err as LoadError).codeName).toBe('FILE_CORRUPT');
      expect((err as LoadError).message).toContain('p/3.parquet');
    }
    // the decoder is still sound afterwards
    expect(readPartitionColumns(bytes, columns, [5], 'p/3.parquet').length).toBe(N);
  });

  it('gives the row count when no column is wanted', async () => {
    const { bytes } = writePartition(columns, batch);
    expect(readPartitionColumns(bytes, columns, [], 'p/4.parquet')).toEqual({ length: N, columns: [] });
  });

  it('turns corrupt and truncated objects into LoadError FILE_CORRUPT naming the object', async () => {
    const { bytes } = writePartition(columns, batch);
    const cases = [bytes.subarray(0, bytes.length - 10), bytes.subarray(0, 100), new Uint8Array([1, 2, 3]), new TextEncoder().encode('PAR1 not really PAR1')];
    for (const bad of cases) {
      const err = caught(() => readPartitionColumns(bad, columns, [0], 'tables/t/p-9.parquet'));
      expect(err).toBeInstanceOf(LoadError);
      expect((err as LoadError).codeName).toBe('FILE_CORRUPT');
      expect((err as LoadError).message).toContain('tables/t/p-9.parquet');
    }
  });

  it('reports a column the partition does not have as FILE_CORRUPT', async () => {
    const { bytes } = writePartition(columns, batch);
    const other: Column[] = [...columns, { name: 'MISSING', type: { kind: 'FLOAT' }, nullable: true }];
    const err = caught(() => readPartitionColumns(bytes, other, [columns.length], 'p/5.parquet'));
    expect(err).toBeInstanceOf(LoadError);
    // Said absent for another column only: still corrupt.
    const absentElsewhere = caught(() => readPartitionColumns(bytes, other, [columns.length], 'p/5.parquet', [{ value: 1n }]));
    expect(absentElsewhere).toBeInstanceOf(LoadError);
    expect((absentElsewhere as LoadError).codeName).toBe('FILE_CORRUPT');
  });

  it('reads a column the scan says may be absent (added by ALTER TABLE) as its default, decoding the others', () => {
    const { bytes } = writePartition(columns, batch);
    const added: Column[] = [
      ...columns,
      { name: 'QTY', type: { kind: 'NUMBER', precision: 10, scale: 2 }, nullable: true },
      { name: 'NOTE', type: { kind: 'VARCHAR' }, nullable: true },
      { name: 'WHEN#12', type: { kind: 'TIMESTAMP_NTZ' }, nullable: true },
    ];
    const q = columns.length;
    const absent = [...columns.map(() => null), { value: 150n }, { value: null }, { value: 86_400_000_000_123n }];
    const out = readPartitionColumns(bytes, added, [q, 0, q + 1, q + 2, q], 'p/6.parquet', absent);
    expect(out.length).toBe(N);
    expect(logical(out.columns[1], columns[0].type)).toEqual(logical(batch.columns[0], columns[0].type));
    expect(out.columns[0]).toMatchObject({ kind: 'f64', length: N, nulls: null });
    expect(logical(out.columns[0], added[q].type)).toEqual(new Array(N).fill(150n));
    expect(out.columns[2]).toMatchObject({ kind: 'str', length: N });
    expect(logical(out.columns[2], added[q + 1].type)).toEqual(new Array(N).fill(null));
    expect(logical(out.columns[3], added[q + 2].type)).toEqual(new Array(N).fill(86_400_000_000_123n));
    expect(out.columns[4]).toEqual(out.columns[0]);
    // Only absent columns wanted: nothing is decoded, the footer gives the row count.
    const only = readPartitionColumns(bytes, added, [q + 1], 'p/6.parquet', absent);
    expect(only.length).toBe(N);
    expect(only.columns[0].length).toBe(N);
  });
});

describe('Parquet interop with DuckDB', () => {
  let dir = '';
  let conn: DuckDBConnection;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'firn-partition-'));
    const db = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
    conn = await db.connect();
  });
  afterAll(() => {
    conn?.closeSync();
    rmSync(dir, { recursive: true, force: true });
  });

  it('DuckDB reads a Firn partition with the same values and logical types', async () => {
    const path = join(dir, 'firn.parquet');
    writeFileSync(path, writePartition(columns, batch, { rowGroupRows: 1000 }).bytes);
    const reader = await conn.runAndReadAll(`select typeof(PRICE), typeof(BIG), typeof(CAT), typeof(NAME), typeof(DAY), typeof("AT") from read_parquet('${path}') limit 1`);
    expect(reader.getRows()[0]).toEqual(['DECIMAL(12,2)', 'DECIMAL(38,0)', 'VARCHAR', 'VARCHAR', 'DATE', 'TIMESTAMP']);
    const rows = (await conn.runAndReadAll(`select ID, PRICE, BIG::varchar, RATIO, CAT, NAME, DAY, "AT", FLAG from read_parquet('${path}') order by ID`)).getRows();
    expect(rows.length).toBe(N);
    for (const i of [0, 3, 4, 1499, 2999]) {
      const r = rows[i] as unknown as { value?: bigint; days?: number; micros?: bigint }[];
      const isNull = i % 7 === 3;
      expect(Number((r[0] as { value: bigint }).value ?? r[0])).toBe(i);
      if (isNull) {
        expect(r.slice(1)).toEqual([null, null, null, null, null, null, null, null]);
        continue;
      }
      expect((r[1] as { value: bigint }).value).toBe(BigInt((i - 1500) * 125));
      expect(r[2]).toBe(((i % 2 ? -1n : 1n) * (10n ** 36n + BigInt(i))).toString());
      expect(r[3]).toBe(i / 7);
      expect(r[4]).toBe(['north', 'south', 'ëast', 'west', ''][i % 5]);
      expect(r[5]).toBe(`customer ${i} ☃`);
      expect((r[6] as { days: number }).days).toBe(i - 1000);
      expect((r[7] as { micros: bigint }).micros).toBe(BigInt((i - 1500) * 3_600_000_000 + ((i * 123) % 1_000_000)));
      expect(r[8]).toBe(i % 3 === 0);
    }
  });

  it('readParquetFile loads a DuckDB-written file row group by row group, converting types', async () => {
    const path = join(dir, 'duck.parquet');
    await conn.run(`copy (
        select i::integer as I, i::bigint * 1000000000000000 as BIG, (i / 8)::decimal(18,3) as DEC,
               i / 4 as DBL, (i / 2)::real as R, case when i % 4 = 0 then null else 'v' || (i % 3) end as S,
               date '2000-01-01' + i::integer as D, timestamp '2000-01-01 00:00:00.5' + to_seconds(i) as TS,
               (timestamp '1969-12-31 23:59:59' + to_microseconds(i))::timestamp_ns as TNS, i % 2 = 0 as B
        from range(0, 5000) t(i)) to '${path}' (format parquet, row_group_size 2048)`);
    const file = readParquetFile(new Uint8Array(readFileSync(path)), 'stage/duck.parquet');
    expect(file.rowCount).toBe(5000);
    expect(file.rowGroupCount).toBeGreaterThan(1);
    expect(file.columns.map((c) => [c.name, c.type])).toEqual([
      ['I', { kind: 'NUMBER', precision: 38, scale: 0 }],
      ['BIG', { kind: 'NUMBER', precision: 38, scale: 0 }],
      ['DEC', { kind: 'NUMBER', precision: 18, scale: 3 }],
      ['DBL', { kind: 'FLOAT' }],
      ['R', { kind: 'FLOAT' }],
      ['S', { kind: 'VARCHAR' }],
      ['D', { kind: 'DATE' }],
      ['TS', { kind: 'TIMESTAMP_NTZ' }],
      ['TNS', { kind: 'TIMESTAMP_NTZ' }],
      ['B', { kind: 'BOOLEAN' }],
    ]);
    const groups: Batch[] = [];
    for (const g of file.batches()) groups.push(g);
    expect(groups.length).toBe(file.rowGroupCount);
    expect(groups.reduce((n, b) => n + b.length, 0)).toBe(5000);
    const g = groups[1];
    const r = 3;
    const i = groups[0].length + r;
    expect(i % 4).not.toBe(0); // S is not NULL in this row
    const types = file.columns.map((c) => c.type);
    expect(logical(g.columns[0], types[0])[r]).toBe(BigInt(i));
    expect(g.columns[1].kind).toBe('dec');
    expect(logical(g.columns[1], types[1])[r]).toBe(BigInt(i) * 1_000_000_000_000_000n);
    expect(logical(g.columns[2], types[2])[r]).toBe(BigInt(Math.round((i / 8) * 1000)));
    expect(logical(g.columns[3], types[3])[r]).toBe(i / 4);
    expect(logical(g.columns[4], types[4])[r]).toBe(Math.fround(i / 2));
    expect(logical(g.columns[5], types[5])[r]).toBe(`v${i % 3}`);
    expect(logical(g.columns[5], types[5])[0]).toBeNull();
    expect(logical(g.columns[6], types[6])[r]).toBe(10957 + i);
    expect(logical(g.columns[7], types[7])[r]).toBe(BigInt(946684800_500_000 + i * 1_000_000) * 1000n);
    expect(logical(g.columns[8], types[8])[r]).toBe(BigInt(-1_000_000 + i) * 1000n);
    expect(logical(g.columns[9], types[9])[r]).toBe(false);

    const again = readParquetFile(new Uint8Array(readFileSync(path)), 'stage/duck.parquet');
    const target: DataType[] = [{ kind: 'FLOAT' }, ...types.slice(1)];
    target[2] = { kind: 'NUMBER', precision: 10, scale: 1 };
    const first = again.batches(target)[Symbol.iterator]().next().value as Batch;
    again.close();
    expect(logical(first.columns[0], target[0])[5]).toBe(5);
    expect(logical(first.columns[2], target[2])[3]).toBe(4n); // 0.375 -> 0.4
  });

  it('readParquetFile reports a Firn partition with its own column types', async () => {
    const { bytes } = writePartition(columns, batch);
    const file = readParquetFile(bytes, 'p.parquet');
    expect(file.columns).toEqual(columns);
    file.close();
  });

  it('a file with out-of-range values for the target type fails with DataError', async () => {
    const path = join(dir, 'range.parquet');
    await conn.run(`copy (select 123456::integer as X) to '${path}' (format parquet)`);
    const file = readParquetFile(new Uint8Array(readFileSync(path)), 'range.parquet');
    const it = file.batches([{ kind: 'NUMBER', precision: 4, scale: 0 }])[Symbol.iterator]();
    const err = caught(() => it.next());
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).message).toContain('range.parquet');
  });
});

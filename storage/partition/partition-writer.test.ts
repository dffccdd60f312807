import { describe, expect, it } from 'vitest';
import { DataError } from '../errors/firn-error.js';
import { parquetWasm } from '../arrow/parquet-wasm.js';
import type { Column } from '../types/schema.js';
import type { Batch, Vector } from '../types/vector.js';
import { utf8DictVector } from '../arrow/utf8-dict.js';
import { encodeUtf8Strings } from '../arrow/utf8-strings.js';
import { computeZoneMap } from './compute-zone-map.js';
import { readPartitionColumns } from './partition-reader.js';
import { COLUMNS_KEY, FORMAT_KEY, PARTITION_FORMAT_VERSION, writePartition } from './partition-writer.js';

const columns: Column[] = [
  { name: 'ID', type: { kind: 'NUMBER', precision: 18, scale: 0 }, nullable: false },
  { name: 'CITY', type: { kind: 'VARCHAR', length: 40 }, nullable: true },
];
const batch: Batch = {
  length: 3,
  columns: [
    { kind: 'f64', length: 3, values: new Float64Array([3, 1, 2]), nulls: null },
    { kind: 'str', length: 3, codes: new Int32Array([0, 1, 0]), dict: ['Oslo', 'Zürich'], nulls: new Uint8Array([0, 0, 1]) },
  ],
};

async function metadataOf(bytes: Uint8Array): Promise<{ kv: Map<string, string>; compression: number; rowGroups: number[] }> {
  const pw = parquetWasm();
  const file = await pw.ParquetFile.fromFile(new Blob([bytes]));
  const meta = file.metadata();
  const kv = new Map<string, string>(meta.fileMetadata().keyValueMetadata() as Map<string, string>);
  const compression = meta.rowGroup(0).column(0).compression();
  const rowGroups = meta.rowGroups().map((g) => g.numRows());
  file.free();
  return { kv, compression, rowGroups };
}

describe('writePartition', () => {
  it('writes one Parquet object with the format version and the exact zone map', async () => {
    const { bytes, zoneMap } = writePartition(columns, batch);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('PAR1');
    expect(new TextDecoder().decode(bytes.subarray(bytes.length - 4))).toBe('PAR1');
    expect(zoneMap).toEqual(computeZoneMap(columns, batch, bytes.byteLength));
    expect(zoneMap.columns.CITY).toEqual({ min: 'Oslo', max: 'Zürich', nullCount: 1, exact: true });
    const { kv, compression, rowGroups } = await metadataOf(bytes);
    expect(kv.get(FORMAT_KEY)).toBe(PARTITION_FORMAT_VERSION);
    expect(PARTITION_FORMAT_VERSION).toBe('2');
    expect(JSON.parse(kv.get(COLUMNS_KEY)!)).toEqual(columns);
    expect(kv.has('ARROW:schema')).toBe(true);
    expect(compression).toBe(parquetWasm().Compression.SNAPPY);
    expect(rowGroups).toEqual([3]);
  });

  it('honours the compression and row-group size options', async () => {
    const { bytes } = writePartition(columns, batch, { compression: 'zstd', rowGroupRows: 2 });
    const { compression, rowGroups } = await metadataOf(bytes);
    expect(compression).toBe(parquetWasm().Compression.ZSTD);
    expect(rowGroups).toEqual([2, 1]);
  });

  it('gives byte-identical files for equal batches, key-value entries in a fixed order', () => {
    const files = Array.from({ length: 12 }, () => Buffer.from(writePartition(columns, batch).bytes));
    for (const f of files) expect(f.equals(files[0])).toBe(true);
    const text = files[0].toString('latin1');
    expect(text.indexOf(FORMAT_KEY)).toBeGreaterThan(0);
    expect(text.indexOf(FORMAT_KEY)).toBeLessThan(text.indexOf(COLUMNS_KEY));
    expect(text.indexOf(COLUMNS_KEY)).toBeLessThan(text.indexOf('ARROW:schema'));
  });

  it('rejects a NULL in a NOT NULL column', () => {
    const bad: Batch = { ...batch, columns: [{ ...batch.columns[0], nulls: new Uint8Array([0, 1, 0]) } as Batch['columns'][0], batch.columns[1]] };
    expect(() => writePartition(columns, bad)).toThrow(DataError);
    expect(() => writePartition(columns, bad)).toThrow(/non-nullable column ID/);
  });
});

describe('writePartition encodings', () => {
  const numbers: Column[] = [
    { name: 'WIDE', type: { kind: 'NUMBER', precision: 12, scale: 2 }, nullable: false },
    { name: 'NARROW', type: { kind: 'NUMBER', precision: 12, scale: 0 }, nullable: false },
    { name: 'DAY', type: { kind: 'DATE' }, nullable: true },
    { name: 'SPREAD_DAY', type: { kind: 'DATE' }, nullable: true },
  ];
  const rows = 4000;
  const wide = Float64Array.from({ length: rows }, (_, i) => i * 7919);
  const narrow = Float64Array.from({ length: rows }, (_, i) => i % 10);
  const day = Int32Array.from({ length: rows }, (_, i) => 19000 + (i % 30));
  const spreadDay = Int32Array.from({ length: rows }, (_, i) => i * 3);
  const numberBatch: Batch = {
    length: rows,
    columns: [
      { kind: 'f64', length: rows, values: wide, nulls: null },
      { kind: 'f64', length: rows, values: narrow, nulls: null },
      { kind: 'i32', length: rows, values: day, nulls: null },
      { kind: 'i32', length: rows, values: spreadDay, nulls: null },
    ],
  };

  async function encodingsOf(bytes: Uint8Array): Promise<string[][]> {
    const file = await parquetWasm().ParquetFile.fromFile(new Blob([bytes]));
    const group = file.metadata().rowGroup(0);
    const out = group.columns().map((c) => c.encodings().map(String));
    file.free();
    return out;
  }

  it('gives a NUMBER or DATE column a dictionary only when its range is narrow, and reads every column back', async () => {
    const { bytes } = writePartition(numbers, numberBatch);
    const dictionary = (await encodingsOf(bytes)).map((e) => e.includes(String(parquetWasm().Encoding.RLE_DICTIONARY)));
    expect(dictionary).toEqual([false, true, true, false]);
    const back = readPartitionColumns(bytes, numbers, [0, 1, 2, 3]);
    expect(back.length).toBe(rows);
    expect(back.columns).toEqual(numberBatch.columns);
  });

  it('writes a string column held as UTF-8 byte for byte as the same strings, choosing the same encoding near the dictionary limit', async () => {
    const column: Column[] = [{ name: 'S', type: { kind: 'VARCHAR' }, nullable: true }];
    // 4,000 entries of 'é' x n repeat over 10,000 rows: their bytes pass the 1 MB dictionary
    // limit while their UTF-16 length does (n = 300) or does not (n = 200).
    const encodings: string[][] = [];
    for (const n of [200, 300]) {
      const strings = Array.from({ length: 4000 }, (_, i) => `${'é'.repeat(n)}${i}`);
      const codes = Int32Array.from({ length: 10000 }, (_, i) => i % 4000);
      const nulls = Uint8Array.from({ length: 10000 }, (_, i) => (i % 9 === 4 ? 1 : 0));
      const held = utf8DictVector(10000, codes, nulls, encodeUtf8Strings(strings));
      const plain: Vector = { kind: 'str', length: 10000, codes, dict: strings, nulls };
      const a = writePartition(column, { length: 10000, columns: [held] });
      const b = writePartition(column, { length: 10000, columns: [plain] });
      expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
      expect(a.zoneMap).toEqual(b.zoneMap);
      encodings.push((await encodingsOf(a.bytes))[0]);
    }
    // The two sides of the limit are written differently (Dictionary<Utf8> and plain Utf8).
    expect(encodings[0]).not.toEqual(encodings[1]);
  });

  it('writes TIME(p) as nanoseconds since midnight and reads every nanosecond back, with exact zone-map bounds', () => {
    const timeColumns: Column[] = [
      { name: 'T', type: { kind: 'TIME' }, nullable: true },
      { name: 'T3', type: { kind: 'TIME', precision: 3 }, nullable: true },
    ];
    const ns = Float64Array.from([86_399_999_999_999, 0, 36_672_123_456_789]);
    const ms = Float64Array.from([86_399_999_000_000, 0, 36_672_123_000_000]);
    const timeBatch: Batch = {
      length: 3,
      columns: [
        { kind: 'f64', length: 3, values: ns, nulls: null },
        { kind: 'f64', length: 3, values: ms, nulls: Uint8Array.from([0, 1, 0]) },
      ],
    };
    const { bytes, zoneMap } = writePartition(timeColumns, timeBatch);
    expect(zoneMap.columns.T).toEqual({ min: 0, max: 86_399_999_999_999, nullCount: 0, exact: true });
    expect(zoneMap.columns.T3).toEqual({ min: 36_672_123_000_000, max: 86_399_999_000_000, nullCount: 1, exact: true });
    const back = readPartitionColumns(bytes, timeColumns, [0, 1]);
    expect(Array.from(back.columns[0].kind === 'f64' ? back.columns[0].values : [])).toEqual(Array.from(ns));
    expect(back.columns[1].nulls).toEqual(Uint8Array.from([0, 1, 0]));
    const t3 = back.columns[1].kind === 'f64' ? back.columns[1].values : new Float64Array(0);
    expect([t3[0], t3[2]]).toEqual([86_399_999_000_000, 36_672_123_000_000]);
  });
});

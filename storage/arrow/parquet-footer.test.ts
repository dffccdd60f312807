import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadError, NotSupportedError } from '../errors/firn-error.js';
import type { Column } from '../types/schema.js';
import type { Batch } from '../types/vector.js';
import { writePartition } from '../partition/partition-writer.js';
import { orderKeyValueMetadata, parquetRowCount, parquetTailLength, readParquetFooter, sliceParquet } from './parquet-footer.js';
import { parquetWasm } from './parquet-wasm.js';
import { ARROW_SCHEMA_KEY, projectArrowSchema } from './arrow-schema-metadata.js';

const N = 900;
const columns: Column[] = [
  { name: 'K', type: { kind: 'NUMBER', precision: 10, scale: 0 }, nullable: false },
  { name: 'S', type: { kind: 'VARCHAR' }, nullable: true },
  { name: 'F', type: { kind: 'FLOAT' }, nullable: true },
];
const batch: Batch = {
  length: N,
  columns: [
    { kind: 'f64', length: N, values: new Float64Array(N).map((_, i) => i), nulls: null },
    { kind: 'str', length: N, codes: new Int32Array(N).map((_, i) => i % 4), dict: ['a', 'bb', 'ccc', 'ü'], nulls: new Uint8Array(N).map((_, i) => (i % 10 === 1 ? 1 : 0)) },
    { kind: 'f64', length: N, values: new Float64Array(N).map((_, i) => i / 4), nulls: null },
  ],
};
const bytes = writePartition(columns, batch, { rowGroupRows: 400 }).bytes;

/** Every column of a file as plain values (decimals: their low word, enough for small values). */
function readAll(file: Uint8Array): Record<string, unknown[]> {
  const t = tableFromIPC(parquetWasm().readParquet(file).intoIPCStream());
  const out: Record<string, unknown[]> = {};
  for (const f of t.schema.fields) {
    const v = t.getChild(f.name)!;
    out[f.name] = String(f.type).startsWith('Decimal')
      ? Array.from({ length: v.length }, (_, i) => (v.get(i) as Uint32Array)[0])
      : Array.from({ length: v.length }, (_, i) => v.get(i));
  }
  return out;
}

describe('parquet footer', () => {
  let dir = '';
  let conn: DuckDBConnection;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'firn-footer-'));
    conn = await (await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' })).connect();
  });
  afterAll(() => {
    conn?.closeSync();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads row groups, chunk ranges, leaf names and key-value entries', () => {
    const f = readParquetFooter(bytes, 'x');
    expect(f.numRows).toBe(N);
    expect(f.rowGroups.map((g) => g.numRows)).toEqual([400, 400, 100]);
    expect(f.leafNames).toEqual(['K', 'S', 'F']);
    expect(f.keyValue.get('firn.format')).toBe('2');
    expect(f.keyValue.has(ARROW_SCHEMA_KEY)).toBe(true);
    let end = 4;
    for (const g of f.rowGroups) {
      for (const c of g.chunks) {
        expect(c.start).toBe(end); // chunks are contiguous after 'PAR1'
        end = c.start + c.length;
      }
    }
  });

  it('reads the row count from the end of the file alone', () => {
    const length = parquetTailLength(bytes.subarray(bytes.length - 8));
    expect(length).toBeGreaterThan(8);
    expect(length).toBeLessThan(bytes.length);
    expect(parquetRowCount(bytes.slice(bytes.length - length!), 'x')).toBe(N);
    expect(parquetRowCount(bytes.slice(bytes.length - length! - 100), 'x')).toBe(N);
    expect(parquetTailLength(new Uint8Array(8))).toBeNull();
    expect(() => parquetRowCount(bytes.slice(bytes.length - length! + 1), 'objects/t.parquet')).toThrow(/objects\/t.parquet has a corrupt Parquet footer length/);
    const garbled = bytes.slice(bytes.length - length!);
    garbled.fill(0xff, 0, garbled.length - 8);
    expect(() => parquetRowCount(garbled, 'g.parquet')).toThrow(LoadError);
  });

  it('slices columns and row groups into a file parquet-wasm and DuckDB read back exactly', async () => {
    const f = readParquetFooter(bytes, 'x');
    const arrowSchema = projectArrowSchema(f.keyValue.get(ARROW_SCHEMA_KEY)!, [0, 1]);
    const sliced = sliceParquet(f, { rowGroups: [1, 2], columns: [1, 0], arrowSchema });
    expect(sliced.length).toBeLessThan(bytes.length);
    const back = readAll(sliced);
    expect(Object.keys(back)).toEqual(['K', 'S']);
    const rows = Array.from({ length: 500 }, (_, j) => 400 + j);
    expect(back.K.map(Number)).toEqual(rows.map((i) => i * 1));
    expect(back.S).toEqual(rows.map((i) => (i % 10 === 1 ? null : ['a', 'bb', 'ccc', 'ü'][i % 4])));
    const sf = readParquetFooter(sliced, 'sliced');
    expect(sf.numRows).toBe(500);
    expect(sf.leafNames).toEqual(['K', 'S']);

    const path = join(dir, 'sliced.parquet');
    writeFileSync(path, sliced);
    const duck = (await conn.runAndReadAll(`select K::integer, S from read_parquet('${path}') order by K`)).getRows();
    expect(duck.map((r) => r[0])).toEqual(rows);
    expect(duck.map((r) => r[1])).toEqual(back.S);

    const noRows = sliceParquet(f, { rowGroups: [] });
    expect(readParquetFooter(noRows, 'empty').numRows).toBe(0);
    expect(parquetWasm().readParquet(noRows).numBatches).toBe(0);
  });

  it('rejects truncated and garbage files with LoadError FILE_CORRUPT naming them', () => {
    const cases = [bytes.subarray(0, bytes.length - 1), bytes.subarray(0, 20), new Uint8Array(100)];
    const damaged = bytes.slice();
    damaged.fill(0xff, damaged.length - 60, damaged.length - 8);
    cases.push(damaged);
    for (const bad of cases) {
      let err: unknown = null;
      try {
        readParquetFooter(bad, 'objects/p-7.parquet');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(LoadError);
      expect((err as LoadError).codeName).toBe('FILE_CORRUPT');
      expect((err as LoadError).message).toContain('objects/p-7.parquet');
    }
  });

  it('orders key-value entries in place without changing anything else', () => {
    const copy = bytes.slice();
    orderKeyValueMetadata(copy, ['ARROW:schema', 'firn.columns']);
    expect(copy.length).toBe(bytes.length);
    const keys = [...readParquetFooter(copy, 'x').keyValue.keys()];
    expect(keys).toEqual(['ARROW:schema', 'firn.columns', 'firn.format']);
    expect(readAll(copy).K.length).toBe(N);
    orderKeyValueMetadata(copy, ['firn.format', 'firn.columns']);
    expect(Buffer.from(copy).equals(Buffer.from(bytes))).toBe(true);
  });

  it('reports nested schemas and refuses to project them', async () => {
    const path = join(dir, 'nested.parquet');
    await conn.run(`copy (select 1 as a, {'x': 2, 'y': 'z'} as s) to '${path}' (format parquet)`);
    const f = readParquetFooter(new Uint8Array(readFileSync(path)), 'nested');
    expect(f.leafNames).toBeNull();
    expect(() => sliceParquet(f, { columns: [0] })).toThrow(NotSupportedError);
    expect(readParquetFooter(sliceParquet(f, { rowGroups: [0] }), 'n').numRows).toBe(1);
  });
});

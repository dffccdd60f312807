import { describe, expect, it } from 'vitest';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { StrVector, Vector } from '../../storage/types/vector.js';
import { canonicalJson } from '../../storage/types/variant-json.js';
import { scalarAt } from '../../storage/types/scalar-at.js';
import { readPartitionColumns, readParquetFile } from '../../storage/partition/partition-reader.js';
import { writePartition } from '../../storage/partition/partition-writer.js';
import { shreddedName } from '../../storage/partition/shredded-path.js';
import { MAX_PATHS_PER_COLUMN, shredVariantPaths } from './shred-variant-paths.js';

/** A VARIANT vector of JSON texts (null: SQL NULL), canonicalized as PARSE_JSON does. */
export function variantVector(rows: (string | null)[]): StrVector {
  const n = rows.length;
  const nulls = new Uint8Array(n);
  const dict: string[] = [];
  const codes = new Int32Array(n);
  rows.forEach((r, i) => {
    if (r === null) nulls[i] = 1;
    else {
      codes[i] = dict.length;
      dict.push(canonicalJson(r)!);
    }
  });
  return { kind: 'str', length: n, codes, dict: dict.length ? dict : [''], nulls };
}

const cols: Column[] = [{ name: 'V', type: Types.variant, nullable: true }];

function values(v: Vector, type: Parameters<typeof scalarAt>[2]): unknown[] {
  return Array.from({ length: v.length }, (_, i) => scalarAt(v, i, type));
}

describe('shredVariantPaths', () => {
  it('shreds keys present in most rows with one scalar class, as typed columns', () => {
    const rows = [
      '{"country":"DE","n":1,"ok":true,"x":1.5,"d":1.25e3,"nested":{"a":"p","b":{"c":1}}}',
      '{"country":"FR","n":200,"ok":false,"x":2.5,"d":2e0,"nested":{"a":"q"}}',
      '{"country":5,"n":"7","x":3.25,"d":3e0,"nested":{"a":"r"}}',
      '{"n":null,"x":4.5,"d":-1e-3,"nested":{"a":"s"}}',
      null,
      '{"country":"IT","n":3,"x":5.5,"d":4e0,"nested":{"a":"t"}}',
    ];
    const out = shredVariantPaths(cols, { length: rows.length, columns: [variantVector(rows)] });
    const byPath = new Map(out.map((s) => [JSON.stringify(s.path), s]));
    expect([...byPath.keys()].sort()).toEqual(['["country"]', '["d"]', '["n"]', '["nested","a"]', '["x"]'].sort());
    const country = byPath.get('["country"]')!;
    expect(country.type).toEqual(Types.varchar);
    expect(values(country.vector, Types.varchar)).toEqual(['DE', 'FR', null, null, null, 'IT']);
    expect(country.others).toBe(1); // the number 5
    const n = byPath.get('["n"]')!;
    expect(n.type).toEqual(Types.number(38, 0));
    expect(values(n.vector, n.type)).toEqual([1n, 200n, null, null, null, 3n]);
    expect(n.others).toBe(1); // "7"; the JSON null is not counted
    const x = byPath.get('["x"]')!;
    expect(x.type).toEqual(Types.number(38, 1));
    expect(x.others).toBe(1); // 3.25 has another scale
    expect(byPath.get('["d"]')!.type).toEqual(Types.float);
    expect(values(byPath.get('["d"]')!.vector, Types.float)).toEqual([1250, 2, 3, -0.001, null, 4]);
    expect(values(byPath.get('["nested","a"]')!.vector, Types.varchar)).toEqual(['p', 'q', 'r', 's', null, 't']);
    // "ok" is in 2 of 5 non-NULL rows: not most.
    expect(byPath.has('["ok"]')).toBe(false);
  });

  it('leaves non-object values, arrays and VARCHAR columns alone, and caps the paths per column', () => {
    const wide = Array.from({ length: 3 }, () => JSON.stringify(Object.fromEntries(Array.from({ length: 40 }, (_, k) => [`k${k}`, k]))));
    const out = shredVariantPaths(
      [...cols, { name: 'A', type: Types.array, nullable: true }, { name: 'S', type: Types.varchar, nullable: true }],
      {
        length: 3,
        columns: [variantVector(wide), variantVector(['[1]', '[2]', '[3]']), { kind: 'str', length: 3, codes: new Int32Array(3), dict: ['{"a":1}'], nulls: null }],
      },
    );
    expect(out.length).toBe(MAX_PATHS_PER_COLUMN);
    expect(out.every((s) => s.column === 'V')).toBe(true);
    expect(shredVariantPaths(cols, { length: 3, columns: [variantVector(['1', '"a"', '[{"a":1}]'])] })).toEqual([]);
  });

  it('keeps a row only when its typed value turns back into the same JSON text', () => {
    const out = shredVariantPaths(cols, { length: 3, columns: [variantVector(['{"a":"x\\u0000y"}', '{"a":"\\"q\\""}', '{"a":"é"}'])] });
    expect(values(out[0].vector, Types.varchar)).toEqual(['x\u0000y', '"q"', 'é']);
  });
});

describe('writePartition with shredded paths', () => {
  const rows = ['{"c":"DE","n":3}', '{"c":"FR","n":10}', '{"c":"AT"}', '{"n":"zz"}', '{"c":"IT","n":4}'];
  const batch = { length: 5, columns: [variantVector(rows)] };
  const shredded = shredVariantPaths(cols, batch);
  const { bytes, zoneMap } = writePartition(cols, batch, { shredded });

  it('writes each path as an extra Parquet column and lists its zone in the zone map', () => {
    const c = shreddedName('V', ['c'], Types.varchar);
    const n = shreddedName('V', ['n'], Types.number(38, 0));
    expect(Object.keys(zoneMap.columns)).toEqual(['V']);
    expect(zoneMap.shredded![c]).toEqual({ column: 'V', path: ['c'], type: Types.varchar, others: 0, zone: { min: 'AT', max: 'IT', nullCount: 1, exact: true } });
    expect(zoneMap.shredded![n]).toEqual({ column: 'V', path: ['n'], type: Types.number(38, 0), others: 1, zone: { min: '3', max: '10', nullCount: 2, exact: true } });
    const read = readPartitionColumns(bytes, [...cols, { name: c, type: Types.varchar, nullable: true }, { name: n, type: Types.number(38, 0), nullable: true }], [1, 2, 0]);
    expect(values(read.columns[0], Types.varchar)).toEqual(['DE', 'FR', 'AT', null, 'IT']);
    expect(values(read.columns[1], Types.number(38, 0))).toEqual([3n, 10n, null, null, 4n]);
  });

  it('an old reader of the table columns, and a reader of foreign Parquet, see only the table columns', () => {
    const read = readPartitionColumns(bytes, cols, [0]);
    expect((read.columns[0] as StrVector).dict.length).toBeGreaterThan(0);
    expect(readParquetFile(bytes).columns.map((c) => c.name)).toEqual(['V']);
  });

  it('a partition without shredded paths reads a wanted sub-column as all NULL when allowed absent', () => {
    const plain = writePartition(cols, batch);
    expect(plain.zoneMap.shredded).toBeUndefined();
    const c = shreddedName('V', ['c'], Types.varchar);
    const read = readPartitionColumns(plain.bytes, [...cols, { name: c, type: Types.varchar, nullable: true }], [1], 'p', [null, { value: null }]);
    expect(values(read.columns[0], Types.varchar)).toEqual([null, null, null, null, null]);
  });
});

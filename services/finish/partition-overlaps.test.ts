import { describe, expect, it } from 'vitest';
import { Types } from '../../storage/types/data-type.js';
import type { ColumnZone } from '../../storage/partition/zone-map.js';
import type { Column } from '../../storage/types/schema.js';
import type { PartitionInfo } from '../catalog/catalog.js';
import { inOverlaps, partitionOverlaps } from './partition-overlaps.js';

const K: Column = { name: 'K', type: Types.number(38, 0), nullable: true };
const S: Column = { name: 'S', type: Types.varchar, nullable: true };
const part = (id: number, zones: Record<string, Partial<ColumnZone>>): PartitionInfo => ({
  id,
  tableId: 1,
  objectKey: `p${id}`,
  rowCount: 10,
  byteSize: 100,
  zoneMap: {
    rowCount: 10,
    byteSize: 100,
    columns: Object.fromEntries(Object.entries(zones).map(([k, z]) => [k, { min: null, max: null, nullCount: 0, exact: true, ...z }])),
  },
  addedVersion: 1,
  removedVersion: null,
});
const num = (id: number, lo: number, hi: number, extra: Partial<ColumnZone> = {}) => part(id, { K: { min: String(lo), max: String(hi), ...extra } });

describe('partitionOverlaps', () => {
  it('finds no shared range when partitions are disjoint, in any order', () => {
    expect(partitionOverlaps([num(1, 20, 29), num(2, 1, 9), num(3, 10, 19)], K)).toEqual({ lo: [], hi: [] });
  });

  it('gives the single values where a partition ends and the next begins', () => {
    expect(partitionOverlaps([num(1, 1, 10), num(2, 10, 20), num(3, 20, 30), num(4, 31, 40)], K)).toEqual({ lo: [10, 20], hi: [10, 20] });
  });

  it('merges wider overlaps, including one partition inside another', () => {
    expect(partitionOverlaps([num(1, 1, 50), num(2, 10, 20), num(3, 45, 60), num(4, 100, 200)], K)).toEqual({ lo: [10, 45], hi: [20, 50] });
  });

  it('proves nothing with NULLs, inexact or missing bounds, or a column of no use', () => {
    expect(partitionOverlaps([num(1, 1, 5), num(2, 6, 9, { nullCount: 1 })], K)).toBeNull();
    expect(partitionOverlaps([num(1, 1, 5), num(2, 6, 9, { exact: false })], K)).toBeNull();
    expect(partitionOverlaps([num(1, 1, 5), part(2, {})], K)).toBeNull();
    expect(partitionOverlaps([num(1, 1, 5), part(2, { K: { min: null, max: null, nullCount: 10 } })], K)).toBeNull();
  });

  it('gives up when nearly every partition overlaps every other (not clustered)', () => {
    const parts = Array.from({ length: 10 }, (_, i) => num(i, i, 100 + i));
    expect(partitionOverlaps(parts, K)).toBeNull();
  });

  it('works on strings', () => {
    const ps = [part(1, { S: { min: 'apple', max: 'kiwi' } }), part(2, { S: { min: 'kiwi', max: 'pear' } })];
    const r = partitionOverlaps(ps, S)!;
    expect(r).toEqual({ lo: ['kiwi'], hi: ['kiwi'] });
    const v = inOverlaps({ kind: 'str', length: 3, codes: Int32Array.from([0, 1, 0]), dict: ['kiwi', 'lime'], nulls: null }, r);
    expect([...v]).toEqual([1, 0, 1]);
  });
});

describe('inOverlaps', () => {
  const r = { lo: [10, 45], hi: [20, 50] };
  it('marks keys inside any range, NULLs, and wide decimals', () => {
    const v = inOverlaps({ kind: 'f64', length: 7, values: Float64Array.from([9, 10, 15, 20, 21, 50, 0]), nulls: Uint8Array.from([0, 0, 0, 0, 0, 0, 1]) }, r);
    expect([...v]).toEqual([0, 1, 1, 1, 0, 1, 1]);
    expect([...inOverlaps({ kind: 'dec', length: 2, values: [1n, 99n], nulls: null }, r)]).toEqual([1, 1]);
    expect([...inOverlaps({ kind: 'f64', length: 2, values: Float64Array.from([10, 45]), nulls: null }, { lo: [], hi: [] })]).toEqual([0, 0]);
  });
});

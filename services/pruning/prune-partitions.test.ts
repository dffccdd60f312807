import { describe, expect, it } from 'vitest';
import type { PartitionInfo } from '../catalog/catalog.js';
import type { ColumnZone } from '../../storage/partition/zone-map.js';
import { Types, type DataType } from '../../storage/types/data-type.js';
import type { Scalar } from '../../storage/types/scalar.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { prunePartitions } from './prune-partitions.js';
import { shreddedName } from '../../storage/partition/shredded-path.js';

// One column, one partition per case: verdicts are read back as 'none' (skipped), 'all'
// (scanned without the filter) or 'some' (scanned with it).
const N2 = Types.number(10, 2);
const col = (type: DataType, index = 0): BoundExpr => ({ kind: 'column', index, type });
const lit = (value: Scalar, type: DataType): BoundExpr => ({ kind: 'literal', value, type });
const call = (fn: string, ...args: BoundExpr[]): BoundExpr => ({ kind: 'call', fn, args, type: Types.boolean });
const and = (...args: BoundExpr[]): BoundExpr => ({ kind: 'and', args, type: Types.boolean });
const or = (...args: BoundExpr[]): BoundExpr => ({ kind: 'or', args, type: Types.boolean });
const not = (expr: BoundExpr): BoundExpr => ({ kind: 'not', expr, type: Types.boolean });

function partition(zone: Partial<ColumnZone>, rowCount = 100): PartitionInfo {
  const z: ColumnZone = { min: null, max: null, nullCount: 0, exact: true, ...zone };
  return { id: 1, tableId: 1, objectKey: 'k', rowCount, byteSize: 1, etag: null, zoneMap: { rowCount, byteSize: 1, columns: { X: z } }, addedVersion: 1, removedVersion: null };
}

function verdictOf(filter: BoundExpr, zone: Partial<ColumnZone>, rowCount = 100): string {
  const r = prunePartitions([partition(zone, rowCount)], filter, ['X']);
  if (r.units.length === 0) return 'none';
  return r.units[0].filterMode === 'all' ? 'all' : 'some';
}

describe('zone-map pruning verdicts', () => {
  it('places FLOAT NaN above +inf: a NaN constant never matches finite bounds, a NaN max keeps NaN rows', () => {
    const F = Types.float;
    const x = col(F);
    const nan = lit(NaN, F);
    const finite = { min: 7, max: 1e308 };
    expect(verdictOf(call('eq', x, nan), finite)).toBe('none');
    expect(verdictOf(call('ge', x, nan), finite)).toBe('none');
    expect(verdictOf(call('lt', x, nan), finite)).toBe('all');
    expect(verdictOf(call('ne', x, nan), finite)).toBe('all');
    expect(verdictOf(call('gt', x, lit(1e308, F)), finite)).toBe('none');
    // A partition with NaN: max NaN (in memory) or null (after the catalog's JSON).
    expect(verdictOf(call('eq', x, nan), { min: 1, max: NaN })).toBe('some');
    expect(verdictOf(call('gt', x, lit(1e308, F)), { min: 1, max: NaN })).toBe('some');
    expect(verdictOf(call('eq', x, nan), { min: NaN, max: NaN })).toBe('all');
    expect(verdictOf(call('lt', x, nan), { min: NaN, max: NaN })).toBe('none');
    expect(verdictOf(call('eq', x, nan), { min: 1, max: null })).toBe('some');
    expect(verdictOf(call('gt', x, lit(1e308, F)), { min: null, max: null }, 100)).toBe('some');
  });

  // NUMBER(10,2) column with values 10.00 .. 20.00 (scaled integers 1000 .. 2000).
  const range = { min: '1000', max: '2000' };
  const c = col(N2);
  const v = (x: bigint) => lit(x, N2);

  it('comparisons against constants', () => {
    expect(verdictOf(call('eq', c, v(500n)), range)).toBe('none');
    expect(verdictOf(call('eq', c, v(1500n)), range)).toBe('some');
    expect(verdictOf(call('eq', c, v(1000n)), { min: '1000', max: '1000' })).toBe('all');
    expect(verdictOf(call('lt', c, v(1000n)), range)).toBe('none');
    expect(verdictOf(call('le', c, v(1000n)), range)).toBe('some');
    expect(verdictOf(call('lt', c, v(2001n)), range)).toBe('all');
    expect(verdictOf(call('gt', c, v(2000n)), range)).toBe('none');
    expect(verdictOf(call('ge', c, v(1000n)), range)).toBe('all');
    expect(verdictOf(call('ne', c, v(1000n)), { min: '1000', max: '1000' })).toBe('none');
    expect(verdictOf(call('ne', c, v(999n)), range)).toBe('all');
  });

  it('constant on the left flips the operator', () => {
    expect(verdictOf(call('gt', v(1000n), c), range)).toBe('none');
    expect(verdictOf(call('gt', v(2001n), c), range)).toBe('all');
  });

  it('compares NUMBERs of different scales exactly', () => {
    // x > 20 (NUMBER(2,0)) over 10.00..20.00: false everywhere.
    expect(verdictOf(call('gt', c, lit(20n, Types.number(2, 0))), range)).toBe('none');
    expect(verdictOf(call('ge', c, lit(20n, Types.number(2, 0))), range)).toBe('some');
  });

  it('never proves "all" with NULLs present, and skips all-NULL partitions', () => {
    expect(verdictOf(call('ge', c, v(1000n)), { ...range, nullCount: 3 })).toBe('some');
    expect(verdictOf(call('ge', c, v(1000n)), { min: null, max: null, nullCount: 100 })).toBe('none');
  });

  it('proves nothing from missing bounds when not every value is NULL (FLOAT NaN in JSON)', () => {
    const f = col(Types.float);
    expect(verdictOf(call('gt', f, lit(1, Types.float)), { min: null, max: null, nullCount: 0 })).toBe('some');
  });

  it('IS NULL and IS NOT NULL from null counts', () => {
    const isNull = (negated: boolean): BoundExpr => ({ kind: 'is_null', expr: c, negated, type: Types.boolean });
    expect(verdictOf(isNull(false), { ...range, nullCount: 0 })).toBe('none');
    expect(verdictOf(isNull(false), { nullCount: 100 })).toBe('all');
    expect(verdictOf(isNull(false), { ...range, nullCount: 5 })).toBe('some');
    expect(verdictOf(isNull(true), { nullCount: 100 })).toBe('none');
    expect(verdictOf(isNull(true), { ...range, nullCount: 0 })).toBe('all');
  });

  it('IN lists', () => {
    const inList = (...xs: bigint[]): BoundExpr => ({ kind: 'in_list', expr: c, list: xs.map(v), negated: false, type: Types.boolean });
    expect(verdictOf(inList(1n, 2500n), range)).toBe('none');
    expect(verdictOf(inList(1n, 1500n), range)).toBe('some');
    expect(verdictOf(inList(1000n), { min: '1000', max: '1000' })).toBe('all');
  });

  it('a long unsorted IN list (a runtime filter) keeps exactly the partitions one of its values falls in, bounds included', () => {
    // 4,096 keys (RUNTIME_FILTER_KEY_SET_LIMIT), every 7th of 0..28,672, in a shuffled order, over 300 partitions.
    const keys = Array.from({ length: 4096 }, (_, i) => BigInt(i * 7));
    for (let i = keys.length - 1; i > 0; i--) {
      const j = (i * 2654435761) % (i + 1);
      [keys[i], keys[j]] = [keys[j], keys[i]];
    }
    const filter: BoundExpr = { kind: 'in_list', expr: c, list: keys.map(v), negated: false, type: Types.boolean };
    const zones = Array.from({ length: 300 }, (_, i) => {
      const min = BigInt(i * 97 - 50);
      const width = BigInt(i % 9);
      return { min, max: min + width };
    });
    const parts = zones.map((z, i) => ({ ...partition({ min: String(z.min), max: String(z.max) }), id: i + 1 }));
    const kept = prunePartitions(parts, filter, ['X']).units.map((u) => u.partition.id);
    const expected = zones.flatMap((z, i) => (keys.some((k) => k >= z.min && k <= z.max) ? [i + 1] : []));
    expect(kept).toEqual(expected);
    // Both ends count: a zone whose min or max is a key is kept; one between two keys is not.
    expect(verdictOf(filter, { min: '7', max: '7' })).toBe('all');
    expect(verdictOf(filter, { min: '1', max: '7' })).toBe('some');
    expect(verdictOf(filter, { min: '7', max: '13' })).toBe('some');
    expect(verdictOf(filter, { min: '8', max: '13' })).toBe('none');
    expect(verdictOf(filter, { min: '28665', max: '40000' })).toBe('some');
    expect(verdictOf(filter, { min: '28666', max: '28666' })).toBe('none');
    expect(verdictOf(filter, { min: '-5', max: '-1' })).toBe('none');
  });

  it('IN lists of FLOAT (NaN last) and VARCHAR values, given out of order', () => {
    const F = Types.float;
    const floats: BoundExpr = { kind: 'in_list', expr: col(F), list: [lit(NaN, F), lit(3.5, F), lit(-Infinity, F), lit(1, F)], negated: false, type: Types.boolean };
    expect(verdictOf(floats, { min: 1.5, max: 3 })).toBe('none');
    expect(verdictOf(floats, { min: 1.5, max: 3.5 })).toBe('some');
    expect(verdictOf(floats, { min: 4, max: NaN })).toBe('some');
    expect(verdictOf(floats, { min: NaN, max: NaN })).toBe('all');
    const S = Types.varchar;
    const strings: BoundExpr = { kind: 'in_list', expr: col(S), list: ['pear', 'apple', 'fig'].map((x) => lit(x, S)), negated: false, type: Types.boolean };
    expect(verdictOf(strings, { min: 'b', max: 'e' })).toBe('none');
    expect(verdictOf(strings, { min: 'b', max: 'fig' })).toBe('some');
    expect(verdictOf(strings, { min: 'q', max: 'z' })).toBe('none');
  });

  it('AND, OR and NOT (pushed to the leaves)', () => {
    const lo = call('ge', c, v(1200n));
    const hi = call('le', c, v(1100n));
    expect(verdictOf(and(lo, hi), range)).toBe('some');
    expect(verdictOf(and(call('gt', c, v(3000n)), lo), range)).toBe('none');
    expect(verdictOf(or(call('gt', c, v(3000n)), call('lt', c, v(0n))), range)).toBe('none');
    expect(verdictOf(or(call('gt', c, v(3000n)), call('ge', c, v(0n))), range)).toBe('all');
    expect(verdictOf(not(call('lt', c, v(3000n))), range)).toBe('none');
    expect(verdictOf(not(call('gt', c, v(3000n))), range)).toBe('all');
    expect(verdictOf(not(and(call('ge', c, v(0n)), call('le', c, v(3000n)))), range)).toBe('none');
  });

  it('LIKE with a prefix, on VARCHAR bounds', () => {
    const s = col(Types.varchar);
    const like = (p: string): BoundExpr => ({ kind: 'like', expr: s, pattern: lit(p, Types.varchar), caseInsensitive: false, negated: false, type: Types.boolean });
    const zone = { min: 'Bergen', max: 'Oslo' };
    expect(verdictOf(like('Tr%'), zone)).toBe('none');
    expect(verdictOf(like('Ab%'), zone)).toBe('none');
    expect(verdictOf(like('Mo%'), zone)).toBe('some');
    expect(verdictOf(like('Zz'), zone)).toBe('none');
    // ILIKE and leading wildcards prove nothing.
    expect(verdictOf({ kind: 'like', expr: s, pattern: lit('tr%', Types.varchar), caseInsensitive: true, negated: false, type: Types.boolean }, zone)).toBe('some');
    expect(verdictOf(like('%x'), zone)).toBe('some');
  });

  it('inexact string bounds can skip but never prove "all"', () => {
    const s = col(Types.varchar);
    expect(verdictOf(call('eq', s, lit('a', Types.varchar)), { min: 'a', max: 'a', exact: false })).toBe('some');
    expect(verdictOf(call('gt', s, lit('z', Types.varchar)), { min: 'a', max: 'm', exact: false })).toBe('none');
  });

  it('DATE columns compared through a cast to TIMESTAMP', () => {
    const d = col(Types.date);
    const asTs: BoundExpr = { kind: 'cast', expr: d, type: Types.timestampNtz, try: false };
    const day = 19_000;
    const zone = { min: day, max: day + 30 };
    expect(verdictOf(call('lt', asTs, lit(BigInt(day) * 86_400_000_000_000n, Types.timestampNtz)), zone)).toBe('none');
    expect(verdictOf(call('ge', asTs, lit(BigInt(day) * 86_400_000_000_000n, Types.timestampNtz)), zone)).toBe('all');
  });

  it('TIMESTAMP_NTZ bounds are exact to the nanosecond, and old zone maps in microseconds still prune', () => {
    const t = col(Types.timestampNtz);
    const ts = (ns: bigint) => lit(ns, Types.timestampNtz);
    // 2024-01-02 03:04:05.123456789 .. .123456791 as nanoseconds since the epoch.
    const zone = { min: '1704164645123456789', max: '1704164645123456791' };
    expect(verdictOf(call('eq', t, ts(1704164645123456788n)), zone)).toBe('none');
    expect(verdictOf(call('eq', t, ts(1704164645123456789n)), zone)).toBe('some');
    expect(verdictOf(call('lt', t, ts(1704164645123456789n)), zone)).toBe('none');
    expect(verdictOf(call('le', t, ts(1704164645123456789n)), zone)).toBe('some');
    expect(verdictOf(call('gt', t, ts(1704164645123456791n)), zone)).toBe('none');
    expect(verdictOf(call('ge', t, ts(1704164645123456789n)), zone)).toBe('all');
    const inList: BoundExpr = { kind: 'in_list', expr: t, list: [ts(1704164645123456788n), ts(1704164645123456792n)], negated: false, type: Types.boolean };
    expect(verdictOf(inList, zone)).toBe('none');
    // Years 0001 and 9999 at the nanosecond.
    const wide = { min: '-62135596799999999999', max: '253402300799999999999' };
    expect(verdictOf(call('lt', t, ts(-62135596799999999999n)), wide)).toBe('none');
    expect(verdictOf(call('gt', t, ts(253402300799999999998n)), wide)).toBe('some');
    // A zone map written before nanoseconds: microseconds as a JSON number.
    const old = { min: 1704164645123456, max: 1704164645123457 };
    expect(verdictOf(call('lt', t, ts(1704164645123456000n)), old)).toBe('none');
    expect(verdictOf(call('gt', t, ts(1704164645123457000n)), old)).toBe('none');
    expect(verdictOf(call('eq', t, ts(1704164645123456500n)), old)).toBe('some');
  });

  it('TIME bounds (nanoseconds since midnight) prune exactly to the nanosecond', () => {
    const t = col(Types.time());
    const at = (ns: number) => lit(ns, Types.time());
    // 10:00:00.000000001 .. 12:00:00
    const zone = { min: 36_000_000_000_001, max: 43_200_000_000_000 };
    expect(verdictOf(call('lt', t, at(36_000_000_000_001)), zone)).toBe('none');
    expect(verdictOf(call('le', t, at(36_000_000_000_001)), zone)).toBe('some');
    expect(verdictOf(call('gt', t, at(43_200_000_000_000)), zone)).toBe('none');
    expect(verdictOf(call('ge', t, at(36_000_000_000_000)), zone)).toBe('all');
    expect(verdictOf(call('eq', t, at(86_399_999_999_999)), zone)).toBe('none');
  });

  it('expressions it cannot reason about scan with the filter, and constants decide alone', () => {
    const sum = call('gt', { kind: 'call', fn: 'add', args: [c, c], type: N2 }, v(0n));
    expect(verdictOf(sum, range)).toBe('some');
    expect(verdictOf(lit(false, Types.boolean), range)).toBe('none');
    expect(verdictOf(lit(null, Types.boolean), range)).toBe('none');
    expect(verdictOf(lit(true, Types.boolean), range)).toBe('all');
  });

  it('reports totals and the predicate text; off means scan everything with the filter', () => {
    const r = prunePartitions([partition(range), partition({ min: '5000', max: '6000' })], call('lt', c, v(3000n)), ['X']);
    expect([r.partitionsTotal, r.partitionsScanned]).toEqual([2, 1]);
    expect(r.predicate).toBe('X < 30.00');
    const off = prunePartitions([partition(range), partition({ min: '5000', max: '6000' })], call('lt', c, v(3000n)), ['X'], false);
    expect(off.units.map((u) => u.filterMode)).toEqual(['filter', 'filter']);
  });
});

describe('pruning on shredded VARIANT paths', () => {
  const S = Types.varchar;
  const V = Types.variant;
  const name = shreddedName('V', ['country'], S);
  // COALESCE(sub, CAST(v:country AS VARCHAR)) as read_shredded_paths writes it; column 0 is V, 1 the sub-column.
  const path: BoundExpr = { kind: 'cast', expr: { kind: 'call', fn: 'get', args: [col(V, 0), lit('country', S)], type: V }, type: S, try: false };
  const expr: BoundExpr = { kind: 'call', fn: 'coalesce', args: [col(S, 1), path], type: S };
  const names = ['V', name];
  function shredded(zone: Partial<ColumnZone> | null, others = 0): PartitionInfo {
    const z: ColumnZone = { min: null, max: null, nullCount: 0, exact: true, ...zone };
    const shreddedPaths = zone === null ? undefined : { [name]: { column: 'V', path: ['country'], type: S, others, zone: z } };
    return { id: 1, tableId: 1, objectKey: 'k', rowCount: 100, byteSize: 1, etag: null, zoneMap: { rowCount: 100, byteSize: 1, columns: {}, shredded: shreddedPaths }, addedVersion: 1, removedVersion: null };
  }
  const verdictOn = (filter: BoundExpr, p: PartitionInfo) => {
    const r = prunePartitions([p], filter, names);
    return r.units.length === 0 ? 'none' : r.units[0].filterMode === 'all' ? 'all' : 'some';
  };

  it('skips partitions whose path range excludes the value, and proves "all" as a column zone does', () => {
    const range = { min: 'AT', max: 'FR', nullCount: 10 };
    expect(verdictOn(call('eq', expr, lit('IT', S)), shredded(range))).toBe('none');
    expect(verdictOn(call('eq', expr, lit('DE', S)), shredded(range))).toBe('some');
    expect(verdictOn(call('gt', expr, lit('FR', S)), shredded(range))).toBe('none');
    expect(verdictOn({ kind: 'is_null', expr, negated: false, type: Types.boolean }, shredded({ min: 'AT', max: 'FR' }))).toBe('none');
    expect(verdictOn(call('ge', expr, lit('AT', S)), shredded({ min: 'AT', max: 'FR' }))).toBe('all');
    expect(verdictOn(call('eq', expr, lit('DE', S)), shredded({ min: null, max: null, nullCount: 100 }))).toBe('none');
    expect(prunePartitions([shredded(range)], call('eq', expr, lit('IT', S)), names).predicate).toBe("V:country = 'IT'");
  });

  it('never skips a partition without the path, or with rows the sub-column does not cover', () => {
    expect(verdictOn(call('eq', expr, lit('IT', S)), shredded(null))).toBe('some');
    expect(verdictOn(call('eq', expr, lit('IT', S)), shredded({ min: 'AT', max: 'FR' }, 1))).toBe('some');
    // The sub-column alone is no proof (it is NULL where the JSON holds another type).
    expect(verdictOn(call('eq', col(S, 1), lit('IT', S)), shredded({ min: 'AT', max: 'FR' }))).toBe('some');
  });
});

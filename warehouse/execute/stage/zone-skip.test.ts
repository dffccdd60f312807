import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { Batch, Vector } from '../../../storage/types/vector.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { candidateRanges, ZONE_ROWS } from './zone-skip.js';

const N = Types.number(38, 0);
const N2 = Types.number(10, 2);
const B = Types.boolean;
const col = (index: number, type = N): BoundExpr => ({ kind: 'column', index, type });
const num = (v: bigint | null, type = N): BoundExpr => ({ kind: 'literal', value: v, type });
const cmp = (fn: string, a: BoundExpr, b: BoundExpr): BoundExpr => ({ kind: 'call', fn, args: [a, b], type: B });
const inList = (expr: BoundExpr, list: BoundExpr[], negated = false): BoundExpr => ({ kind: 'in_list', expr, list, negated, type: B });
const and = (...args: BoundExpr[]): BoundExpr => ({ kind: 'and', args, type: B });
const or = (...args: BoundExpr[]): BoundExpr => ({ kind: 'or', args, type: B });
const ranges = (batch: Batch, filter: BoundExpr | null, keyFilters: Parameters<typeof candidateRanges>[2] = []) => {
  const r = candidateRanges(batch, filter, keyFilters);
  return r === null ? null : [...r];
};

// Five zones of K = row number (the last one 100 rows), and a string column.
const rows = 4 * ZONE_ROWS + 100;
const k: Vector = { kind: 'f64', length: rows, values: Float64Array.from({ length: rows }, (_, i) => i), nulls: null };
const s: Vector = { kind: 'str', length: rows, codes: new Int32Array(rows), dict: ['x'], nulls: null };
const batch: Batch = { length: rows, columns: [k, s] };
const Z = ZONE_ROWS;

describe('candidateRanges', () => {
  it('keeps the zones an IN list of literals falls in, merging neighbours', () => {
    expect(ranges(batch, inList(col(0), [num(5n), num(BigInt(Z + 1)), num(BigInt(3 * Z + 7)), num(null)]))).toEqual([0, 2 * Z, 3 * Z, 4 * Z]);
    expect(ranges(batch, inList(col(0), [num(-1n), num(10n ** 7n)]))).toEqual([]);
    // NOT IN judges nothing.
    expect(ranges(batch, inList(col(0), [num(5n)], true))).toBeNull();
  });

  it('judges comparisons with a literal on either side', () => {
    expect(ranges(batch, cmp('ge', col(0), num(BigInt(3 * Z + 1))))).toEqual([3 * Z, rows]);
    expect(ranges(batch, cmp('gt', num(BigInt(Z)), col(0)))).toEqual([0, Z]);
    expect(ranges(batch, cmp('eq', col(0), num(BigInt(2 * Z))))).toEqual([2 * Z, 3 * Z]);
    expect(ranges(batch, cmp('le', col(0), num(null)))).toEqual([]);
    expect(ranges(batch, cmp('ne', col(0), num(5n)))).toBeNull();
  });

  it('ANDs the conjuncts it can judge and ignores the rest; an OR needs every branch judged on one column', () => {
    const like: BoundExpr = { kind: 'like', expr: col(1, Types.varchar), pattern: { kind: 'literal', value: 'x%', type: Types.varchar }, caseInsensitive: false, negated: false, type: B };
    expect(ranges(batch, and(like, cmp('lt', col(0), num(10n))))).toEqual([0, Z]);
    expect(ranges(batch, and(cmp('ge', col(0), num(BigInt(Z))), cmp('lt', col(0), num(BigInt(2 * Z)))))).toEqual([Z, 2 * Z]);
    expect(ranges(batch, or(cmp('lt', col(0), num(10n)), cmp('eq', col(0), num(BigInt(4 * Z)))))).toEqual([0, Z, 4 * Z, rows]);
    expect(ranges(batch, or(cmp('lt', col(0), num(10n)), like))).toBeNull();
    expect(ranges(batch, like)).toBeNull();
  });

  it('skips zones of NULLs and leaves NULL slots out of the bounds', () => {
    const values = new Float64Array(2 * Z).fill(7);
    const nulls = new Uint8Array(2 * Z);
    nulls.fill(1, Z);
    values[3] = 1000;
    nulls[3] = 1;
    const v: Vector = { kind: 'f64', length: 2 * Z, values, nulls };
    const b: Batch = { length: 2 * Z, columns: [v] };
    expect(ranges(b, cmp('ge', col(0), num(0n)))).toEqual([0, Z]);
    expect(ranges(b, cmp('gt', col(0), num(7n)))).toEqual([]);
  });

  it('rescales NUMBER literals to the column scale and judges no finer literal', () => {
    // NUMBER(10,2) values 0.00, 0.01, ... held as scaled integers.
    const b: Batch = { length: rows, columns: [{ ...k }] };
    expect(ranges(b, cmp('eq', col(0, N2), num(41n)))).toEqual([Z, 2 * Z]);
    expect(ranges(b, cmp('ge', col(0, N2), num(BigInt(Math.ceil((3 * Z) / 100)))))).toEqual([3 * Z, rows]);
    expect(ranges(b, cmp('eq', col(0, N2), num(5n, Types.number(10, 3))))).toBeNull();
  });

  it('judges DATE columns by day number', () => {
    const days: Vector = { kind: 'i32', length: 2 * Z, values: Int32Array.from({ length: 2 * Z }, (_, i) => 10_000 + i), nulls: null };
    const b: Batch = { length: 2 * Z, columns: [days] };
    const date = (d: number): BoundExpr => ({ kind: 'literal', value: d, type: Types.date });
    expect(ranges(b, cmp('ge', col(0, Types.date), date(10_000 + Z)))).toEqual([Z, 2 * Z]);
    expect(ranges(b, cmp('ge', col(0, Types.date), num(1n)))).toBeNull();
  });

  it('keeps exactly the zones whose range holds a key of a bitmap, however wide the range', () => {
    // Keys Z + 3 and 3Z + 40, from base 0.
    const words = new Int32Array((4 * Z) / 32 + 4);
    for (const key of [Z + 3, 3 * Z + 40]) words[key >>> 5] |= 1 << (key & 31);
    expect(ranges(batch, null, [{ column: 0, bits: { base: 0, words } }])).toEqual([Z, 2 * Z, 3 * Z, 4 * Z]);
    expect(ranges(batch, null, [{ column: 0, bits: { base: 0, words: new Int32Array(0) } }])).toEqual([]);
    // Values 4i: zone 0 spans 0 .. 16,380 and zone 1 16,384 .. 32,764, 512 words each (20,000 lies inside zone 1's).
    const wide: Batch = { length: 2 * Z, columns: [{ kind: 'f64', length: 2 * Z, values: Float64Array.from({ length: 2 * Z }, (_, i) => 4 * i), nulls: null }] };
    const at = (...keys: number[]) => {
      const w = new Int32Array(1024);
      for (const key of keys) w[key >>> 5] |= 1 << (key & 31);
      return [{ column: 0, bits: { base: 0, words: w } }];
    };
    expect(ranges(wide, null, at(0))).toEqual([0, Z]);
    expect(ranges(wide, null, at(20_000))).toEqual([Z, 2 * Z]);
    // A key between the zones' ranges (16,381 .. 16,383) or in the first zone's last word only.
    expect(ranges(wide, null, at(16_382))).toEqual([]);
    expect(ranges(wide, null, at(16_380))).toEqual([0, Z]);
    // Past the bitmap's end nothing matches.
    expect(ranges(wide, null, [{ column: 0, bits: { base: 0, words: Int32Array.of(1) } }])).toEqual([0, Z]);
  });
});

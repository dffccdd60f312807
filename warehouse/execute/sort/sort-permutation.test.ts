import { describe, expect, it } from 'vitest';
import type { Vector } from '../../../storage/types/vector.js';
import { stringRanks, type SortOrder } from './row-comparator.js';
import { sortPermutation, topPermutation } from './sort-permutation.js';
import { prng as rng } from '../../../test/support/prng.js';


type Cell = null | number | bigint | string;

/** One random vector per physical kind, with NULLs and many ties. */
function randomVectors(r: () => number, n: number): Vector[] {
  const nulls = () => Uint8Array.from({ length: n }, () => (r() < 0.15 ? 1 : 0));
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const dict = ['pear', 'Apple', 'apple', '', 'zebra', 'éclair', 'pear'];
  return [
    { kind: 'f64', length: n, values: Float64Array.from({ length: n }, () => Math.floor(r() * 6) - 3), nulls: nulls() },
    { kind: 'f64', length: n, values: Float64Array.from({ length: n }, () => pick([NaN, -Infinity, Infinity, -0.5, 0, 2.25, 1e300])), nulls: nulls() },
    { kind: 'i32', length: n, values: Int32Array.from({ length: n }, () => pick([-1, 0, 18000, 20000])), nulls: nulls() },
    { kind: 'bool', length: n, values: Uint8Array.from({ length: n }, () => (r() < 0.5 ? 1 : 0)), nulls: nulls() },
    { kind: 'str', length: n, codes: Int32Array.from({ length: n }, () => Math.floor(r() * dict.length)), dict, nulls: nulls() },
    { kind: 'dec', length: n, values: Array.from({ length: n }, () => pick([2n ** 70n, -(2n ** 70n), 2n ** 53n + 1n, 2n ** 53n, 0n, -5n])), nulls: nulls() },
  ];
}

function cell(v: Vector, i: number): Cell {
  if (v.nulls !== null && v.nulls[i]) return null;
  return v.kind === 'str' ? v.dict[v.codes[i]] : v.kind === 'ts' ? Number(v.secs[i]) : v.values[i];
}

/** Reference: compare JS values, NaN greatest, NULL per nullsFirst, stable by index. */
function referenceOrder(vs: Vector[], orders: SortOrder[], n: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  return idx.sort((a, b) => {
    for (let k = 0; k < vs.length; k++) {
      const x = cell(vs[k], a);
      const y = cell(vs[k], b);
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === orders[k].nullsFirst ? -1 : 1;
      }
      const xn = typeof x === 'number' && Number.isNaN(x);
      const yn = typeof y === 'number' && Number.isNaN(y);
      let c = xn || yn ? (xn === yn ? 0 : xn ? 1 : -1) : x < y ? -1 : x > y ? 1 : 0;
      if (orders[k].desc) c = -c;
      if (c !== 0) return c;
    }
    return 0;
  });
}

describe('sortPermutation', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`seed ${seed}: matches a stable reference sort on every key kind, ASC/DESC, NULLS FIRST/LAST`, () => {
      const r = rng(seed);
      const n = 200 + Math.floor(r() * 200);
      const vs = randomVectors(r, n);
      for (let trial = 0; trial < 12; trial++) {
        const nk = 1 + Math.floor(r() * 3);
        const cols = Array.from({ length: nk }, () => Math.floor(r() * vs.length));
        const orders = cols.map(() => ({ desc: r() < 0.5, nullsFirst: r() < 0.5 }));
        const keys = cols.map((c) => vs[c]);
        const expected = referenceOrder(keys, orders, n);
        expect(Array.from(sortPermutation(keys, orders, n))).toEqual(expected);
        for (const limit of [0, 1, 7, 40, n]) {
          expect(Array.from(topPermutation(keys, orders, n, limit))).toEqual(expected.slice(0, limit));
        }
      }
    });
  }

  it('places NULLs first or last independently of DESC', () => {
    const v: Vector = { kind: 'f64', length: 4, values: Float64Array.from([2, 0, 1, 0]), nulls: Uint8Array.from([0, 1, 0, 1]) };
    expect(Array.from(sortPermutation([v], [{ desc: false, nullsFirst: false }], 4))).toEqual([2, 0, 1, 3]);
    expect(Array.from(sortPermutation([v], [{ desc: true, nullsFirst: true }], 4))).toEqual([1, 3, 0, 2]);
    expect(Array.from(sortPermutation([v], [{ desc: true, nullsFirst: false }], 4))).toEqual([0, 2, 1, 3]);
  });

  it('keeps equal rows in input order (stable)', () => {
    const v: Vector = { kind: 'i32', length: 6, values: Int32Array.from([1, 0, 1, 0, 1, 0]), nulls: null };
    expect(Array.from(sortPermutation([v], [{ desc: true, nullsFirst: true }], 6))).toEqual([0, 2, 4, 1, 3, 5]);
    expect(Array.from(topPermutation([v], [{ desc: false, nullsFirst: false }], 6, 2))).toEqual([1, 3]);
  });
});

describe('stringRanks', () => {
  it('ranks rows by string value, also when the dictionary is much larger than the batch', () => {
    const dict = Array.from({ length: 1000 }, (_, i) => `s${String(999 - i).padStart(4, '0')}`);
    dict.push('s0500');
    const v: Vector = { kind: 'str', length: 4, codes: Int32Array.from([0, 1000, 999, 499]), dict, nulls: null };
    const ranks = Array.from(stringRanks(v));
    expect(ranks[1]).toBe(ranks[3]);
    expect(ranks[2]).toBeLessThan(ranks[1]);
    expect(ranks[1]).toBeLessThan(ranks[0]);
  });
});

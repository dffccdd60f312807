import { describe, expect, it } from 'vitest';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { Batch, Vector } from '../../../storage/types/vector.js';
import type { SortKey } from '../../fragment/bound-expr.js';
import { resolveFunction } from '../functions/function-registry.js';
import { mergeSorted } from './merge-sorted.js';
import { sortBatch } from './sort-batch.js';
import { topN } from './top-n.js';
import { prng as rng } from '../../../test/support/prng.js';



const N0 = Types.number(38, 0);
// id (row identity), NUMBER that may be wide, VARCHAR, FLOAT
const TYPES: DataType[] = [N0, N0, Types.varchar, Types.float];
const key = (index: number, desc = false, nullsFirst = desc): SortKey => ({ expr: { kind: 'column', index, type: TYPES[index] }, desc, nullsFirst });

let nextId = 0;
/** A random batch; every batch has its own dictionary order; some batches hold NUMBERs as dec. */
function randomBatch(r: () => number, n: number): Batch {
  const words = ['kiwi', 'fig', 'Fig', 'apple', 'pear'].sort(() => r() - 0.5);
  const wide = r() < 0.5;
  const nums = Array.from({ length: n }, () => [2n ** 53n + 1n, 2n ** 53n, 2n ** 53n - 1n, -3n, 0n][Math.floor(r() * 5)]);
  const numNulls = Uint8Array.from({ length: n }, () => (r() < 0.1 ? 1 : 0));
  const num: Vector = wide
    ? { kind: 'dec', length: n, values: nums, nulls: numNulls }
    : { kind: 'f64', length: n, values: Float64Array.from(nums, (b) => (b > 2n ** 53n ? 2 ** 53 : Number(b))), nulls: numNulls };
  return {
    length: n,
    columns: [
      { kind: 'f64', length: n, values: Float64Array.from({ length: n }, () => nextId++), nulls: null },
      num,
      { kind: 'str', length: n, codes: Int32Array.from({ length: n }, () => Math.floor(r() * words.length)), dict: words, nulls: Uint8Array.from({ length: n }, () => (r() < 0.1 ? 1 : 0)) },
      { kind: 'f64', length: n, values: Float64Array.from({ length: n }, () => [NaN, 1.5, -2, 0][Math.floor(r() * 4)]), nulls: null },
    ],
  };
}

/** Rows as comparable tuples [id, num, str, float] (NULL -> null, NUMBER -> bigint). */
function rows(b: Batch): unknown[][] {
  return Array.from({ length: b.length }, (_, i) =>
    b.columns.map((v, c) => {
      if (v.nulls !== null && v.nulls[i]) return null;
      if (v.kind === 'str') return v.dict[v.codes[i]];
      if (v.kind === 'dec') return v.values[i];
      if (v.kind === 'ts') return v.secs[i];
      return c < 2 ? BigInt(v.values[i]) : v.values[i];
    }),
  );
}

/** Reference: stable sort of all rows in input order, by JS values. */
function referenceSort(batches: Batch[], keys: SortKey[]): unknown[][] {
  const all = batches.flatMap(rows);
  return all.sort((a, b) => {
    for (const k of keys) {
      const c = (k.expr as { index: number }).index;
      const x = a[c];
      const y = b[c];
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === k.nullsFirst ? -1 : 1;
      }
      const xn = Number.isNaN(x);
      const yn = Number.isNaN(y);
      let d = xn || yn ? (xn === yn ? 0 : xn ? 1 : -1) : (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
      if (k.desc) d = -d;
      if (d !== 0) return d;
    }
    return 0;
  });
}

const KEY_SETS: SortKey[][] = [[key(1)], [key(2, true)], [key(3), key(1, true, false)], [key(2, false, true), key(3, true), key(1)]];

describe('sortBatch, topN and mergeSorted', () => {
  for (const seed of [7, 8, 9]) {
    it(`seed ${seed}: sortBatch is a stable multi-key sort with exact dec/f64 order`, () => {
      const r = rng(seed);
      const batches = Array.from({ length: 4 }, () => randomBatch(r, 30 + Math.floor(r() * 60)));
      for (const keys of KEY_SETS) {
        expect(rows(sortBatch(batches[0], keys))).toEqual(referenceSort([batches[0]], keys));
      }
    });

    it(`seed ${seed}: topN over several batches equals sort + limit`, () => {
      const r = rng(seed);
      const batches = Array.from({ length: 5 }, () => randomBatch(r, 20 + Math.floor(r() * 80)));
      for (const keys of KEY_SETS) {
        const expected = referenceSort(batches, keys);
        for (const n of [0, 1, 5, 33, 1000]) {
          expect(rows(topN(batches, TYPES, keys, n))).toEqual(expected.slice(0, n));
          // Incremental use, as a worker does: keep the top n, add the next batch.
          let kept: Batch = { length: 0, columns: [] };
          batches.forEach((b, i) => (kept = topN(i === 0 ? [b] : [kept, b], TYPES, keys, n)));
          expect(rows(kept)).toEqual(expected.slice(0, n));
        }
      }
    });

    it(`seed ${seed}: merging sorted partials equals sorting everything`, () => {
      const r = rng(seed);
      const batches = Array.from({ length: 3 }, () => randomBatch(r, 10 + Math.floor(r() * 90)));
      for (const keys of KEY_SETS) {
        const partials = batches.map((b) => sortBatch(b, keys));
        const expected = referenceSort(batches, keys);
        expect(rows(mergeSorted(partials, TYPES, keys, Infinity))).toEqual(expected);
        expect(rows(mergeSorted(partials.map((p) => topN([p], TYPES, keys, 10)), TYPES, keys, 10))).toEqual(expected.slice(0, 10));
      }
    });
  }

  it('orders wide NUMBERs exactly against f64 ones', () => {
    const f: Batch = { length: 2, columns: [{ kind: 'f64', length: 2, values: Float64Array.from([2 ** 53, 1]), nulls: null }] };
    const d: Batch = { length: 2, columns: [{ kind: 'dec', length: 2, values: [2n ** 53n + 1n, 2n ** 53n - 1n], nulls: null }] };
    const k: SortKey[] = [{ expr: { kind: 'column', index: 0, type: N0 }, desc: false, nullsFirst: false }];
    const out = topN([f, d], [N0], k, 4);
    expect(out.columns[0].kind).toBe('dec');
    expect(out.columns[0].kind === 'dec' && out.columns[0].values).toEqual([1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n]);
  });

  it('returns an empty batch of the types for no input', () => {
    const out = mergeSorted([], TYPES, [key(1)], 5);
    expect(out.length).toBe(0);
    expect(out.columns.length).toBe(TYPES.length);
    expect(topN([], TYPES, [key(1)], 5).columns.length).toBe(TYPES.length);
  });
});

describe('sort keys that are expressions', () => {
  it('sorts by LOWER(s) DESC with the default evaluator', () => {
    const V = Types.varchar;
    const lower = resolveFunction('lower', [V]);
    const b: Batch = { length: 4, columns: [{ kind: 'str', length: 4, codes: Int32Array.from([0, 1, 2, 3]), dict: ['b', 'C', 'a', 'B'], nulls: null }] };
    const keys: SortKey[] = [{ expr: { kind: 'call', fn: lower.fn, args: [{ kind: 'column', index: 0, type: V }], type: lower.returnType }, desc: true, nullsFirst: true }];
    const out = sortBatch(b, keys);
    const v = out.columns[0];
    expect(v.kind === 'str' && Array.from(v.codes, (c) => v.dict[c])).toEqual(['C', 'b', 'B', 'a']);
  });
});

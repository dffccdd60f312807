import { describe, expect, it } from 'vitest';
import { DEFERRED_DICT } from '../../cache/column-cache.js';
import { PackedStrings } from '../../cache/packed-strings.js';
import type { Batch, StrVector, Vector } from '../../../storage/types/vector.js';
import { LazyStrings } from './lazy-strings.js';

const dict = Array.from({ length: 1000 }, (_, i) => `customer#${i}`);
const packed = PackedStrings.pack(dict);
const deferred = (codes: number[], nulls: Uint8Array | null = null): StrVector => ({ kind: 'str', length: codes.length, codes: Int32Array.from(codes), dict: DEFERRED_DICT, nulls });
const other: Vector = { kind: 'f64', length: 3, values: Float64Array.from([1, 2, 3]), nulls: null };
const strings = (v: Vector) => (v.kind === 'str' ? Array.from(v.codes, (c, i) => (v.nulls?.[i] ? null : v.dict[c])) : []);

describe('LazyStrings', () => {
  it('gives a batch with few rows only the entries they use, in order of first use, and leaves other columns alone', () => {
    const lazy = new LazyStrings([null, packed]);
    const codes = [907, 3, 907, 41];
    const batch: Batch = { length: 4, columns: [{ ...other, length: 4, values: Float64Array.from([1, 2, 3, 4]) }, deferred(codes)] };
    const out = lazy.resolve(batch, false);
    expect(out.columns[0]).toBe(batch.columns[0]);
    const s = out.columns[1] as StrVector;
    expect(s.dict).toEqual(['customer#907', 'customer#3', 'customer#41']);
    expect(Array.from(s.codes)).toEqual([0, 1, 0, 2]);
    // Not owned: the cache's codes are untouched.
    expect(Array.from((batch.columns[1] as StrVector).codes)).toEqual(codes);
    lazy.release();
  });

  it('renumbers owned codes in place, keeps NULLs, and numbers each batch afresh', () => {
    const lazy = new LazyStrings([packed]);
    const nulls = Uint8Array.from([0, 1, 0]);
    const first = deferred([10, 0, 20], nulls);
    const a = lazy.resolve({ length: 3, columns: [first] }, true).columns[0] as StrVector;
    expect(a.codes).toBe(first.codes);
    expect(strings(a)).toEqual(['customer#10', null, 'customer#20']);
    expect(a.nulls).toBe(nulls);
    const b = lazy.resolve({ length: 2, columns: [deferred([20, 5])] }, true).columns[0] as StrVector;
    expect(b.dict).toEqual(['customer#20', 'customer#5']);
    expect(Array.from(b.codes)).toEqual([0, 1]);
    lazy.release();
  });

  it('gives a batch with many rows the whole dictionary, unpacked once per unit', () => {
    const lazy = new LazyStrings([packed]);
    const rows = Array.from({ length: 300 }, (_, i) => (i * 7) % dict.length);
    const x = lazy.resolve({ length: rows.length, columns: [deferred(rows)] }, false).columns[0] as StrVector;
    const y = lazy.resolve({ length: rows.length, columns: [deferred(rows)] }, false).columns[0] as StrVector;
    expect(x.dict).toEqual(dict);
    expect(y.dict).toBe(x.dict);
    expect(strings(x)).toEqual(rows.map((c) => dict[c]));
    lazy.release();
  });
});

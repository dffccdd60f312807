import { describe, expect, it } from 'vitest';
import { TupleHashSet } from './tuple-hash-set.js';

describe('TupleHashSet', () => {
  it('gives dense ids in insertion order for width 2 and width 3, across growth', () => {
    const n = 5000;
    const a = Int32Array.from({ length: n }, (_, i) => i % 137);
    const b = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 137));
    const c = Int32Array.from({ length: n }, (_, i) => i % 3);
    for (const cols of [[a, b], [a, b, c]]) {
      const set = new TupleHashSet(cols.length);
      const out = new Int32Array(n);
      set.internRows(cols, n, out);
      expect(out.every((id, i) => id === i)).toBe(true);
      const again = new Int32Array(n);
      set.internRows(cols, n, again);
      expect(again).toEqual(out);
      expect(set.size).toBe(n);
      expect(Array.from(set.tuples.subarray(cols.length * 500, cols.length * 501))).toEqual(cols.map((col) => col[500]));
    }
    const pairs = new TupleHashSet(2);
    expect([pairs.intern2(1, 2), pairs.intern2(2, 1), pairs.intern2(1, 2)]).toEqual([0, 1, 0]);
  });
});

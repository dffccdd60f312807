import { describe, expect, it } from 'vitest';
import { FloatHashSet } from './float-hash-set.js';

describe('FloatHashSet', () => {
  it('keeps ids stable through many doublings', () => {
    const set = new FloatHashSet();
    const keys = Array.from({ length: 50_000 }, (_, i) => (i % 2 ? i * 0.5 : -i * 1e9));
    expect(keys.map((k, i) => set.intern(k, i))).toEqual(keys.map((_, i) => i));
    expect(keys.map((k) => set.intern(k, -1))).toEqual(keys.map((_, i) => i));
    expect(set.size).toBe(keys.length);
    expect(set.intern(Infinity, 7)).toBe(7);
    expect(set.intern(Infinity, 8)).toBe(7);
  });
});

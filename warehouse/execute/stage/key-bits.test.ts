import { describe, expect, it } from 'vitest';
import type { Vector } from '../../../storage/types/vector.js';
import type { KeyBits } from '../../fragment/stage-plan.js';
import { andKeyBits, countKeyBits, KeyBitsBuilder, matchKeyBits, RUNTIME_FILTER_BITS_SPAN, unionKeyBits, usedSpan } from './key-bits.js';

const f64 = (values: number[], nulls: number[] | null = null): Vector => ({ kind: 'f64', length: values.length, values: Float64Array.from(values), nulls: nulls && Uint8Array.from(nulls) });
const i32 = (values: number[]): Vector => ({ kind: 'i32', length: values.length, values: Int32Array.from(values), nulls: null });

/** The keys a bitmap holds, ascending. */
function keysOf(bits: KeyBits): number[] {
  const out: number[] = [];
  for (let i = 0; i < bits.words.length * 32; i++) if ((bits.words[i >>> 5] >>> (i & 31)) & 1) out.push(bits.base + i);
  return out;
}

describe('key bitmaps of runtime filters', () => {
  it('holds exactly the non-NULL keys of every batch, its base moving down and its end up as batches arrive', () => {
    const b = new KeyBitsBuilder();
    b.add(f64([500, 501, 700], [0, 1, 0]));
    b.add(f64([-40, 3]));
    b.add(i32([100_000, 500]));
    b.add(f64([9], [1]));
    const bits = b.result()!;
    expect(Number.isInteger(bits.base / 32)).toBe(true);
    expect(keysOf(bits)).toEqual([-40, 3, 500, 700, 100_000]);
  });

  it('keeps every key over many random batches', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let t = 0; t < 200; t++) {
      const b = new KeyBitsBuilder();
      const all = new Set<number>();
      for (let k = 0; k < 5; k++) {
        const lo = Math.floor(rand() * 300_000) - 1000;
        const values = Array.from({ length: 1 + Math.floor(rand() * 40) }, () => lo + Math.floor(rand() * 50_000));
        for (const v of values) all.add(v);
        b.add(f64(values));
      }
      expect(keysOf(b.result()!)).toEqual([...all].sort((x, y) => x - y));
    }
  });

  it('answers an empty bitmap without keys, and none past the span, for a fraction or a wide NUMBER vector', () => {
    const empty = new KeyBitsBuilder();
    empty.add(f64([1], [1]));
    expect(empty.result()).toEqual({ base: 0, words: new Int32Array(0) });
    const wide = new KeyBitsBuilder();
    wide.add(f64([0]));
    wide.add(f64([RUNTIME_FILTER_BITS_SPAN]));
    expect(wide.result()).toBeNull();
    const justFits = new KeyBitsBuilder();
    justFits.add(f64([0, RUNTIME_FILTER_BITS_SPAN - 1]));
    expect(keysOf(justFits.result()!)).toEqual([0, RUNTIME_FILTER_BITS_SPAN - 1]);
    const fraction = new KeyBitsBuilder();
    fraction.add(f64([1, 2.5]));
    expect(fraction.result()).toBeNull();
    const dec = new KeyBitsBuilder();
    dec.add({ kind: 'dec', length: 1, values: [10n ** 30n], nulls: null });
    dec.add(f64([1]));
    expect(dec.result()).toBeNull();
  });

  it('unions, intersects, counts and measures bitmaps of different bases', () => {
    const a: KeyBits = { base: 0, words: Int32Array.from([0b1010, 1 << 31]) };
    const b: KeyBits = { base: 32, words: Int32Array.from([1 << 31, 0b1]) };
    expect(keysOf(unionKeyBits([a, b], 1000)!)).toEqual([1, 3, 63, 64]);
    // Over the used words only; too wide for maxSpan: null; no keys: empty.
    const far: KeyBits = { base: 320, words: Int32Array.from([0, 0, 1 << 5, 0]) };
    expect(unionKeyBits([a, far, { base: 0, words: new Int32Array(4) }], 416)).toEqual({ base: 0, words: Int32Array.from([0b1010, 1 << 31, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 << 5]) });
    expect(unionKeyBits([a, far], 415)).toBeNull();
    expect(unionKeyBits([{ base: 64, words: Int32Array.from([0, 2]) }], 32)).toEqual({ base: 96, words: Int32Array.from([2]) });
    expect(unionKeyBits([{ base: 0, words: new Int32Array(2) }], 32)).toEqual({ base: 0, words: new Int32Array(0) });
    expect(keysOf(andKeyBits(a, b))).toEqual([63]);
    expect(keysOf(andKeyBits(a, { base: 640, words: Int32Array.from([1]) }))).toEqual([]);
    expect(countKeyBits(a)).toBe(3);
    expect(countKeyBits({ base: 0, words: Int32Array.from([-1, -1]) })).toBe(64);
    expect(usedSpan({ base: 0, words: Int32Array.from([0, 1, 0, 4, 0]) })).toBe(96);
    expect(usedSpan({ base: 0, words: new Int32Array(3) })).toBe(0);
  });

  it('clears the rows whose value is NULL or no key, and leaves rows it cannot judge', () => {
    const bits: KeyBits = { base: 32, words: Int32Array.from([0b101]) };
    const out = Uint8Array.from([1, 1, 1, 1, 1, 0, 1, 1]);
    matchKeyBits(f64([32, 33, 34, 34, 31, 32, 1e9, 34.5], [0, 0, 0, 1, 0, 0, 0, 0]), bits, out);
    expect([...out]).toEqual([1, 0, 1, 0, 0, 0, 0, 0]);
    const ints = Uint8Array.from([1, 1]);
    matchKeyBits(i32([34, 35]), bits, ints);
    expect([...ints]).toEqual([1, 0]);
    const dec = Uint8Array.from([1, 1]);
    matchKeyBits({ kind: 'dec', length: 2, values: [1n, 2n], nulls: null }, bits, dec);
    expect([...dec]).toEqual([1, 1]);
  });
});

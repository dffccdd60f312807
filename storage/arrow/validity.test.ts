import { describe, expect, it } from 'vitest';
import { nullsToValidity, packBits, unpackBits, validityToNulls } from './validity.js';

describe('validity bitmaps', () => {
  it('packs and unpacks bits at any length and bit offset', () => {
    for (const n of [0, 1, 7, 8, 9, 64, 100]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 7) % 3 === 0 ? 1 : 0);
      const bits = packBits(bytes, n, false);
      expect(bits.length % 8).toBe(0);
      expect([...unpackBits(bits, 0, n, false)]).toEqual([...bytes]);
      expect([...unpackBits(bits, 0, n, true)]).toEqual([...bytes].map((b) => 1 - b));
      if (n > 5) expect([...unpackBits(bits, 3, n - 3, false)]).toEqual([...bytes.subarray(3)]);
    }
  });

  it('maps NULL masks (1 = NULL) to validity (1 = valid) and back, and no NULLs to no bitmap', () => {
    const nulls = new Uint8Array([0, 1, 0, 0, 1, 0, 0, 0, 0, 1]);
    const { bitmap, nullCount } = nullsToValidity(nulls, 10);
    expect(nullCount).toBe(3);
    expect(bitmap![0]).toBe(0b11101101);
    expect(bitmap![1]).toBe(0b01);
    expect([...validityToNulls(bitmap, 0, 10, 3)!]).toEqual([...nulls]);
    expect(nullsToValidity(new Uint8Array(5), 5)).toEqual({ bitmap: undefined, nullCount: 0 });
    expect(nullsToValidity(null, 5)).toEqual({ bitmap: undefined, nullCount: 0 });
    expect(validityToNulls(bitmap, 0, 10, 0)).toBeNull();
  });
});

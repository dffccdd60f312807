import { describe, expect, it } from 'vitest';
import { batchBytes, vectorBytes } from './vector-bytes.js';
import type { Vector } from './vector.js';

describe('vectorBytes', () => {
  it('counts a dictionary by its characters, the same on every call, and again after it grows', () => {
    const dict = ['ab', 'cde'];
    const v: Vector = { kind: 'str', length: 3, codes: Int32Array.from([0, 1, 1]), dict, nulls: null };
    const expected = 12 + 5 * 2 + 2 * 16;
    expect(vectorBytes(v)).toBe(expected);
    expect(vectorBytes(v)).toBe(expected);
    dict.push('fghi');
    expect(vectorBytes(v)).toBe(12 + 9 * 2 + 3 * 16);
  });

  it('counts a dictionary shared by two columns once when given seenDicts', () => {
    const dict = ['xyz'];
    const a: Vector = { kind: 'str', length: 1, codes: Int32Array.from([0]), dict, nulls: null };
    const b: Vector = { kind: 'str', length: 1, codes: Int32Array.from([0]), dict, nulls: new Uint8Array(1) };
    expect(batchBytes({ length: 1, columns: [a, b] })).toBe(4 + 6 + 16 + 4 + 1);
  });
});

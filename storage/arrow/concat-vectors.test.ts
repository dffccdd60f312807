import { describe, expect, it } from 'vitest';
import type { Vector } from '../types/vector.js';
import { concatVectors } from './concat-vectors.js';

describe('concatVectors', () => {
  it('concatenates values and NULL masks', () => {
    const a: Vector = { kind: 'i32', length: 2, values: new Int32Array([1, 2]), nulls: null };
    const b: Vector = { kind: 'i32', length: 2, values: new Int32Array([3, 4]), nulls: new Uint8Array([1, 0]) };
    expect(concatVectors([a, b])).toEqual({ kind: 'i32', length: 4, values: new Int32Array([1, 2, 3, 4]), nulls: new Uint8Array([0, 0, 1, 0]) });
  });

  it('mixes f64 and dec NUMBER parts into dec', () => {
    const a: Vector = { kind: 'f64', length: 1, values: new Float64Array([5]), nulls: null };
    const b: Vector = { kind: 'dec', length: 1, values: [10n ** 30n], nulls: null };
    expect(concatVectors([a, b])).toEqual({ kind: 'dec', length: 2, values: [5n, 10n ** 30n], nulls: null });
  });

  it('keeps a shared dict, else appends dicts and shifts codes', () => {
    const dict = ['x', 'y'];
    const a: Vector = { kind: 'str', length: 1, codes: new Int32Array([1]), dict, nulls: null };
    const b: Vector = { kind: 'str', length: 1, codes: new Int32Array([0]), dict, nulls: null };
    const same = concatVectors([a, b]);
    expect(same.kind === 'str' && same.dict).toBe(dict);
    const c: Vector = { kind: 'str', length: 2, codes: new Int32Array([0, 1]), dict: ['p', 'q'], nulls: null };
    const mixed = concatVectors([a, c]);
    expect(mixed.kind === 'str' && [...mixed.codes].map((k) => mixed.dict[k])).toEqual(['y', 'p', 'q']);
  });

  it('rejects parts of different kinds', () => {
    const a: Vector = { kind: 'i32', length: 0, values: new Int32Array(0), nulls: null };
    const b: Vector = { kind: 'bool', length: 0, values: new Uint8Array(0), nulls: null };
    expect(() => concatVectors([a, b])).toThrow();
  });
});

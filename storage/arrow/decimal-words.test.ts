import { describe, expect, it } from 'vitest';
import { decimal128ToBigInts, decToDecimal128, f64ToDecimal128, wordsToScaled } from './decimal-words.js';
import { DataError } from '../errors/firn-error.js';

const asBig = (words: Uint32Array, i: number) =>
  BigInt.asIntN(128, [0, 1, 2, 3].reduce((acc, k) => acc | (BigInt(words[i * 4 + k]) << BigInt(32 * k)), 0n));

describe('decimal words', () => {
  it('writes f64 scaled integers as 128-bit two\'s complement', () => {
    const values = new Float64Array([0, 1, -1, 2 ** 53, -(2 ** 53), 4294967296, -4294967296, -4294967297, 123456789012]);
    const words = f64ToDecimal128(values, null, values.length);
    values.forEach((v, i) => expect(asBig(words, i)).toBe(BigInt(v)));
  });

  it('writes bigints and rejects values beyond 128 bits', () => {
    const values = [2n ** 126n, -(2n ** 127n), -5n, 0n];
    const words = decToDecimal128(values, null, 4);
    values.forEach((v, i) => expect(asBig(words, i)).toBe(v));
    expect(() => decToDecimal128([2n ** 127n], null, 1)).toThrow(DataError);
  });

  it('reads f64 when every value fits 2^53, else dec, at every width', () => {
    const small = [5n, -(2n ** 53n), 2n ** 53n, -1n];
    const w = decToDecimal128(small, null, 4);
    const v = wordsToScaled(w, 4, 4, true, null);
    expect(v.kind).toBe('f64');
    expect(v.kind === 'f64' && [...v.values]).toEqual(small.map(Number));
    const wide = [5n, 2n ** 53n + 1n];
    const v2 = wordsToScaled(decToDecimal128(wide, null, 2), 2, 4, true, null);
    expect(v2.kind === 'dec' && v2.values).toEqual(wide);
    const i64 = new BigInt64Array([-(2n ** 62n), 7n]);
    const v3 = wordsToScaled(new Uint32Array(i64.buffer), 2, 2, true, null);
    expect(v3.kind === 'dec' && v3.values).toEqual([-(2n ** 62n), 7n]);
    const u64 = new BigUint64Array([2n ** 64n - 1n]);
    const v4 = wordsToScaled(new Uint32Array(u64.buffer), 1, 2, false, null);
    expect(v4.kind === 'dec' && v4.values).toEqual([2n ** 64n - 1n]);
    const v5 = wordsToScaled(new Uint32Array([0xffffffff]), 1, 1, true, null);
    expect(v5.kind === 'f64' && v5.values[0]).toBe(-1);
  });

  it('ignores the values under NULL, and keeps dec as dec when asked', () => {
    const w = decToDecimal128([3n, 0n], null, 2);
    w.fill(0xffffffff, 4, 7);
    w[7] = 0x7fffffff; // a huge value under the NULL
    const v = wordsToScaled(w, 2, 4, true, new Uint8Array([0, 1]));
    expect(v.kind === 'f64' && v.values[0]).toBe(3);
    expect(decimal128ToBigInts(w, 2, new Uint8Array([0, 1]))).toEqual([3n, 0n]);
  });
});

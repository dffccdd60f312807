/**
 * The known-UTF-8 side table (utf8-strings.ts rememberUtf8 / knownUtf8) across the COPY path:
 * strings decoded from a source keep their bytes, concatenation keeps them, and writing them
 * as plain Utf8 copies those bytes, giving exactly what encoding the strings would give.
 */
import { describe, expect, it } from 'vitest';
import { Utf8 } from 'apache-arrow';
import type { StrVector } from '../types/vector.js';
import { concatVectors } from './concat-vectors.js';
import { dictionaryFromUtf8, encodeUtf8Strings, knownUtf8 } from './utf8-strings.js';
import { strToUtf8Data } from './vector-arrow.js';

/** A mostly distinct column of `n` strings (some non-ASCII), decoded as COPY decodes it. */
function decoded(n: number, tag: string, keepUtf8: boolean): StrVector {
  const strings = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? `${tag}é${i}😀` : `${tag}-${i}`));
  const { offsets, bytes } = encodeUtf8Strings(strings);
  // Source bytes inside a larger buffer, as a column's bytes sit in a decoded row group.
  const buffer = new Uint8Array(bytes.length + 10);
  buffer.set(bytes, 5);
  const shifted = offsets.map((o) => o + 5);
  const { codes, dict } = dictionaryFromUtf8(buffer, shifted, n, null, 'c', keepUtf8);
  return { kind: 'str', length: n, codes, dict, nulls: null };
}

/** Rows of plain Utf8 data as strings (NULL as null). */
function rowsOf(vec: StrVector): (string | null)[] {
  const data = strToUtf8Data(vec, undefined, 0);
  expect(data.type).toBeInstanceOf(Utf8);
  const text = new TextDecoder();
  return Array.from({ length: vec.length }, (_, i) => (vec.nulls?.[i] ? null : text.decode(data.values.subarray(data.valueOffsets[i], data.valueOffsets[i + 1]))));
}

describe('known UTF-8 of decoded strings', () => {
  it('is kept only when asked, for mostly distinct columns, and matches the strings', () => {
    const kept = decoded(200, 'a', true);
    expect(knownUtf8(decoded(200, 'a', false).dict)).toBeUndefined();
    const enc = knownUtf8(kept.dict)!;
    const text = new TextDecoder();
    kept.dict.forEach((s, i) => expect(text.decode(enc.bytes.subarray(enc.offsets[i], enc.offsets[i + 1]))).toBe(s));
  });

  it('survives concatenation and gives the same rows as encoding, NULLs and slices included', () => {
    const a = decoded(150, 'a', true);
    const b = decoded(100, 'b', true);
    const both = concatVectors([a, b]) as StrVector;
    expect(knownUtf8(both.dict)).toBeDefined();
    const expected = [...a.dict, ...b.dict];
    expect(rowsOf(both)).toEqual(expected);
    const nulls = Uint8Array.from({ length: 250 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const holey: StrVector = { ...both, nulls };
    expect(rowsOf(holey)).toEqual(expected.map((s, i) => (i % 3 === 0 ? null : s)));
    // A slice (codes 120..219) of the same dict: one copy of its byte range.
    const slice: StrVector = { ...both, length: 100, codes: both.codes.subarray(120, 220), nulls: null };
    expect(rowsOf(slice)).toEqual(expected.slice(120, 220));
    // Codes out of order, or consecutive but for one row, are gathered row by row.
    const reversed: StrVector = { ...both, codes: both.codes.slice().reverse() };
    expect(rowsOf(reversed)).toEqual([...expected].reverse());
    const almost = both.codes.slice(0, 50);
    almost[49] = 7;
    expect(rowsOf({ ...both, length: 50, codes: almost })).toEqual([...expected.slice(0, 49), expected[7]]);
    // Without a known form on one part, the result has none (and still encodes right).
    const mixed = concatVectors([a, decoded(100, 'c', false)]) as StrVector;
    expect(knownUtf8(mixed.dict)).toBeUndefined();
    expect(rowsOf(mixed)).toEqual(mixed.dict);
  });
});

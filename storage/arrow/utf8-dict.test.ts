/**
 * Dicts held as UTF-8 (utf8-dict.ts) along COPY's path: a mostly distinct plain Utf8 column
 * read for COPY stays bytes, reading `dict` gives exactly the strings decoding gives,
 * concatenation keeps the bytes (only the entries the rows use), writing them as plain Utf8
 * copies those bytes, and a VARCHAR(n) check counts characters, not bytes. compareUtf8 orders
 * bytes exactly as JS orders strings.
 */
import { describe, expect, it } from 'vitest';
import { makeData, Utf8 } from 'apache-arrow';
import { DataError, LoadError } from '../errors/firn-error.js';
import type { DataType } from '../types/data-type.js';
import type { StrVector } from '../types/vector.js';
import { concatVectors } from './concat-vectors.js';
import { strDictSize, utf8DictOf, utf8DictVector } from './utf8-dict.js';
import { compareUtf8, encodeUtf8Strings } from './utf8-strings.js';
import { nullsToValidity } from './validity.js';
import { arrowToVector, strToUtf8Data } from './vector-arrow.js';

const VARCHAR: DataType = { kind: 'VARCHAR' };

/** Row i of a mostly distinct column: multi-byte, empty, long and astral values among plain ones. */
function value(tag: string, i: number): string {
  if (i % 7 === 0) return `${tag}é${i}😀`;
  if (i % 11 === 0) return '';
  if (i % 13 === 0) return `${tag}${'日本'.repeat(400)}${i}`;
  if (i % 17 === 0) return `\uFEFF${tag}\uE000${i}`;
  return `${tag}-${i}`;
}

/** Plain Utf8 Arrow data of `values` (null = NULL), its bytes inside a larger buffer as a decoded row group's are. */
function utf8Data(values: (string | null)[]) {
  const { offsets, bytes } = encodeUtf8Strings(values.map((v) => v ?? ''));
  const buffer = new Uint8Array(bytes.length + 10);
  buffer.set(bytes, 5);
  const nulls = values.some((v) => v === null) ? Uint8Array.from(values, (v) => (v === null ? 1 : 0)) : null;
  const { bitmap, nullCount } = nullsToValidity(nulls, values.length);
  return makeData({ type: new Utf8(), length: values.length, nullCount, nullBitmap: bitmap, valueOffsets: offsets.map((o) => o + 5), data: buffer });
}

function read(values: (string | null)[], keepUtf8: boolean, type: DataType = VARCHAR): StrVector {
  return arrowToVector(utf8Data(values), type, 'column C', { keepUtf8 }) as StrVector;
}

/** The vector's rows as strings (NULL as null), read through `dict`. */
function rows(vec: StrVector): (string | null)[] {
  return Array.from({ length: vec.length }, (_, i) => (vec.nulls?.[i] ? null : vec.dict[vec.codes[i]]));
}

/** Rows of the vector written as plain Utf8 data, decoded again. */
function written(vec: StrVector): (string | null)[] {
  const { bitmap, nullCount } = nullsToValidity(vec.nulls, vec.length);
  const data = strToUtf8Data(vec, bitmap, nullCount);
  expect(data.type).toBeInstanceOf(Utf8);
  const text = new TextDecoder('utf-8', { ignoreBOM: true });
  return Array.from({ length: vec.length }, (_, i) => (vec.nulls?.[i] ? null : text.decode(data.values.subarray(data.valueOffsets[i], data.valueOffsets[i + 1]))));
}

describe('dicts held as UTF-8', () => {
  const values = Array.from({ length: 300 }, (_, i) => (i % 5 === 3 ? null : value('a', i)));

  it('are kept only for COPY (keepUtf8) on mostly distinct columns, and read back as the exact strings', () => {
    const kept = read(values, true);
    expect(utf8DictOf(kept)).toBeDefined();
    expect(utf8DictOf(read(values, false))).toBeUndefined();
    // A repeating column is de-duplicated into strings as before.
    expect(utf8DictOf(read(Array.from({ length: 300 }, (_, i) => `r${i % 3}`), true))).toBeUndefined();
    expect(rows(kept)).toEqual(values);
    expect(rows(kept)).toEqual(rows(read(values, false)));
    expect(written(kept)).toEqual(values);
    // A spread copy is an ordinary vector with the same strings.
    const copy: StrVector = { ...kept };
    expect(utf8DictOf(copy)).toBeUndefined();
    expect(rows(copy)).toEqual(values);
  });

  it('reject invalid UTF-8, also a value that starts inside another one\'s character', () => {
    const bad = utf8Data(Array.from({ length: 100 }, (_, i) => `v${i}`));
    bad.values[5 + 3] = 0xff;
    expect(() => arrowToVector(bad, VARCHAR, 'column Q', { keepUtf8: true })).toThrow(LoadError);
    expect(() => arrowToVector(bad, VARCHAR, 'column Q', { keepUtf8: true })).toThrow(/invalid UTF-8 data in column Q/);
    // 'é' (C3 A9) cut in two entries: the whole byte range is valid UTF-8, no entry is.
    const split = utf8Data(Array.from({ length: 100 }, (_, i) => (i === 0 ? 'é' : `v${i}`)));
    const offsets = split.valueOffsets as Int32Array;
    const shifted = makeData({ type: new Utf8(), length: 101, nullCount: 0, valueOffsets: Int32Array.from([offsets[0], offsets[0] + 1, ...offsets.subarray(1)]), data: split.values });
    expect(() => arrowToVector(shifted, VARCHAR, 'column S', { keepUtf8: true })).toThrow(/invalid UTF-8 data in column S/);
  });

  it('count VARCHAR(n) in characters, not bytes, and fail as strings do', () => {
    const fits = Array.from({ length: 100 }, (_, i) => (i === 40 ? 'é😀日ab' : `v${i}`));
    expect(rows(read(fits, true, { kind: 'VARCHAR', length: 5 }))).toEqual(fits);
    const long = fits.map((v, i) => (i === 60 ? 'é😀日abc' : v));
    const failure = (keepUtf8: boolean) => {
      try {
        read(long, keepUtf8, { kind: 'VARCHAR', length: 5 });
      } catch (err) {
        return err;
      }
      return null;
    };
    const held = failure(true);
    expect(held).toBeInstanceOf(DataError);
    expect((held as DataError).code).toBe('100078');
    expect((held as DataError).message).toBe((failure(false) as DataError).message);
    expect((held as DataError).message).toContain('é😀日abc');
  });

  it('concatenate as UTF-8, keeping only the entries the rows use, NULLs and empty parts included', () => {
    const a = read(values, true);
    const other = Array.from({ length: 200 }, (_, i) => (i % 4 === 1 ? null : value('b', i)));
    const b = read(other, true);
    const part = (v: StrVector, from: number, to: number) => utf8DictVector(to - from, v.codes.subarray(from, to), v.nulls?.subarray(from, to) ?? null, utf8DictOf(v)!);
    // The tail of one row group and the head of the next, as a partition cut across them.
    const both = concatVectors([part(a, 250, 300), part(b, 0, 70)]) as StrVector;
    expect(utf8DictOf(both)).toBeDefined();
    expect(strDictSize(both)).toBeLessThanOrEqual(120);
    const expected = [...values.slice(250, 300), ...other.slice(0, 70)];
    expect(rows(both)).toEqual(expected);
    expect(written(both)).toEqual(expected);
    // Parts sharing one dict keep it.
    const same = concatVectors([part(a, 0, 10), part(a, 10, 300)]) as StrVector;
    expect(utf8DictOf(same)).toBe(utf8DictOf(a));
    expect(rows(same)).toEqual(values);
    // An all-NULL part, and an all-NULL result, still index real entries.
    const nulls = utf8DictVector(3, new Int32Array([7, 0, 2]), new Uint8Array([1, 1, 1]), utf8DictOf(b)!);
    expect(rows(concatVectors([nulls, part(a, 0, 5)]) as StrVector)).toEqual([null, null, null, ...values.slice(0, 5)]);
    const none = concatVectors([nulls, utf8DictVector(2, new Int32Array(2), new Uint8Array([1, 1]), utf8DictOf(a)!)]) as StrVector;
    expect(rows(none)).toEqual([null, null, null, null, null]);
    expect(none.dict.length).toBeGreaterThan(0);
    // 'merge' of parts using more entries than twice their rows falls back to strings.
    const sparse = utf8DictVector(2, new Int32Array([0, 299]), null, utf8DictOf(a)!);
    const merged = concatVectors([sparse, part(b, 0, 1)], 'merge') as StrVector;
    expect(utf8DictOf(merged)).toBeUndefined();
    expect(rows(merged)).toEqual([values[0], values[299], other[0]]);
    // With a part held as strings, the result is strings (and still right).
    const mixed = concatVectors([part(a, 0, 100), read(other, false)]) as StrVector;
    expect(utf8DictOf(mixed)).toBeUndefined();
    expect(rows(mixed)).toEqual([...values.slice(0, 100), ...other]);
  });
});

describe('compareUtf8', () => {
  it('orders values exactly as JS orders their strings, BMP private use against astral included', () => {
    const alphabet = ['a', 'b', 'é', 'ÿ', '\u0800', '\uD7FF', '\uE000', '\uFFFD', '\uFFFF', '😀', '\u{10000}', '\u{10FFFF}', ''];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const strings = Array.from({ length: 400 }, () => Array.from({ length: rand(5) }, () => alphabet[rand(alphabet.length)]).join(''));
    const { offsets, bytes } = encodeUtf8Strings(strings);
    for (let i = 0; i < strings.length; i++) {
      for (let j = 0; j < strings.length; j += 7) {
        const got = Math.sign(compareUtf8(bytes, offsets[i], offsets[i + 1], offsets[j], offsets[j + 1]));
        const want = strings[i] < strings[j] ? -1 : strings[i] > strings[j] ? 1 : 0;
        if (got !== want) expect([strings[i], strings[j], got]).toEqual([strings[i], strings[j], want]);
      }
    }
    const pair = encodeUtf8Strings(['\uE000', '😀']);
    expect(compareUtf8(pair.bytes, pair.offsets[0], pair.offsets[1], pair.offsets[1], pair.offsets[2])).toBeGreaterThan(0);
  });
});

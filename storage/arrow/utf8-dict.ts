/**
 * 'str' vectors whose dictionary is held as UTF-8 bytes (offsets + one buffer) and becomes JS
 * strings only if something reads `dict`. COPY moves a mostly distinct column (o_comment,
 * ps_comment, l_comment) from the source Parquet file to the written micro-partition: every
 * step on that path (slice, concatenation, NOT NULL / VARCHAR(n) checks, zone map, plain Utf8
 * writing) works on the bytes, so the millions of strings that decoding would create, and
 * the collector's time to free them, are never spent.
 *
 * Contract:
 *  - utf8DictVector(length, codes, nulls, enc) is an ordinary StrVector: its `dict` is an own,
 *    enumerable accessor that decodes every entry on its first read (then keeps the array),
 *    so any code that reads `dict` (a sort, a spread, a worker message) sees the same strings
 *    it would otherwise. Entry i is enc.bytes[enc.offsets[i], enc.offsets[i + 1]); offsets
 *    need not start at 0, and the entries must already be valid UTF-8 (validUtf8Entries).
 *  - utf8DictOf(vec) is that UTF-8 form, or undefined for a vector built any other way (a
 *    spread or rebuilt vector loses it, and is then a plain StrVector with the same strings).
 *  - strDictSize(vec): the number of dict entries, without decoding them.
 * Vectors are immutable (storage/types/vector.ts): nothing may change codes or enc later.
 */
import type { Nulls, StrVector } from '../types/vector.js';
import { decodeUtf8Strings, type Utf8Strings } from './utf8-strings.js';

const forms = new WeakMap<StrVector, Utf8Strings>();

export function utf8DictVector(length: number, codes: Int32Array, nulls: Nulls, enc: Utf8Strings): StrVector {
  let dict: string[] | null = null;
  const vec = { kind: 'str', length, codes, nulls } as StrVector;
  Object.defineProperty(vec, 'dict', {
    enumerable: true,
    get: () => (dict ??= decodeUtf8Strings(enc.bytes, enc.offsets, 0, enc.offsets.length - 1, 'validated UTF-8')),
  });
  forms.set(vec, enc);
  return vec;
}

export function utf8DictOf(vec: StrVector): Utf8Strings | undefined {
  return forms.get(vec);
}

export function strDictSize(vec: StrVector): number {
  const enc = forms.get(vec);
  return enc === undefined ? vec.dict.length : enc.offsets.length - 1;
}

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

type Held = { enc: Utf8Strings; dict: string[] | null };

const held = new WeakMap<StrVector, Held>();

/**
 * The one getter every such vector shares: one accessor pair lets V8 give them all one hidden
 * class (a closure per vector would give each its own, and every kernel reading them would
 * go megamorphic).
 */
function decodedDict(this: StrVector): string[] {
  const h = held.get(this)!;
  return (h.dict ??= decodeUtf8Strings(h.enc.bytes, h.enc.offsets, 0, h.enc.offsets.length - 1, 'validated UTF-8'));
}

export function utf8DictVector(length: number, codes: Int32Array, nulls: Nulls, enc: Utf8Strings): StrVector {
  const vec = { kind: 'str', length, codes, nulls } as StrVector;
  Object.defineProperty(vec, 'dict', { enumerable: true, get: decodedDict });
  held.set(vec, { enc, dict: null });
  return vec;
}

export function utf8DictOf(vec: StrVector): Utf8Strings | undefined {
  return held.get(vec)?.enc;
}

export function strDictSize(vec: StrVector): number {
  const enc = held.get(vec)?.enc;
  return enc === undefined ? vec.dict.length : enc.offsets.length - 1;
}

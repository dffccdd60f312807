/**
 * JS strings <-> Arrow UTF-8 (offsets + one byte buffer), without a TextEncoder/TextDecoder
 * call per value on the common paths.
 *
 * Contract:
 *  - encodeUtf8Strings(strings) returns Int32 offsets (length n+1, offsets[0] = 0) and the
 *    bytes; lone surrogates encode as U+FFFD, as TextEncoder does.
 *  - decodeUtf8Strings(bytes, offsets, start, count) decodes entries [start, start+count) with
 *    one TextDecoder call over their whole byte range and slices it; invalid UTF-8 throws
 *    LoadError FILE_CORRUPT naming `what`.
 *  - dictionaryFromUtf8(...) turns plain UTF-8 rows into Firn's dictionary form: codes into a
 *    string[] (never empty for a non-empty column) de-duplicated by bytes, or one entry per
 *    row when the column is mostly distinct (mostlyDistinct); rows under NULL get a valid code.
 *  - validUtf8Entries(bytes, offsets, length): whether every entry is valid UTF-8 (one native
 *    check of the whole range, plus no entry starting inside a character).
 *  - compareUtf8(bytes, a, aEnd, b, bEnd) orders two valid UTF-8 values exactly as JS `<`
 *    orders their strings (UTF-16 code units), without decoding them; utf8CodePoints and
 *    utf16Length count a valid value's characters and UTF-16 units.
 */
import { isUtf8 } from 'node:buffer';
import { LoadError } from '../errors/firn-error.js';
import type { Nulls } from '../types/vector.js';

const encoder = new TextEncoder();
const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** A byte-to-char bijection (windows-1252 as WHATWG defines it), for comparing raw values. */
const latin1 = new TextDecoder('latin1');

/** Entry i is bytes[offsets[i], offsets[i + 1]); offsets need not start at 0. */
export type Utf8Strings = { offsets: Int32Array; bytes: Uint8Array };

export function encodeUtf8Strings(strings: readonly string[]): { offsets: Int32Array; bytes: Uint8Array } {
  const n = strings.length;
  const offsets = new Int32Array(n + 1);
  const joined = strings.join('');
  // ASCII fast path: one native encodeInto over the joined text; offsets are the cumulative
  // UTF-16 lengths. Any non-ASCII character needs more than one byte and stops it short.
  const ascii = new Uint8Array(joined.length);
  const { read, written } = encoder.encodeInto(joined, ascii);
  if (read === joined.length && written === joined.length) {
    let pos = 0;
    for (let i = 0; i < n; i++) {
      pos += strings[i].length;
      offsets[i + 1] = pos;
    }
    return { offsets, bytes: ascii };
  }
  // General path: each string separately (a pair split across two strings must stay two U+FFFD).
  let bytes = new Uint8Array(joined.length * 3 + 4);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const s = strings[i];
    if (bytes.length - pos < s.length * 3) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, pos + s.length * 3));
      grown.set(bytes.subarray(0, pos));
      bytes = grown;
    }
    pos += encoder.encodeInto(s, bytes.subarray(pos)).written;
    offsets[i + 1] = pos;
  }
  return { offsets, bytes: bytes.subarray(0, pos) };
}

/** UTF-16 length of the valid UTF-8 in bytes[from, to): one unit per lead byte, two for 4-byte leads. */
export function utf16Length(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i];
    if ((b & 0xc0) !== 0x80) n += b >= 0xf0 ? 2 : 1;
  }
  return n;
}

function decodeWhole(bytes: Uint8Array, from: number, to: number, what: string): string {
  try {
    return fatalDecoder.decode(bytes.subarray(from, to));
  } catch {
    throw new LoadError('FILE_CORRUPT', `invalid UTF-8 data in ${what}`);
  }
}

/** Char offsets (into the decoded text) of entries [start, start+count], relative to entry `start`. */
function charOffsets(bytes: Uint8Array, offsets: Int32Array, start: number, count: number, text: string): Int32Array | null {
  const base = offsets[start];
  if (text.length === offsets[start + count] - base) return null; // ASCII: byte offsets are char offsets
  const out = new Int32Array(count + 1);
  let pos = 0;
  for (let i = 0; i < count; i++) {
    pos += utf16Length(bytes, offsets[start + i], offsets[start + i + 1]);
    out[i + 1] = pos;
  }
  return out;
}

export function decodeUtf8Strings(bytes: Uint8Array, offsets: Int32Array, start: number, count: number, what: string): string[] {
  const base = offsets[start];
  const text = decodeWhole(bytes, base, offsets[start + count], what);
  const chars = charOffsets(bytes, offsets, start, count, text);
  // Chosen once: ASCII slices by byte offsets, otherwise by the computed char offsets.
  const pos = chars ?? offsets.subarray(start);
  const shift = chars === null ? base : 0;
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) out[i] = text.slice(pos[i] - shift, pos[i + 1] - shift);
  return out;
}

/** Rows sampled to decide whether de-duplicating a plain UTF-8 column is worth it. */
const SAMPLE_ROWS = 1024;

/**
 * Plain UTF-8 rows -> { codes, dict }. The values are de-duplicated by their bytes
 * (dedupeUtf8), unless a sample of the first rows is mostly distinct: then every row gets its
 * own entry (codes 0..n-1), which is valid (dicts need not be unique) and spares a million
 * table insertions on a unique column.
 */
export function dictionaryFromUtf8(bytes: Uint8Array, offsets: Int32Array, length: number, nulls: Nulls, what: string): { codes: Int32Array; dict: string[] } {
  if (length === 0) return { codes: new Int32Array(0), dict: [] };
  if (mostlyDistinct(bytes, offsets, length)) {
    const codes = new Int32Array(length);
    for (let i = 0; i < length; i++) codes[i] = i;
    return { codes, dict: decodeUtf8Strings(bytes, offsets, 0, length, what) };
  }
  return dedupeUtf8(bytes, offsets, length, nulls, what);
}

/**
 * A repeating column's rows de-duplicated by their bytes: an open-addressing table over byte
 * ranges (FNV-1a hashes), so only each distinct value becomes a JS string, decoded on its own
 * (every row equals the bytes of a decoded one, so every row is validated). Simple version:
 * for each row, s = decode(row); code = map.get(s) ?? add(s).
 */
function dedupeUtf8(bytes: Uint8Array, offsets: Int32Array, length: number, nulls: Nulls, what: string): { codes: Int32Array; dict: string[] } {
  const codes = new Int32Array(length);
  let slots = new Int32Array(1024);
  let mask = slots.length - 1;
  let hashes = new Int32Array(512);
  let firstRow = new Int32Array(512);
  let size = 0;
  for (let i = 0; i < length; i++) {
    if (nulls !== null && nulls[i] !== 0) continue;
    const a = offsets[i];
    const b = offsets[i + 1];
    // FNV-1a, kept an Int32 (as `hashes` stores it) even for an empty value.
    let h = 0x811c9dc5 | 0;
    for (let k = a; k < b; k++) h = Math.imul(h ^ bytes[k], 0x01000193);
    let s = h & mask;
    let code = -1;
    for (;;) {
      const e = slots[s];
      if (e === 0) break;
      const c = e - 1;
      if (hashes[c] === h) {
        const r = firstRow[c];
        const ra = offsets[r];
        if (offsets[r + 1] - ra === b - a) {
          let k = 0;
          while (k < b - a && bytes[ra + k] === bytes[a + k]) k++;
          if (k === b - a) {
            code = c;
            break;
          }
        }
      }
      s = (s + 1) & mask;
    }
    if (code < 0) {
      code = size++;
      if (code === hashes.length) {
        hashes = grownInt32(hashes);
        firstRow = grownInt32(firstRow);
      }
      hashes[code] = h;
      firstRow[code] = i;
      slots[s] = code + 1;
      if (size * 2 > mask) {
        slots = new Int32Array(slots.length * 2);
        mask = slots.length - 1;
        for (let c = 0; c < size; c++) {
          let t = hashes[c] & mask;
          while (slots[t] !== 0) t = (t + 1) & mask;
          slots[t] = c + 1;
        }
      }
    }
    codes[i] = code;
  }
  const dict = new Array<string>(Math.max(1, size));
  for (let c = 0; c < size; c++) dict[c] = decodeWhole(bytes, offsets[firstRow[c]], offsets[firstRow[c] + 1], what);
  // Every code, NULL rows' included, indexes a real entry.
  if (size === 0) dict[0] = '';
  return { codes, dict };
}

function grownInt32(a: Int32Array): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(a.length * 2);
  grown.set(a);
  return grown;
}

/** True when more than half of the first SAMPLE_ROWS rows are distinct (compared as bytes). */
export function mostlyDistinct(bytes: Uint8Array, offsets: Int32Array, length: number): boolean {
  const n = Math.min(length, SAMPLE_ROWS);
  if (n < 64) return false;
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) seen.add(latin1.decode(bytes.subarray(offsets[i], offsets[i + 1])));
  return seen.size * 2 > n;
}

/** LargeUtf8 offsets as Int32: JS buffers never exceed 2^31 bytes here, so the low word is the value. */
export function int64OffsetsToInt32(a: BigInt64Array): Int32Array {
  const words = new Int32Array(a.buffer, a.byteOffset, a.length * 2);
  const out = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = words[i * 2];
  return out;
}

/** Whether entries [0, length) are each valid UTF-8: the whole range is, and no entry starts on a continuation byte. */
export function validUtf8Entries(bytes: Uint8Array, offsets: Int32Array, length: number): boolean {
  const end = offsets[length];
  if (!isUtf8(bytes.subarray(offsets[0], end))) return false;
  for (let i = 1; i < length; i++) {
    const at = offsets[i];
    if (at < end && (bytes[at] & 0xc0) === 0x80) return false;
  }
  return true;
}

/**
 * Sign of (value a) - (value b) in JS string order, for valid UTF-8 bytes[a, aEnd) and
 * bytes[b, bEnd). Bytes order as code points; UTF-16 units differ from that only between a
 * character of U+E000..U+FFFF (lead byte 0xEE or 0xEF) and one past U+FFFF (lead 0xF0..0xF4,
 * a surrogate pair, whose units 0xD800.. sort first). Both values share every byte before the
 * first that differs, so those two bytes are both lead bytes or both continuation bytes of
 * one character. Simple version: decode both, compare with `<`.
 */
export function compareUtf8(bytes: Uint8Array, a: number, aEnd: number, b: number, bEnd: number): number {
  const n = Math.min(aEnd - a, bEnd - b);
  for (let k = 0; k < n; k++) {
    const x = bytes[a + k];
    const y = bytes[b + k];
    if (x === y) continue;
    const swapped = (x >= 0xf0 && y >= 0xee && y < 0xf0) || (y >= 0xf0 && x >= 0xee && x < 0xf0);
    return x < y !== swapped ? -1 : 1;
  }
  return aEnd - a - (bEnd - b);
}

/** Characters (code points) of the valid UTF-8 in bytes[from, to): its bytes that are not continuation bytes. */
export function utf8CodePoints(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if ((bytes[i] & 0xc0) !== 0x80) n++;
  return n;
}

/**
 * Builds the dictionary of a 'str' vector straight from field bytes, so a value repeated a
 * million times (l_shipmode, l_returnflag) is decoded into a JS string once, not a million
 * times.
 *
 * Contract: intern(s, e) returns the code of the string held by source bytes [s, e) (UTF-8),
 * or -1 when they are not valid UTF-8 (the caller rejects the record); append(str) adds a
 * string without looking for an equal one. Equal strings usually share a code, but not
 * always: a 'str' dictionary need not be unique (storage/types/vector.ts), and this builder
 * stops deduplicating a column whose values turn out to be mostly distinct (l_comment),
 * where hashing would only cost time. The hash table is typed arrays (FNV-1a over the bytes,
 * linear probing); entries point back at the first occurrence in the source, which stays
 * alive while the file is read.
 */
import { isUtf8 } from 'node:buffer';

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
/** Look at the distinct ratio every this many interned values. */
const CHECK_EVERY = 1 << 15;
/** Give up deduplicating when more than this fraction of values were new. */
const MAX_DISTINCT_RATIO = 0.5;
/** Never let the hash table index more strings than this. */
const MAX_INDEXED = 1 << 22;

export class StringDictionary {
  readonly dict: string[] = [];
  private readonly bytes: Uint8Array;
  private readonly buf: Buffer;
  private dedupe = true;
  private interned = 0;
  private table = new Int32Array(1024);
  private hashes = new Int32Array(256);
  private refStart = new Uint32Array(256);
  private refEnd = new Uint32Array(256);
  private indexed = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Decodes bytes [s, e) as UTF-8 (latin1 decoder when they are all ASCII); null if not valid UTF-8. */
  decode(s: number, e: number): string | null {
    const bytes = this.bytes;
    let hi = 0;
    for (let i = s; i < e; i++) hi |= bytes[i];
    return this.text(hi, s, e);
  }

  private text(hi: number, s: number, e: number): string | null {
    if (hi < 0x80) return this.buf.toString('latin1', s, e);
    if (!isUtf8(this.bytes.subarray(s, e))) return null;
    return this.buf.toString('utf8', s, e);
  }

  append(str: string): number {
    this.dict.push(str);
    return this.dict.length - 1;
  }

  /** The code of the string in bytes [s, e), or -1 when they are not valid UTF-8. */
  intern(s: number, e: number): number {
    if (++this.interned % CHECK_EVERY === 0) this.reconsider();
    if (!this.dedupe) {
      const str = this.decode(s, e);
      return str === null ? -1 : this.append(str);
    }
    const bytes = this.bytes;
    // FNV-1a of the bytes, and whether they are all ASCII, in one pass (simple version:
    // decode the string, then Map<string, number> lookup).
    let h = FNV_OFFSET;
    let hi = 0;
    for (let i = s; i < e; i++) {
      const b = bytes[i];
      hi |= b;
      h = Math.imul(h ^ b, FNV_PRIME);
    }
    const table = this.table;
    const mask = table.length - 1;
    let slot = h & mask;
    for (;;) {
      const entry = table[slot];
      if (entry === 0) break;
      const code = entry - 1;
      if (this.hashes[code] === h && this.sameBytes(code, s, e)) return code;
      slot = (slot + 1) & mask;
    }
    const str = this.text(hi, s, e);
    if (str === null) return -1;
    const code = this.append(str);
    this.index(code, slot, h, s, e);
    return code;
  }

  /** Stops deduplicating (and frees the table) once most values have proved distinct. */
  private reconsider(): void {
    if (this.indexed > this.interned * MAX_DISTINCT_RATIO || this.indexed >= MAX_INDEXED) {
      this.dedupe = false;
      this.table = new Int32Array(0);
      this.hashes = new Int32Array(0);
      this.refStart = new Uint32Array(0);
      this.refEnd = new Uint32Array(0);
    }
  }

  private sameBytes(code: number, s: number, e: number): boolean {
    const rs = this.refStart[code];
    if (this.refEnd[code] - rs !== e - s) return false;
    const bytes = this.bytes;
    for (let i = s, j = rs; i < e; i++, j++) if (bytes[i] !== bytes[j]) return false;
    return true;
  }

  private index(code: number, slot: number, h: number, s: number, e: number): void {
    if (code >= this.hashes.length) {
      const cap = this.hashes.length * 2;
      this.hashes = grow(this.hashes, new Int32Array(cap));
      this.refStart = grow(this.refStart, new Uint32Array(cap));
      this.refEnd = grow(this.refEnd, new Uint32Array(cap));
    }
    this.hashes[code] = h;
    this.refStart[code] = s;
    this.refEnd[code] = e;
    this.table[slot] = code + 1;
    this.indexed++;
    if (this.indexed * 2 > this.table.length) this.rehash();
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    const old = this.table;
    for (let k = 0; k < old.length; k++) {
      const entry = old[k];
      if (entry === 0) continue;
      let slot = this.hashes[entry - 1] & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = entry;
    }
    this.table = table;
  }
}

function grow<T extends Int32Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

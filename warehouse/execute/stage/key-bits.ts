/**
 * Key bitmaps: the distinct values of an integral runtime-filter key (NUMBER, whose vectors
 * hold scaled integers, and DATE) as one bit per value of a range. A build side with more keys
 * than an IN list may hold (RUNTIME_FILTER_KEY_SET_LIMIT) still filters its probe scan row by
 * row this way, for a subtraction and a bit test per row: TPC-H Q9's 10,664 green part keys
 * over a range of 200,000 drop 95% of lineitem (and, transitively, of partsupp) before any
 * join sees those rows.
 *
 * Contract: bit i of `words` is set when `base + i` is a key; `base` is a multiple of 32, so
 * two bitmaps line up word by word. A builder gives up (null) once its keys span more than
 * RUNTIME_FILTER_BITS_SPAN values or a vector holds a value it cannot place (a 'dec' vector,
 * a fraction), and answers an empty bitmap when it saw no non-NULL key.
 */
import type { DataType } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import type { KeyBits } from '../../fragment/stage-plan.js';

/** Widest range of key values a bitmap covers: 2^22 values, 512 KiB. */
export const RUNTIME_FILTER_BITS_SPAN = 1 << 22;

/** Whether a key of this type has bitmaps (its vectors hold integers: see vector.ts). */
export function hasKeyBits(type: DataType): boolean {
  return type.kind === 'NUMBER' || type.kind === 'DATE';
}

export class KeyBitsBuilder {
  private base = 0;
  /** The largest key seen (the bitmap may reach past it). */
  private top = -Infinity;
  private words: Int32Array | null = new Int32Array(0);

  add(v: Vector): void {
    if (this.words === null) return;
    if (v.kind !== 'f64' && v.kind !== 'i32') {
      this.words = null;
      return;
    }
    const x = v.values;
    const nulls = v.nulls;
    const n = v.length;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      if (nulls !== null && nulls[i]) continue;
      const xi = x[i];
      if (xi < lo) lo = xi;
      if (xi > hi) hi = xi;
    }
    if (lo > hi) return;
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || !this.cover(lo, hi)) {
      this.words = null;
      return;
    }
    const words = this.words!;
    const base = this.base;
    let fractions = 0;
    // Simple version: for each non-NULL x[i]: set bit (x[i] - base); a fraction marks the builder useless.
    for (let i = 0; i < n; i++) {
      if (nulls !== null && nulls[i]) continue;
      const d = x[i] - base;
      fractions |= d % 1 === 0 ? 0 : 1;
      words[d >>> 5] |= 1 << (d & 31);
    }
    if (fractions) this.words = null;
  }

  /** The bitmap, or null when the keys do not fit one. */
  result(): KeyBits | null {
    return this.words === null ? null : { base: this.base, words: this.words };
  }

  /** Grows the bitmap to cover [lo, hi]; false when that spans more than RUNTIME_FILTER_BITS_SPAN values. */
  private cover(lo: number, hi: number): boolean {
    const old = this.words!;
    const empty = old.length === 0;
    const base = empty ? floor32(lo) : Math.min(this.base, floor32(lo));
    const top = Math.max(this.top, hi);
    if (top - base + 1 > RUNTIME_FILTER_BITS_SPAN) return false;
    this.top = top;
    if (!empty && base === this.base && top < this.base + old.length * 32) return true;
    // Headroom upward (keys often arrive ascending), within the span limit.
    const wanted = Math.ceil((top - base + 1) / 32);
    const words = new Int32Array(Math.min(Math.max(wanted, old.length * 2), RUNTIME_FILTER_BITS_SPAN / 32));
    if (!empty) {
      const at = (this.base - base) / 32;
      // The old words past `top` are headroom (all zero): the new array may leave them out.
      words.set(old.subarray(0, Math.min(old.length, words.length - at)), at);
    }
    this.base = base;
    this.words = words;
    return true;
  }
}

function floor32(x: number): number {
  return Math.floor(x / 32) * 32;
}

/**
 * The union of bitmaps over the words where any holds a key (an empty bitmap when none does),
 * or null when those words span more than `maxSpan` values: one allocation, and none for a
 * union too wide to keep.
 */
export function unionKeyBits(bitmaps: readonly KeyBits[], maxSpan: number): KeyBits | null {
  let base = Infinity;
  let end = -Infinity;
  for (const b of bitmaps) {
    const [first, last] = usedWords(b);
    if (first > last) continue;
    base = Math.min(base, b.base + first * 32);
    end = Math.max(end, b.base + (last + 1) * 32);
  }
  if (base === Infinity) return { base: 0, words: new Int32Array(0) };
  if (end - base > maxSpan) return null;
  const words = new Int32Array((end - base) / 32);
  for (const b of bitmaps) {
    // Word i of b is word at + i of the union; only b's words inside the union can hold keys.
    const at = (b.base - base) / 32;
    const from = Math.max(0, -at);
    const to = Math.min(b.words.length, words.length - at);
    for (let i = from; i < to; i++) words[at + i] |= b.words[i];
  }
  return { base, words };
}

/** The first and last word of a bitmap that hold a key (first > last when none does). */
function usedWords(bits: KeyBits): [number, number] {
  let first = 0;
  let last = bits.words.length - 1;
  while (first <= last && bits.words[first] === 0) first++;
  while (last >= first && bits.words[last] === 0) last--;
  return [first, last];
}

/** The intersection of two bitmaps. */
export function andKeyBits(a: KeyBits, b: KeyBits): KeyBits {
  const base = Math.max(a.base, b.base);
  const end = Math.min(a.base + a.words.length * 32, b.base + b.words.length * 32);
  if (end <= base) return { base: 0, words: new Int32Array(0) };
  const words = new Int32Array((end - base) / 32);
  const atA = (base - a.base) / 32;
  const atB = (base - b.base) / 32;
  for (let i = 0; i < words.length; i++) words[i] = a.words[atA + i] & b.words[atB + i];
  return { base, words };
}

/** How many keys a bitmap holds. */
export function countKeyBits(bits: KeyBits): number {
  let count = 0;
  for (let i = 0; i < bits.words.length; i++) count += bitCount(bits.words[i]);
  return count;
}

/** counts[w] = how many keys words [0, w) of a bitmap hold (words.length + 1 entries). */
export function keyBitsPrefixCounts(bits: KeyBits): Int32Array {
  const counts = new Int32Array(bits.words.length + 1);
  for (let i = 0; i < bits.words.length; i++) counts[i + 1] = counts[i] + bitCount(bits.words[i]);
  return counts;
}

/** Set bits of a 32-bit word (SWAR population count). */
function bitCount(w: number): number {
  w -= (w >>> 1) & 0x55555555;
  w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
  return (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Values from the first to the last word that holds a key (0 when none does). */
export function usedSpan(bits: KeyBits): number {
  const [first, last] = usedWords(bits);
  return first > last ? 0 : (last - first + 1) * 32;
}

/**
 * Clears out[i] for each row whose value is NULL or no key of `bits`. A vector whose values
 * the bitmap cannot judge (a 'dec' vector) clears nothing: the filter only saves work.
 */
export function matchKeyBits(v: Vector, bits: KeyBits, out: Uint8Array): void {
  if (v.kind !== 'f64' && v.kind !== 'i32') return;
  const x = v.values;
  const nulls = v.nulls;
  const words = bits.words;
  const base = bits.base;
  const span = words.length * 32;
  // Simple version: out[i] &= !nulls[i] && Number.isInteger(x[i] - base) && 0 <= x[i] - base < span && bit(x[i] - base);
  // (d >>> 0 === d rejects negatives, fractions and NaN at once; d < span the values past the end).
  for (let i = 0; i < v.length; i++) {
    const d = x[i] - base;
    out[i] &= d >>> 0 === d && d < span ? (words[d >>> 5] >>> (d & 31)) & 1 : 0;
  }
  if (nulls !== null) for (let i = 0; i < v.length; i++) out[i] &= nulls[i] ^ 1;
}

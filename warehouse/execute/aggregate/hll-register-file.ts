/**
 * Per-group HyperLogLog registers, the cardinality estimate, and the sketch text that
 * carries registers across workers. Hashes come from hll-hash.ts as two 32-bit words.
 *
 * Contract:
 *  - Dense form: HLL_REGISTERS = 4096 one-byte registers (index = the hash's top 12 bits,
 *    rank = 1 + leading zeros of the 52 bits after them), 4096 bytes per group in one shared
 *    Uint8Array pool at offset denseAt[g]. Standard error 1.04 / sqrt(4096) = 1.6%.
 *  - Sparse form (HyperLogLog++'s idea): while a group has at most SPARSE_LIMIT entries it
 *    keeps a small open-addressing Int32Array table of (25-bit index << 6 | rank over the
 *    remaining 39 bits), 0 = empty. That is a 2^25-register sketch, so small counts are
 *    estimated by linear counting over 2^25 registers: near exact. Past the limit the group
 *    turns dense; a sparse entry converts to exactly the dense register the same hash gives.
 *  - Merging is the register-wise maximum, and whether a group is sparse depends only on the
 *    set of hashes it has seen, so any split of the rows across workers gives exactly the
 *    registers (and the estimate) of one pass over all rows.
 *  - The dense estimate is Ertl's improved raw estimator ("New cardinality estimation
 *    algorithms for HyperLogLog sketches", 2017, algorithm 6): no bias tables, no range
 *    switches, accurate from 0 to far past 10^9 distinct values with 64-bit hashes.
 *  - Sketch text (the VARCHAR partial state), base64 digits: a dense group is exactly 4096
 *    digits (digit j = register j, 0..53); a sparse group is 6 digits per entry (the 31-bit
 *    entry, most significant digit first), at most 6 * SPARSE_LIMIT characters and never a
 *    multiple of 4096. A group without values has no sketch (NULL).
 */
import { InternalError } from '../../../storage/errors/firn-error.js';

export const HLL_INDEX_BITS = 12;
export const HLL_REGISTERS = 1 << HLL_INDEX_BITS;
/** Hash bits after the dense index; dense ranks run 1 .. HLL_RANK_BITS + 1. */
export const HLL_RANK_BITS = 64 - HLL_INDEX_BITS;
/** Index bits of the sparse form. */
const SPARSE_BITS = 25;
const SPARSE_REGISTERS = 2 ** SPARSE_BITS;
const SPARSE_LIMIT = 256;

const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT_VALUE = new Int8Array(128).fill(-1);
for (let d = 0; d < 64; d++) DIGIT_VALUE[DIGITS.charCodeAt(d)] = d;
const DIGIT_CODES = Uint8Array.from(DIGITS, (c) => c.charCodeAt(0));
/** 1 / (2 ln 2): the limit of HyperLogLog's alpha constant. */
const ALPHA_INF = 1 / (2 * Math.LN2);
const ascii = new TextDecoder();

/** Dense register index of a hash: its top 12 bits. */
export function denseIndex(hi: number): number {
  return hi >>> (32 - HLL_INDEX_BITS);
}

/** Dense rank of a hash: 1 + leading zeros of the 52 bits after the index. */
export function denseRank(hi: number, lo: number): number {
  const rest = hi & ((1 << (32 - HLL_INDEX_BITS)) - 1);
  if (rest !== 0) return Math.clz32(rest) - HLL_INDEX_BITS + 1;
  return lo !== 0 ? 32 - HLL_INDEX_BITS + Math.clz32(lo) + 1 : HLL_RANK_BITS + 1;
}

/** Sparse entry of a hash: 25-bit index << 6 | 1 + leading zeros of the 39 bits after it. */
function sparseEntry(hi: number, lo: number): number {
  const rest = hi & ((1 << (32 - SPARSE_BITS)) - 1);
  const rank = rest !== 0 ? Math.clz32(rest) - SPARSE_BITS + 1 : lo !== 0 ? 32 - SPARSE_BITS + Math.clz32(lo) + 1 : 64 - SPARSE_BITS + 1;
  return ((hi >>> (32 - SPARSE_BITS)) << 6) | rank;
}

/** The dense register (index << 6 | rank) a sparse entry stands for. */
function denseOfSparse(entry: number): number {
  const index = entry >>> 6;
  const low = index & ((1 << (SPARSE_BITS - HLL_INDEX_BITS)) - 1);
  const rank = low !== 0 ? Math.clz32(low) - (32 - SPARSE_BITS + HLL_INDEX_BITS) + 1 : SPARSE_BITS - HLL_INDEX_BITS + (entry & 63);
  return ((index >>> (SPARSE_BITS - HLL_INDEX_BITS)) << 6) | rank;
}

export class HllRegisterFile {
  private pool: Uint8Array = new Uint8Array(HLL_REGISTERS);
  private poolUsed = 0;
  /** Offset of group g's dense registers in `pool`, or -1 while the group is sparse. */
  private denseAt: Int32Array = new Int32Array(16).fill(-1);
  private sparse: (Int32Array | null)[] = [];
  private sparseCount: Int32Array = new Int32Array(16);
  private groups = 0;

  resize(groups: number): void {
    if (groups <= this.groups) return;
    if (this.denseAt.length < groups) {
      let cap = this.denseAt.length;
      while (cap < groups) cap *= 2;
      const at = new Int32Array(cap).fill(-1);
      at.set(this.denseAt);
      this.denseAt = at;
      const counts = new Int32Array(cap);
      counts.set(this.sparseCount);
      this.sparseCount = counts;
    }
    while (this.sparse.length < groups) this.sparse.push(null);
    this.groups = groups;
  }

  isDense(g: number): boolean {
    return this.denseAt[g] >= 0;
  }

  /** Offset of group g's dense registers in registers(), converting the group to dense first. */
  dense(g: number): number {
    const at = this.denseAt[g];
    if (at >= 0) return at;
    if (this.poolUsed + HLL_REGISTERS > this.pool.length) {
      const grown = new Uint8Array(Math.max(this.pool.length * 2, this.poolUsed + HLL_REGISTERS));
      grown.set(this.pool);
      this.pool = grown;
    }
    const off = this.poolUsed;
    this.poolUsed += HLL_REGISTERS;
    this.denseAt[g] = off;
    const table = this.sparse[g];
    if (table !== null) {
      const pool = this.pool;
      for (let k = 0; k < table.length; k++) {
        if (table[k] === 0) continue;
        const d = denseOfSparse(table[k]);
        const j = off + (d >>> 6);
        if ((d & 63) > pool[j]) pool[j] = d & 63;
      }
      this.sparse[g] = null;
      this.sparseCount[g] = 0;
    }
    return off;
  }

  /** The dense register pool; valid until the next call that may densify a group. */
  registers(): Uint8Array {
    return this.pool;
  }

  /** Adds the hash (hi, lo) to group g. */
  offer(g: number, hi: number, lo: number): void {
    const at = this.denseAt[g];
    if (at >= 0) {
      const j = at + denseIndex(hi);
      const rank = denseRank(hi, lo);
      if (rank > this.pool[j]) this.pool[j] = rank;
      return;
    }
    this.offerSparse(g, sparseEntry(hi, lo));
  }

  /** Keeps the larger rank per sparse index; turns the group dense past SPARSE_LIMIT. */
  private offerSparse(g: number, entry: number): void {
    let table = this.sparse[g];
    if (table === null) {
      table = new Int32Array(16);
      this.sparse[g] = table;
    }
    const mask = table.length - 1;
    const index = entry >>> 6;
    // Sparse indexes are uniformly distributed hash bits, so they address the table directly.
    let h = index & mask;
    for (;;) {
      const e = table[h];
      if (e === 0) {
        table[h] = entry;
        const count = ++this.sparseCount[g];
        if (count > SPARSE_LIMIT) this.dense(g);
        else if (count * 2 > table.length) this.sparse[g] = rehash(table);
        return;
      }
      if (e >>> 6 === index) {
        if ((entry & 63) > (e & 63)) table[h] = entry;
        return;
      }
      h = (h + 1) & mask;
    }
  }

  /** Folds a sketch (see the module comment) into group g. */
  mergeSketch(g: number, sketch: string): void {
    const n = sketch.length;
    if (n === HLL_REGISTERS) {
      const off = this.dense(g);
      const pool = this.pool;
      for (let j = 0; j < n; j++) {
        const r = digit(sketch, j);
        if (r > pool[off + j]) pool[off + j] = r;
      }
      return;
    }
    if (n % 6 !== 0) throw new InternalError(`malformed HyperLogLog sketch of ${n} characters`);
    for (let k = 0; k < n; k += 6) {
      let entry = 0;
      for (let d = 0; d < 6; d++) entry = entry * 64 + digit(sketch, k + d);
      if ((entry & 63) === 0 || entry >= 2 ** 31) throw new InternalError('malformed HyperLogLog sketch entry');
      if (this.denseAt[g] >= 0) {
        const dense = denseOfSparse(entry);
        const j = this.denseAt[g] + (dense >>> 6);
        if ((dense & 63) > this.pool[j]) this.pool[j] = dense & 63;
      } else {
        this.offerSparse(g, entry);
      }
    }
  }

  /** Group g's sketch text, or null when it has seen no value. */
  sketch(g: number): string | null {
    const at = this.denseAt[g];
    if (at >= 0) {
      const codes = new Uint8Array(HLL_REGISTERS);
      const pool = this.pool;
      for (let j = 0; j < HLL_REGISTERS; j++) codes[j] = DIGIT_CODES[pool[at + j]];
      return ascii.decode(codes);
    }
    const table = this.sparse[g];
    if (table === null || this.sparseCount[g] === 0) return null;
    const codes = new Uint8Array(6 * this.sparseCount[g]);
    let c = 0;
    for (let k = 0; k < table.length; k++) {
      let e = table[k];
      if (e === 0) continue;
      for (let d = 5; d >= 0; d--) {
        codes[c + d] = DIGIT_CODES[e & 63];
        e >>>= 6;
      }
      c += 6;
    }
    return ascii.decode(codes);
  }

  /** The estimated number of distinct values offered to group g. */
  estimate(g: number, histogram: Float64Array = new Float64Array(HLL_RANK_BITS + 2)): number {
    const at = this.denseAt[g];
    if (at < 0) {
      // Linear counting over the sparse form's 2^25 registers: -m * ln(1 - used / m).
      return -SPARSE_REGISTERS * Math.log1p(-this.sparseCount[g] / SPARSE_REGISTERS);
    }
    histogram.fill(0);
    const pool = this.pool;
    for (let j = 0; j < HLL_REGISTERS; j++) histogram[pool[at + j]]++;
    return improvedEstimate(histogram);
  }
}

function digit(s: string, at: number): number {
  const c = s.charCodeAt(at);
  const d = c < 128 ? DIGIT_VALUE[c] : -1;
  if (d < 0) throw new InternalError(`malformed HyperLogLog sketch: '${s[at]}' at ${at}`);
  return d;
}

/** A sparse table re-inserted into one twice its size. */
function rehash(table: Int32Array): Int32Array {
  const out = new Int32Array(table.length * 2);
  const mask = out.length - 1;
  for (let k = 0; k < table.length; k++) {
    const e = table[k];
    if (e === 0) continue;
    let h = (e >>> 6) & mask;
    while (out[h] !== 0) h = (h + 1) & mask;
    out[h] = e;
  }
  return out;
}

/**
 * Ertl's improved raw estimate from the register histogram C[0..q+1] (q = HLL_RANK_BITS):
 *   z = m * tau(1 - C[q+1]/m);  for k = q..1: z = (z + C[k]) / 2;  z += m * sigma(C[0]/m)
 *   estimate = alpha_inf * m^2 / z
 */
export function improvedEstimate(histogram: Float64Array): number {
  const m = HLL_REGISTERS;
  const q = HLL_RANK_BITS;
  let z = m * tau(1 - histogram[q + 1] / m);
  for (let k = q; k >= 1; k--) z = 0.5 * (z + histogram[k]);
  z += m * sigma(histogram[0] / m);
  return (ALPHA_INF * m * m) / z;
}

/** sigma(x) = x + sum_{k>=1} x^(2^k) * 2^(k-1). */
function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  let previous: number;
  do {
    x *= x;
    previous = z;
    z += x * y;
    y += y;
  } while (z !== previous);
  return z;
}

/** tau(x) = (1 - x - sum_{k>=1} (1 - x^(2^-k))^2 * 2^-k) / 3. */
function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let previous: number;
  do {
    x = Math.sqrt(x);
    previous = z;
    y *= 0.5;
    z -= (1 - x) * (1 - x) * y;
  } while (z !== previous);
  return z / 3;
}

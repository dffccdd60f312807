/**
 * Open-addressing hash set over fixed-width tuples of Int32 ids: the second level of
 * multi-column GROUP BY (each column first maps its values to ids, the tuple of ids maps to
 * the group id) and the (group, value) pairs of DISTINCT aggregates.
 *
 * Contract: tuple number k (in insertion order) gets id k, so ids are dense and a new id is
 * always the current `size`. `tuples` holds the tuples by id (width ints each). Linear
 * probing, at most half full, doubling on growth with the hashes kept per id. Inside an
 * operator's lease (array-pool.ts) its arrays are leased, and outgrown ones given back.
 */
import { leaseI32, recycleArray } from '../batch/array-pool.js';
export class TupleHashSet {
  readonly width: number;
  /** Tuples by id: tuple k is tuples[k*width .. k*width+width). */
  tuples: Int32Array;
  private hashes: Int32Array;
  private slots: Int32Array;
  private mask: number;
  size = 0;

  constructor(width: number, initialCapacity = 16) {
    this.width = width;
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.slots = leaseI32(cap);
    this.mask = cap - 1;
    this.tuples = leaseI32((cap >> 1) * width);
    this.hashes = leaseI32(cap >> 1);
  }

  /** ids of the tuples (cols[0][i], ..., cols[w-1][i]) for i < n, written to out. */
  internRows(cols: readonly Int32Array[], n: number, out: Int32Array): void {
    if (this.width === 2) {
      const a = cols[0];
      const b = cols[1];
      for (let i = 0; i < n; i++) out[i] = this.intern2(a[i], b[i]);
      return;
    }
    for (let i = 0; i < n; i++) out[i] = this.internRow(cols, i);
  }

  /** The id of the tuple (cols[0][i], ..., cols[w-1][i]), adding it when new. */
  internRow(cols: readonly Int32Array[], i: number): number {
    let h = 0x9747b28c;
    for (let c = 0; c < this.width; c++) h = mixInto(h, cols[c][i]);
    return this.probeRow(cols, i, finish(h));
  }

  /** The id of the pair (a, b) in a width-2 set, adding it when new. */
  intern2(a: number, b: number): number {
    const h = finish(mixInto(mixInto(0x9747b28c, a), b));
    const slots = this.slots;
    const mask = this.mask;
    const tuples = this.tuples;
    let s = h & mask;
    for (;;) {
      const e = slots[s];
      if (e === 0) break;
      const k = e - 1;
      if (tuples[2 * k] === a && tuples[2 * k + 1] === b) return k;
      s = (s + 1) & mask;
    }
    const k = this.size++;
    tuples[2 * k] = a;
    tuples[2 * k + 1] = b;
    this.hashes[k] = h;
    slots[s] = k + 1;
    if (this.size * 2 > mask) this.grow();
    return k;
  }

  /** The id of the tuple (cols[0][i], ..., cols[w-1][i]), or -1 when absent (nothing is added). */
  findRow(cols: readonly Int32Array[], i: number): number {
    let h = 0x9747b28c;
    for (let c = 0; c < this.width; c++) h = mixInto(h, cols[c][i]);
    const w = this.width;
    const slots = this.slots;
    const mask = this.mask;
    let s = finish(h) & mask;
    for (;;) {
      const e = slots[s];
      if (e === 0) return -1;
      const base = (e - 1) * w;
      let c = 0;
      while (c < w && this.tuples[base + c] === cols[c][i]) c++;
      if (c === w) return e - 1;
      s = (s + 1) & mask;
    }
  }

  private probeRow(cols: readonly Int32Array[], i: number, h: number): number {
    const w = this.width;
    const slots = this.slots;
    const mask = this.mask;
    let s = h & mask;
    for (;;) {
      const e = slots[s];
      if (e === 0) break;
      const base = (e - 1) * w;
      let c = 0;
      while (c < w && this.tuples[base + c] === cols[c][i]) c++;
      if (c === w) return e - 1;
      s = (s + 1) & mask;
    }
    const k = this.size++;
    for (let c = 0; c < w; c++) this.tuples[k * w + c] = cols[c][i];
    this.hashes[k] = h;
    slots[s] = k + 1;
    if (this.size * 2 > mask) this.grow();
    return k;
  }

  private grow(): void {
    const cap = this.slots.length * 2;
    const mask = cap - 1;
    const slots = leaseI32(cap);
    const tuples = leaseI32((cap >> 1) * this.width);
    tuples.set(this.tuples);
    const hashes = leaseI32(cap >> 1);
    hashes.set(this.hashes);
    recycleArray(this.slots);
    recycleArray(this.tuples);
    recycleArray(this.hashes);
    for (let k = 0; k < this.size; k++) {
      let s = hashes[k] & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = k + 1;
    }
    this.slots = slots;
    this.tuples = tuples;
    this.hashes = hashes;
    this.mask = mask;
  }
}

function mixInto(h: number, x: number): number {
  let k = Math.imul(x, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

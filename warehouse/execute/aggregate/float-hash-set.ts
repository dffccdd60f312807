/**
 * Open-addressing hash set over doubles: maps each distinct number to a caller-chosen Int32
 * id. It is how numeric group keys (NUMBER, FLOAT, DATE, TIMESTAMP) and DISTINCT values get
 * dense ids without a JS Map per row.
 *
 * Contract: keys are compared by value; the caller canonicalises -0 to 0 and never passes
 * NaN (NaN gets its own id outside the set). Linear probing over a power-of-two table kept
 * at most half full, doubling when it fills. Each slot is two adjacent doubles, the key and
 * id + 1 (0 = empty), so a probe touches one cache line: with a million groups the table is
 * far bigger than the caches and the miss per probe is the whole cost. Inside an operator's
 * lease (array-pool.ts) the table is leased, and each outgrown table given back.
 */
import { leaseF64, regrow } from '../batch/array-pool.js';
const scratch = new Float64Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/**
 * 32-bit hash of a number: integers in the int32 range (most keys) hash their value, others
 * their double bit pattern; both through the murmur3 finaliser.
 */
export function hashFloat(x: number): number {
  let h: number;
  if ((x | 0) === x) {
    h = x;
  } else {
    scratch[0] = x;
    h = Math.imul(scratchBits[0], 0xcc9e2d51) ^ scratchBits[1];
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class FloatHashSet {
  /** Slot s is table[2s] = key, table[2s + 1] = id + 1 (0 = empty). */
  private table: Float64Array;
  private mask: number;
  size = 0;

  constructor(initialCapacity = 16) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.table = leaseF64(cap * 2);
    this.mask = cap - 1;
  }

  /** The id of `x`; when absent, `x` is added with id `newId`, which is returned. */
  intern(x: number, newId: number): number {
    const table = this.table;
    const mask = this.mask;
    let s = hashFloat(x) & mask;
    for (;;) {
      const e = table[2 * s + 1];
      if (e === 0) break;
      if (table[2 * s] === x) return e - 1;
      s = (s + 1) & mask;
    }
    table[2 * s] = x;
    table[2 * s + 1] = newId + 1;
    if (++this.size * 2 > mask) this.grow();
    return newId;
  }

  /** The id of `x`, or -1 when it is not in the set (nothing is added). */
  find(x: number): number {
    const table = this.table;
    const mask = this.mask;
    let s = hashFloat(x) & mask;
    for (;;) {
      const e = table[2 * s + 1];
      if (e === 0) return -1;
      if (table[2 * s] === x) return e - 1;
      s = (s + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.table;
    const mask = old.length - 1; // twice the old slot count, minus one
    const table = leaseF64(old.length * 2);
    for (let o = 0; o < old.length; o += 2) {
      const e = old[o + 1];
      if (e === 0) continue;
      const x = old[o];
      let s = hashFloat(x) & mask;
      while (table[2 * s + 1] !== 0) s = (s + 1) & mask;
      table[2 * s] = x;
      table[2 * s + 1] = e;
    }
    this.table = regrow(old, table);
    this.mask = mask;
  }
}

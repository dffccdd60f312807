/**
 * Open-addressing hash set over doubles: maps each distinct number to a caller-chosen Int32
 * id. It is how numeric group keys (NUMBER, FLOAT, DATE, TIMESTAMP) and DISTINCT values get
 * dense ids without a JS Map per row.
 *
 * Contract: keys are compared by value; the caller canonicalises -0 to 0 and never passes
 * NaN (NaN gets its own id outside the set). Hashing mixes both 32-bit halves of the float's
 * bits. Linear probing over a power-of-two slot array kept at most half full; it doubles
 * when it fills (rehashing from the stored keys).
 */
const scratch = new Float64Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** 32-bit hash of a double's bit pattern (murmur3 finaliser over the two halves). */
export function hashFloat(x: number): number {
  scratch[0] = x;
  let h = Math.imul(scratchBits[0], 0xcc9e2d51) ^ scratchBits[1];
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

export class FloatHashSet {
  /** slot -> index into keys/ids + 1 (0 = empty). */
  private slots: Int32Array;
  private keys: Float64Array;
  private ids: Int32Array;
  private mask: number;
  size = 0;

  constructor(initialCapacity = 16) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    this.keys = new Float64Array(cap >> 1);
    this.ids = new Int32Array(cap >> 1);
  }

  /** The id of `x`; when absent, `x` is added with id `newId`, which is returned. */
  intern(x: number, newId: number): number {
    const slots = this.slots;
    const keys = this.keys;
    const mask = this.mask;
    let s = hashFloat(x) & mask;
    for (;;) {
      const e = slots[s];
      if (e === 0) break;
      if (keys[e - 1] === x) return this.ids[e - 1];
      s = (s + 1) & mask;
    }
    const k = this.size++;
    keys[k] = x;
    this.ids[k] = newId;
    slots[s] = k + 1;
    if (this.size * 2 > mask) this.grow();
    return newId;
  }

  private grow(): void {
    const cap = this.slots.length * 2;
    const mask = cap - 1;
    const slots = new Int32Array(cap);
    const keys = new Float64Array(cap >> 1);
    keys.set(this.keys);
    const ids = new Int32Array(cap >> 1);
    ids.set(this.ids);
    for (let k = 0; k < this.size; k++) {
      let s = hashFloat(keys[k]) & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = k + 1;
    }
    this.slots = slots;
    this.keys = keys;
    this.ids = ids;
    this.mask = mask;
  }
}

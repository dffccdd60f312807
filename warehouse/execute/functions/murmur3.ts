/**
 * MurmurHash3 (x86, 32-bit) steps, shared by HASH (hash.ts) and the HyperLogLog hashes of
 * APPROX_COUNT_DISTINCT (aggregate/hll-hash.ts): a block step that mixes one 32-bit word into the
 * state, and the finalizer after which every input bit affects every output bit. Each caller
 * chooses its seeds and how it lays out values as words.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** One block step: the state h after mixing in the 32-bit word k. */
export function murmurBlock(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** The finalizer over `length` (bytes or words, as the caller counts), as a signed 32-bit integer. */
export function murmurFinish(h: number, length: number): number {
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

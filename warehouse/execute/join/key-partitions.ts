/**
 * Hash partitioning of rows by join key, for partitioned (shuffled) hash joins: both inputs
 * are split with the same function, so rows with equal keys meet in the same partition and
 * each partition can be joined on its own worker, holding only its share of the build side.
 *
 * Contract: `keyPartitions(keys, n, parts)` gives each of the n rows a partition in
 * [0, parts) from its key vectors (one per key column). Equal SQL values get equal
 * partitions whatever their physical form: NUMBERs in 'f64' or 'dec' vectors (the planner
 * gives both sides one type and scale), strings by value whatever their dictionary, -0 and
 * 0, every NaN. A row with a NULL key goes to partition 0 (it matches nothing; it still belongs to
 * exactly one partition, which is what outer and anti joins need).
 */
import { MAX_EXACT, type Vector } from '../../../storage/types/vector.js';
import { hashFloat } from '../aggregate/float-hash-set.js';

export function keyPartitions(keys: readonly Vector[], n: number, parts: number): Int32Array {
  const out = keyHashes(keys, n);
  for (let i = 0; i < n; i++) {
    // The partition comes from the high bits of a re-mixed hash: the worker's hash table
    // places keys by the low bits of hashFloat, which must not all agree within a partition.
    out[i] = Math.floor(((out[i] >>> 0) * parts) / 4294967296);
  }
  return out;
}

/**
 * The 32-bit re-mixed key hash keyPartitions cuts partitions from (as an Int32 bit
 * pattern), 0 for a row with a NULL key. With `nullsAsValues` (GROUP BY, where NULL is a
 * group of its own) a NULL instead hashes as one more value, so rows differing in their
 * other keys still spread. Spilling operators (warehouse/execute/spill) re-mix it with a
 * seed per recursion level to split one task's rows further.
 */
export function keyHashes(keys: readonly Vector[], n: number, nullsAsValues = false): Int32Array {
  const hash = new Int32Array(n);
  const isNull = new Uint8Array(n);
  for (const v of keys) {
    const before = nullsAsValues && v.nulls !== null ? hash.slice() : null;
    mixColumn(v, n, hash, isNull);
    if (before === null) continue;
    const nulls = v.nulls!;
    for (let i = 0; i < n; i++) if (nulls[i] !== 0) hash[i] = (Math.imul(before[i], 31) + NULL_HASH) | 0;
  }
  for (let i = 0; i < n; i++) {
    const h = hash[i];
    hash[i] = isNull[i] && !nullsAsValues ? 0 : Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  }
  return hash;
}

/** hash[i] = hash[i] * 31 + hash of row i's value; isNull[i] set for NULLs. */
function mixColumn(v: Vector, n: number, hash: Int32Array, isNull: Uint8Array): void {
  const nulls = v.nulls;
  if (nulls !== null) for (let i = 0; i < n; i++) isNull[i] |= nulls[i];
  switch (v.kind) {
    case 'f64':
    case 'i32': {
      const vals = v.values;
      for (let i = 0; i < n; i++) {
        const x = vals[i] + 0;
        hash[i] = (Math.imul(hash[i], 31) + (x !== x ? NAN_HASH : hashFloat(x))) | 0;
      }
      return;
    }
    case 'dec': {
      const vals = v.values;
      const limit = BigInt(MAX_EXACT);
      for (let i = 0; i < n; i++) {
        const b = vals[i];
        const h = b <= limit && b >= -limit ? hashFloat(Number(b)) : hashString(b.toString());
        hash[i] = (Math.imul(hash[i], 31) + h) | 0;
      }
      return;
    }
    case 'str': {
      // Simple version: perEntry = Int32Array.from(v.dict, hashString), per batch. A join's
      // output keeps its build side's whole dictionary (150,000 customer comments), so each
      // entry is hashed once, when a row first uses it, and remembered per dictionary.
      const dict = v.dict;
      const perEntry = dictHashes(dict);
      const codes = v.codes;
      for (let i = 0; i < n; i++) {
        const c = codes[i];
        let h = perEntry[c];
        if (h === UNHASHED) h = perEntry[c] = hashOrMarked(dict[c]);
        hash[i] = (Math.imul(hash[i], 31) + h) | 0;
      }
      return;
    }
    case 'ts': {
      const { secs, nanos } = v;
      for (let i = 0; i < n; i++) hash[i] = (Math.imul(hash[i], 31) + (hashFloat(secs[i] + 0) ^ Math.imul(nanos[i], 0x9e3779b1))) | 0;
      return;
    }
    case 'bool': {
      const vals = v.values;
      for (let i = 0; i < n; i++) hash[i] = (Math.imul(hash[i], 31) + (vals[i] !== 0 ? 1 : 0)) | 0;
      return;
    }
  }
}

/** Every NaN bit pattern (0/0 gives another than a parsed NaN) hashes alike, as NaN = NaN in joins. */
const NAN_HASH = 0x7ff80000;
/** What a NULL key adds to a row's hash under `nullsAsValues`. */
const NULL_HASH = 0x5bd1e995;

/** Marks an entry not hashed yet in dictHashes' arrays. */
const UNHASHED = 0;
/** What a string whose hash is UNHASHED hashes as instead (so it is never rehashed). */
const UNHASHED_STAND_IN = 0x27d4eb2f;

const hashesOfDict = new WeakMap<readonly string[], Int32Array>();

/** The per-entry hash array of a dictionary (UNHASHED where not yet computed); new when the dictionary grew. */
function dictHashes(dict: readonly string[]): Int32Array {
  let h = hashesOfDict.get(dict);
  if (h === undefined || h.length < dict.length) {
    const grown = new Int32Array(dict.length);
    if (h !== undefined) grown.set(h);
    hashesOfDict.set(dict, (h = grown));
  }
  return h;
}

function hashOrMarked(s: string): number {
  const h = hashString(s);
  return h === UNHASHED ? UNHASHED_STAND_IN : h;
}

/** FNV-1a over UTF-16 code units. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

/**
 * Splitting one batch's rows into P spill partitions by a hash of their keys, for the
 * partitioned (grace) strategies of SpillingAggregate and GraceHashJoin.
 *
 * Contract: `partitionRows(keys, n, level)` answers, for SPILL_PARTITIONS partitions, the row
 * indices of each partition in input order: rows `order[starts[p] .. starts[p + 1])` are
 * partition p's (a counting sort, so callers gather each partition with one selection
 * vector). Equal keys land in one partition (key-partitions.ts's keyHashes: equal SQL
 * values hash alike whatever their vector form; rows with a NULL key go as `nulls` says). Each
 * recursion `level` re-mixes the hash with its own seed, so a partition that is still too big
 * splits again, and the split does not follow the hash exchange that routed the rows to this
 * task (which used the hash's high bits).
 */
import type { Vector } from '../../../storage/types/vector.js';
import { keyHashes } from '../join/key-partitions.js';

export const SPILL_PARTITIONS = 16;
const SHIFT = 28; // 32 - log2(SPILL_PARTITIONS)

/**
 * Where rows with a NULL key go: 'value' (GROUP BY: NULL is a group, hashed as a value) or
 * 'spread' (joins: a NULL key matches nothing, so such rows go round the partitions by
 * position instead of piling into one that no re-partitioning could split).
 */
export type NullKeys = 'value' | 'spread';

export type RowPartitions = { order: Int32Array; starts: Int32Array };

export function partitionRows(keys: readonly Vector[], n: number, level: number, nulls: NullKeys): RowPartitions {
  const hash = keyHashes(keys, n, nulls === 'value');
  const spread = nulls === 'spread' ? nullRows(keys, n) : null;
  const seed = Math.imul(level + 1, 0x9e3779b9);
  const part = new Uint8Array(n);
  const counts = new Int32Array(SPILL_PARTITIONS + 1);
  for (let i = 0; i < n; i++) {
    // murmur3's fmix32 of the seeded hash; the partition is its top bits.
    let h = hash[i] ^ seed;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
    const p = spread !== null && spread[i] !== 0 ? i & (SPILL_PARTITIONS - 1) : h >>> SHIFT;
    part[i] = p;
    counts[p + 1]++;
  }
  const starts = new Int32Array(SPILL_PARTITIONS + 1);
  for (let p = 0; p < SPILL_PARTITIONS; p++) starts[p + 1] = starts[p] + counts[p + 1];
  const cursor = starts.slice(0, SPILL_PARTITIONS);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[cursor[part[i]]++] = i;
  return { order, starts };
}

/** 1 where any key is NULL. */
function nullRows(keys: readonly Vector[], n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (const v of keys) {
    const nulls = v.nulls;
    if (nulls !== null) for (let i = 0; i < n; i++) out[i] |= nulls[i];
  }
  return out;
}

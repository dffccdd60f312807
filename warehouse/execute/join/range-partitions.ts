/**
 * Range partitioning of rows by one integer key (NUMBER, DATE), for joins co-located with a
 * range-assigned scan: the build side's rows go to the task that reads the probe rows of the
 * same key range, so no task holds the whole build side and the probe side is not moved.
 *
 * Contract: `rangePartitions(key, bounds, parts)` gives each row the number of bounds at or
 * below its key (bounds ascending; a key in [bounds[t - 1], bounds[t]) gets t), at most
 * parts - 1; a NULL key gets 0. Bounds are integers of at most 2^53, so a 'dec' value
 * compared as its nearest double keeps its order against them. `singleRange(key, bounds,
 * parts)` answers the part every row of `key` gets when that is one part (a batch read from a
 * partition of one key range, as a range-assigned scan's are), else -1: one pass over the
 * keys instead of a part per row.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { Vector } from '../../../storage/types/vector.js';

export function rangePartitions(key: Vector, bounds: readonly number[], parts: number): Int32Array {
  const n = key.length;
  const out = new Int32Array(n);
  const last = Math.min(bounds.length, parts - 1);
  if (key.kind === 'f64' || key.kind === 'i32') {
    const values = key.values;
    for (let i = 0; i < n; i++) out[i] = partOf(values[i], bounds, last);
  } else if (key.kind === 'dec') {
    const values = key.values;
    for (let i = 0; i < n; i++) out[i] = partOf(Number(values[i]), bounds, last);
  } else {
    throw new InternalError(`range exchange key arrived as a ${key.kind} vector`);
  }
  const nulls = key.nulls;
  if (nulls !== null) for (let i = 0; i < n; i++) if (nulls[i] !== 0) out[i] = 0;
  return out;
}

export function singleRange(key: Vector, bounds: readonly number[], parts: number): number {
  const n = key.length;
  if (n === 0 || (key.kind !== 'f64' && key.kind !== 'i32')) return -1;
  const values = key.values;
  const nulls = key.nulls;
  let min = Infinity;
  let max = -Infinity;
  let anyNull = false;
  for (let i = 0; i < n; i++) {
    if (nulls !== null && nulls[i] !== 0) {
      anyNull = true;
      continue;
    }
    const v = values[i];
    if (v !== v) return -1; // NaN: rangePartitions places it
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const last = Math.min(bounds.length, parts - 1);
  if (min > max) return 0; // only NULLs
  const part = partOf(min, bounds, last);
  if (partOf(max, bounds, last) !== part || (anyNull && part !== 0)) return -1;
  return part;
}

/** Bounds at or below v, at most `last` (a handful of bounds: a linear walk). */
function partOf(v: number, bounds: readonly number[], last: number): number {
  let t = 0;
  while (t < last && bounds[t] <= v) t++;
  return t;
}

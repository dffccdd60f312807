/**
 * The memory a vector keeps alive, estimated: typed arrays by their length, decimals at 32
 * bytes a value, dictionary strings at two bytes a character plus a per-entry overhead.
 * Caches and memory budgets (join builds, sorts) count with it. Pass `seenDicts` to count a
 * dictionary shared by several vectors only once.
 */
import type { Batch, Vector } from './vector.js';

export function vectorBytes(v: Vector, seenDicts?: Set<readonly string[]>): number {
  const nulls = v.nulls === null ? 0 : v.nulls.byteLength;
  switch (v.kind) {
    case 'bool':
    case 'f64':
    case 'i32':
      return v.values.byteLength + nulls;
    case 'ts':
      return v.secs.byteLength + v.nanos.byteLength + nulls;
    case 'dec':
      return v.length * 32 + nulls;
    case 'str': {
      if (seenDicts?.has(v.dict)) return v.codes.byteLength + nulls;
      seenDicts?.add(v.dict);
      let chars = 0;
      for (let i = 0; i < v.dict.length; i++) chars += v.dict[i].length;
      return v.codes.byteLength + chars * 2 + v.dict.length * 16 + nulls;
    }
  }
}

export function batchBytes(batch: Batch, seenDicts: Set<readonly string[]> = new Set()): number {
  let bytes = 0;
  for (const v of batch.columns) bytes += vectorBytes(v, seenDicts);
  return bytes;
}

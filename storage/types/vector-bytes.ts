/**
 * The memory a vector keeps alive, estimated: typed arrays by their length, decimals at 32
 * bytes a value, dictionary strings at two bytes a character plus a per-entry overhead.
 * Caches and memory budgets (join builds, sorts) count with it. Pass `seenDicts` to count a
 * dictionary shared by several vectors only once. A dictionary's character count is
 * remembered per dictionary array (dictionaries only ever grow by appending), so measuring
 * every batch that shares a 150,000-string dictionary costs its codes, not the strings again.
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
      return v.codes.byteLength + dictChars(v.dict) * 2 + v.dict.length * 16 + nulls;
    }
  }
}

/** Characters counted so far of each dictionary, and over how many of its entries. */
const counted = new WeakMap<readonly string[], { entries: number; chars: number }>();

function dictChars(dict: readonly string[]): number {
  let c = counted.get(dict);
  if (c === undefined) counted.set(dict, (c = { entries: 0, chars: 0 }));
  let chars = c.chars;
  for (let i = c.entries; i < dict.length; i++) chars += dict[i].length;
  c.entries = dict.length;
  c.chars = chars;
  return chars;
}

export function batchBytes(batch: Batch, seenDicts: Set<readonly string[]> = new Set()): number {
  let bytes = 0;
  for (const v of batch.columns) bytes += vectorBytes(v, seenDicts);
  return bytes;
}

/**
 * Gather: the rows of a vector picked by a selection vector (row indices, any order,
 * repeats allowed). The building block of filter, sort, top-N and aggregate output.
 *
 * Contract: returns a new vector of `count` rows where row k is `v[sel[k]]`. A 'str' vector
 * keeps its dictionary and gathers only the Int32 codes (no string is copied). The result
 * has `nulls === null` when none of the picked rows is NULL. Its arrays come from the array
 * pool (array-pool.ts).
 */
import { allocF64, allocI32, allocU8, recycleArray } from './array-pool.js';
import type { Nulls, Vector } from '../../../storage/types/vector.js';

export function gatherVector(v: Vector, sel: Int32Array, count: number = sel.length): Vector {
  const nulls = gatherNulls(v.nulls, sel, count);
  switch (v.kind) {
    case 'f64': {
      const src = v.values;
      const out = allocF64(count);
      for (let k = 0; k < count; k++) out[k] = src[sel[k]];
      return { kind: 'f64', length: count, values: out, nulls };
    }
    case 'ts': {
      const srcS = v.secs;
      const srcN = v.nanos;
      const secs = allocF64(count);
      const nanos = allocI32(count);
      for (let k = 0; k < count; k++) {
        const j = sel[k];
        secs[k] = srcS[j];
        nanos[k] = srcN[j];
      }
      return { kind: 'ts', length: count, secs, nanos, nulls };
    }
    case 'i32': {
      const src = v.values;
      const out = allocI32(count);
      for (let k = 0; k < count; k++) out[k] = src[sel[k]];
      return { kind: 'i32', length: count, values: out, nulls };
    }
    case 'bool': {
      const src = v.values;
      const out = allocU8(count);
      for (let k = 0; k < count; k++) out[k] = src[sel[k]];
      return { kind: 'bool', length: count, values: out, nulls };
    }
    case 'str': {
      const src = v.codes;
      const out = allocI32(count);
      for (let k = 0; k < count; k++) out[k] = src[sel[k]];
      return { kind: 'str', length: count, codes: out, dict: v.dict, nulls };
    }
    case 'dec': {
      const src = v.values;
      const out = new Array<bigint>(count);
      for (let k = 0; k < count; k++) out[k] = src[sel[k]];
      return { kind: 'dec', length: count, values: out, nulls };
    }
  }
}

function gatherNulls(nulls: Nulls, sel: Int32Array, count: number): Nulls {
  if (nulls === null) return null;
  const out = allocU8(count);
  let any = 0;
  for (let k = 0; k < count; k++) any |= out[k] = nulls[sel[k]];
  if (any) return out;
  recycleArray(out);
  return null;
}

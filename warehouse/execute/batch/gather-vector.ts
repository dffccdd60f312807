/**
 * Gather: the rows of a vector picked by a selection vector (row indices, any order,
 * repeats allowed). The building block of filter, sort, top-N and aggregate output.
 *
 * Contract: returns a new vector of `count` rows where row k is `v[sel[k]]`. A 'str' vector
 * keeps its dictionary and gathers only the Int32 codes (no string is copied). The result
 * has `nulls === null` when none of the picked rows is NULL. Its arrays come from the array
 * pool (array-pool.ts), unfilled: every element is written.
 */
import { allocF64Unfilled, allocI32Unfilled, allocU8Unfilled, recycleArray } from './array-pool.js';
import type { Nulls, Vector } from '../../../storage/types/vector.js';

export function gatherVector(v: Vector, sel: Int32Array, count: number = sel.length): Vector {
  const nulls = gatherNulls(v.nulls, sel, count);
  switch (v.kind) {
    case 'f64':
      return { kind: 'f64', length: count, values: gatherF64(v.values, sel, count), nulls };
    case 'ts': {
      const out: Vector = { kind: 'ts', length: count, secs: gatherF64(v.secs, sel, count), nanos: gatherI32(v.nanos, sel, count), nulls };
      if (v.offsets) {
        const offs = new Int16Array(count);
        const from = v.offsets;
        for (let i = 0; i < count; i++) offs[i] = from[sel[i]];
        out.offsets = offs;
      }
      return out;
    }
    case 'i32':
      return { kind: 'i32', length: count, values: gatherI32(v.values, sel, count), nulls };
    case 'bool':
      return { kind: 'bool', length: count, values: gatherU8(v.values, sel, count), nulls };
    case 'str':
      return { kind: 'str', length: count, codes: gatherI32(v.codes, sel, count), dict: v.dict, nulls };
    case 'dec': {
      const src = v.values;
      const out = new Array<bigint>(count);
      for (let k = 0; k < count; k++) out[k] = src[sel[k]];
      return { kind: 'dec', length: count, values: out, nulls };
    }
  }
}

// One loop per array type, each in a function of its own that returns right after it: with
// the loops inside the switch above, V8 compiled the function on a loop's stack (OSR) without
// type feedback for the rest of it, and on Node 20 that code deoptimized again and again (290
// times in a minute of TPC-H Q1, Q6, Q9 and Q18 alternating on XSMALL and SMALL; see
// combineBits in functions/logic.ts).

function gatherF64(src: Float64Array, sel: Int32Array, count: number): Float64Array {
  const out = allocF64Unfilled(count);
  for (let k = 0; k < count; k++) out[k] = src[sel[k]];
  return out;
}

function gatherI32(src: Int32Array, sel: Int32Array, count: number): Int32Array {
  const out = allocI32Unfilled(count);
  for (let k = 0; k < count; k++) out[k] = src[sel[k]];
  return out;
}

function gatherU8(src: Uint8Array, sel: Int32Array, count: number): Uint8Array {
  const out = allocU8Unfilled(count);
  for (let k = 0; k < count; k++) out[k] = src[sel[k]];
  return out;
}

function gatherNulls(nulls: Nulls, sel: Int32Array, count: number): Nulls {
  if (nulls === null) return null;
  const out = allocU8Unfilled(count);
  let any = 0;
  for (let k = 0; k < count; k++) any |= out[k] = nulls[sel[k]];
  if (any) return out;
  recycleArray(out);
  return null;
}

/**
 * Slice: a contiguous row range of a batch (LIMIT/OFFSET, splitting output into pages).
 *
 * Contract: rows [start, end) with both bounds clamped to [0, length]. Typed arrays are
 * shared views (vectors are immutable), so slicing costs O(columns) except for 'dec',
 * whose bigint array is copied.
 */
import type { Batch, Nulls, Vector } from '../../../storage/types/vector.js';
import { utf8DictOf, utf8DictVector } from '../../../storage/arrow/utf8-dict.js';

export function sliceBatch(batch: Batch, start: number, end: number = batch.length): Batch {
  const s = clamp(start, batch.length);
  const e = Math.max(s, clamp(end, batch.length));
  if (s === 0 && e === batch.length) return batch;
  return { length: e - s, columns: batch.columns.map((v) => sliceVector(v, s, e)) };
}

export function sliceVector(v: Vector, start: number, end: number): Vector {
  const length = end - start;
  const nulls: Nulls = v.nulls === null ? null : v.nulls.subarray(start, end);
  switch (v.kind) {
    case 'f64':
      return { kind: 'f64', length, values: v.values.subarray(start, end), nulls };
    case 'i32':
      return { kind: 'i32', length, values: v.values.subarray(start, end), nulls };
    case 'bool':
      return { kind: 'bool', length, values: v.values.subarray(start, end), nulls };
    case 'str': {
      // A dict held as UTF-8 (utf8-dict.ts) is shared as such, not decoded.
      const enc = utf8DictOf(v);
      if (enc !== undefined) return utf8DictVector(length, v.codes.subarray(start, end), nulls, enc);
      return { kind: 'str', length, codes: v.codes.subarray(start, end), dict: v.dict, nulls };
    }
    case 'dec':
      return { kind: 'dec', length, values: v.values.slice(start, end), nulls };
    case 'ts':
      return v.offsets
        ? { kind: 'ts', length, secs: v.secs.subarray(start, end), nanos: v.nanos.subarray(start, end), nulls, offsets: v.offsets.subarray(start, end) }
        : { kind: 'ts', length, secs: v.secs.subarray(start, end), nanos: v.nanos.subarray(start, end), nulls };
  }
}

function clamp(i: number, n: number): number {
  return Math.min(Math.max(Math.trunc(i), 0), n);
}

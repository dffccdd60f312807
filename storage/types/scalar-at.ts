/**
 * Reads one value out of a vector as a Scalar (see scalar.ts for the per-type forms).
 * For single values only (constant folding, metadata answers, tests), never a hot loop.
 */
import type { DataType } from './data-type.js';
import type { Scalar } from './scalar.js';
import { tsToNanos, tzScalar } from './timestamp-nanos.js';
import type { Vector } from './vector.js';

export function scalarAt(v: Vector, i: number, type: DataType): Scalar {
  if (v.nulls && v.nulls[i]) return null;
  switch (v.kind) {
    case 'bool':
      return type.kind === 'NULL' ? null : v.values[i] !== 0;
    case 'f64':
      return type.kind === 'NUMBER' ? BigInt(v.values[i]) : v.values[i];
    case 'i32':
      return v.values[i];
    case 'dec':
      return v.values[i];
    case 'ts':
      return type.kind === 'TIMESTAMP_TZ' ? tzScalar(tsToNanos(v.secs[i], v.nanos[i]), v.offsets ? v.offsets[i] : 0) : tsToNanos(v.secs[i], v.nanos[i]);
    case 'str':
      return v.dict[v.codes[i]];
  }
}

/**
 * Scalars: single typed values (literals, zone-map bounds, constant-folded results).
 *
 * Contract, by type kind:
 *   BOOLEAN -> boolean; NUMBER -> bigint, the scaled integer (value * 10^scale);
 *   FLOAT -> number; VARCHAR -> string; DATE -> number (days since epoch);
 *   TIMESTAMP_NTZ -> bigint (nanoseconds since epoch, exact over years 0001..9999; see
 *   timestamp-nanos.ts); TIMESTAMP_LTZ -> the same bigint of its UTC instant;
 *   TIMESTAMP_TZ -> string '<instant nanos> <offset minutes>' (tzScalar in timestamp-nanos.ts);
 *   NULL of any type -> null.
 * Scalars cross the worker boundary by structured clone (bigint included); in JSON (the
 * catalog's zone maps) bigint is written as a decimal string via scalarToJson. Zone maps
 * written before nanosecond timestamps hold TIMESTAMP_NTZ as a JSON number of microseconds:
 * scalarFromJson reads those too.
 */
import type { DataType } from './data-type.js';

export type Scalar = null | boolean | number | bigint | string;

export function scalarToJson(v: Scalar): null | boolean | number | string {
  return typeof v === 'bigint' ? v.toString() : v;
}

export function scalarFromJson(type: DataType, v: null | boolean | number | string): Scalar {
  if (v === null) return null;
  if (type.kind === 'NUMBER') return BigInt(v as string | number);
  if (type.kind === 'TIMESTAMP_NTZ' || type.kind === 'TIMESTAMP_LTZ') return typeof v === 'number' ? BigInt(Math.round(v)) * 1000n : BigInt(v as string);
  return v;
}

/**
 * A scalar as exact JSON-safe data: bigint (NUMBER, TIMESTAMP_NTZ) and number (FLOAT, DATE,
 * TIME) as decimal text, so NaN, the infinities and -0 survive JSON (scalarToJson's FLOAT NaN
 * would become null); boolean, string and null as they are. scalarFromExact reads it back.
 */
export function scalarToExact(v: Scalar): null | boolean | string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  return v;
}

export function scalarFromExact(type: DataType, v: null | boolean | string): Scalar {
  if (v === null || typeof v === 'boolean') return v;
  switch (type.kind) {
    case 'NUMBER':
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
      return BigInt(v);
    case 'FLOAT':
    case 'DATE':
    case 'TIME':
      return Number(v);
    default:
      return v;
  }
}

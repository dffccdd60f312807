/**
 * A vector holding one scalar in every row: what a column a micro-partition does not hold
 * reads as (a column added by ALTER TABLE ... ADD COLUMN after the partition was written reads
 * its DEFAULT, or NULL without one).
 *
 * Contract: constantVector(value, type, n) is a normal vector of `type`'s layout (see
 * data-type.ts) of n rows, each `value` (a Scalar of `type`, storage/types/scalar.ts), or all
 * NULL for null. Its arrays are freshly allocated and owned by the caller (never pooled), so
 * it may be cached. A 'str' vector has a one-entry dictionary; a NUMBER beyond 2^53 is 'dec'.
 */
import type { DataType } from './data-type.js';
import type { Scalar } from './scalar.js';
import { nanosToTs, tzScalarParts } from './timestamp-nanos.js';
import { MAX_EXACT, type Vector } from './vector.js';

export function constantVector(value: Scalar, type: DataType, n: number): Vector {
  const nulls = value === null && n > 0 ? new Uint8Array(n).fill(1) : null;
  switch (type.kind) {
    case 'NULL':
    case 'BOOLEAN':
      return { kind: 'bool', length: n, values: new Uint8Array(n).fill(value === true ? 1 : 0), nulls };
    case 'NUMBER': {
      const big = value === null ? 0n : typeof value === 'bigint' ? value : BigInt(value as number | string);
      if ((big < 0n ? -big : big) > BigInt(MAX_EXACT)) return { kind: 'dec', length: n, values: new Array<bigint>(n).fill(big), nulls };
      return { kind: 'f64', length: n, values: new Float64Array(n).fill(Number(big)), nulls };
    }
    case 'FLOAT':
    case 'TIME':
      return { kind: 'f64', length: n, values: new Float64Array(n).fill(value === null ? 0 : (value as number)), nulls };
    case 'DATE':
      return { kind: 'i32', length: n, values: new Int32Array(n).fill(value === null ? 0 : (value as number)), nulls };
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ': {
      const [secs, nanos] = value === null ? [0, 0] : nanosToTs(value as bigint | string);
      const ts: Vector = { kind: 'ts', length: n, secs: new Float64Array(n).fill(secs), nanos: new Int32Array(n).fill(nanos), nulls };
      if (type.kind === 'TIMESTAMP_TZ' && value !== null) ts.offsets = new Int16Array(n).fill(tzScalarParts(value as string)[1]);
      return ts;
    }
    case 'VARCHAR':
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
    case 'BINARY':
      return { kind: 'str', length: n, codes: new Int32Array(n), dict: [value === null ? '' : String(value)], nulls };
  }
}

/**
 * Builds a Batch from a few rows of Scalars: for metadata results (SHOW, DESCRIBE, DDL
 * status, COPY file rows), never for data on a hot path.
 */
import type { DataType } from '../../storage/types/data-type.js';
import type { Scalar } from '../../storage/types/scalar.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch, Vector } from '../../storage/types/vector.js';
import { MAX_EXACT } from '../../storage/types/vector.js';
import { nanosToTs, tzScalarParts } from '../../storage/types/timestamp-nanos.js';

export function rowsToBatch(columns: Column[], rows: Scalar[][]): Batch {
  return { length: rows.length, columns: columns.map((c, i) => buildVector(c.type, rows.map((r) => r[i]))) };
}

function buildVector(type: DataType, values: Scalar[]): Vector {
  const n = values.length;
  const nulls = values.some((v) => v === null) ? Uint8Array.from(values, (v) => (v === null ? 1 : 0)) : null;
  switch (type.kind) {
    case 'BOOLEAN':
      return { kind: 'bool', length: n, values: Uint8Array.from(values, (v) => (v ? 1 : 0)), nulls };
    case 'NUMBER': {
      const big = values.map((v) => (v === null ? 0n : BigInt(v as bigint)));
      if (big.some((v) => v > BigInt(MAX_EXACT) || v < -BigInt(MAX_EXACT))) return { kind: 'dec', length: n, values: big, nulls };
      return { kind: 'f64', length: n, values: Float64Array.from(big, Number), nulls };
    }
    case 'FLOAT':
    case 'TIME':
      return { kind: 'f64', length: n, values: Float64Array.from(values, (v) => (v === null ? 0 : Number(v))), nulls };
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ': {
      const secs = new Float64Array(n);
      const nanos = new Int32Array(n);
      values.forEach((v, i) => {
        if (v !== null) [secs[i], nanos[i]] = nanosToTs(v as bigint | string);
      });
      if (type.kind !== 'TIMESTAMP_TZ') return { kind: 'ts', length: n, secs, nanos, nulls };
      const offsets = Int16Array.from(values, (v) => (v === null ? 0 : tzScalarParts(v as string)[1]));
      return { kind: 'ts', length: n, secs, nanos, nulls, offsets };
    }
    case 'DATE':
      return { kind: 'i32', length: n, values: Int32Array.from(values, (v) => (v === null ? 0 : Number(v))), nulls };
    case 'VARCHAR':
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
    case 'BINARY':
    case 'NULL': {
      const dict: string[] = [];
      const codes = new Int32Array(n);
      values.forEach((v, i) => {
        codes[i] = dict.length;
        dict.push(v === null ? '' : String(v));
      });
      return { kind: 'str', length: n, codes, dict, nulls: type.kind === 'NULL' ? new Uint8Array(n).fill(1) : nulls };
    }
  }
}

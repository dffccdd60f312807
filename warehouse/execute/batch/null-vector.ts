/**
 * All-NULL vectors of a logical type, and the physical vector kind each type uses.
 *
 * Contract: `vectorKindFor` follows the layout table of storage/types/data-type.ts. The NULL
 * type (an untyped NULL literal) has no values at all; Firn stores it as an all-NULL 'bool'
 * vector, and every consumer here accepts any kind for a NULL-typed column.
 */
import type { DataType } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';

export type VectorKind = Vector['kind'];

export function vectorKindFor(type: DataType): VectorKind {
  switch (type.kind) {
    case 'BOOLEAN':
    case 'NULL':
      return 'bool';
    case 'NUMBER':
    case 'FLOAT':
    case 'TIME':
      return 'f64';
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return 'ts';
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
    case 'BINARY':
    case 'VARCHAR':
      return 'str';
    case 'DATE':
      return 'i32';
  }
}

/** A vector of `length` NULLs (no NULL mask when length is 0). */
export function nullVector(type: DataType, length: number): Vector {
  const nulls = length > 0 ? new Uint8Array(length).fill(1) : null;
  switch (vectorKindFor(type)) {
    case 'bool':
      return { kind: 'bool', length, values: new Uint8Array(length), nulls };
    case 'f64':
      return { kind: 'f64', length, values: new Float64Array(length), nulls };
    case 'i32':
      return { kind: 'i32', length, values: new Int32Array(length), nulls };
    case 'str':
      return { kind: 'str', length, codes: new Int32Array(length), dict: length > 0 ? [''] : [], nulls };
    case 'dec':
      return { kind: 'dec', length, values: new Array<bigint>(length).fill(0n), nulls };
    case 'ts':
      return { kind: 'ts', length, secs: new Float64Array(length), nanos: new Int32Array(length), nulls };
  }
}

/**
 * Firn's SQL data types: the logical types every tier agrees on.
 *
 * Contract: a DataType is plain data (it crosses the worker boundary by structured clone).
 * Physical representation in memory is fixed per kind (see vector.ts):
 *   BOOLEAN        -> 'bool'  Uint8Array of 0/1
 *   NUMBER(p,s)    -> 'f64'   Float64Array of the scaled integer (value * 10^s), exact while
 *                             |scaled| <= 2^53; otherwise 'dec' (bigint[] of the scaled integer)
 *   FLOAT          -> 'f64'   Float64Array
 *   VARCHAR        -> 'str'   dictionary: Int32Array codes into string[]
 *   DATE           -> 'i32'   Int32Array days since 1970-01-01
 *   TIMESTAMP_NTZ  -> 'f64'   Float64Array microseconds since 1970-01-01 00:00:00
 *   NULL           -> the type of an untyped NULL literal; coerces to anything
 */
export const TypeKind = {
  BOOLEAN: 'BOOLEAN',
  NUMBER: 'NUMBER',
  FLOAT: 'FLOAT',
  VARCHAR: 'VARCHAR',
  DATE: 'DATE',
  TIMESTAMP_NTZ: 'TIMESTAMP_NTZ',
  NULL: 'NULL',
} as const;
export type TypeKind = (typeof TypeKind)[keyof typeof TypeKind];

export type DataType =
  | { kind: 'BOOLEAN' }
  | { kind: 'NUMBER'; precision: number; scale: number }
  | { kind: 'FLOAT' }
  | { kind: 'VARCHAR'; length?: number }
  | { kind: 'DATE' }
  | { kind: 'TIMESTAMP_NTZ' }
  | { kind: 'NULL' };

export const MAX_PRECISION = 38;
/** Default VARCHAR length in Snowflake (16 MiB). */
export const MAX_VARCHAR_LENGTH = 16_777_216;

export const Types = {
  boolean: { kind: 'BOOLEAN' } as DataType,
  float: { kind: 'FLOAT' } as DataType,
  varchar: { kind: 'VARCHAR' } as DataType,
  date: { kind: 'DATE' } as DataType,
  timestampNtz: { kind: 'TIMESTAMP_NTZ' } as DataType,
  null: { kind: 'NULL' } as DataType,
  number(precision = MAX_PRECISION, scale = 0): DataType {
    return { kind: 'NUMBER', precision, scale };
  },
} as const;

/** Snowflake's spelling of a type, as DESCRIBE TABLE shows it. */
export function typeToSql(t: DataType): string {
  switch (t.kind) {
    case 'NUMBER':
      return `NUMBER(${t.precision},${t.scale})`;
    case 'VARCHAR':
      return `VARCHAR(${t.length ?? MAX_VARCHAR_LENGTH})`;
    case 'TIMESTAMP_NTZ':
      return 'TIMESTAMP_NTZ(9)';
    default:
      return t.kind;
  }
}

export function typesEqual(a: DataType, b: DataType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'NUMBER' && b.kind === 'NUMBER') return a.precision === b.precision && a.scale === b.scale;
  return true;
}

export function isNumeric(t: DataType): boolean {
  return t.kind === 'NUMBER' || t.kind === 'FLOAT';
}

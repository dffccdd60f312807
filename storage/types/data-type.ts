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
 *   TIMESTAMP_NTZ(p) -> 'ts'  two typed arrays: Float64Array whole seconds since
 *                             1970-01-01 00:00:00 (floored) + Int32Array nanoseconds of that
 *                             second (0..999,999,999); p = 0..9 fraction digits kept, default 9
 *   TIMESTAMP_LTZ(p) -> 'ts'  the same two arrays holding the UTC instant; shown in the session's TIMEZONE
 *                             (nothing per value: the zone is the reader's, as in Snowflake)
 *   TIMESTAMP_TZ(p) -> 'ts'   the UTC instant as for LTZ, plus `offsets`: an Int16Array of the value's
 *                             own UTC offset in minutes (-1439..1439), as Snowflake keeps per value.
 *                             A 'ts' vector without `offsets` is read as offset 0 everywhere.
 *   TIME(p)        -> 'f64'   Float64Array of nanoseconds since midnight (0 .. 86,399,999,999,999,
 *                             an exact integer below 2^53); p = 0..9 fraction digits kept,
 *                             default 9. One double keeps every kernel that orders FLOAT or
 *                             NUMBER working unchanged on TIME (a plain numeric compare).
 *   VARIANT, OBJECT, ARRAY -> 'str' (as VARCHAR) of each value's canonical JSON text: compact
 *                             (no whitespace), object keys in the order given, strings JSON-escaped,
 *                             numbers as their exact decimal text (so a NUMBER(38,s) survives
 *                             digit for digit; JSON.parse is never used to hold a value). SQL NULL
 *                             is a NULL slot; a JSON null is the text `null` (IS_NULL_VALUE).
 *                             OBJECT values are always `{...}`, ARRAY values `[...]`.
 *   BINARY(n)      -> 'str'   (as VARCHAR) of each value's bytes as a "byte string": one UTF-16
 *                             code unit 0..255 per byte (latin1), so V8 keeps it one byte per
 *                             byte; n is the maximum length in bytes, default 8 MiB
 *                             (binary-text.ts converts to and from bytes, hex and base64)
 *   NULL           -> the type of an untyped NULL literal; coerces to anything
 *
 * Why semi-structured values are JSON text: it is the simplest sound choice. One string per
 * value reuses every 'str' kernel (dictionary vectors, hashing, grouping, equality, Parquet
 * UTF-8 columns and their zone maps) unchanged, and the canonical form makes equal values
 * equal text, so = / GROUP BY / DISTINCT compare canonical text. Paths re-parse the text per
 * row, except those a table's partitions shred into typed sub-columns at write time
 * (storage/partition/shredded-path.ts), which read_shredded_paths reads instead.
 *
 * Why BINARY is a byte string in a 'str' vector: code units 0..255 compare in the order of their
 * bytes (unsigned, shorter prefix first), which is Snowflake's order of BINARY values, so every
 * 'str' kernel (dictionary vectors, hashing, grouping, joins, =, <, ORDER BY, MIN/MAX, zone
 * maps) is right for BINARY unchanged, as for VARIANT; only the edges see bytes: casts to and
 * from text (hex / base64 / UTF-8), Parquet (a BINARY column), results (hex text).
 *
 * Why LTZ and TZ hold the instant in the same (secs, nanos) arrays: Snowflake compares, orders,
 * groups and joins both by their instant (a TZ '01:00 +0100' equals '00:00 +0000'), so every
 * 'ts' kernel (compare, sort, hash, join keys, MIN/MAX, zone maps) is right for them unchanged;
 * only the kernels that move rows (gather, slice, concat, IPC, Parquet) carry TZ's `offsets`.
 *
 * Why TIMESTAMP_NTZ is seconds + nanoseconds (see vector.ts): one double of microseconds (the
 * former layout) loses nanoseconds and is exact only within 2^53 us (+-285 years of 1970), one
 * int64 of nanoseconds covers only 1677..2262, and BigInt64Array values are slow BigInts. Whole
 * seconds in a double are exact far past years 0001..9999 (|s| < 2^38), the nanoseconds fit an
 * Int32, and every kernel stays a loop over two typed arrays (compare s, then ns).
 */
export const TypeKind = {
  BOOLEAN: 'BOOLEAN',
  NUMBER: 'NUMBER',
  FLOAT: 'FLOAT',
  VARCHAR: 'VARCHAR',
  DATE: 'DATE',
  TIMESTAMP_NTZ: 'TIMESTAMP_NTZ',
  TIMESTAMP_LTZ: 'TIMESTAMP_LTZ',
  TIMESTAMP_TZ: 'TIMESTAMP_TZ',
  TIME: 'TIME',
  VARIANT: 'VARIANT',
  OBJECT: 'OBJECT',
  ARRAY: 'ARRAY',
  BINARY: 'BINARY',
  NULL: 'NULL',
} as const;
export type TypeKind = (typeof TypeKind)[keyof typeof TypeKind];

export type DataType =
  | { kind: 'BOOLEAN' }
  | { kind: 'NUMBER'; precision: number; scale: number }
  | { kind: 'FLOAT' }
  | { kind: 'VARCHAR'; length?: number }
  | { kind: 'DATE' }
  | { kind: 'TIMESTAMP_NTZ'; precision?: number }
  | { kind: 'TIMESTAMP_LTZ'; precision?: number }
  | { kind: 'TIMESTAMP_TZ'; precision?: number }
  | { kind: 'TIME'; precision?: number }
  | { kind: 'VARIANT' }
  | { kind: 'OBJECT' }
  | { kind: 'ARRAY' }
  | { kind: 'BINARY'; length?: number }
  | { kind: 'NULL' };

export const MAX_PRECISION = 38;
/** TIMESTAMP_NTZ's default (and largest) number of fraction digits, as in Snowflake. */
export const MAX_TIMESTAMP_PRECISION = 9;
/** Default VARCHAR length in Snowflake (16 MiB). */
export const MAX_VARCHAR_LENGTH = 16_777_216;
/** Default (and largest) BINARY length in bytes, as Snowflake's rowType reports it (8 MiB). */
export const MAX_BINARY_LENGTH = 8_388_608;

export const Types = {
  boolean: { kind: 'BOOLEAN' } as DataType,
  float: { kind: 'FLOAT' } as DataType,
  varchar: { kind: 'VARCHAR' } as DataType,
  date: { kind: 'DATE' } as DataType,
  timestampNtz: { kind: 'TIMESTAMP_NTZ' } as DataType,
  timestampLtz: { kind: 'TIMESTAMP_LTZ' } as DataType,
  timestampTz: { kind: 'TIMESTAMP_TZ' } as DataType,
  variant: { kind: 'VARIANT' } as DataType,
  object: { kind: 'OBJECT' } as DataType,
  array: { kind: 'ARRAY' } as DataType,
  binary: { kind: 'BINARY' } as DataType,
  null: { kind: 'NULL' } as DataType,
  number(precision = MAX_PRECISION, scale = 0): DataType {
    return { kind: 'NUMBER', precision, scale };
  },
  time(precision = MAX_TIMESTAMP_PRECISION): DataType {
    return precision === MAX_TIMESTAMP_PRECISION ? { kind: 'TIME' } : { kind: 'TIME', precision };
  },
  timestamp(precision = MAX_TIMESTAMP_PRECISION): DataType {
    return precision === MAX_TIMESTAMP_PRECISION ? { kind: 'TIMESTAMP_NTZ' } : { kind: 'TIMESTAMP_NTZ', precision };
  },
  /** A timestamp of `kind` (NTZ, LTZ or TZ) with `precision` fraction digits. */
  timestampOf(kind: TimestampKind, precision = MAX_TIMESTAMP_PRECISION): DataType {
    return precision === MAX_TIMESTAMP_PRECISION ? { kind } : { kind, precision };
  },
} as const;

/** Snowflake's spelling of a type, as DESCRIBE TABLE shows it. */
export function typeToSql(t: DataType): string {
  switch (t.kind) {
    case 'NUMBER':
      return `NUMBER(${t.precision},${t.scale})`;
    case 'VARCHAR':
      return `VARCHAR(${t.length ?? MAX_VARCHAR_LENGTH})`;
    case 'BINARY':
      return `BINARY(${t.length ?? MAX_BINARY_LENGTH})`;
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return `${t.kind}(${timestampPrecision(t)})`;
    case 'TIME':
      return `TIME(${timestampPrecision(t)})`;
    default:
      return t.kind;
  }
}

export function typesEqual(a: DataType, b: DataType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'NUMBER' && b.kind === 'NUMBER') return a.precision === b.precision && a.scale === b.scale;
  if ((isTimestamp(a) || a.kind === 'TIME') && a.kind === b.kind) return timestampPrecision(a) === timestampPrecision(b);
  return true;
}

/** The fraction digits a timestamp or TIME keeps (an absent precision is the default 9). */
export function timestampPrecision(t: DataType): number {
  return isTimestamp(t) || t.kind === 'TIME' ? (t.precision ?? MAX_TIMESTAMP_PRECISION) : MAX_TIMESTAMP_PRECISION;
}

export type TimestampKind = 'TIMESTAMP_NTZ' | 'TIMESTAMP_LTZ' | 'TIMESTAMP_TZ';

/** TIMESTAMP_NTZ, TIMESTAMP_LTZ or TIMESTAMP_TZ: a 'ts' vector (see the header). */
export function isTimestamp(t: DataType): t is Extract<DataType, { kind: TimestampKind }> {
  return t.kind === 'TIMESTAMP_NTZ' || t.kind === 'TIMESTAMP_LTZ' || t.kind === 'TIMESTAMP_TZ';
}

/** LTZ or TZ: a timestamp holding an instant, whose wall clock depends on a time zone. */
export function isZonedTimestamp(t: DataType): boolean {
  return t.kind === 'TIMESTAMP_LTZ' || t.kind === 'TIMESTAMP_TZ';
}

/** Nanoseconds in a day: a TIME's value is in [0, NANOS_PER_DAY). */
export const NANOS_PER_DAY = 86_400_000_000_000;

/** VARIANT, OBJECT or ARRAY: a 'str' vector of canonical JSON text (see the header). */
export function isSemiStructured(t: DataType): boolean {
  return t.kind === 'VARIANT' || t.kind === 'OBJECT' || t.kind === 'ARRAY';
}

export function isNumeric(t: DataType): boolean {
  return t.kind === 'NUMBER' || t.kind === 'FLOAT';
}

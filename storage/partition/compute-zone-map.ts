/**
 * Zone maps computed exactly from Firn vectors at write time (see zone-map.ts for the contract).
 *
 * Contract: computeZoneMap(columns, batch, byteSize) gives per column the exact smallest and
 * largest non-NULL value as JSON scalars (NUMBER as the scaled integer in a decimal string,
 * DATE days, TIMESTAMP_NTZ nanoseconds since the epoch in a decimal string, VARCHAR the string, BOOLEAN false/true) and the NULL
 * count; min/max are null when every value is NULL. VARCHAR bounds longer than
 * MAX_BOUND_LENGTH UTF-16 units are truncated (min to a prefix, max to a prefix with its last
 * unit incremented) and then marked exact: false. FLOAT: NaN sorts above every number (as in
 * Snowflake), so a column holding NaN has max NaN; such non-finite bounds (NaN, +-Infinity) are
 * plain JS numbers that JSON cannot carry: the catalog stores them as null, from which pruning
 * proves nothing (services/pruning/prune-partitions.ts).
 * Only the dictionary entries a 'str' vector actually uses are compared.
 */
import { InternalError } from '../errors/firn-error.js';
import type { DataType } from '../types/data-type.js';
import type { Column } from '../types/schema.js';
import { tsToNanos } from '../types/timestamp-nanos.js';
import type { Batch, StrVector, TsVector, Vector } from '../types/vector.js';
import { utf8DictOf } from '../arrow/utf8-dict.js';
import { compareUtf8, decodeUtf8Strings, type Utf8Strings } from '../arrow/utf8-strings.js';
import type { ColumnZone, ZoneMap } from './zone-map.js';

export const MAX_BOUND_LENGTH = 512;

function allNull(nullCount: number): ColumnZone {
  return { min: null, max: null, nullCount, exact: true };
}

function countNulls(vec: Vector): number {
  const { nulls, length } = vec;
  if (nulls === null) return 0;
  let n = 0;
  for (let i = 0; i < length; i++) n += nulls[i] !== 0 ? 1 : 0;
  return n;
}

/** min/max of the non-NULL doubles; NaN is the largest value. Returns null when all NULL. */
function f64Bounds(values: Float64Array, nulls: Uint8Array | null, length: number): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  let seen = false;
  let nan = false;
  if (nulls === null) {
    for (let i = 0; i < length; i++) {
      const v = values[i];
      if (v < min) min = v;
      if (v > max) max = v;
      if (v !== v) nan = true;
    }
    seen = length > 0;
  } else {
    for (let i = 0; i < length; i++) {
      if (nulls[i] !== 0) continue;
      seen = true;
      const v = values[i];
      if (v < min) min = v;
      if (v > max) max = v;
      if (v !== v) nan = true;
    }
  }
  if (!seen) return null;
  if (nan) {
    if (min === Infinity && max === -Infinity) return { min: NaN, max: NaN }; // every value is NaN
    return { min, max: NaN };
  }
  return { min, max };
}

function i32Bounds(values: Int32Array, nulls: Uint8Array | null, length: number): { min: number; max: number } | null {
  let min = 2147483647;
  let max = -2147483648;
  let seen = false;
  if (nulls === null) {
    for (let i = 0; i < length; i++) {
      const v = values[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
    seen = length > 0;
  } else {
    for (let i = 0; i < length; i++) {
      if (nulls[i] !== 0) continue;
      seen = true;
      const v = values[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return seen ? { min, max } : null;
}

/**
 * An upper bound of s at most MAX_BOUND_LENGTH units long: a prefix whose last incrementable
 * unit is incremented (so it sorts above s); s itself when short or not shortenable.
 */
function truncateMax(s: string): { bound: string; exact: boolean } {
  if (s.length <= MAX_BOUND_LENGTH) return { bound: s, exact: true };
  for (let j = MAX_BOUND_LENGTH - 1; j >= 0; j--) {
    const c = s.charCodeAt(j);
    if (c < 0xffff) return { bound: s.slice(0, j) + String.fromCharCode(c + 1), exact: false };
  }
  return { bound: s, exact: true };
}

function strZone(vec: Vector & { kind: 'str' }, nullCount: number): ColumnZone {
  const enc = utf8DictOf(vec);
  if (enc !== undefined) return utf8Zone(vec, enc, nullCount);
  const { codes, dict, nulls, length } = vec;
  const used = new Uint8Array(dict.length);
  // Only the span of codes the rows use is compared (a partition cut from a batch shares its whole dict).
  let lo = dict.length;
  let hi = -1;
  for (let i = 0; i < length; i++) {
    if (nulls !== null && nulls[i] !== 0) continue;
    const c = codes[i];
    used[c] = 1;
    if (c < lo) lo = c;
    if (c > hi) hi = c;
  }
  let min: string | null = null;
  let max: string | null = null;
  for (let c = lo; c <= hi; c++) {
    if (used[c] === 0) continue;
    const s = dict[c];
    if (min === null || s < min) min = s;
    if (max === null || s > max) max = s;
  }
  if (min === null || max === null) return allNull(nullCount);
  return strBounds(min, max, nullCount);
}

/** The zone of string bounds min <= max, each cut to MAX_BOUND_LENGTH units. */
function strBounds(min: string, max: string, nullCount: number): ColumnZone {
  const low = min.length > MAX_BOUND_LENGTH ? min.slice(0, MAX_BOUND_LENGTH) : min;
  const high = truncateMax(max);
  return { min: low, max: high.bound, nullCount, exact: low === min && high.exact };
}

/**
 * strZone over a dict held as UTF-8 (utf8-dict.ts): the rows' values compared as bytes in JS
 * string order (compareUtf8), and only the smallest and largest decoded.
 */
function utf8Zone(vec: StrVector, enc: Utf8Strings, nullCount: number): ColumnZone {
  const { codes, nulls, length } = vec;
  const { offsets, bytes } = enc;
  let lo = -1;
  let hi = -1;
  // First bytes of the bounds (-1 when empty): a value whose first byte is ASCII and strictly
  // between them lies strictly between the bounds in JS order too, and is not compared.
  let loFirst = -1;
  let hiFirst = -1;
  for (let i = 0; i < length; i++) {
    if (nulls !== null && nulls[i] !== 0) continue;
    const c = codes[i];
    const from = offsets[c];
    const to = offsets[c + 1];
    if (lo < 0) {
      lo = hi = c;
      loFirst = hiFirst = from < to ? bytes[from] : -1;
      continue;
    }
    if (from < to) {
      const b = bytes[from];
      if (b < 0x80 && b > loFirst && b < hiFirst) continue;
    }
    if (compareUtf8(bytes, from, to, offsets[lo], offsets[lo + 1]) < 0) {
      lo = c;
      loFirst = from < to ? bytes[from] : -1;
    } else if (compareUtf8(bytes, from, to, offsets[hi], offsets[hi + 1]) > 0) {
      hi = c;
      hiFirst = from < to ? bytes[from] : -1;
    }
  }
  if (lo < 0) return allNull(nullCount);
  const [min] = decodeUtf8Strings(bytes, offsets, lo, 1, 'a zone map bound');
  const [max] = decodeUtf8Strings(bytes, offsets, hi, 1, 'a zone map bound');
  return strBounds(min, max, nullCount);
}

function boolZone(vec: Vector & { kind: 'bool' }, nullCount: number): ColumnZone {
  const { values, nulls, length } = vec;
  let sawTrue = false;
  let sawFalse = false;
  for (let i = 0; i < length && !(sawTrue && sawFalse); i++) {
    if (nulls !== null && nulls[i] !== 0) continue;
    if (values[i] !== 0) sawTrue = true;
    else sawFalse = true;
  }
  if (!sawTrue && !sawFalse) return allNull(nullCount);
  return { min: !sawFalse, max: sawTrue, nullCount, exact: true };
}

function decZone(vec: Vector & { kind: 'dec' }, nullCount: number): ColumnZone {
  const { values, nulls, length } = vec;
  let min: bigint | null = null;
  let max: bigint | null = null;
  for (let i = 0; i < length; i++) {
    if (nulls !== null && nulls[i] !== 0) continue;
    const v = values[i];
    if (min === null || v < min) min = v;
    if (max === null || v > max) max = v;
  }
  if (min === null || max === null) return allNull(nullCount);
  return { min: min.toString(), max: max.toString(), nullCount, exact: true };
}

/** TIMESTAMP_NTZ bounds: (secs, nanos) compared in order, written as nanoseconds since the epoch. */
function tsZone(vec: TsVector, nullCount: number): ColumnZone {
  const { secs, nanos, nulls, length } = vec;
  let lo = -1;
  let hi = -1;
  for (let i = 0; i < length; i++) {
    if (nulls !== null && nulls[i] !== 0) continue;
    if (lo < 0 || secs[i] < secs[lo] || (secs[i] === secs[lo] && nanos[i] < nanos[lo])) lo = i;
    if (hi < 0 || secs[i] > secs[hi] || (secs[i] === secs[hi] && nanos[i] > nanos[hi])) hi = i;
  }
  if (lo < 0) return allNull(nullCount);
  return { min: tsToNanos(secs[lo], nanos[lo]).toString(), max: tsToNanos(secs[hi], nanos[hi]).toString(), nullCount, exact: true };
}

/** Zone of one column: bounds by the vector's layout, formatted by the column's type. */
export function computeColumnZone(vec: Vector, type: DataType): ColumnZone {
  const nullCount = countNulls(vec);
  if (nullCount === vec.length || type.kind === 'NULL') return allNull(nullCount);
  switch (vec.kind) {
    case 'bool':
      return boolZone(vec, nullCount);
    case 'str':
      return strZone(vec, nullCount);
    case 'dec':
      return decZone(vec, nullCount);
    case 'i32': {
      const b = i32Bounds(vec.values, vec.nulls, vec.length);
      return b === null ? allNull(nullCount) : { min: b.min, max: b.max, nullCount, exact: true };
    }
    case 'ts':
      return tsZone(vec, nullCount);
    case 'f64': {
      const b = f64Bounds(vec.values, vec.nulls, vec.length);
      if (b === null) return allNull(nullCount);
      if (type.kind === 'NUMBER') return { min: BigInt(b.min).toString(), max: BigInt(b.max).toString(), nullCount, exact: true };
      return { min: b.min, max: b.max, nullCount, exact: true };
    }
  }
}

export function computeZoneMap(columns: Column[], batch: Batch, byteSize: number): ZoneMap {
  if (columns.length !== batch.columns.length) {
    throw new InternalError(`batch has ${batch.columns.length} columns, schema has ${columns.length}`);
  }
  const zones: Record<string, ColumnZone> = {};
  for (let i = 0; i < columns.length; i++) zones[columns[i].name] = computeColumnZone(batch.columns[i], columns[i].type);
  return { rowCount: batch.length, byteSize, columns: zones };
}

/**
 * The range of DATE and TIMESTAMP_NTZ values, and the one check every producer of such values
 * runs on its result.
 *
 * Contract: dates lie in 0001-01-01 .. 9999-12-31 (proleptic Gregorian), timestamps in
 * 0001-01-01 00:00:00 .. 9999-12-31 23:59:59.999999: the four-digit years Snowflake documents
 * and YYYY formats print. Functions and casts that compute a date or timestamp (DATEADD and
 * its aliases, date +/- INTERVAL, date +/- integer, CAST and TO_DATE / TO_TIMESTAMP from text
 * or numbers, loaders) check their result once per batch and raise DATETIME_OUT_OF_RANGE
 * (390601 / 22008) naming the function, instead of wrapping an Int32 day count or printing
 * '0NaN-NaN-NaN'. Rows that are NULL are not checked (their slots may hold anything); NaN
 * counts as out of range. Functions that can only move a value within its own year or day
 * (DATE_TRUNC, extraction) need no check.
 */
import { DataError } from '../../../storage/errors/firn-error.js';
import type { Nulls } from '../../../storage/types/vector.js';
import { MICROS_PER_DAY } from './civil-date.js';

/** 0001-01-01 and 9999-12-31 as days since 1970-01-01. */
export const MIN_DAY = -719162;
export const MAX_DAY = 2932896;
/** Timestamps are >= MIN_MICROS and < END_MICROS (10000-01-01 00:00:00; exact as a double, unlike the last microsecond). */
export const MIN_MICROS = MIN_DAY * MICROS_PER_DAY;
export const END_MICROS = (MAX_DAY + 1) * MICROS_PER_DAY;

export const DATETIME_RANGE_TEXT = '0001-01-01 to 9999-12-31';

export function dayInRange(d: number): boolean {
  return d >= MIN_DAY && d <= MAX_DAY;
}

export function microsInRange(m: number): boolean {
  return m >= MIN_MICROS && m < END_MICROS;
}

/** The error for a result of `what` (a function name, or a quoted input value) outside the range. */
export function datetimeOutOfRange(what: string, kind: 'date' | 'timestamp'): DataError {
  return new DataError('DATETIME_OUT_OF_RANGE', `${kind === 'date' ? 'Date' : 'Timestamp'} out of range in ${what}: the supported range is ${DATETIME_RANGE_TEXT}`);
}

/** Raises when a non-NULL day count of `fn`'s result lies outside the range. */
export function checkDays(values: ArrayLike<number>, nulls: Nulls, n: number, fn: string): void {
  for (let i = 0; i < n; i++) {
    const d = values[i];
    if (!(d >= MIN_DAY && d <= MAX_DAY) && !(nulls && nulls[i])) throw datetimeOutOfRange(fn, 'date');
  }
}

/** Raises when a non-NULL microsecond count of `fn`'s result lies outside the range. */
export function checkMicros(values: Float64Array, nulls: Nulls, n: number, fn: string): void {
  for (let i = 0; i < n; i++) {
    const m = values[i];
    if (!(m >= MIN_MICROS && m < END_MICROS) && !(nulls && nulls[i])) throw datetimeOutOfRange(fn, 'timestamp');
  }
}

/** Checked day counts computed as doubles, as the Int32Array a DATE vector holds. */
export function toDays(values: Float64Array, nulls: Nulls, n: number, fn: string): Int32Array {
  checkDays(values, nulls, n, fn);
  return new Int32Array(values.subarray(0, n));
}

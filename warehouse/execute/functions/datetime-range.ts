/**
 * The range of DATE and TIMESTAMP_NTZ values, and the one check every producer of such values
 * runs on its result.
 *
 * Contract: dates lie in 0001-01-01 .. 9999-12-31 (proleptic Gregorian), timestamps in
 * 0001-01-01 00:00:00 .. 9999-12-31 23:59:59.999999999: the four-digit years Snowflake documents
 * and YYYY formats print. A timestamp is in range when its whole epoch seconds (the `secs` of a
 * 'ts' vector, vector.ts) lie in MIN_SECS .. MAX_SECS, whatever its nanoseconds. Functions and
 * casts that compute a date or timestamp (DATEADD and its aliases, date +/- INTERVAL, date +/-
 * integer, CAST and TO_DATE / TO_TIMESTAMP from text or numbers, loaders) check their result
 * once per batch and raise DATETIME_OUT_OF_RANGE (390601 / 22008) naming the function, instead
 * of wrapping an Int32 day count or printing '0NaN-NaN-NaN'. Rows that are NULL are not checked
 * (their slots may hold anything); NaN counts as out of range. Functions that can only move a
 * value within its own year or day (DATE_TRUNC, extraction) need no check.
 */
import { DataError } from '../../../storage/errors/firn-error.js';
import type { Nulls } from '../../../storage/types/vector.js';

/** 0001-01-01 and 9999-12-31 as days since 1970-01-01. */
export const MIN_DAY = -719162;
export const MAX_DAY = 2932896;
/** Whole epoch seconds of 0001-01-01 00:00:00 and 9999-12-31 23:59:59, both inclusive. */
export const MIN_SECS = MIN_DAY * 86_400;
export const MAX_SECS = (MAX_DAY + 1) * 86_400 - 1;

export const DATETIME_RANGE_TEXT = '0001-01-01 to 9999-12-31';

export function dayInRange(d: number): boolean {
  return d >= MIN_DAY && d <= MAX_DAY;
}

/** Whether whole epoch seconds `s` (floored; any nanoseconds) lie in the timestamp range. */
export function secsInRange(s: number): boolean {
  return s >= MIN_SECS && s <= MAX_SECS;
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

/** Raises when the whole epoch seconds of a non-NULL timestamp of `fn`'s result lie outside the range. */
export function checkSecs(secs: Float64Array, nulls: Nulls, n: number, fn: string): void {
  for (let i = 0; i < n; i++) {
    const s = secs[i];
    if (!(s >= MIN_SECS && s <= MAX_SECS) && !(nulls && nulls[i])) throw datetimeOutOfRange(fn, 'timestamp');
  }
}

/** Checked day counts computed as doubles, as the Int32Array a DATE vector holds. */
export function toDays(values: Float64Array, nulls: Nulls, n: number, fn: string): Int32Array {
  checkDays(values, nulls, n, fn);
  return new Int32Array(values.subarray(0, n));
}

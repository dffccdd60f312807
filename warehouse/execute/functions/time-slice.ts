/**
 * TIME_SLICE(date_or_time, slice_length, part [, 'START' | 'END']): the start (or the end) of
 * the fixed-width slice of time a DATE or TIMESTAMP_NTZ falls in.
 *
 * Why: dbt models bucket events into 15-minute, 4-hour or 2-week windows with it, where
 * DATE_TRUNC only knows one unit.
 *
 * Contract (Snowflake's documented rules):
 *  - Slices are `slice_length` units wide and aligned to 1970-01-01 00:00:00: a slice starts on
 *    an integer multiple of its width counted from there (months from January 1970, so 4-month
 *    slices start in January, May and September; days from 1970-01-01), dates before 1970
 *    included. Week slices count from Monday 1969-12-29, so a 1-week slice starts on a Monday,
 *    as DATE_TRUNC('week') does with the default WEEK_START.
 *  - A DATE takes YEAR, QUARTER, MONTH, WEEK and DAY; a TIMESTAMP_NTZ also HOUR, MINUTE and
 *    SECOND (a string argument is read as a TIMESTAMP_NTZ). Another part, a slice_length below
 *    1, or a fourth argument other than 'START' / 'END' (any case) raises INVALID_ARGUMENT_VALUE
 *    (TYPE_MISMATCH at compile time when they are literals). The part and START / END must be
 *    constants.
 *  - 'END' is the start of the next slice. The result has the argument's type; any NULL
 *    argument gives NULL, and a result outside 0001-01-01 .. 9999-12-31 raises
 *    DATETIME_OUT_OF_RANGE.
 */
import { CompilationError, DataError } from '../../../storage/errors/firn-error.js';
import { clipValue } from '../../../storage/errors/clip-value.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Scalar } from '../../../storage/types/scalar.js';
import { allocF64, allocI32 } from '../batch/array-pool.js';
import { civilFromDays, daysFromCivil, parseDatePart, type DatePart } from './civil-date.js';
import { checkDays, checkSecs } from './datetime-range.js';
import { intsOf } from './date.js';
import { checkArity, coerceInteger, mismatch, type ConstArgs, type FunctionDef, type Signature } from './type-rules.js';
import { constParam, expectKind, materialize, unionNulls, type Val } from './vector-kit.js';

const SECONDS_PER_DAY = 86_400;
/** Monday 1969-12-29, the day week slices count from. */
const WEEK_ORIGIN = -3;

const DATE_PARTS: ReadonlySet<DatePart> = new Set(['year', 'quarter', 'month', 'week', 'day']);
const TIME_PARTS: ReadonlySet<DatePart> = new Set(['hour', 'minute', 'second']);

function invalid(message: string, compile: boolean): Error {
  return compile ? new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${message}`) : new DataError('INVALID_ARGUMENT_VALUE', message);
}

/** The part, validated against the argument's type. */
function slicePart(name: Scalar, type: DataType, compile: boolean): DatePart {
  const p = parseDatePart(name, 'time_slice');
  if (!DATE_PARTS.has(p) && !(type.kind === 'TIMESTAMP_NTZ' && TIME_PARTS.has(p))) {
    throw invalid(`invalid date or time part '${clipValue(String(name))}' for function TIME_SLICE of a ${type.kind}: use ${type.kind === 'DATE' ? 'YEAR, QUARTER, MONTH, WEEK or DAY' : 'YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE or SECOND'}`, compile);
  }
  return p;
}

/** Whether the fourth argument asks for the slice's end. */
function sliceEnd(v: Scalar | undefined, compile: boolean): boolean {
  if (v === undefined) return false;
  const s = String(v).trim().toUpperCase();
  if (s !== 'START' && s !== 'END') throw invalid(`invalid value '${clipValue(String(v))}' for the fourth argument of TIME_SLICE: use 'START' or 'END'`, compile);
  return s === 'END';
}

function resolveTimeSlice(types: readonly DataType[], consts: ConstArgs): Signature {
  checkArity('time_slice', types, 3, 4);
  const t = types[0];
  const arg = t.kind === 'DATE' || t.kind === 'TIMESTAMP_NTZ' ? t : t.kind === 'VARCHAR' || t.kind === 'NULL' ? Types.timestampNtz : null;
  if (arg === null || (types[2].kind !== 'VARCHAR' && types[2].kind !== 'NULL') || (types.length === 4 && types[3].kind !== 'VARCHAR' && types[3].kind !== 'NULL')) throw mismatch('time_slice', types);
  if (typeof consts[2] === 'string') slicePart(consts[2], arg, true);
  if (typeof consts[3] === 'string') sliceEnd(consts[3], true);
  const length = consts[1];
  if (length !== undefined && length !== null && Number(length) < 1) throw invalid(`invalid slice length ${String(length)} for function TIME_SLICE: it must be at least 1`, true);
  const argTypes = [arg, coerceInteger('time_slice', types, types[1]), types[2], ...types.slice(3)];
  return { argTypes, returnType: arg };
}

/** The first day of the slice of `width` units of `part` holding `days` (width >= 1). */
function sliceStartDay(days: number, part: DatePart, width: number, civil: Int32Array): number {
  switch (part) {
    case 'day':
      return Math.floor(days / width) * width;
    case 'week': {
      const span = 7 * width;
      return Math.floor((days - WEEK_ORIGIN) / span) * span + WEEK_ORIGIN;
    }
    default: {
      const months = width * (part === 'year' ? 12 : part === 'quarter' ? 3 : 1);
      civilFromDays(days, civil);
      const index = (civil[0] - 1970) * 12 + civil[1] - 1;
      const start = Math.floor(index / months) * months;
      const y = 1970 + Math.floor(start / 12);
      return daysFromCivil(y, start - (y - 1970) * 12 + 1, 1);
    }
  }
}

/** The day after the slice starting at `start` (the next slice's start). */
function sliceEndDay(start: number, part: DatePart, width: number, civil: Int32Array): number {
  if (part === 'day') return start + width;
  if (part === 'week') return start + 7 * width;
  const months = width * (part === 'year' ? 12 : part === 'quarter' ? 3 : 1);
  civilFromDays(start, civil);
  const total = civil[0] * 12 + civil[1] - 1 + months;
  const y = Math.floor(total / 12);
  return daysFromCivil(y, total - y * 12 + 1, 1);
}

function timeSliceKernel(args: Val[], argTypes: readonly DataType[], type: DataType, n: number): Val {
  const name = constParam(args[2], argTypes[2], n);
  if (name === undefined) throw new DataError('INVALID_ARGUMENT_VALUE', 'TIME_SLICE needs a constant date or time part');
  const edge = args.length > 3 ? constParam(args[3], argTypes[3], n) : undefined;
  if (args.length > 3 && edge === undefined) throw new DataError('INVALID_ARGUMENT_VALUE', "TIME_SLICE needs a constant 'START' or 'END'");
  const part = slicePart(name, type, false);
  const end = sliceEnd(edge ?? undefined, false);
  const nulls = unionNulls(args, n);
  const widths = intsOf(args[1], n);
  for (let i = 0; i < n; i++) {
    if (!(nulls && nulls[i]) && widths[i] < 1) throw invalid(`Invalid slice length ${widths[i]} for TIME_SLICE: it must be at least 1`, false);
  }
  const v = materialize(args[0], argTypes[0], n);
  const civil = new Int32Array(3);
  if (v.kind === 'i32') {
    const out = allocI32(n);
    for (let i = 0; i < n; i++) {
      if (nulls && nulls[i]) continue;
      const start = sliceStartDay(v.values[i], part, widths[i], civil);
      out[i] = end ? sliceEndDay(start, part, widths[i], civil) : start;
    }
    checkDays(out, nulls, n, 'TIME_SLICE');
    return { kind: 'i32', length: n, values: out, nulls };
  }
  const ts = expectKind(v, 'ts', 'TIME_SLICE');
  const secs = allocF64(n);
  const nanos = allocI32(n);
  const unit = part === 'hour' ? 3600 : part === 'minute' ? 60 : part === 'second' ? 1 : 0;
  for (let i = 0; i < n; i++) {
    if (nulls && nulls[i]) continue;
    const w = widths[i];
    if (unit > 0) {
      const span = unit * w;
      const start = Math.floor(ts.secs[i] / span) * span;
      secs[i] = end ? start + span : start;
    } else {
      const start = sliceStartDay(Math.floor(ts.secs[i] / SECONDS_PER_DAY), part, w, civil);
      secs[i] = (end ? sliceEndDay(start, part, w, civil) : start) * SECONDS_PER_DAY;
    }
  }
  checkSecs(secs, nulls, n, 'TIME_SLICE');
  return { kind: 'ts', length: n, secs, nanos, nulls };
}

export const timeSliceFunctions: FunctionDef[] = [{ name: 'time_slice', resolve: resolveTimeSlice, kernel: timeSliceKernel, strict: true }];

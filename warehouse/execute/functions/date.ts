/**
 * Date and time functions over DATE ('i32' days) and TIMESTAMP_NTZ ('ts': whole seconds +
 * nanoseconds, exact to the nanosecond over years 0001..9999):
 * YEAR, QUARTER, MONTH, WEEK (= WEEKOFYEAR), WEEKISO, DAY / DAYOFMONTH, DAYOFWEEK,
 * DAYOFWEEKISO, DAYOFYEAR, YEAROFWEEK, YEAROFWEEKISO (the ISO week-numbering year),
 * HOUR, MINUTE, SECOND, DATE_PART (EXTRACT binds to it; also WEEKISO, YEAROFWEEK[ISO] and the
 * EPOCH_SECOND / _MILLISECOND / _MICROSECOND / _NANOSECOND fields), DATE_TRUNC, DATEADD,
 * DATEDIFF, CURRENT_DATE, CURRENT_TIME (= LOCALTIME), CURRENT_TIMESTAMP, SYSDATE.
 *
 * Contract (Snowflake semantics):
 *  - Weeks follow the session's WEEK_START and WEEK_OF_YEAR_POLICY (the call's `settings`;
 *    "Calendar weeks and weekdays"): by default DAYOFWEEK is 0 (Sunday) .. 6 (Saturday), weeks
 *    start on Monday for DATE_TRUNC / DATEDIFF, and WEEK / YEAROFWEEK are ISO's. WEEK_START 1..7
 *    makes that day the first of the week (DAYOFWEEK 1 .. 7, DATE_TRUNC, LAST_DAY, DATEDIFF);
 *    WEEK_OF_YEAR_POLICY 1 makes the week of January 1st week 1 (civil-date.ts weekOfYearOn).
 *    WEEKISO, YEAROFWEEKISO and DAYOFWEEKISO are always ISO's.
 *  - DATE_TRUNC returns the input's type; DATEADD of a date part to a DATE returns a DATE,
 *    clamping the day to the target month (Jan 31 + 1 month = Feb 28 or 29).
 *  - DATEDIFF(part, a, b) counts the part boundaries crossed from a to b (year: year(b) -
 *    year(a), month: month index difference, day: day difference, hour: floor(hours) ...).
 *  - The part name is the first argument, a VARCHAR constant (any Snowflake abbreviation).
 *  - DATEADD results past 0001-01-01 .. 9999-12-31 raise DATETIME_OUT_OF_RANGE (datetime-range.ts).
 *  - A TIME ('f64' nanoseconds since midnight) is taken by HOUR, MINUTE, SECOND, and by
 *    DATE_PART / EXTRACT, DATEADD (wrapping around midnight) and DATEDIFF of a constant part
 *    hour .. nanosecond; any other function or part on a TIME is a type mismatch, as in
 *    Snowflake.
 * All arithmetic is integer civil-date math (civil-date.ts), no Date objects per row.
 */
import { zoneAware } from './zoned-date.js';
import { DEFAULT_TIMEZONE, zoneOffsetMinutes } from '../../../storage/types/time-zone.js';
import { allocF64, allocI32 } from '../batch/array-pool.js';
import { DataError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { NANOS_PER_DAY, Types } from '../../../storage/types/data-type.js';
import { timestampPrecision } from '../../../storage/types/data-type.js';
import { truncateTs } from '../../../storage/types/truncate-ts.js';
import type { F64Vector, TsVector, Vector } from '../../../storage/types/vector.js';
import { MAX_EXACT, NANOS_PER_SECOND } from '../../../storage/types/vector.js';
import {
  addMonths,
  civilFromDays,
  dayOfWeek,
  dayOfWeekOn,
  daysFromCivil,
  isDateLevelPart,
  microsPerPart,
  monthIndex,
  parseDatePart,
  weekOfYearOn,
  weekStartOn,
  type DatePart,
} from './civil-date.js';
import type { ExprSettings } from '../../fragment/expr-settings.js';
import { checkSecs, toDays } from './datetime-range.js';
import { fromBigints } from './decimal.js';
import { INTEGER, checkArity, coerceInteger, mismatch, type ConstArgs, type FunctionDef, type Signature } from './type-rules.js';
import { constOf, constParam, expectKind, isConst, materialize, nullsOf, orNulls, unionNulls, type Val } from './vector-kit.js';

const SECONDS_PER_DAY = 86_400;

// ---------------------------------------------------------------------------------------
// Typing

/** A date/time argument: DATE and TIMESTAMP_NTZ as they are, a string read as a timestamp. */
export function temporalArg(fn: string, all: readonly DataType[], t: DataType): DataType {
  switch (t.kind) {
    case 'DATE':
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return t;
    case 'VARCHAR':
    case 'NULL':
      return Types.timestampNtz;
    default:
      throw mismatch(fn, all);
  }
}

function partArg(fn: string, all: readonly DataType[], t: DataType): DataType {
  if (t.kind !== 'VARCHAR') throw mismatch(fn, all);
  return t;
}

/** Validates a literal part name when the binder passed it. */
function checkPart(fn: string, consts: ConstArgs): DatePart | null {
  const v = consts[0];
  return v === undefined || v === null ? null : parseDatePart(v, fn);
}

/** HOUR, MINUTE and SECOND also take a TIME (Snowflake's YEAR(time) and the like are errors). */
const TIME_FIELDS: ReadonlySet<string> = new Set(['hour', 'minute', 'second']);

function resolveExtract(fn: string) {
  return (types: readonly DataType[]): Signature => {
    checkArity(fn, types, 1, 1);
    if (types[0].kind === 'TIME' && TIME_FIELDS.has(fn)) return { argTypes: [types[0]], returnType: INTEGER };
    return { argTypes: [temporalArg(fn, types, types[0])], returnType: INTEGER };
  };
}

function resolveDatePart(types: readonly DataType[], consts: ConstArgs): Signature {
  checkArity('date_part', types, 2, 2);
  const extra = extraField(consts[0]) !== undefined || epochField(consts[0]) !== undefined;
  const p = extra ? null : checkPart('date_part', consts);
  if (types[1].kind === 'TIME') {
    // A TIME has only the parts of a day: a constant hour .. nanosecond.
    if (p === null || isDateLevelPart(p)) throw mismatch('date_part', types);
    return { argTypes: [partArg('date_part', types, types[0]), types[1]], returnType: INTEGER };
  }
  return { argTypes: [partArg('date_part', types, types[0]), temporalArg('date_part', types, types[1])], returnType: INTEGER };
}

function resolveDateTrunc(types: readonly DataType[], consts: ConstArgs): Signature {
  checkArity('date_trunc', types, 2, 2);
  checkPart('date_trunc', consts);
  const t = temporalArg('date_trunc', types, types[1]);
  return { argTypes: [partArg('date_trunc', types, types[0]), t], returnType: t };
}

/** DATEADD / DATEDIFF on a TIME: only a constant part of a day (hour .. nanosecond). */
function checkTimePart(fn: string, types: readonly DataType[], part: DatePart | null): void {
  if (part === null || isDateLevelPart(part)) throw mismatch(fn, types);
}

function resolveDateAdd(types: readonly DataType[], consts: ConstArgs): Signature {
  checkArity('dateadd', types, 3, 3);
  const part = checkPart('dateadd', consts);
  if (types[2].kind === 'TIME') {
    checkTimePart('dateadd', types, part);
    return { argTypes: [partArg('dateadd', types, types[0]), coerceInteger('dateadd', types, types[1]), types[2]], returnType: types[2] };
  }
  const t = temporalArg('dateadd', types, types[2]);
  // A DATE stays a DATE for date parts; with a time part (when the literal is known) it becomes a timestamp.
  const returnType = t.kind === 'DATE' && part !== null && !isDateLevelPart(part) ? Types.timestampNtz : t;
  return { argTypes: [partArg('dateadd', types, types[0]), coerceInteger('dateadd', types, types[1]), t], returnType };
}

function resolveDateDiff(types: readonly DataType[], consts: ConstArgs): Signature {
  checkArity('datediff', types, 3, 3);
  const part = checkPart('datediff', consts);
  if (types[1].kind === 'TIME' || types[2].kind === 'TIME') {
    // Two TIMEs (a string converts to TIME): the part boundaries crossed within the day.
    checkTimePart('datediff', types, part);
    const time = (t: DataType) => (t.kind === 'TIME' ? t : t.kind === 'VARCHAR' || t.kind === 'NULL' ? Types.time() : null);
    const a = time(types[1]);
    const b = time(types[2]);
    if (a === null || b === null) throw mismatch('datediff', types);
    return { argTypes: [partArg('datediff', types, types[0]), a, b], returnType: INTEGER };
  }
  let a = temporalArg('datediff', types, types[1]);
  let b = temporalArg('datediff', types, types[2]);
  if (a.kind !== b.kind) a = b = Types.timestampNtz;
  return { argTypes: [partArg('datediff', types, types[0]), a, b], returnType: INTEGER };
}

// ---------------------------------------------------------------------------------------
// Per-row access

/** Day numbers of a DATE or TIMESTAMP vector. */
export function daysOf(v: Vector): Int32Array {
  if (v.kind === 'i32') return v.values;
  const secs = expectKind(v, 'ts', 'date function').secs;
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = Math.floor(secs[i] / SECONDS_PER_DAY);
  return out;
}

/** A DATE or TIMESTAMP vector as a timestamp (a DATE is its midnight). */
export function tsOf(v: Vector): TsVector {
  if (v.kind === 'ts') return v;
  if (v.kind === 'f64') {
    // A TIME (nanoseconds since midnight) as that time on 1970-01-01.
    const secs = new Float64Array(v.length);
    const nanos = new Int32Array(v.length);
    for (let i = 0; i < v.length; i++) {
      secs[i] = Math.floor(v.values[i] / NANOS_PER_SECOND);
      nanos[i] = v.values[i] - secs[i] * NANOS_PER_SECOND;
    }
    return { kind: 'ts', length: v.length, secs, nanos, nulls: v.nulls };
  }
  const days = expectKind(v, 'i32', 'date function').values;
  const secs = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) secs[i] = days[i] * SECONDS_PER_DAY;
  return { kind: 'ts', length: v.length, secs, nanos: new Int32Array(v.length), nulls: v.nulls };
}

/** Integer argument rows (a constant is broadcast). */
export function intsOf(v: Val, n: number): Float64Array {
  if (isConst(v)) return allocF64(n).fill(Number(v.value));
  if (v.kind === 'dec') return Float64Array.from(v.values, Number);
  return (v as F64Vector).values;
}

function part(args: Val[], argTypes: readonly DataType[], n: number, fn: string): DatePart {
  const p = constParam(args[0], argTypes[0], n);
  if (p === undefined) throw new DataError('TYPE_MISMATCH', `${fn.toUpperCase()} needs a constant date or time part`);
  return parseDatePart(p, fn);
}

// ---------------------------------------------------------------------------------------
// Extraction

const DateField = {
  YEAR: 'year',
  QUARTER: 'quarter',
  MONTH: 'month',
  WEEK: 'week',
  DAY: 'day',
  DAYOFWEEK: 'dayofweek',
  DAYOFWEEKISO: 'dayofweekiso',
  DAYOFYEAR: 'dayofyear',
  HOUR: 'hour',
  MINUTE: 'minute',
  SECOND: 'second',
  YEAROFWEEK: 'yearofweek',
  WEEKISO: 'weekiso',
  YEAROFWEEKISO: 'yearofweekiso',
} as const;
type DateField = (typeof DateField)[keyof typeof DateField];

/** ISO-8601 week number of a day. */
function isoWeek(days: number, civil: Int32Array): number {
  const thursday = days - ((dayOfWeek(days) + 6) % 7) + 3;
  civilFromDays(thursday, civil);
  const jan1 = daysFromCivil(civil[0], 1, 1);
  return Math.floor((thursday - jan1) / 7) + 1;
}

/** ISO-8601 week-numbering year of a day: the year of its week's Thursday. */
function isoYear(days: number, civil: Int32Array): number {
  civilFromDays(days - ((dayOfWeek(days) + 6) % 7) + 3, civil);
  return civil[0];
}

function extractValues(what: DateField, v: Vector, settings?: ExprSettings): F64Vector {
  const n = v.length;
  const out = allocF64(n);
  const civil = new Int32Array(3);
  const start = settings?.weekStart ?? 0;
  const policy = settings?.weekOfYearPolicy ?? 0;
  // WEEK / YEAROFWEEK are ISO's at the default WEEK_START and WEEK_OF_YEAR_POLICY.
  const isoWeeks = start === 0 && policy === 0;
  if (what === 'hour' || what === 'minute' || what === 'second') {
    const secs = tsOf(v).secs;
    const unit = what === 'hour' ? 3600 : what === 'minute' ? 60 : 1;
    const modulo = what === 'hour' ? 24 : 60;
    for (let i = 0; i < n; i++) {
      const within = secs[i] - Math.floor(secs[i] / SECONDS_PER_DAY) * SECONDS_PER_DAY;
      out[i] = Math.floor(within / unit) % modulo;
    }
    return { kind: 'f64', length: n, values: out, nulls: v.nulls };
  }
  const days = daysOf(v);
  switch (what) {
    case 'year':
      for (let i = 0; i < n; i++) {
        civilFromDays(days[i], civil);
        out[i] = civil[0];
      }
      break;
    case 'quarter':
      for (let i = 0; i < n; i++) {
        civilFromDays(days[i], civil);
        out[i] = Math.floor((civil[1] - 1) / 3) + 1;
      }
      break;
    case 'month':
      for (let i = 0; i < n; i++) {
        civilFromDays(days[i], civil);
        out[i] = civil[1];
      }
      break;
    case 'day':
      for (let i = 0; i < n; i++) {
        civilFromDays(days[i], civil);
        out[i] = civil[2];
      }
      break;
    case 'weekiso':
      for (let i = 0; i < n; i++) out[i] = isoWeek(days[i], civil);
      break;
    case 'yearofweekiso':
      for (let i = 0; i < n; i++) out[i] = isoYear(days[i], civil);
      break;
    case 'week':
    case 'yearofweek': {
      if (isoWeeks) {
        for (let i = 0; i < n; i++) out[i] = what === 'week' ? isoWeek(days[i], civil) : isoYear(days[i], civil);
        break;
      }
      const wy = new Int32Array(2);
      const k = what === 'week' ? 0 : 1;
      for (let i = 0; i < n; i++) {
        weekOfYearOn(days[i], start, policy, wy, civil);
        out[i] = wy[k];
      }
      break;
    }
    case 'dayofweek':
      for (let i = 0; i < n; i++) out[i] = dayOfWeekOn(days[i], start);
      break;
    case 'dayofweekiso':
      for (let i = 0; i < n; i++) out[i] = ((dayOfWeek(days[i]) + 6) % 7) + 1;
      break;
    case 'dayofyear':
      for (let i = 0; i < n; i++) {
        civilFromDays(days[i], civil);
        out[i] = days[i] - daysFromCivil(civil[0], 1, 1) + 1;
      }
      break;
  }
  return { kind: 'f64', length: n, values: out, nulls: v.nulls };
}

function extractKernel(what: DateField) {
  return (args: Val[], _argTypes: readonly DataType[], _type: DataType, _n: number, _zone?: string, settings?: ExprSettings): Val => extractValues(what, args[0] as Vector, settings);
}

/** DATE_PART fields that are not date/time parts of DATEADD/DATEDIFF (Snowflake's names). */
const EXTRA_FIELDS: Record<string, DateField> = {
  dayofweek: 'dayofweek',
  weekday: 'dayofweek',
  dow: 'dayofweek',
  dw: 'dayofweek',
  dayofweekiso: 'dayofweekiso',
  weekday_iso: 'dayofweekiso',
  dow_iso: 'dayofweekiso',
  dw_iso: 'dayofweekiso',
  dayofyear: 'dayofyear',
  yearday: 'dayofyear',
  doy: 'dayofyear',
  dy: 'dayofyear',
  weekiso: 'weekiso',
  week_iso: 'weekiso',
  weekofyeariso: 'weekiso',
  weekofyear_iso: 'weekiso',
  yearofweek: 'yearofweek',
  yearofweekiso: 'yearofweekiso',
};

/** DATE_PART's epoch fields: units per second. */
const EPOCH_FIELDS: Record<string, number> = {
  epoch: 1,
  epoch_second: 1,
  epoch_seconds: 1,
  epoch_millisecond: 1000,
  epoch_milliseconds: 1000,
  epoch_microsecond: 1_000_000,
  epoch_microseconds: 1_000_000,
  epoch_nanosecond: NANOS_PER_SECOND,
  epoch_nanoseconds: NANOS_PER_SECOND,
};

function epochField(name: unknown): number | undefined {
  return typeof name === 'string' ? EPOCH_FIELDS[name.trim().toLowerCase()] : undefined;
}

/**
 * Whole units since 1970-01-01 00:00:00, rounded down (so before 1970 too):
 * secs * perSecond + floor(nanos / (1e9 / perSecond)), on doubles while exact, else bigints.
 */
function epochValues(perSecond: number, v: Vector): Vector {
  const n = v.length;
  const { secs, nanos } = tsOf(v);
  const div = NANOS_PER_SECOND / perSecond;
  const out = allocF64(n);
  let fits = true;
  for (let i = 0; i < n; i++) {
    const r = secs[i] * perSecond + Math.floor(nanos[i] / div);
    if (r >= MAX_EXACT || r <= -MAX_EXACT) fits = false;
    out[i] = r;
  }
  if (fits) return { kind: 'f64', length: n, values: out, nulls: v.nulls };
  const big = new Array<bigint>(n);
  const per = BigInt(perSecond);
  for (let i = 0; i < n; i++) big[i] = v.nulls && v.nulls[i] ? 0n : BigInt(secs[i]) * per + BigInt(Math.floor(nanos[i] / div));
  return fromBigints(big, v.nulls, INTEGER.precision, 0);
}

function extraField(name: unknown): DateField | undefined {
  return typeof name === 'string' ? EXTRA_FIELDS[name.trim().toLowerCase()] : undefined;
}

function datePartKernel(args: Val[], argTypes: readonly DataType[], _type: DataType, n: number, _zone?: string, settings?: ExprSettings): Val {
  const v = materialize(args[1], argTypes[1], n);
  const name = constParam(args[0], argTypes[0], n);
  const extra = extraField(name);
  if (extra) return extractValues(extra, v, settings);
  const epoch = epochField(name);
  if (epoch !== undefined) return epochValues(epoch, v);
  const p = part(args, argTypes, n, 'date_part');
  switch (p) {
    case 'millisecond':
    case 'microsecond':
    case 'nanosecond': {
      // Within the second: milliseconds 0..999, microseconds 0..999999, nanoseconds 0..999999999.
      const nanos = tsOf(v).nanos;
      const out = allocF64(n);
      const div = p === 'millisecond' ? 1_000_000 : p === 'microsecond' ? 1000 : 1;
      for (let i = 0; i < n; i++) out[i] = Math.floor(nanos[i] / div);
      return { kind: 'f64', length: n, values: out, nulls: v.nulls };
    }
    default:
      return extractValues(p, v, settings);
  }
}

// ---------------------------------------------------------------------------------------
// DATE_TRUNC

function truncDay(days: number, p: DatePart, civil: Int32Array, start = 0): number {
  switch (p) {
    case 'year':
      civilFromDays(days, civil);
      return daysFromCivil(civil[0], 1, 1);
    case 'quarter':
      civilFromDays(days, civil);
      return daysFromCivil(civil[0], civil[1] - ((civil[1] - 1) % 3), 1);
    case 'month':
      civilFromDays(days, civil);
      return daysFromCivil(civil[0], civil[1], 1);
    case 'week':
      return weekStartOn(days, start);
    default:
      return days;
  }
}

export function dateTruncKernel(args: Val[], argTypes: readonly DataType[], _type: DataType, n: number, _zone?: string, settings?: ExprSettings): Val {
  const p = part(args, argTypes, n, 'date_trunc');
  const v = materialize(args[1], argTypes[1], n);
  const civil = new Int32Array(3);
  const start = settings?.weekStart ?? 0;
  if (v.kind === 'i32') {
    const out = allocI32(n);
    const days = v.values;
    for (let i = 0; i < n; i++) out[i] = truncDay(days[i], p, civil, start);
    return { kind: 'i32', length: n, values: out, nulls: v.nulls };
  }
  const ts = expectKind(v, 'ts', 'DATE_TRUNC');
  const secs = allocF64(n);
  const nanos = allocI32(n);
  const src = ts.secs;
  if (isDateLevelPart(p)) {
    for (let i = 0; i < n; i++) secs[i] = truncDay(Math.floor(src[i] / SECONDS_PER_DAY), p, civil, start) * SECONDS_PER_DAY;
  } else if (p === 'hour' || p === 'minute' || p === 'second') {
    const unit = p === 'hour' ? 3600 : p === 'minute' ? 60 : 1;
    for (let i = 0; i < n; i++) secs[i] = Math.floor(src[i] / unit) * unit;
  } else {
    const unit = nanosPerPart(p);
    secs.set(src.subarray(0, n));
    for (let i = 0; i < n; i++) nanos[i] = ts.nanos[i] - (ts.nanos[i] % unit);
  }
  return { kind: 'ts', length: n, secs, nanos, nulls: v.nulls };
}

/** Nanoseconds in a sub-second part. */
function nanosPerPart(p: DatePart): number {
  return p === 'millisecond' ? 1_000_000 : p === 'microsecond' ? 1000 : 1;
}

/** Seconds in a fixed-length part of a second or more (hour, minute, second, day, week). */
function secondsPerPart(p: DatePart): number {
  return microsPerPart(p) / 1_000_000;
}

// ---------------------------------------------------------------------------------------
// DATEADD

function monthsPer(p: DatePart): number {
  return p === 'year' ? 12 : p === 'quarter' ? 3 : p === 'month' ? 1 : 0;
}

function dateAddKernel(args: Val[], argTypes: readonly DataType[], type: DataType, n: number): Val {
  const p = part(args, argTypes, n, 'dateadd');
  const k = intsOf(args[1], n);
  const v = materialize(args[2], argTypes[2], n);
  const nulls = orNulls(nullsOf(args[1], n), v.nulls, n);
  if (type.kind === 'TIME') return timeAdd(expectKind(v, 'f64', 'DATEADD').values, k, p, nulls, n);
  const months = monthsPer(p);
  if (v.kind === 'i32' && isDateLevelPart(p)) {
    const days = v.values;
    // Computed on doubles and range-checked before they become Int32 day counts.
    const out = allocF64(n);
    if (months > 0) for (let i = 0; i < n; i++) out[i] = addMonths(days[i], k[i] * months);
    else {
      const step = p === 'week' ? 7 : 1;
      for (let i = 0; i < n; i++) out[i] = days[i] + k[i] * step;
    }
    return { kind: 'i32', length: n, values: toDays(out, nulls, n, 'DATEADD'), nulls };
  }
  const ts = tsOf(v);
  const src = ts.secs;
  const secs = allocF64(n);
  const nanos = ts.nanos.slice(0, n);
  if (months > 0) {
    for (let i = 0; i < n; i++) {
      const day = Math.floor(src[i] / SECONDS_PER_DAY);
      secs[i] = addMonths(day, k[i] * months) * SECONDS_PER_DAY + (src[i] - day * SECONDS_PER_DAY);
    }
  } else if (p === 'millisecond' || p === 'microsecond' || p === 'nanosecond') {
    // k units = whole seconds + a remainder below one second, so every step stays exact:
    //   total = nanos + k * unit; secs += floor(total / 1e9); nanos = total mod 1e9
    const unit = nanosPerPart(p);
    const perSecond = NANOS_PER_SECOND / unit;
    for (let i = 0; i < n; i++) {
      const whole = Math.floor(k[i] / perSecond);
      const t = nanos[i] + (k[i] - whole * perSecond) * unit;
      const carry = t >= NANOS_PER_SECOND ? 1 : 0;
      secs[i] = src[i] + whole + carry;
      nanos[i] = t - carry * NANOS_PER_SECOND;
    }
  } else {
    const unit = secondsPerPart(p);
    for (let i = 0; i < n; i++) secs[i] = src[i] + k[i] * unit;
  }
  checkSecs(secs, nulls, n, 'DATEADD');
  if (type.kind === 'DATE') {
    // A DATE result for a time part (the binder did not know the part): keep the day.
    const days = allocI32(n);
    for (let i = 0; i < n; i++) days[i] = Math.floor(secs[i] / SECONDS_PER_DAY);
    return { kind: 'i32', length: n, values: days, nulls };
  }
  return truncateTs({ kind: 'ts', length: n, secs, nanos, nulls }, timestampPrecision(type));
}

/**
 * TIME + k parts, wrapping around midnight as Snowflake does. k is first reduced modulo the
 * parts in a day, so (k mod m) * unit < one day and every step stays an exact double.
 */
function timeAdd(ns: Float64Array, k: Float64Array, p: DatePart, nulls: Uint8Array | null, n: number): F64Vector {
  const unit = p === 'hour' || p === 'minute' || p === 'second' ? secondsPerPart(p) * NANOS_PER_SECOND : nanosPerPart(p);
  const perDay = NANOS_PER_DAY / unit;
  const out = allocF64(n);
  for (let i = 0; i < n; i++) {
    const r = k[i] - Math.floor(k[i] / perDay) * perDay;
    const t = ns[i] + r * unit;
    out[i] = t >= NANOS_PER_DAY ? t - NANOS_PER_DAY : t;
  }
  return { kind: 'f64', length: n, values: out, nulls };
}

// ---------------------------------------------------------------------------------------
// DATEDIFF

/** The boundary count of a day number for a date part (differences of these are DATEDIFF). */
function dayOrdinal(days: number, p: DatePart, civil: Int32Array, start = 0): number {
  switch (p) {
    case 'year':
      civilFromDays(days, civil);
      return civil[0];
    case 'quarter':
      return Math.floor(monthIndex(days) / 3);
    case 'month':
      return monthIndex(days);
    case 'week':
      // Weeks since the one holding 1970-01-01 (their first days are all the same weekday).
      return (weekStartOn(days, start) - weekStartOn(0, start)) / 7;
    default:
      return days;
  }
}

function dateDiffKernel(args: Val[], argTypes: readonly DataType[], _type: DataType, n: number, _zone?: string, settings?: ExprSettings): Val {
  const p = part(args, argTypes, n, 'datediff');
  const a = materialize(args[1], argTypes[1], n);
  const b = materialize(args[2], argTypes[2], n);
  const nulls = unionNulls([a, b], n);
  const out = allocF64(n);
  const civil = new Int32Array(3);
  if (isDateLevelPart(p)) {
    const da = daysOf(a);
    const db = daysOf(b);
    const start = settings?.weekStart ?? 0;
    for (let i = 0; i < n; i++) out[i] = dayOrdinal(db[i], p, civil, start) - dayOrdinal(da[i], p, civil, start);
    return { kind: 'f64', length: n, values: out, nulls };
  }
  const ta = tsOf(a);
  const tb = tsOf(b);
  if (p === 'hour' || p === 'minute' || p === 'second') {
    const unit = secondsPerPart(p);
    for (let i = 0; i < n; i++) out[i] = Math.floor(tb.secs[i] / unit) - Math.floor(ta.secs[i] / unit);
    return { kind: 'f64', length: n, values: out, nulls };
  }
  // Sub-second parts: boundaries crossed = (sb - sa) * perSecond + floor(nb / u) - floor(na / u),
  // on doubles while exact, else on bigints.
  const unit = nanosPerPart(p);
  const perSecond = NANOS_PER_SECOND / unit;
  let fits = true;
  for (let i = 0; i < n; i++) {
    const r = (tb.secs[i] - ta.secs[i]) * perSecond + Math.floor(tb.nanos[i] / unit) - Math.floor(ta.nanos[i] / unit);
    out[i] = r;
    if (r >= MAX_EXACT || r <= -MAX_EXACT) fits = false;
  }
  if (fits) return { kind: 'f64', length: n, values: out, nulls };
  const big = new Array<bigint>(n);
  const per = BigInt(perSecond);
  for (let i = 0; i < n; i++) {
    if (nulls && nulls[i]) {
      big[i] = 0n;
      continue;
    }
    big[i] = (BigInt(tb.secs[i]) - BigInt(ta.secs[i])) * per + BigInt(Math.floor(tb.nanos[i] / unit) - Math.floor(ta.nanos[i] / unit));
  }
  return fromBigints(big, nulls, INTEGER.precision, 0);
}

/**
 * The clock, read once per evaluation, as Snowflake types it: CURRENT_TIMESTAMP (and its
 * synonyms LOCALTIMESTAMP, GETDATE, SYSTIMESTAMP) is the instant as a TIMESTAMP_LTZ (shown in
 * the session's TIMEZONE), SYSDATE the UTC wall clock as a TIMESTAMP_NTZ, CURRENT_DATE today's
 * date in the session's TIMEZONE (the call's `zone`, stamped by the binder; Snowflake's default
 * zone without one), CURRENT_TIME the time of day there. An LTZ's and a UTC NTZ's scalar are
 * the same epoch nanoseconds.
 */
function nowKernel(_args: Val[], _argTypes: readonly DataType[], type: DataType, _n: number, zone?: string): Val {
  const ms = Date.now();
  if (type.kind !== 'DATE' && type.kind !== 'TIME') return constOf(BigInt(ms) * 1_000_000n);
  const secs = Math.floor(ms / 1000);
  const local = ms + zoneOffsetMinutes(zone ?? DEFAULT_TIMEZONE, secs) * 60_000;
  if (type.kind === 'TIME') return constOf((((local % 86_400_000) + 86_400_000) % 86_400_000) * 1_000_000);
  return constOf(Math.floor(local / 86_400_000));
}

function resolveNow(fn: string, returnType: DataType) {
  return (types: readonly DataType[]): Signature => {
    checkArity(fn, types, 0, 0);
    return { argTypes: [], returnType };
  };
}

const extractFunction = (name: DateField, aliases?: string[]): FunctionDef => ({
  name,
  aliases,
  resolve: resolveExtract(name),
  kernel: extractKernel(name),
  strict: true,
});

export const dateFunctions: FunctionDef[] = ([
  extractFunction('year'),
  extractFunction('quarter'),
  extractFunction('month'),
  extractFunction('week', ['weekofyear']),
  extractFunction('weekiso'),
  extractFunction('day', ['dayofmonth']),
  extractFunction('dayofweek'),
  extractFunction('dayofweekiso'),
  extractFunction('dayofyear'),
  extractFunction('yearofweek'),
  extractFunction('yearofweekiso'),
  extractFunction('hour'),
  extractFunction('minute'),
  extractFunction('second'),
  { name: 'date_part', resolve: resolveDatePart, kernel: datePartKernel, strict: true },
  { name: 'date_trunc', resolve: resolveDateTrunc, kernel: dateTruncKernel, strict: true },
  { name: 'dateadd', aliases: ['timeadd', 'timestampadd'], resolve: resolveDateAdd, kernel: dateAddKernel, strict: true },
  { name: 'datediff', aliases: ['timediff', 'timestampdiff'], resolve: resolveDateDiff, kernel: dateDiffKernel, strict: true },
] as FunctionDef[])
  .map(zoneAware)
  .concat([
    // The clock (nowKernel) computes its own zone: no wall-clock conversion around it.
    { name: 'current_date', resolve: resolveNow('current_date', Types.date), kernel: nowKernel, strict: true },
    { name: 'current_time', aliases: ['localtime'], resolve: resolveNow('current_time', Types.time(9)), kernel: nowKernel, strict: true },
    { name: 'current_timestamp', aliases: ['localtimestamp', 'getdate', 'systimestamp'], resolve: resolveNow('current_timestamp', Types.timestampLtz), kernel: nowKernel, strict: true },
    { name: 'sysdate', resolve: resolveNow('sysdate', Types.timestampNtz), kernel: nowKernel, strict: true },
  ]);

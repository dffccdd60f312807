/**
 * Calendar functions dbt-date's Snowflake macros use: DATE_FROM_PARTS (= DATEFROMPARTS),
 * TIMESTAMP_FROM_PARTS (= TIMESTAMP_NTZ_FROM_PARTS, TIMESTAMPFROMPARTS,
 * TIMESTAMPNTZFROMPARTS), TIME_FROM_PARTS (= TIMEFROMPARTS), LAST_DAY, NEXT_DAY,
 * PREVIOUS_DAY, ADD_MONTHS, MONTHS_BETWEEN, DAYNAME and MONTHNAME. (YEAROFWEEK and the
 * week functions are date.ts's extractions.)
 *
 * Contract (Snowflake's rules; integer civil-date math from civil-date.ts, no Date objects):
 *  - The *_FROM_PARTS functions take integers and normalize values outside the usual ranges
 *    by carrying into the next larger unit: month 13 is January of the next year, month 0
 *    December of the previous one, day 0 the last day of the previous month, hour 25 one o'clock
 *    the next day, negative values count back. TIMESTAMP_FROM_PARTS also takes (date, time).
 *    TIME_FROM_PARTS wraps around midnight. A DATE or TIMESTAMP outside 0001..9999 raises
 *    DATETIME_OUT_OF_RANGE.
 *  - LAST_DAY(d [, part = 'month']): the last day of d's year, quarter, month or week (weeks
 *    start on the session's WEEK_START: end on Sunday by default); other parts are a type mismatch. NEXT_DAY / PREVIOUS_DAY
 *    (d, day_name): the nearest such weekday strictly after / before d; the day name is read
 *    by its first two letters, any case ('mo', 'Mon', 'monday'); anything else raises
 *    INVALID_ARGUMENT_VALUE. These return a DATE, also for a TIMESTAMP input.
 *  - ADD_MONTHS(d, n) keeps d's type (and time of day); a day past the end of the target month
 *    is clamped, and the last day of a month maps to the last day of the target month (unlike
 *    DATEADD: ADD_MONTHS('2023-02-28', 1) is 2023-03-31).
 *  - MONTHS_BETWEEN(a, b) is a FLOAT: whole months from years and months, plus (day and time
 *    difference) / 31 days, except that the same day of month, or both last days of their
 *    months, give a whole number.
 *  - DAYNAME and MONTHNAME are three-letter English names ('Mon', 'Jan').
 * Strings are read as timestamps, as elsewhere in date.ts. Any NULL argument gives NULL.
 */
import { allocF64, allocI32 } from '../batch/array-pool.js';
import { CompilationError, DataError } from '../../../storage/errors/firn-error.js';
import { clipValue } from '../../../storage/errors/clip-value.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { NANOS_PER_DAY, Types } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { NANOS_PER_SECOND } from '../../../storage/types/vector.js';
import { civilFromDays, dayOfWeek, daysFromCivil, daysInMonth, parseDatePart, weekStartOn, type DatePart } from './civil-date.js';
import type { ExprSettings } from '../../fragment/expr-settings.js';
import { daysOf, intsOf, temporalArg, tsOf } from './date.js';
import { checkSecs, toDays } from './datetime-range.js';
import { checkArity, coerce, coerceInteger, coerceString, mismatch, type ConstArgs, type FunctionDef, type Signature } from './type-rules.js';
import { constParam, isConst, materialize, unionNulls, type Val } from './vector-kit.js';

const SECONDS_PER_DAY = 86_400;

/** Day number of (year, month, day) with months and days outside their ranges carried over. */
function normalizedDays(y: number, m: number, d: number): number {
  const total = y * 12 + (m - 1);
  const year = Math.floor(total / 12);
  return daysFromCivil(year, total - year * 12 + 1, 1) + d - 1;
}

// ---------------------------------------------------------------------------------------
// DATE_FROM_PARTS, TIMESTAMP_FROM_PARTS, TIME_FROM_PARTS

function resolveInts(fn: string, min: number, max: number, returnType: DataType) {
  return (types: readonly DataType[]): Signature => {
    checkArity(fn, types, min, max);
    return { argTypes: types.map((t) => coerceInteger(fn, types, t)), returnType };
  };
}

function dateFromPartsKernel(args: Val[], _argTypes: readonly DataType[], _type: DataType, n: number): Val {
  const [y, m, d] = args.map((a) => intsOf(a, n));
  const nulls = unionNulls(args, n);
  const out = allocF64(n);
  for (let i = 0; i < n; i++) out[i] = normalizedDays(y[i], m[i], d[i]);
  return { kind: 'i32', length: n, values: toDays(out, nulls, n, 'DATE_FROM_PARTS'), nulls };
}

function timestampFromPartsKernel(args: Val[], argTypes: readonly DataType[], _type: DataType, n: number): Val {
  const nulls = unionNulls(args, n);
  const secs = allocF64(n);
  const nanos = allocI32(n);
  if (args.length === 2) {
    const days = daysOf(materialize(args[0], argTypes[0], n));
    const time = (materialize(args[1], argTypes[1], n) as Extract<Vector, { kind: 'f64' }>).values;
    for (let i = 0; i < n; i++) {
      const s = Math.floor(time[i] / NANOS_PER_SECOND);
      secs[i] = days[i] * SECONDS_PER_DAY + s;
      nanos[i] = time[i] - s * NANOS_PER_SECOND;
    }
  } else {
    const [y, mo, d, h, mi, s] = args.map((a) => intsOf(a, n));
    const ns = args.length > 6 ? intsOf(args[6], n) : null;
    for (let i = 0; i < n; i++) {
      let total = normalizedDays(y[i], mo[i], d[i]) * SECONDS_PER_DAY + h[i] * 3600 + mi[i] * 60 + s[i];
      let frac = 0;
      if (ns) {
        const carry = Math.floor(ns[i] / NANOS_PER_SECOND);
        total += carry;
        frac = ns[i] - carry * NANOS_PER_SECOND;
      }
      secs[i] = total;
      nanos[i] = frac;
    }
  }
  checkSecs(secs, nulls, n, 'TIMESTAMP_FROM_PARTS');
  return { kind: 'ts', length: n, secs, nanos, nulls };
}

function resolveTimestampFromParts(types: readonly DataType[]): Signature {
  if (types.length === 2) {
    const fn = 'timestamp_from_parts';
    return { argTypes: [coerce(fn, types, types[0], Types.date), coerce(fn, types, types[1], Types.time())], returnType: Types.timestampNtz };
  }
  return resolveInts('timestamp_from_parts', 6, 7, Types.timestampNtz)(types);
}

function timeFromPartsKernel(args: Val[], _argTypes: readonly DataType[], _type: DataType, n: number): Val {
  const [h, mi, s] = args.map((a) => intsOf(a, n));
  const ns = args.length > 3 ? intsOf(args[3], n) : null;
  const nulls = unionNulls(args, n);
  const out = allocF64(n);
  for (let i = 0; i < n; i++) {
    const seconds = h[i] * 3600 + mi[i] * 60 + s[i];
    const inDay = seconds - Math.floor(seconds / SECONDS_PER_DAY) * SECONDS_PER_DAY;
    const extra = ns ? ns[i] - Math.floor(ns[i] / NANOS_PER_DAY) * NANOS_PER_DAY : 0;
    const t = inDay * NANOS_PER_SECOND + extra;
    out[i] = t >= NANOS_PER_DAY ? t - NANOS_PER_DAY : t;
  }
  return { kind: 'f64', length: n, values: out, nulls };
}

// ---------------------------------------------------------------------------------------
// LAST_DAY, NEXT_DAY, PREVIOUS_DAY

const LAST_DAY_PARTS: ReadonlySet<DatePart> = new Set(['year', 'quarter', 'month', 'week']);

function lastDayPart(name: unknown): DatePart {
  const part = parseDatePart(name, 'last_day');
  if (!LAST_DAY_PARTS.has(part)) {
    throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: invalid date part '${clipValue(String(name))}' for function LAST_DAY: expected YEAR, QUARTER, MONTH or WEEK`);
  }
  return part;
}

function resolveLastDay(types: readonly DataType[], consts: ConstArgs): Signature {
  checkArity('last_day', types, 1, 2);
  const part = consts[1];
  if (part !== undefined && part !== null) lastDayPart(part);
  const argTypes = [temporalArg('last_day', types, types[0])];
  if (types.length === 2) argTypes.push(coerceString('last_day', types, types[1]));
  return { argTypes, returnType: Types.date };
}

function lastDayOf(days: number, part: DatePart, civil: Int32Array, start: number): number {
  if (part === 'week') return weekStartOn(days, start) + 6;
  civilFromDays(days, civil);
  const y = civil[0];
  const m = part === 'year' ? 12 : part === 'quarter' ? civil[1] + 2 - ((civil[1] - 1) % 3) : civil[1];
  return daysFromCivil(y, m, daysInMonth(y, m));
}

function lastDayKernel(args: Val[], argTypes: readonly DataType[], _type: DataType, n: number, _zone?: string, settings?: ExprSettings): Val {
  const name = args.length > 1 ? constParam(args[1], argTypes[1], n) : 'month';
  if (name === undefined) throw new DataError('TYPE_MISMATCH', 'LAST_DAY needs a constant date part');
  const part = lastDayPart(name);
  const v = materialize(args[0], argTypes[0], n);
  const days = daysOf(v);
  const out = allocI32(n);
  const civil = new Int32Array(3);
  const start = settings?.weekStart ?? 0;
  for (let i = 0; i < n; i++) out[i] = lastDayOf(days[i], part, civil, start);
  return { kind: 'i32', length: n, values: out, nulls: unionNulls(args, n) };
}

const WEEKDAYS = ['su', 'mo', 'tu', 'we', 'th', 'fr', 'sa'];

/** A day name's weekday, Sunday = 0 (its first two letters, any case). */
function weekdayOf(fn: string, name: string): number {
  const k = WEEKDAYS.indexOf(name.trim().slice(0, 2).toLowerCase());
  if (k < 0) throw new DataError('INVALID_ARGUMENT_VALUE', `Invalid day of week '${clipValue(name)}' for ${fn.toUpperCase()}: expected a day name such as 'MO', 'Tue' or 'wednesday'`);
  return k;
}

function resolveDayShift(fn: string) {
  return (types: readonly DataType[], consts: ConstArgs): Signature => {
    checkArity(fn, types, 2, 2);
    const name = consts[1];
    if (typeof name === 'string') weekdayOf(fn, name);
    return { argTypes: [temporalArg(fn, types, types[0]), coerceString(fn, types, types[1])], returnType: Types.date };
  };
}

function dayShiftKernel(fn: string, forward: boolean) {
  return (args: Val[], argTypes: readonly DataType[], _type: DataType, n: number): Val => {
    const days = daysOf(materialize(args[0], argTypes[0], n));
    const nulls = unionNulls(args, n);
    const names = args[1];
    let targetOf: (i: number) => number;
    if (isConst(names)) {
      const k = weekdayOf(fn, String(names.value));
      targetOf = () => k;
    } else {
      const v = names as Extract<Vector, { kind: 'str' }>;
      targetOf = (i) => weekdayOf(fn, v.dict[v.codes[i]]);
    }
    const out = allocF64(n);
    for (let i = 0; i < n; i++) {
      if (nulls && nulls[i]) continue;
      const dow = dayOfWeek(days[i]);
      const t = targetOf(i);
      out[i] = forward ? days[i] + ((t - dow + 7) % 7 || 7) : days[i] - ((dow - t + 7) % 7 || 7);
    }
    return { kind: 'i32', length: n, values: toDays(out, nulls, n, fn.toUpperCase()), nulls };
  };
}

// ---------------------------------------------------------------------------------------
// ADD_MONTHS, MONTHS_BETWEEN

/** ADD_MONTHS of a day number: the end of a month stays the end of a month. */
function addMonthsKeepingEnd(days: number, k: number, civil: Int32Array): number {
  civilFromDays(days, civil);
  const [y, m, d] = civil;
  const total = y * 12 + (m - 1) + k;
  const ty = Math.floor(total / 12);
  const tm = total - ty * 12 + 1;
  const last = daysInMonth(ty, tm);
  return daysFromCivil(ty, tm, d === daysInMonth(y, m) ? last : Math.min(d, last));
}

function resolveAddMonths(types: readonly DataType[]): Signature {
  checkArity('add_months', types, 2, 2);
  const t = temporalArg('add_months', types, types[0]);
  return { argTypes: [t, coerceInteger('add_months', types, types[1])], returnType: t };
}

function addMonthsKernel(args: Val[], argTypes: readonly DataType[], type: DataType, n: number): Val {
  const v = materialize(args[0], argTypes[0], n);
  const k = intsOf(args[1], n);
  const nulls = unionNulls(args, n);
  const civil = new Int32Array(3);
  if (type.kind === 'DATE') {
    const days = (v as Extract<Vector, { kind: 'i32' }>).values;
    const out = allocF64(n);
    for (let i = 0; i < n; i++) out[i] = nulls && nulls[i] ? 0 : addMonthsKeepingEnd(days[i], k[i], civil);
    return { kind: 'i32', length: n, values: toDays(out, nulls, n, 'ADD_MONTHS'), nulls };
  }
  const ts = tsOf(v);
  const secs = allocF64(n);
  for (let i = 0; i < n; i++) {
    if (nulls && nulls[i]) continue;
    const day = Math.floor(ts.secs[i] / SECONDS_PER_DAY);
    secs[i] = addMonthsKeepingEnd(day, k[i], civil) * SECONDS_PER_DAY + (ts.secs[i] - day * SECONDS_PER_DAY);
  }
  checkSecs(secs, nulls, n, 'ADD_MONTHS');
  return { kind: 'ts', length: n, secs, nanos: ts.nanos.slice(0, n), nulls };
}

function resolveMonthsBetween(types: readonly DataType[]): Signature {
  checkArity('months_between', types, 2, 2);
  return { argTypes: [temporalArg('months_between', types, types[0]), temporalArg('months_between', types, types[1])], returnType: Types.float };
}

function monthsBetweenKernel(args: Val[], argTypes: readonly DataType[], _type: DataType, n: number): Val {
  const a = tsOf(materialize(args[0], argTypes[0], n));
  const b = tsOf(materialize(args[1], argTypes[1], n));
  const nulls = unionNulls(args, n);
  const ca = new Int32Array(3);
  const cb = new Int32Array(3);
  const out = allocF64(n);
  for (let i = 0; i < n; i++) {
    const da = Math.floor(a.secs[i] / SECONDS_PER_DAY);
    const db = Math.floor(b.secs[i] / SECONDS_PER_DAY);
    civilFromDays(da, ca);
    civilFromDays(db, cb);
    const months = (ca[0] - cb[0]) * 12 + (ca[1] - cb[1]);
    const bothLast = ca[2] === daysInMonth(ca[0], ca[1]) && cb[2] === daysInMonth(cb[0], cb[1]);
    if (ca[2] === cb[2] || bothLast) {
      out[i] = months;
      continue;
    }
    // The day and time-of-day difference, in seconds, as a fraction of a 31-day month.
    const timeA = a.secs[i] - da * SECONDS_PER_DAY + a.nanos[i] / NANOS_PER_SECOND;
    const timeB = b.secs[i] - db * SECONDS_PER_DAY + b.nanos[i] / NANOS_PER_SECOND;
    out[i] = months + ((ca[2] - cb[2]) * SECONDS_PER_DAY + (timeA - timeB)) / (31 * SECONDS_PER_DAY);
  }
  return { kind: 'f64', length: n, values: out, nulls };
}

// ---------------------------------------------------------------------------------------
// DAYNAME, MONTHNAME: a fixed dictionary, one code per row

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function nameKernel(month: boolean) {
  return (args: Val[], argTypes: readonly DataType[], _type: DataType, n: number): Val => {
    const v = materialize(args[0], argTypes[0], n);
    const days = daysOf(v);
    const codes = allocI32(n);
    const civil = new Int32Array(3);
    if (month) {
      for (let i = 0; i < n; i++) {
        civilFromDays(days[i], civil);
        codes[i] = civil[1] - 1;
      }
    } else {
      for (let i = 0; i < n; i++) codes[i] = dayOfWeek(days[i]);
    }
    return { kind: 'str', length: n, codes, dict: month ? MONTH_NAMES.slice() : DAY_NAMES.slice(), nulls: v.nulls };
  };
}

function resolveName(fn: string) {
  return (types: readonly DataType[]): Signature => {
    checkArity(fn, types, 1, 1);
    if (types[0].kind === 'TIME') throw mismatch(fn, types);
    return { argTypes: [temporalArg(fn, types, types[0])], returnType: Types.varchar };
  };
}

export const calendarFunctions: FunctionDef[] = [
  { name: 'date_from_parts', aliases: ['datefromparts'], resolve: resolveInts('date_from_parts', 3, 3, Types.date), kernel: dateFromPartsKernel, strict: true },
  {
    name: 'timestamp_from_parts',
    aliases: ['timestamp_ntz_from_parts', 'timestampfromparts', 'timestampntzfromparts'],
    resolve: resolveTimestampFromParts,
    kernel: timestampFromPartsKernel,
    strict: true,
  },
  { name: 'time_from_parts', aliases: ['timefromparts'], resolve: resolveInts('time_from_parts', 3, 4, Types.time()), kernel: timeFromPartsKernel, strict: true },
  { name: 'last_day', resolve: resolveLastDay, kernel: lastDayKernel, strict: true },
  { name: 'next_day', resolve: resolveDayShift('next_day'), kernel: dayShiftKernel('next_day', true), strict: true },
  { name: 'previous_day', resolve: resolveDayShift('previous_day'), kernel: dayShiftKernel('previous_day', false), strict: true },
  { name: 'add_months', resolve: resolveAddMonths, kernel: addMonthsKernel, strict: true },
  { name: 'months_between', resolve: resolveMonthsBetween, kernel: monthsBetweenKernel, strict: true },
  { name: 'dayname', resolve: resolveName('dayname'), kernel: nameKernel(false), strict: true },
  { name: 'monthname', resolve: resolveName('monthname'), kernel: nameKernel(true), strict: true },
];

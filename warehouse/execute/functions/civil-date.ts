/**
 * Integer civil-calendar math for DATE (days since 1970-01-01) and TIMESTAMP_NTZ (whole
 * seconds since the epoch, see storage/types/vector.ts): Howard Hinnant's days_from_civil / civil_from_days
 * (proleptic Gregorian), month arithmetic, week boundaries, and Snowflake's date/time part
 * names. No Date objects: these run once per row in the date kernels.
 */
import { CompilationError } from '../../../storage/errors/firn-error.js';
import { clipValue } from '../../../storage/errors/clip-value.js';

export const MICROS_PER_SECOND = 1_000_000;
export const MICROS_PER_MINUTE = 60_000_000;
export const MICROS_PER_HOUR = 3_600_000_000;
export const MICROS_PER_DAY = 86_400_000_000;

/** Days since 1970-01-01 of a civil date (month 1-12, day 1-31). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Writes [year, month, day] of a day number into `out`. Everything after the era split is a
 * non-negative small integer, so `| 0` stands in for Math.floor on that hot path.
 */
export function civilFromDays(days: number, out: Int32Array): void {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = ((doe - ((doe / 1460) | 0) + ((doe / 36524) | 0) - ((doe / 146096) | 0)) / 365) | 0;
  const doy = doe - (365 * yoe + ((yoe / 4) | 0) - ((yoe / 100) | 0));
  const mp = ((5 * doy + 2) / 153) | 0;
  const d = doy - (((153 * mp + 2) / 5) | 0) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  out[0] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  out[1] = m;
  out[2] = d;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeapYear(y) ? 29 : MONTH_DAYS[m - 1];
}

const scratch = new Int32Array(3);

/** Adds k months, clamping the day to the new month's length (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(days: number, k: number): number {
  civilFromDays(days, scratch);
  const total = scratch[0] * 12 + (scratch[1] - 1) + k;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  const d = Math.min(scratch[2], daysInMonth(y, m));
  return daysFromCivil(y, m, d);
}

/** Months since year 0 (year * 12 + month - 1): the count DATEDIFF(month) differences. */
export function monthIndex(days: number): number {
  civilFromDays(days, scratch);
  return scratch[0] * 12 + scratch[1] - 1;
}

/** Day of week with Sunday = 0 ... Saturday = 6 (Snowflake DAYOFWEEK, WEEK_START = 0). */
export function dayOfWeek(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

/** The Monday on or before a day (DATE_TRUNC('week') with Snowflake's default WEEK_START). */
export function weekStart(days: number): number {
  return days - ((dayOfWeek(days) + 6) % 7);
}

/**
 * The first day of the week holding `days`, weeks starting on WEEK_START `start` (0 and 1:
 * Monday, 2 Tuesday .. 7 Sunday), as DATE_TRUNC('week') and LAST_DAY(.., 'week') use it.
 */
export function weekStartOn(days: number, start: number): number {
  const first = start === 0 ? 1 : start;
  const iso = ((dayOfWeek(days) + 6) % 7) + 1;
  return days - ((iso - first + 7) % 7);
}

/** DAYOFWEEK under WEEK_START `start`: 0 (Sunday) .. 6 with the default 0, else 1 (the first day) .. 7. */
export function dayOfWeekOn(days: number, start: number): number {
  if (start === 0) return dayOfWeek(days);
  return days - weekStartOn(days, start) + 1;
}

/**
 * WEEK and YEAROFWEEK under WEEK_START `start` and WEEK_OF_YEAR_POLICY `policy` ("Calendar weeks
 * and weekdays"): with policy 0 a week belongs to the year holding its fourth day (ISO with
 * Monday weeks), week 1 being the week of January 4th; with policy 1 week 1 is the week of
 * January 1st and December 31st is in the last week. Writes [week, year] to out.
 */
export function weekOfYearOn(days: number, start: number, policy: number, out: Int32Array, scratch: Int32Array): void {
  const first = weekStartOn(days, start);
  if (policy === 1) {
    civilFromDays(days, scratch);
    const year = scratch[0];
    out[0] = (first - weekStartOn(daysFromCivil(year, 1, 1), start)) / 7 + 1;
    out[1] = year;
    return;
  }
  civilFromDays(first + 3, scratch);
  const year = scratch[0];
  out[0] = (first - weekStartOn(daysFromCivil(year, 1, 4), start)) / 7 + 1;
  out[1] = year;
}

export const DatePart = {
  YEAR: 'year',
  QUARTER: 'quarter',
  MONTH: 'month',
  WEEK: 'week',
  DAY: 'day',
  HOUR: 'hour',
  MINUTE: 'minute',
  SECOND: 'second',
  MILLISECOND: 'millisecond',
  MICROSECOND: 'microsecond',
  NANOSECOND: 'nanosecond',
} as const;
export type DatePart = (typeof DatePart)[keyof typeof DatePart];

const PART_ALIASES: Record<string, DatePart> = {};
const aliasTable: [DatePart, string[]][] = [
  ['year', ['year', 'years', 'y', 'yy', 'yyy', 'yyyy', 'yr', 'yrs']],
  ['quarter', ['quarter', 'quarters', 'q', 'qtr', 'qtrs']],
  ['month', ['month', 'months', 'mm', 'mon', 'mons']],
  ['week', ['week', 'weeks', 'w', 'wk', 'weekofyear', 'woy', 'wy']],
  ['day', ['day', 'days', 'd', 'dd', 'dayofmonth']],
  ['hour', ['hour', 'hours', 'h', 'hh', 'hr', 'hrs']],
  ['minute', ['minute', 'minutes', 'm', 'mi', 'min', 'mins']],
  ['second', ['second', 'seconds', 's', 'sec', 'secs']],
  ['millisecond', ['millisecond', 'milliseconds', 'ms', 'msec']],
  ['microsecond', ['microsecond', 'microseconds', 'us', 'usec']],
  ['nanosecond', ['nanosecond', 'nanoseconds', 'ns', 'nsec', 'nanosec', 'nsecond', 'nanosecs']],
];
for (const [part, names] of aliasTable) for (const name of names) PART_ALIASES[name] = part;

/** A date/time part name (any case, any Snowflake abbreviation) -> its canonical part. */
export function parseDatePart(name: unknown, fn: string): DatePart {
  const part = typeof name === 'string' ? PART_ALIASES[name.trim().toLowerCase()] : undefined;
  if (!part) {
    throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: invalid date or time part '${clipValue(String(name))}' for function ${fn.toUpperCase()}`);
  }
  return part;
}

/** Parts of a day or larger keep a DATE a DATE in DATEADD / DATE_TRUNC. */
export function isDateLevelPart(part: DatePart): boolean {
  return part === 'year' || part === 'quarter' || part === 'month' || part === 'week' || part === 'day';
}

/** Microseconds in one fixed-length sub-day part (nanoseconds count as 1/1000 micro). */
export function microsPerPart(part: DatePart): number {
  switch (part) {
    case 'hour':
      return MICROS_PER_HOUR;
    case 'minute':
      return MICROS_PER_MINUTE;
    case 'second':
      return MICROS_PER_SECOND;
    case 'millisecond':
      return 1000;
    case 'microsecond':
      return 1;
    case 'nanosecond':
      return 0.001;
    case 'day':
      return MICROS_PER_DAY;
    case 'week':
      return 7 * MICROS_PER_DAY;
    default:
      return 0;
  }
}

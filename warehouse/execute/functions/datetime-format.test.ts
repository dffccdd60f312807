import { describe, expect, it } from 'vitest';
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import { formatDate, formatTimestamp } from '../../../storage/types/value-text.js';
import { MICROS_PER_DAY, daysFromCivil } from './civil-date.js';
import { compileDateTimeFormat, formatDateTime, parseDateTime } from './datetime-format.js';

const at = (y: number, m: number, d: number, hh = 0, mi = 0, ss = 0, us = 0): number =>
  daysFromCivil(y, m, d) * MICROS_PER_DAY + ((hh * 60 + mi) * 60 + ss) * 1_000_000 + us;
const fmt = (f: string, micros: number): string => {
  const secs = Math.floor(micros / 1_000_000);
  return formatDateTime(compileDateTimeFormat(f), secs, (micros - secs * 1_000_000) * 1000);
};
const parse = (f: string, text: string): string | null => {
  const out = new Float64Array(2);
  return parseDateTime(compileDateTimeFormat(f), text, out) ? formatTimestamp(out[0], out[1]) : null;
};

describe('date/time format models: printing', () => {
  const t = at(2024, 2, 29, 13, 5, 9, 123456);

  it('prints every element, case-insensitively, with Snowflake capitalization of names', () => {
    expect(fmt('YYYY-MM-DD HH24:MI:SS.FF3', t)).toBe('2024-02-29 13:05:09.123');
    expect(fmt('yyyy-mm-dd hh24:mi:ss', t)).toBe('2024-02-29 13:05:09');
    expect(fmt('DY, DD MON YYYY', t)).toBe('Thu, 29 Feb 2024');
    expect(fmt('dy mon', t)).toBe('Thu Feb');
    expect(fmt('MMMM YY', t)).toBe('February 24');
    expect(fmt('HH12:MI AM', t)).toBe('01:05 PM');
    expect(fmt('HH:MI:SS.FF', t)).toBe('13:05:09.123456000');
    expect(fmt('SS.FF6 "FF" FF0|', t)).toBe('09.123456 FF |');
    expect(fmt('"Q""1"" "YYYY', t)).toBe('Q"1" 2024');
    expect(fmt('YYYY-MM-DD"T"HH24:MI:SS', t)).toBe('2024-02-29T13:05:09');
    expect(fmt('YYYY-MM-DDTHH24', t)).toBe('2024-02-29T13');
  });

  it('prints midnight and noon in 12-hour form, and dates before 1970', () => {
    expect(fmt('HH12 AM', at(2020, 1, 1, 0, 0))).toBe('12 AM');
    expect(fmt('HH12 PM', at(2020, 1, 1, 12, 0))).toBe('12 PM');
    expect(fmt('YYYY-MM-DD HH24:MI:SS DY', at(1969, 12, 31, 23, 59, 59))).toBe('1969-12-31 23:59:59 Wed');
    expect(fmt('YY', at(1905, 6, 1))).toBe('05');
  });

  it('agrees with the canonical date text for every day of two centuries', () => {
    const format = compileDateTimeFormat('YYYY-MM-DD');
    const wrong: number[] = [];
    for (let day = daysFromCivil(1900, 1, 1); day <= daysFromCivil(2100, 12, 31); day++) {
      const text = formatDateTime(format, day * 86_400, 0);
      const out = new Float64Array(2);
      if (text !== formatDate(day) || !parseDateTime(format, text, out) || out[0] !== day * 86_400 || out[1] !== 0) wrong.push(day);
    }
    expect(wrong).toEqual([]);
  });

  it('names unsupported elements in a NOT_SUPPORTED error', () => {
    expect(() => compileDateTimeFormat('YYYY-Q')).toThrow(NotSupportedError);
    expect(() => compileDateTimeFormat('YYYY-Q')).toThrow(/The date\/time format element 'Q'/);
    expect(() => compileDateTimeFormat('Month')).toThrow(/element 'H'/);
  });
});

describe('date/time format models: parsing', () => {
  it('reads numbers of one or two digits, names in any case, and two-digit years from 1970 to 2069', () => {
    expect(parse('MM/DD/YYYY', '2/3/2024')).toBe('2024-02-03 00:00:00.000');
    expect(parse('DD-MON-YY', '05-jan-99')).toBe('1999-01-05 00:00:00.000');
    expect(parse('DD-MON-YY', '05-JAN-69')).toBe('2069-01-05 00:00:00.000');
    expect(parse('MMMM DD, YYYY', 'march 01, 2021')).toBe('2021-03-01 00:00:00.000');
    expect(parse('DY DD MON YYYY', 'Sat 02 Mar 2024')).toBe('2024-03-02 00:00:00.000');
    expect(parse('YYYYMMDD', '20240229')).toBe('2024-02-29 00:00:00.000');
    expect(parse('YYYY-MM-DD HH24:MI:SS.FF', ' 2024-01-01 07:08:09.5 ')).toBe('2024-01-01 07:08:09.500');
    expect(parse('YYYY-MM-DD HH24:MI:SS.FF9', '2024-01-01 07:08:09.123456789')).toBe('2024-01-01 07:08:09.123456789');
    expect(parse('HH12:MI AM', '12:30 AM')).toBe('1970-01-01 00:30:00.000');
    expect(parse('HH12:MI PM', '12:30 pm')).toBe('1970-01-01 12:30:00.000');
    expect(parse('HH12:MI AM', '01:30 PM')).toBe('1970-01-01 13:30:00.000');
    expect(parse('YYYY"T"MM', '2024t05')).toBe('2024-05-01 00:00:00.000');
  });

  it('rejects text that does not fit: impossible dates, out-of-range fields, missing or extra characters', () => {
    expect(parse('YYYYMMDD', '20230229')).toBeNull();
    expect(parse('YYYY-MM-DD', '2024-13-01')).toBeNull();
    expect(parse('HH24:MI', '24:00')).toBeNull();
    expect(parse('HH12 AM', '13 AM')).toBeNull();
    expect(parse('YYYY-MM-DD', '2024-01-01x')).toBeNull();
    expect(parse('YYYY-MM-DD', '2024/01/01')).toBeNull();
    expect(parse('YYYY-MM-DD', '2024-01')).toBeNull();
    expect(parse('DD MON YYYY', '01 Foo 2024')).toBeNull();
    expect(parse('YYYY', '')).toBeNull();
  });
});

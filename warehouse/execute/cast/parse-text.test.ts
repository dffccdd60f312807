import { describe, expect, it } from 'vitest';
import { formatDate, formatTimestampNanos } from '../../../storage/types/value-text.js';
import { parseBooleanText, parseDateText, parseFloatText, parseNumberText, parseScaledNumber, parseTimestampText, parseTimeText } from './parse-text.js';

describe('parseNumberText', () => {
  it('accepts Snowflake number forms', () => {
    expect(parseNumberText('12', 0)).toBe(12n);
    expect(parseNumberText('-1.5', 1)).toBe(-15n);
    expect(parseNumberText('1e3', 0)).toBe(1000n);
    expect(parseNumberText(' 7 ', 2)).toBe(700n);
    expect(parseNumberText('+.5', 2)).toBe(50n);
    expect(parseNumberText('5.', 0)).toBe(5n);
    expect(parseNumberText('0012.3400', 4)).toBe(123400n);
    expect(parseNumberText('1.5E-2', 3)).toBe(15n);
    expect(parseNumberText('-0', 0)).toBe(0n);
  });

  it('rounds half away from zero to the scale', () => {
    expect(parseNumberText('2.345', 2)).toBe(235n);
    expect(parseNumberText('-2.345', 2)).toBe(-235n);
    expect(parseNumberText('2.3449', 2)).toBe(234n);
    expect(parseNumberText('0.005', 2)).toBe(1n);
    expect(parseNumberText('0.0049', 2)).toBe(0n);
    expect(parseNumberText('9.999', 2)).toBe(1000n);
    expect(parseNumberText('1e-10', 2)).toBe(0n);
  });

  it('is exact for wide values and keeps small ones as doubles', () => {
    expect(parseNumberText('12345678901234567890123456789.123', 3)).toBe(12345678901234567890123456789123n);
    expect(parseScaledNumber('12.5', 1)).toBe(125);
    expect(typeof parseScaledNumber('123456789012345678901', 0)).toBe('bigint');
  });

  it('rejects non-numbers', () => {
    for (const bad of ['', ' ', 'abc', '1,000', '1.2.3', '--1', '1e', 'e5', '0x10', '.', '+', 'Infinity', 'NaN', '12abc']) {
      expect(parseNumberText(bad, 0), bad).toBeNull();
    }
  });
});

describe('parseFloatText', () => {
  it('parses numbers and the special values', () => {
    expect(parseFloatText(' 1.25 ')).toBe(1.25);
    expect(parseFloatText('-1e-3')).toBe(-0.001);
    expect(parseFloatText('NaN')).toBeNaN();
    expect(parseFloatText('inf')).toBe(Infinity);
    expect(parseFloatText('-Infinity')).toBe(-Infinity);
    expect(parseFloatText('0x10')).toBeNull();
    expect(parseFloatText('')).toBeNull();
  });
});

describe('parseDateText', () => {
  const date = (s: string) => {
    const d = parseDateText(s);
    return d === null ? null : formatDate(d);
  };

  it('accepts the AUTO formats, timestamps and epoch seconds', () => {
    expect(date('2024-02-29')).toBe('2024-02-29');
    expect(date(' 2024-2-9 ')).toBe('2024-02-09');
    expect(date('29-Feb-2024')).toBe('2024-02-29');
    expect(date('02/29/2024')).toBe('2024-02-29');
    expect(date('2024-02-29 23:59:59')).toBe('2024-02-29');
    expect(date('2024-02-29T10:00:00Z')).toBe('2024-02-29');
    expect(date('86400')).toBe('1970-01-02');
    expect(date('1969-12-31')).toBe('1969-12-31');
  });

  it('rejects impossible dates and other text', () => {
    for (const bad of ['2023-02-29', '2024-13-01', '2024-00-10', '2024-04-31', '2024/02/29', 'yesterday', '', '31-Foo-2024']) {
      expect(parseDateText(bad), bad).toBeNull();
    }
  });
});

describe('parseTimestampText', () => {
  const ts = (s: string) => {
    const t = parseTimestampText(s);
    return t === null ? null : formatTimestampNanos(t);
  };

  it('accepts date and time with space or T, fractions up to 9 digits, zones (ignored)', () => {
    expect(ts('2024-06-01 12:34:56')).toBe('2024-06-01 12:34:56.000');
    expect(ts('2024-06-01T12:34:56.5')).toBe('2024-06-01 12:34:56.500');
    expect(ts('2024-06-01 12:34:56.123456789')).toBe('2024-06-01 12:34:56.123456789');
    expect(ts('2024-06-01 12:34')).toBe('2024-06-01 12:34:00.000');
    expect(ts('2024-06-01')).toBe('2024-06-01 00:00:00.000');
    expect(ts('2024-06-01 12:34:56 +02:00')).toBe('2024-06-01 12:34:56.000');
    expect(ts('2024-06-01T12:34:56Z')).toBe('2024-06-01 12:34:56.000');
    expect(ts('06/01/2024 08:00:00')).toBe('2024-06-01 08:00:00.000');
    expect(ts('1969-12-31 23:59:59.999')).toBe('1969-12-31 23:59:59.999');
  });

  it('reads integers as epoch seconds, milliseconds or microseconds by magnitude', () => {
    expect(ts('1700000000')).toBe('2023-11-14 22:13:20.000');
    expect(ts('1700000000123')).toBe('2023-11-14 22:13:20.123');
    expect(ts('1700000000123456')).toBe('2023-11-14 22:13:20.123456');
  });

  it('rejects bad times', () => {
    for (const bad of ['2024-06-01 24:00:00', '2024-06-01 12:60:00', '2024-06-01 12:00:61', '2024-06-01 noon', '2024-06-01 12:00:00.1234567890', 'x']) {
      expect(parseTimestampText(bad), bad).toBeNull();
    }
  });
});

describe('parseBooleanText', () => {
  it('accepts the Snowflake spellings in any case', () => {
    for (const t of ['true', 'TRUE', 't', 'yes', 'Y', 'on', '1', ' True ']) expect(parseBooleanText(t), t).toBe(true);
    for (const f of ['false', 'F', 'no', 'n', 'OFF', '0']) expect(parseBooleanText(f), f).toBe(false);
    for (const bad of ['', 'maybe', '2', 'tru']) expect(parseBooleanText(bad), bad).toBeNull();
  });
});

describe('parseTimeText', () => {
  const ns = (h: number, m: number, s: number, frac = 0) => (h * 3600 + m * 60 + s) * 1e9 + frac;
  it('reads HH:MI[:SS[.fffffffff]], a 12-hour clock with AM/PM, and a timestamp\'s time of day', () => {
    expect(parseTimeText('10:11:12.123456789')).toBe(ns(10, 11, 12, 123_456_789));
    expect(parseTimeText(' 7:08 ')).toBe(ns(7, 8, 0));
    expect(parseTimeText('23:59:59.999999999')).toBe(86_399_999_999_999);
    expect(parseTimeText('00:00:00')).toBe(0);
    expect(parseTimeText('12:00:00.5')).toBe(ns(12, 0, 0, 500_000_000));
    expect(parseTimeText('03:04:05 PM')).toBe(ns(15, 4, 5));
    expect(parseTimeText('12:30 am')).toBe(ns(0, 30, 0));
    expect(parseTimeText('2024-01-02 03:04:05.000000001')).toBe(ns(3, 4, 5, 1));
    expect(parseTimeText('3600')).toBe(ns(1, 0, 0));
    expect(parseTimeText('10')).toBe(ns(0, 0, 10));
  });

  it('does not recognize times out of 00:00:00 .. 23:59:59.999999999 or other text', () => {
    for (const bad of ['24:00:00', '10:60:00', '10:00:60', '13:00 PM', '10:11:12.1234567891', 'noon', '', '-01:00:00']) {
      expect(parseTimeText(bad), bad).toBeNull();
    }
  });
});

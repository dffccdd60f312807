import { describe, expect, it } from 'vitest';
import type { FirnError } from '../../../storage/errors/firn-error.js';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { batchOf, call, col, evalRead, lit, vec } from '../expr-test-kit.js';
import { resolveFunction } from './function-registry.js';

const I = Types.number(38, 0);
const D = Types.date;
const TS = Types.timestampNtz;
const S = Types.varchar;
const i = (v: number) => lit(String(v), I);
const d = (v: string) => lit(v, D);
const ts = (v: string) => lit(v, TS);
const s = (v: string) => lit(v, S);
const one = (e: BoundExpr) => evalRead(e, batchOf())[0];
const NULL = lit(null, Types.null);

function failure(e: BoundExpr): FirnError {
  try {
    one(e);
  } catch (err) {
    return err as FirnError;
  }
  throw new Error('expected an error');
}

describe('DATE_FROM_PARTS', () => {
  it("builds dates and carries values outside the usual ranges (Snowflake's documented examples)", () => {
    expect(one(call('date_from_parts', i(1977), i(8), i(7)))).toBe('1977-08-07');
    expect(one(call('date_from_parts', i(2010), i(1), i(100)))).toBe('2010-04-10');
    expect(one(call('datefromparts', i(2010), i(25), i(1)))).toBe('2012-01-01');
    expect(one(call('date_from_parts', i(2004), i(0), i(1)))).toBe('2003-12-01');
    expect(one(call('date_from_parts', i(2004), i(-1), i(1)))).toBe('2003-11-01');
    expect(one(call('date_from_parts', i(2004), i(1), i(0)))).toBe('2003-12-31');
    expect(one(call('date_from_parts', i(2004), i(1), i(-1)))).toBe('2003-12-30');
    expect(one(call('date_from_parts', i(2023), i(13), i(29)))).toBe('2024-01-29');
    expect(one(call('date_from_parts', i(2024), i(2), i(30)))).toBe('2024-03-01');
  });

  it('reads columns, is NULL for any NULL part, and is a DATE', () => {
    const b = batchOf(vec(I, ['2024', '2024', null]), vec(I, ['2', '14', '1']), vec(I, ['29', '1', '1']));
    expect(evalRead(call('date_from_parts', col(0, I), col(1, I), col(2, I)), b)).toEqual(['2024-02-29', '2025-02-01', null]);
    expect(resolveFunction('date_from_parts', [I, Types.number(5, 2), I])).toEqual({ fn: 'date_from_parts', argTypes: [I, I, I], returnType: D });
    expect(one(call('date_from_parts', i(2024), NULL, i(1)))).toBeNull();
  });

  it('raises DATETIME_OUT_OF_RANGE outside 0001..9999', () => {
    const err = failure(call('date_from_parts', i(10000), i(1), i(1)));
    expect([err.codeName, err.sqlState]).toEqual(['DATETIME_OUT_OF_RANGE', '22008']);
    expect(failure(call('date_from_parts', i(1), i(1), i(0))).codeName).toBe('DATETIME_OUT_OF_RANGE');
  });
});

describe('TIMESTAMP_FROM_PARTS and TIME_FROM_PARTS', () => {
  it('build timestamps to the nanosecond, carrying every part', () => {
    expect(one(call('timestamp_from_parts', i(2013), i(4), i(5), i(12), i(0), i(0)))).toBe('2013-04-05 12:00:00.000');
    expect(one(call('timestamp_ntz_from_parts', i(2013), i(4), i(5), i(12), i(0), i(0), i(987654321)))).toBe('2013-04-05 12:00:00.987654321');
    expect(one(call('timestamp_from_parts', i(2013), i(4), i(5), i(12), i(0), i(-3600)))).toBe('2013-04-05 11:00:00.000');
    expect(one(call('timestamp_from_parts', i(2013), i(4), i(5), i(25), i(61), i(0), i(1987654321)))).toBe('2013-04-06 02:01:01.987654321');
    expect(one(call('timestampfromparts', i(2024), i(1), i(1), i(0), i(0), i(0), i(-1)))).toBe('2023-12-31 23:59:59.999999999');
    expect(resolveFunction('timestamp_from_parts', [I, I, I, I, I, I]).returnType).toEqual(TS);
    expect(() => resolveFunction('timestamp_from_parts', [I, I, I])).toThrow(/takes 6 to 7 arguments/);
  });

  it('TIMESTAMP_FROM_PARTS(date, time) joins a date and a time', () => {
    const t = lit(45_296_123_000_000, Types.time());
    expect(one(call('timestamp_from_parts', d('2024-02-29'), t))).toBe('2024-02-29 12:34:56.123');
    expect(resolveFunction('timestamp_from_parts', [D, Types.time()]).argTypes).toEqual([D, Types.time()]);
  });

  it('TIME_FROM_PARTS wraps around midnight', () => {
    const nanos = (h: number, m: number, sec: number, ns = 0) => ((h * 60 + m) * 60 + sec) * 1e9 + ns;
    expect(one(call('time_from_parts', i(12), i(34), i(56), i(987654321)))).toBe(nanos(12, 34, 56, 987654321));
    expect(one(call('timefromparts', i(0), i(100), i(0)))).toBe(nanos(1, 40, 0));
    expect(one(call('time_from_parts', i(12), i(0), i(86400)))).toBe(nanos(12, 0, 0));
    expect(one(call('time_from_parts', i(-1), i(0), i(0)))).toBe(nanos(23, 0, 0));
    expect(one(call('time_from_parts', i(0), i(0), i(0), i(-1)))).toBe(nanos(23, 59, 59, 999999999));
    expect(resolveFunction('time_from_parts', [I, I, I]).returnType).toEqual(Types.time());
  });
});

describe('LAST_DAY, NEXT_DAY, PREVIOUS_DAY', () => {
  const dates = vec(D, ['2024-02-10', '2023-11-30', null, '2024-12-31']);
  const x = col(0, D);

  it('LAST_DAY ends the month by default, or the year, quarter or week (on Sunday)', () => {
    expect(evalRead(call('last_day', x), batchOf(dates))).toEqual(['2024-02-29', '2023-11-30', null, '2024-12-31']);
    expect(evalRead(call('last_day', x, s('year')), batchOf(dates))).toEqual(['2024-12-31', '2023-12-31', null, '2024-12-31']);
    expect(evalRead(call('last_day', x, s('QUARTER')), batchOf(dates))).toEqual(['2024-03-31', '2023-12-31', null, '2024-12-31']);
    expect(evalRead(call('last_day', x, s('week')), batchOf(dates))).toEqual(['2024-02-11', '2023-12-03', null, '2025-01-05']);
    expect(one(call('last_day', ts('2024-02-10 23:59:59')))).toBe('2024-02-29');
    expect(resolveFunction('last_day', [TS]).returnType).toEqual(D);
    expect(() => resolveFunction('last_day', [D, S], [undefined, 'day'])).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
    expect(() => one(call('last_day', d('2024-01-01'), s('hour')))).toThrow(/invalid date part 'hour' for function LAST_DAY/);
  });

  it('NEXT_DAY / PREVIOUS_DAY move strictly forward / back to a weekday named by its first letters', () => {
    expect(one(call('next_day', d('2020-08-01'), s('mo')))).toBe('2020-08-03');
    expect(one(call('next_day', d('2020-12-01'), s('WE')))).toBe('2020-12-02');
    expect(one(call('next_day', d('2020-12-02'), s('Wednesday')))).toBe('2020-12-09');
    expect(one(call('next_day', ts('2020-08-01 10:00:00'), s(' fri')))).toBe('2020-08-07');
    expect(one(call('previous_day', d('2020-12-02'), s('we')))).toBe('2020-11-25');
    expect(one(call('previous_day', d('2020-12-02'), s('tu')))).toBe('2020-12-01');
    const b = batchOf(vec(D, ['2024-02-29', '2024-02-29', null]), vec(S, ['su', 'th', 'mo']));
    expect(evalRead(call('next_day', col(0, D), col(1, S)), b)).toEqual(['2024-03-03', '2024-03-07', null]);
    expect(resolveFunction('next_day', [TS, S]).returnType).toEqual(D);
  });

  it('an unknown day name raises INVALID_ARGUMENT_VALUE, at compile time when it is a literal', () => {
    const err = failure(call('next_day', d('2020-12-02'), s('xx')));
    expect([err.codeName, err.sqlState]).toEqual(['INVALID_ARGUMENT_VALUE', '22023']);
    expect(() => resolveFunction('previous_day', [D, S], [undefined, 'm'])).toThrow(/Invalid day of week 'm'/);
  });
});

describe('ADD_MONTHS and MONTHS_BETWEEN', () => {
  it('ADD_MONTHS clamps to the month end and keeps month ends at month ends', () => {
    expect(one(call('add_months', d('2023-01-31'), i(1)))).toBe('2023-02-28');
    expect(one(call('add_months', d('2023-02-28'), i(1)))).toBe('2023-03-31');
    expect(one(call('add_months', d('2016-02-29'), i(12)))).toBe('2017-02-28');
    expect(one(call('add_months', d('2016-02-28'), i(12)))).toBe('2017-02-28');
    expect(one(call('add_months', d('2024-03-15'), i(-14)))).toBe('2023-01-15');
    // DATEADD keeps the day instead.
    expect(one(call('dateadd', s('month'), i(1), d('2023-02-28')))).toBe('2023-03-28');
  });

  it('ADD_MONTHS keeps the type and the time of day, and checks the range', () => {
    expect(one(call('add_months', ts('2023-01-31 10:11:12.5'), i(1)))).toBe('2023-02-28 10:11:12.500');
    expect(resolveFunction('add_months', [D, I]).returnType).toEqual(D);
    expect(resolveFunction('add_months', [TS, Types.number(5, 1)])).toEqual({ fn: 'add_months', argTypes: [TS, I], returnType: TS });
    const b = batchOf(vec(D, ['2024-01-31', null, '2024-05-31']), vec(I, ['1', '1', null]));
    expect(evalRead(call('add_months', col(0, D), col(1, I)), b)).toEqual(['2024-02-29', null, null]);
    expect(failure(call('add_months', d('9999-12-01'), i(1))).codeName).toBe('DATETIME_OUT_OF_RANGE');
  });

  it("MONTHS_BETWEEN is a FLOAT with Snowflake's whole-month exceptions", () => {
    expect(resolveFunction('months_between', [D, TS]).returnType).toEqual(Types.float);
    expect(one(call('months_between', d('2020-02-01'), d('2020-01-01')))).toBe(1);
    expect(one(call('months_between', ts('2019-03-01 02:00:00'), ts('2019-02-01 13:00:00')))).toBe(1);
    expect(one(call('months_between', d('2019-03-28'), d('2019-02-28')))).toBe(1);
    expect(one(call('months_between', d('2019-03-31'), d('2019-02-28')))).toBe(1);
    expect(one(call('months_between', ts('2019-03-31 01:00:00'), ts('2019-02-28 13:00:00')))).toBe(1);
    expect(one(call('months_between', d('2019-02-01'), d('2019-03-01')))).toBe(-1);
    expect(one(call('months_between', d('2019-03-15'), d('2019-02-28')))).toBe(1 - 13 / 31);
    expect(one(call('months_between', ts('2019-02-02 12:00:00'), d('2019-02-01')))).toBe(1.5 / 31);
  });
});

describe('DAYNAME, MONTHNAME, YEAROFWEEK', () => {
  it('name days and months in three letters, as a small dictionary', () => {
    const b = batchOf(vec(D, ['2024-02-25', '2024-02-29', null, '2023-12-31']));
    expect(evalRead(call('dayname', col(0, D)), b)).toEqual(['Sun', 'Thu', null, 'Sun']);
    expect(evalRead(call('monthname', col(0, D)), b)).toEqual(['Feb', 'Feb', null, 'Dec']);
    const out = evaluateExpr(call('dayname', col(0, D)), b);
    expect(out.kind === 'str' && out.dict.length).toBe(7);
    expect(one(call('dayname', ts('2024-03-02 23:00:00')))).toBe('Sat');
    expect(resolveFunction('monthname', [D]).returnType).toEqual(S);
    expect(() => resolveFunction('dayname', [Types.time()])).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
  });

  it('YEAROFWEEK (= YEAROFWEEKISO) is the ISO week-numbering year; WEEKOFYEAR and WEEKISO the ISO week', () => {
    const b = batchOf(vec(D, ['2021-01-01', '2024-12-30', '2024-06-15', null]));
    expect(evalRead(call('yearofweek', col(0, D)), b)).toEqual(['2020', '2025', '2024', null]);
    expect(evalRead(call('yearofweekiso', col(0, D)), b)).toEqual(['2020', '2025', '2024', null]);
    expect(evalRead(call('weekofyear', col(0, D)), b)).toEqual(['53', '1', '24', null]);
    expect(evalRead(call('weekiso', col(0, D)), b)).toEqual(['53', '1', '24', null]);
  });
});

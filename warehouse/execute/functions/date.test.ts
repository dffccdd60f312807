import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { F64Vector, I32Vector, TsVector } from '../../../storage/types/vector.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { batchOf, call, col, evalRead, lit, vec } from '../expr-test-kit.js';
import { daysFromCivil, civilFromDays } from './civil-date.js';
import { resolveFunction } from './function-registry.js';

const D = Types.date;
const TS = Types.timestampNtz;
const part = (p: string) => lit(p, Types.varchar);
const n = (v: number) => lit(String(v), Types.number(5, 0));
const dates = vec(D, ['2024-02-29', '1969-12-31', '2000-01-01', null, '2024-01-07', '2023-12-31']);
const stamps = vec(TS, ['2024-02-29 23:59:58.500', '1969-12-31 23:00:01', '2000-01-01 00:00:00', null]);

describe('civil date math', () => {
  it('round-trips every day across four centuries, leap years included', () => {
    const out = new Int32Array(3);
    const wrong: number[] = [];
    for (let day = daysFromCivil(1900, 1, 1); day <= daysFromCivil(2300, 12, 31); day += 1) {
      civilFromDays(day, out);
      // Date.UTC is an independent oracle for the proleptic Gregorian calendar.
      if (daysFromCivil(out[0], out[1], out[2]) !== day || Date.UTC(out[0], out[1] - 1, out[2]) !== day * 86_400_000) wrong.push(day);
    }
    expect(wrong).toEqual([]);
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2000, 3, 1) - daysFromCivil(2000, 2, 28)).toBe(2);
    expect(daysFromCivil(1900, 3, 1) - daysFromCivil(1900, 2, 28)).toBe(1);
  });
});

describe('date parts', () => {
  it('extract fields from DATE and TIMESTAMP_NTZ (before 1970 too)', () => {
    const d = col(0, D);
    const b = batchOf(dates);
    expect(evalRead(call('year', d), b)).toEqual(['2024', '1969', '2000', null, '2024', '2023']);
    expect(evalRead(call('month', d), b)).toEqual(['2', '12', '1', null, '1', '12']);
    expect(evalRead(call('day', d), b)).toEqual(['29', '31', '1', null, '7', '31']);
    expect(evalRead(call('dayofmonth', d), b)).toEqual(['29', '31', '1', null, '7', '31']);
    expect(evalRead(call('quarter', d), b)).toEqual(['1', '4', '1', null, '1', '4']);
    expect(evalRead(call('dayofweek', d), b)).toEqual(['4', '3', '6', null, '0', '0']);
    expect(evalRead(call('dayofweekiso', d), b)).toEqual(['4', '3', '6', null, '7', '7']);
    expect(evalRead(call('dayofyear', d), b)).toEqual(['60', '365', '1', null, '7', '365']);
    expect(evalRead(call('week', d), b)).toEqual(['9', '1', '52', null, '1', '52']);
    const t = col(0, TS);
    const bt = batchOf(stamps);
    expect(evalRead(call('year', t), bt)).toEqual(['2024', '1969', '2000', null]);
    expect(evalRead(call('day', t), bt)).toEqual(['29', '31', '1', null]);
    expect(evalRead(call('hour', t), bt)).toEqual(['23', '23', '0', null]);
    expect(evalRead(call('minute', t), bt)).toEqual(['59', '0', '0', null]);
    expect(evalRead(call('second', t), bt)).toEqual(['58', '1', '0', null]);
    expect(evalRead(call('date_part', part('ms'), t), bt)).toEqual(['500', '0', '0', null]);
    expect(evalRead(call('date_part', part('YEAR'), t), bt)).toEqual(['2024', '1969', '2000', null]);
    expect(evalRead(call('date_part', part('dow'), d), b)).toEqual(['4', '3', '6', null, '0', '0']);
    expect(evalRead(call('date_part', part('doy'), d), b)).toEqual(['60', '365', '1', null, '7', '365']);
  });

  it('reads strings as timestamps', () => {
    expect(evalRead(call('month', lit('2024-06-15', Types.varchar)), batchOf())).toEqual(['6']);
  });
});

describe('DATE_TRUNC', () => {
  it('truncates DATEs to year, quarter, month, week (Monday) and day', () => {
    const b = batchOf(dates);
    const t = (p: string) => evalRead(call('date_trunc', part(p), col(0, D)), b);
    expect(t('year')).toEqual(['2024-01-01', '1969-01-01', '2000-01-01', null, '2024-01-01', '2023-01-01']);
    expect(t('quarter')).toEqual(['2024-01-01', '1969-10-01', '2000-01-01', null, '2024-01-01', '2023-10-01']);
    expect(t('mm')).toEqual(['2024-02-01', '1969-12-01', '2000-01-01', null, '2024-01-01', '2023-12-01']);
    expect(t('week')).toEqual(['2024-02-26', '1969-12-29', '1999-12-27', null, '2024-01-01', '2023-12-25']);
    expect(t('day')).toEqual(['2024-02-29', '1969-12-31', '2000-01-01', null, '2024-01-07', '2023-12-31']);
  });

  it('truncates TIMESTAMPs and keeps the type', () => {
    const b = batchOf(stamps);
    const e = call('date_trunc', part('hour'), col(0, TS));
    expect(e.type).toEqual(TS);
    expect(evalRead(e, b)).toEqual(['2024-02-29 23:00:00.000', '1969-12-31 23:00:00.000', '2000-01-01 00:00:00.000', null]);
    expect(evalRead(call('date_trunc', part('month'), col(0, TS)), b)).toEqual(['2024-02-01 00:00:00.000', '1969-12-01 00:00:00.000', '2000-01-01 00:00:00.000', null]);
    expect(evalRead(call('date_trunc', part('second'), col(0, TS)), b)).toEqual(['2024-02-29 23:59:58.000', '1969-12-31 23:00:01.000', '2000-01-01 00:00:00.000', null]);
  });
});

describe('DATEADD', () => {
  it('adds months clamping to the month end, across leap years', () => {
    const d = vec(D, ['2024-01-31', '2023-01-31', '2024-02-29', '2024-03-31', null]);
    const add = (p: string, k: number) => evalRead(call('dateadd', part(p), n(k), col(0, D)), batchOf(d));
    expect(add('month', 1)).toEqual(['2024-02-29', '2023-02-28', '2024-03-29', '2024-04-30', null]);
    expect(add('month', -1)).toEqual(['2023-12-31', '2022-12-31', '2024-01-29', '2024-02-29', null]);
    expect(add('year', 1)).toEqual(['2025-01-31', '2024-01-31', '2025-02-28', '2025-03-31', null]);
    expect(add('quarter', 1)).toEqual(['2024-04-30', '2023-04-30', '2024-05-29', '2024-06-30', null]);
    expect(add('week', 2)).toEqual(['2024-02-14', '2023-02-14', '2024-03-14', '2024-04-14', null]);
    expect(add('day', 1)).toEqual(['2024-02-01', '2023-02-01', '2024-03-01', '2024-04-01', null]);
  });

  it('adds to timestamps keeping the time of day, and time parts', () => {
    const t = vec(TS, ['2024-01-31 10:30:00', '2023-12-31 23:59:59.999']);
    const add = (p: string, k: number) => evalRead(call('dateadd', part(p), n(k), col(0, TS)), batchOf(t));
    expect(add('month', 1)).toEqual(['2024-02-29 10:30:00.000', '2024-01-31 23:59:59.999']);
    expect(add('hour', 14)).toEqual(['2024-02-01 00:30:00.000', '2024-01-01 13:59:59.999']);
    expect(add('ms', 1)).toEqual(['2024-01-31 10:30:00.001', '2024-01-01 00:00:00.000']);
    expect(add('minute', -31)).toEqual(['2024-01-31 09:59:00.000', '2023-12-31 23:28:59.999']);
  });

  it('takes the count per row and types DATE + time part as TIMESTAMP when the part is known', () => {
    const d = vec(D, ['2024-01-31', '2024-01-31', '2024-01-31']);
    const k = vec(Types.number(5, 0), ['1', '2', null]);
    expect(evalRead(call('dateadd', part('month'), col(1, Types.number(5, 0)), col(0, D)), batchOf(d, k))).toEqual(['2024-02-29', '2024-03-31', null]);
    const r = resolveFunction('dateadd', [Types.varchar, Types.number(5, 0), D], ['hour']);
    expect(r.returnType).toEqual(TS);
    const e: BoundExpr = { kind: 'call', fn: r.fn, args: [part('hour'), n(30), col(0, D)], type: r.returnType };
    expect(evalRead(e, batchOf(d))).toEqual(['2024-02-01 06:00:00.000', '2024-02-01 06:00:00.000', '2024-02-01 06:00:00.000']);
  });
});

describe('DATEDIFF counts boundaries crossed', () => {
  const diff = (p: string, a: string[], b: string[], type = D) =>
    evalRead(call('datediff', part(p), col(0, type), col(1, type)), batchOf(vec(type, a), vec(type, b)));

  it('on dates', () => {
    const a = ['2023-12-31', '2024-01-31', '2024-01-07', '2024-01-08', '2024-03-01'];
    const b = ['2024-01-01', '2024-02-01', '2024-01-08', '2024-01-14', '2024-02-01'];
    expect(diff('year', a, b)).toEqual(['1', '0', '0', '0', '0']);
    expect(diff('month', a, b)).toEqual(['1', '1', '0', '0', '-1']);
    expect(diff('quarter', a, b)).toEqual(['1', '0', '0', '0', '0']);
    expect(diff('week', a, b)).toEqual(['1', '0', '1', '0', '-4']);
    expect(diff('day', a, b)).toEqual(['1', '1', '1', '6', '-29']);
    expect(diff('hour', a, b)).toEqual(['24', '24', '24', '144', '-696']);
  });

  it('on timestamps and mixed DATE/TIMESTAMP', () => {
    const a = ['2024-01-01 10:59:59.999', '2024-01-01 23:00:00'];
    const b = ['2024-01-01 11:00:00', '2024-01-02 01:00:00'];
    expect(diff('hour', a, b, TS)).toEqual(['1', '2']);
    expect(diff('minute', a, b, TS)).toEqual(['1', '120']);
    expect(diff('day', a, b, TS)).toEqual(['0', '1']);
    expect(diff('ms', a, b, TS)).toEqual(['1', '7200000']);
    expect(diff('ns', a, b, TS)).toEqual(['1000000', '7200000000000']);
    const e = call('datediff', part('hour'), col(0, D), lit('2024-01-01 06:30:00', TS));
    expect(evalRead(e, batchOf(vec(D, ['2024-01-01', '2023-12-31'])))).toEqual(['6', '30']);
  });

  it('rejects unknown parts and non-temporal arguments', () => {
    expect(() => evalRead(call('datediff', part('fortnight'), col(0, D), col(0, D)), batchOf(dates))).toThrow(/invalid date or time part 'fortnight'/);
    expect(() => resolveFunction('dateadd', [Types.varchar, Types.number(1, 0), D], ['eon'])).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
    expect(() => resolveFunction('year', [Types.boolean])).toThrow(/'YEAR'/);
  });
});

describe('CURRENT_DATE / CURRENT_TIMESTAMP / SYSDATE', () => {
  const msOf = (v: TsVector) => v.secs[0] * 1000 + v.nanos[0] / 1_000_000;

  it('read the clock once and broadcast it: CURRENT_TIMESTAMP and its synonyms are the instant as TIMESTAMP_LTZ, SYSDATE the UTC wall clock as TIMESTAMP_NTZ', () => {
    const before = Date.now();
    const now = evaluateExpr(call('current_timestamp'), batchOf(vec(D, ['2024-01-01']))) as TsVector;
    const sys = evaluateExpr(call('sysdate'), batchOf(vec(D, ['2024-01-01']))) as TsVector;
    const after = Date.now();
    for (const v of [now, sys]) {
      expect(msOf(v)).toBeGreaterThanOrEqual(before);
      expect(msOf(v)).toBeLessThanOrEqual(after);
    }
    expect(resolveFunction('current_timestamp', []).returnType).toEqual(Types.timestampLtz);
    for (const synonym of ['localtimestamp', 'getdate', 'systimestamp']) expect(resolveFunction(synonym, [])).toMatchObject({ fn: 'current_timestamp', returnType: Types.timestampLtz });
    expect(resolveFunction('sysdate', [])).toMatchObject({ fn: 'sysdate', returnType: Types.timestampNtz });
    expect(() => resolveFunction('current_date', [D])).toThrow(/takes 0 arguments/);
  });

  it('CURRENT_DATE is today in the call\'s zone (Snowflake\'s default, America/Los_Angeles, without one)', () => {
    const at = (zone?: string) => {
      const e = call('current_date');
      if (e.kind !== 'call') throw new Error('not a call');
      return (evaluateExpr(zone === undefined ? e : { ...e, zone }, batchOf(vec(D, ['2024-01-01', null]))) as I32Vector).values[0];
    };
    const dayIn = (offsetHours: number) => Math.floor((Date.now() + offsetHours * 3_600_000) / 86_400_000);
    // Around midnight the day may turn between the two reads: either day is right then.
    expect([dayIn(0), dayIn(0) - 1]).toContain(at('UTC'));
    expect([dayIn(14), dayIn(14) - 1]).toContain(at('Pacific/Kiritimati'));
    expect([dayIn(-8), dayIn(-7), dayIn(-8) + 1]).toContain(at());
    // 26 hours apart (UTC+14 and UTC-12): never the same day.
    expect(at('Pacific/Kiritimati')).toBeGreaterThan(at('Etc/GMT+12'));
  });
});

describe('DATE_PART fields beyond the date parts (what EXTRACT binds to)', () => {
  it('WEEKISO and YEAROFWEEK[ISO] follow ISO-8601 weeks', () => {
    const d = col(0, D);
    const b = batchOf(dates);
    expect(evalRead(call('date_part', part('weekiso'), d), b)).toEqual(['9', '1', '52', null, '1', '52']);
    expect(evalRead(call('date_part', part('YEAROFWEEK'), d), b)).toEqual(['2024', '1970', '1999', null, '2024', '2023']);
    expect(evalRead(call('date_part', part('yearofweekiso'), d), b)).toEqual(['2024', '1970', '1999', null, '2024', '2023']);
  });

  it('EPOCH_SECOND / _MILLISECOND / _MICROSECOND / _NANOSECOND count whole units since 1970 (rounded down)', () => {
    const t = col(0, TS);
    const b = batchOf(stamps);
    expect(evalRead(call('date_part', part('epoch_second'), t), b)).toEqual(['1709251198', '-3599', '946684800', null]);
    expect(evalRead(call('date_part', part('epoch'), t), b)).toEqual(['1709251198', '-3599', '946684800', null]);
    expect(evalRead(call('date_part', part('epoch_millisecond'), t), b)).toEqual(['1709251198500', '-3599000', '946684800000', null]);
    expect(evalRead(call('date_part', part('epoch_microseconds'), t), b)).toEqual(['1709251198500000', '-3599000000', '946684800000000', null]);
    expect(evalRead(call('date_part', part('epoch_nanosecond'), t), b)).toEqual(['1709251198500000000', '-3599000000000', '946684800000000000', null]);
    expect(evalRead(call('date_part', part('epoch_second'), col(0, D)), batchOf(dates))).toEqual(['1709164800', '-86400', '946684800', null, '1704585600', '1703980800']);
    expect(() => resolveFunction('date_part', [Types.varchar, D], ['epoch_fortnight'])).toThrow(/invalid date or time part/);
  });

  it('a NULL value gives NULL', () => {
    expect(evalRead(call('date_part', part('year'), lit(null, Types.null)), batchOf(dates))).toEqual([null, null, null, null, null, null]);
  });
});

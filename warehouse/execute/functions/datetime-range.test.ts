import { describe, expect, it } from 'vitest';
import { FirnError } from '../../../storage/errors/firn-error.js';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { castStringsToVector } from '../cast/cast-strings.js';
import { castVector } from '../cast/cast-vector.js';
import { batchOf, call, col, evalRead, lit, read, vec } from '../expr-test-kit.js';
import { daysFromCivil } from './civil-date.js';
import { MAX_DAY, MAX_SECS, MIN_DAY, MIN_SECS } from './datetime-range.js';

const D = Types.date;
const TS = Types.timestampNtz;
const N = Types.number(18, 0);
const part = (p: string) => lit(p, Types.varchar);
const n = (v: number) => lit(String(v), N);

/** The error `f` throws: it must be DATETIME_OUT_OF_RANGE (390601 / 22008). */
function outOfRange(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FirnError);
    const err = e as FirnError;
    expect([err.codeName, err.code, err.sqlState]).toEqual(['DATETIME_OUT_OF_RANGE', '390601', '22008']);
    return err.message;
  }
  throw new Error('expected DATETIME_OUT_OF_RANGE, nothing was thrown');
}

describe('the supported date range', () => {
  it('is 0001-01-01 .. 9999-12-31', () => {
    expect(MIN_DAY).toBe(daysFromCivil(1, 1, 1));
    expect(MAX_DAY).toBe(daysFromCivil(9999, 12, 31));
    expect(MIN_SECS).toBe(-62_135_596_800);
    expect(MIN_SECS).toBe(daysFromCivil(1, 1, 1) * 86_400);
    expect(MAX_SECS).toBe(253_402_300_799);
    expect(MAX_SECS).toBe(daysFromCivil(10000, 1, 1) * 86_400 - 1);
  });
});

describe('DATEADD at and past the range ends', () => {
  const edge = vec(D, ['9999-12-30', '0001-01-02', null]);
  const add = (p: string, k: number) => evalRead(call('dateadd', part(p), n(k), col(0, D)), batchOf(edge));

  it('answers exactly up to the ends', () => {
    expect(evalRead(call('dateadd', part('day'), n(1), col(0, D)), batchOf(vec(D, ['9999-12-30', null])))).toEqual(['9999-12-31', null]);
    expect(evalRead(call('dateadd', part('day'), n(-1), col(0, D)), batchOf(vec(D, ['0001-01-02', null])))).toEqual(['0001-01-01', null]);
    expect(evalRead(call('dateadd', part('year'), n(7975), col(0, D)), batchOf(vec(D, ['2024-12-31'])))).toEqual(['9999-12-31']);
    expect(evalRead(call('dateadd', part('month'), n(-24287), col(0, D)), batchOf(vec(D, ['2024-12-31'])))).toEqual(['0001-01-31']);
    expect(evalRead(call('dateadd', part('week'), n(-1), col(0, D)), batchOf(vec(D, ['0001-01-08'])))).toEqual(['0001-01-01']);
  });

  it('raises 22008 one step past either end, for every date part, instead of wrapping', () => {
    expect(outOfRange(() => add('day', 2))).toMatch(/DATEADD.*0001-01-01 to 9999-12-31/);
    expect(outOfRange(() => add('day', -2))).toMatch(/DATEADD/);
    outOfRange(() => add('week', 1));
    outOfRange(() => add('month', 1));
    outOfRange(() => add('quarter', -1));
    outOfRange(() => add('year', 1));
    // The example: it used to answer -2130435941 (an Int32 that wrapped).
    outOfRange(() => evalRead(call('dateadd', part('year'), n(100_000_000), col(0, D)), batchOf(vec(D, ['2024-01-01']))));
    outOfRange(() => evalRead(call('dateadd', part('year'), n(-100_000_000), col(0, D)), batchOf(vec(D, ['2024-01-01']))));
  });

  it('does not check NULL rows, whatever count they get', () => {
    const k = vec(N, ['1000000000000', '1', '-1000000000000']);
    const d = vec(D, [null, '2024-01-01', null]);
    expect(evalRead(call('dateadd', part('day'), col(1, N), col(0, D)), batchOf(d, k))).toEqual([null, '2024-01-02', null]);
    expect(evalRead(call('dateadd', part('year'), col(1, N), col(0, D)), batchOf(d, k))).toEqual([null, '2025-01-01', null]);
  });

  it('keeps timestamps inside 0001-01-01 00:00:00 .. 9999-12-31 23:59:59.999999', () => {
    const t = vec(TS, ['9999-12-31 23:59:58', '0001-01-01 00:00:01']);
    const addTs = (p: string, k: number) => evalRead(call('dateadd', part(p), n(k), col(0, TS)), batchOf(t));
    expect(addTs('second', 1)).toEqual(['9999-12-31 23:59:59.000', '0001-01-01 00:00:02.000']);
    expect(addTs('second', -1)).toEqual(['9999-12-31 23:59:57.000', '0001-01-01 00:00:00.000']);
    expect(outOfRange(() => addTs('second', 2))).toMatch(/^Timestamp out of range in DATEADD/);
    outOfRange(() => addTs('second', -2));
    outOfRange(() => addTs('hour', 1));
    outOfRange(() => addTs('month', 1));
    outOfRange(() => addTs('year', -1));
    outOfRange(() => addTs('nanosecond', 2_000_000_000));
    outOfRange(() => addTs('day', 1e15));
    // A DATE with a time part becomes a timestamp, checked the same way.
    outOfRange(() => evalRead(call('dateadd', part('hour'), n(24), col(0, D)), batchOf(vec(D, ['9999-12-31']))));
  });
});

describe('DATE +/- integer', () => {
  it('answers at the ends and raises 22008 past them', () => {
    const d = vec(D, ['9999-12-30', '0001-01-02', null]);
    expect(evalRead(call('add', col(0, D), n(1)), batchOf(d))).toEqual(['9999-12-31', '0001-01-03', null]);
    expect(evalRead(call('subtract', col(0, D), n(1)), batchOf(d))).toEqual(['9999-12-29', '0001-01-01', null]);
    expect(outOfRange(() => evalRead(call('add', col(0, D), n(2)), batchOf(d)))).toMatch(/DATE \+ integer/);
    expect(outOfRange(() => evalRead(call('subtract', col(0, D), n(2)), batchOf(d)))).toMatch(/DATE - integer/);
    outOfRange(() => evalRead(call('add', n(3_000_000_000), col(0, D)), batchOf(d)));
    // Both sides constant (what constant folding evaluates).
    outOfRange(() => evalRead(call('add', lit('9999-12-31', D), n(1)), batchOf(vec(N, ['0']))));
  });
});

describe('casts and conversions into DATE / TIMESTAMP_NTZ', () => {
  it('read text at the ends, and raise 22008 (NULL in TRY_ forms and loads) for year 0', () => {
    expect(read(castStringsToVector(['0001-01-01', '9999-12-31'], D, 'throw').vector, D)).toEqual(['0001-01-01', '9999-12-31']);
    expect(read(castStringsToVector(['0001-01-01 00:00:00', '9999-12-31 23:59:59.999'], TS, 'throw').vector, TS)).toEqual([
      '0001-01-01 00:00:00.000',
      '9999-12-31 23:59:59.999',
    ]);
    expect(outOfRange(() => castStringsToVector(['0000-12-31'], D, 'throw'))).toBe("Date out of range in '0000-12-31': the supported range is 0001-01-01 to 9999-12-31");
    outOfRange(() => castStringsToVector(['0000-12-31 23:59:59'], TS, 'throw'));
    // An integer string is epoch time; a huge one lands past 9999.
    outOfRange(() => castStringsToVector(['900000000000000000000000'], D, 'throw'));
    const r = castStringsToVector(['2024-01-01', '0000-01-01'], D, 'null');
    expect(read(r.vector, D)).toEqual(['2024-01-01', null]);
    expect(r.errors).toEqual([{ row: 1, message: "Date out of range in '0000-01-01': the supported range is 0001-01-01 to 9999-12-31" }]);
  });

  it('read epoch seconds up to 9999-12-31 23:59:59 and raise 22008 past it', () => {
    const secs = vec(N, ['253402300799', '-62135596800']);
    expect(read(castVector(secs, N, TS, false), TS)).toEqual(['9999-12-31 23:59:59.000', '0001-01-01 00:00:00.000']);
    expect(outOfRange(() => castVector(vec(N, ['253402300800']), N, TS, false))).toMatch(/'253402300800'/);
    outOfRange(() => castVector(vec(N, ['-62135596801']), N, TS, false));
    outOfRange(() => castVector(vec(Types.float, [1e300]), Types.float, TS, false));
    expect(read(castVector(vec(N, ['253402300800', '0']), N, TS, true), TS)).toEqual([null, '1970-01-01 00:00:00.000']);
  });

  it('TO_DATE / TO_TIMESTAMP with a format', () => {
    const text = (s: string): BoundExpr => lit(s, Types.varchar);
    const one = batchOf(vec(N, ['0']));
    expect(evalRead(call('to_date', text('9999/12/31'), text('YYYY/MM/DD')), one)).toEqual(['9999-12-31']);
    expect(evalRead(call('to_date', text('0001/01/01'), text('YYYY/MM/DD')), one)).toEqual(['0001-01-01']);
    outOfRange(() => evalRead(call('to_date', text('0000/01/01'), text('YYYY/MM/DD')), one));
    outOfRange(() => evalRead(call('to_timestamp', text('0000/12/31 10:00'), text('YYYY/MM/DD HH24:MI')), one));
    expect(evalRead(call('try_to_date', text('0000/01/01'), text('YYYY/MM/DD')), one)).toEqual([null]);
  });
});

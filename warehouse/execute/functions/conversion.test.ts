import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { asDec, batchOf, call, col, evalRead, lit, vec } from '../expr-test-kit.js';
import { resolveFunction } from './function-registry.js';

const S = Types.varchar;

describe('conversion functions', () => {
  const text = vec(S, ['2024-02-29', 'not a date', null]);

  it('TO_DATE / DATE raise on bad text, TRY_TO_DATE yields NULL', () => {
    expect(() => evalRead(call('to_date', col(0, S)), batchOf(text))).toThrow("Date 'not a date' is not recognized");
    expect(evalRead(call('try_to_date', col(0, S)), batchOf(text))).toEqual(['2024-02-29', null, null]);
    expect(evalRead(call('date', col(0, Types.timestampNtz)), batchOf(vec(Types.timestampNtz, ['2024-02-29 23:00:00', null])))).toEqual(['2024-02-29', null]);
  });

  it('TO_TIMESTAMP from text and epoch seconds', () => {
    expect(evalRead(call('to_timestamp', col(0, S)), batchOf(vec(S, ['2024-02-29 01:02:03', null])))).toEqual(['2024-02-29 01:02:03.000', null]);
    expect(evalRead(call('to_timestamp_ntz', col(0, Types.number(10, 0))), batchOf(vec(Types.number(10, 0), ['86400'])))).toEqual(['1970-01-02 00:00:00.000']);
    expect(evalRead(call('try_to_timestamp', col(0, S)), batchOf(vec(S, ['x'])))).toEqual([null]);
  });

  it('TO_VARCHAR / TO_NUMBER / TO_DOUBLE / TO_BOOLEAN', () => {
    expect(evalRead(call('to_varchar', col(0, Types.number(5, 2))), batchOf(vec(Types.number(5, 2), ['1.50', null])))).toEqual(['1.50', null]);
    expect(evalRead(call('to_char', col(0, Types.date)), batchOf(vec(Types.date, ['2024-01-02'])))).toEqual(['2024-01-02']);
    expect(evalRead(call('to_number', col(0, S)), batchOf(vec(S, ['12.5', ' 3 ', null])))).toEqual(['13', '3', null]);
    expect(() => evalRead(call('to_decimal', col(0, S)), batchOf(vec(S, ['x'])))).toThrow("Numeric value 'x' is not recognized");
    expect(evalRead(call('try_to_number', col(0, S)), batchOf(vec(S, ['x', '4'])))).toEqual([null, '4']);
    expect(evalRead(call('to_double', col(0, S)), batchOf(vec(S, ['1e2', null])))).toEqual([100, null]);
    expect(evalRead(call('to_boolean', col(0, S)), batchOf(vec(S, ['yes', 'OFF', null])))).toEqual([true, false, null]);
    expect(evalRead(call('try_to_boolean', col(0, S)), batchOf(vec(S, ['perhaps'])))).toEqual([null]);
    expect(evalRead(call('exp', col(0, Types.float)), batchOf(vec(Types.float, [0, null])))).toEqual([1, null]);
  });
});

describe('conversion functions with a format', () => {
  const fmt = (f: string) => lit(f, S);

  it("TO_DATE / TO_TIMESTAMP read text with a format; 'AUTO' is the one-argument form", () => {
    const text = vec(S, ['03/04/2024', '12/31/1999', null]);
    expect(evalRead(call('to_date', col(0, S), fmt('MM/DD/YYYY')), batchOf(text))).toEqual(['2024-03-04', '1999-12-31', null]);
    expect(evalRead(call('date', col(0, S), fmt('DD/MM/YYYY')), batchOf(vec(S, ['03/04/2024'])))).toEqual(['2024-04-03']);
    expect(evalRead(call('to_date', col(0, S), fmt('auto')), batchOf(vec(S, ['2024-02-29', null])))).toEqual(['2024-02-29', null]);
    const stamps = vec(S, ['2024-02-29 1:02:03 PM', null]);
    expect(evalRead(call('to_timestamp', col(0, S), fmt('YYYY-MM-DD HH12:MI:SS AM')), batchOf(stamps))).toEqual(['2024-02-29 13:02:03.000', null]);
    expect(evalRead(call('to_date', col(0, S), fmt('YYYY-MM-DD HH24:MI')), batchOf(vec(S, ['2024-02-29 23:59'])))).toEqual(['2024-02-29']);
  });

  it("raises Snowflake's error for text that does not fit, and TRY_ gives NULL", () => {
    const text = vec(S, ['2024-02-30', '2024-02-28']);
    expect(() => evalRead(call('to_date', col(0, S), fmt('YYYY-MM-DD')), batchOf(text))).toThrow("Can't parse '2024-02-30' as date with format 'YYYY-MM-DD'");
    expect(() => evalRead(call('to_timestamp', col(0, S), fmt('YYYY')), batchOf(text))).toThrow(expect.objectContaining({ codeName: 'TIMESTAMP_NOT_RECOGNIZED' }));
    expect(evalRead(call('try_to_date', col(0, S), fmt('YYYY-MM-DD')), batchOf(text))).toEqual([null, '2024-02-28']);
    expect(evalRead(call('to_date', col(0, S), lit(null, Types.null)), batchOf(text))).toEqual([null, null]);
  });

  it('reads per-row formats', () => {
    const text = vec(S, ['2024.01.02', '02/01/2024', '2024-01-02']);
    const formats = vec(S, ['YYYY.MM.DD', 'DD/MM/YYYY', null]);
    expect(evalRead(call('to_date', col(0, S), col(1, S)), batchOf(text, formats))).toEqual(['2024-01-02', '2024-01-02', null]);
  });

  it('TO_CHAR prints DATEs and TIMESTAMPs with a date/time format', () => {
    const d = vec(Types.date, ['2024-02-29', null, '1999-12-31']);
    expect(evalRead(call('to_char', col(0, Types.date), fmt('DY DD-MON-YYYY')), batchOf(d))).toEqual(['Thu 29-Feb-2024', null, 'Fri 31-Dec-1999']);
    expect(evalRead(call('to_varchar', col(0, Types.date), fmt('YYYYMM')), batchOf(d))).toEqual(['202402', null, '199912']);
    const t = vec(Types.timestampNtz, ['2024-02-29 23:05:01.25', null]);
    expect(evalRead(call('to_char', col(0, Types.timestampNtz), fmt('HH12:MI:SS.FF2 PM')), batchOf(t))).toEqual(['11:05:01.25 PM', null]);
  });

  it('TO_CHAR prints NUMBERs (both layouts) and FLOATs with a numeric format; a VARCHAR ignores it', () => {
    const n = vec(Types.number(8, 3), ['1234.567', '-0.5', null]);
    expect(evalRead(call('to_char', col(0, Types.number(8, 3)), fmt('9,999.99')), batchOf(n))).toEqual([' 1,234.57', '     -.50', null]);
    expect(evalRead(call('to_char', col(0, Types.number(8, 3)), fmt('FM9,999.99')), batchOf(asDec(n)))).toEqual(['1,234.57', '-.5', null]);
    expect(evalRead(call('to_char', col(0, Types.float), fmt('00.0')), batchOf(vec(Types.float, [3.14159, null])))).toEqual([' 03.1', null]);
    expect(evalRead(call('to_char', col(0, S), fmt('999')), batchOf(vec(S, ['abc'])))).toEqual(['abc']);
    expect(() => resolveFunction('to_char', [Types.boolean, S])).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
    expect(() => resolveFunction('to_number', [S, S])).toThrow(expect.objectContaining({ codeName: 'NOT_SUPPORTED' }));
  });
});

describe('TO_NUMBER with a precision and scale', () => {
  const P = Types.number(2, 0);
  /** TO_NUMBER-like call with literal precision (and scale), typed with their values as the binder does. */
  const toNumber = (fn: string, x: BoundExpr, ...ps: (string | null)[]): BoundExpr => {
    const args = [x, ...ps.map((v) => lit(v, P))];
    const r = resolveFunction(fn, args.map((a) => a.type), args.map((a) => (a.kind === 'literal' ? a.value : undefined)));
    return { kind: 'call', fn: r.fn, args, type: r.returnType };
  };

  it('is NUMBER(p, s), rounding half away from zero from text, NUMBER (both layouts) and FLOAT', () => {
    expect(toNumber('to_number', col(0, S), '6', '2').type).toEqual(Types.number(6, 2));
    expect(toNumber('to_decimal', col(0, S), '6').type).toEqual(Types.number(6, 0));
    expect(evalRead(toNumber('to_number', col(0, S), '6', '2'), batchOf(vec(S, ['12.345', '-12.345', '0.005', ' 7 ', null])))).toEqual(['12.35', '-12.35', '0.01', '7.00', null]);
    const n = vec(Types.number(8, 3), ['1.250', '-1.250', '99.949', null]);
    expect(evalRead(toNumber('to_numeric', col(0, Types.number(8, 3)), '4', '1'), batchOf(n))).toEqual(['1.3', '-1.3', '99.9', null]);
    expect(evalRead(toNumber('to_numeric', col(0, Types.number(8, 3)), '4', '1'), batchOf(asDec(n)))).toEqual(['1.3', '-1.3', '99.9', null]);
    expect(evalRead(toNumber('to_number', col(0, Types.float), '5', '0'), batchOf(vec(Types.float, [2.5, -2.5, null])))).toEqual(['3', '-3', null]);
  });

  it('raises NUMERIC_OUT_OF_RANGE for a value that does not fit; the TRY_ forms give NULL', () => {
    const x = vec(S, ['123.45', '1.5']);
    expect(() => evalRead(toNumber('to_number', col(0, S), '4', '2'), batchOf(x))).toThrow(expect.objectContaining({ codeName: 'NUMERIC_OUT_OF_RANGE' }));
    expect(evalRead(toNumber('try_to_number', col(0, S), '4', '2'), batchOf(x))).toEqual([null, '1.50']);
    expect(evalRead(toNumber('try_to_decimal', col(0, S), '4', '2'), batchOf(vec(S, ['x'])))).toEqual([null]);
  });

  it('gives NULL for a NULL precision or scale', () => {
    expect(evalRead(toNumber('to_number', col(0, S), null, '2'), batchOf(vec(S, ['1'])))).toEqual([null]);
    expect(evalRead(toNumber('to_number', col(0, S), '5', null), batchOf(vec(S, ['1'])))).toEqual([null]);
  });

  it('wants constant integers with 1 <= p <= 38 and 0 <= s <= p', () => {
    const mismatch = expect.objectContaining({ codeName: 'TYPE_MISMATCH' });
    expect(() => resolveFunction('to_number', [S, P], [undefined, undefined])).toThrow(mismatch);
    expect(() => toNumber('to_number', col(0, S), '39')).toThrow(mismatch);
    expect(() => toNumber('to_number', col(0, S), '0')).toThrow(mismatch);
    expect(() => toNumber('to_number', col(0, S), '5', '6')).toThrow(mismatch);
    expect(() => resolveFunction('to_number', [S, Types.number(3, 1)], [undefined, 15n])).toThrow(mismatch);
    expect(() => resolveFunction('to_number', [Types.date, P], [undefined, 5n])).toThrow(mismatch);
    expect(() => resolveFunction('to_number', [S, S, P, P], [undefined, '99', 5n, 2n])).toThrow(expect.objectContaining({ codeName: 'NOT_SUPPORTED' }));
  });
});

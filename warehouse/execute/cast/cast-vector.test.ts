import { describe, expect, it } from 'vitest';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { asDec, batchOf, col, dictVec, evalRead, lit, vec, type Readable } from '../expr-test-kit.js';
import { resolveCast } from '../functions/function-registry.js';
import { castVector } from './cast-vector.js';

const cast = (expr: BoundExpr, type: DataType, tryCast = false): BoundExpr => ({ kind: 'cast', expr, type, try: tryCast });
const castCol = (from: DataType, values: (Readable | bigint)[], to: DataType, tryCast = false) => evalRead(cast(col(0, from), to, tryCast), batchOf(vec(from, values)));
const N = (p: number, s: number) => Types.number(p, s);

describe('which casts exist', () => {
  it('allows Snowflake conversions and rejects the others with TYPE_MISMATCH', () => {
    const ok: [DataType, DataType][] = [
      [Types.boolean, N(1, 0)],
      [Types.boolean, Types.varchar],
      [N(5, 2), Types.float],
      [Types.float, N(5, 2)],
      [N(5, 2), Types.boolean],
      [N(10, 0), Types.timestampNtz],
      [Types.date, Types.timestampNtz],
      [Types.timestampNtz, Types.date],
      [Types.varchar, Types.date],
      [Types.null, Types.date],
    ];
    for (const [from, to] of ok) expect(() => resolveCast(from, to)).not.toThrow();
    const bad: [DataType, DataType][] = [
      [Types.boolean, Types.date],
      [Types.date, N(5, 0)],
      [Types.timestampNtz, Types.float],
      [Types.date, Types.boolean],
    ];
    for (const [from, to] of bad) expect(() => resolveCast(from, to)).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
    expect(() => resolveCast(Types.date, N(5, 0))).toThrow('cannot cast DATE to NUMBER(5,0)');
  });
});

describe('NUMBER casts', () => {
  it('rescales up and down exactly, rounding half away from zero', () => {
    expect(castCol(N(5, 2), ['1.25', '-1.25', '1.24', null], N(5, 1))).toEqual(['1.3', '-1.3', '1.2', null]);
    expect(castCol(N(5, 2), ['1.25', '-0.05'], N(10, 4))).toEqual(['1.2500', '-0.0500']);
    expect(castCol(N(5, 2), ['2.50', '-2.50', '0.49'], N(5, 0))).toEqual(['3', '-3', '0']);
    const wide = vec(N(38, 0), ['123456789012345678901234567890', '5']);
    expect(evalRead(cast(col(0, N(38, 0)), N(38, 2)), batchOf(wide))).toEqual(['123456789012345678901234567890.00', '5.00']);
    expect(evalRead(cast(col(0, N(38, 0)), N(38, 2)), batchOf(asDec(vec(N(38, 0), ['7']))))).toEqual(['7.00']);
    expect(castCol(N(10, 0), ['9007199254740993'], N(30, 5))).toEqual(['9007199254740993.00000']);
  });

  it('checks the target precision (NUMERIC_OUT_OF_RANGE), TRY_CAST gives NULL', () => {
    expect(() => castCol(N(5, 2), ['123.45'], N(4, 2))).toThrow(expect.objectContaining({ codeName: 'NUMERIC_OUT_OF_RANGE' }));
    expect(() => castCol(N(5, 2), ['999.99'], N(4, 1))).toThrow(/out of representable range/);
    expect(castCol(N(5, 2), ['999.99'], N(5, 1))).toEqual(['1000.0']);
    expect(castCol(N(5, 2), ['123.45', '12.34', null], N(4, 2), true)).toEqual([null, '12.34', null]);
    expect(castCol(N(5, 2), ['99.99'], N(4, 2))).toEqual(['99.99']);
  });

  it('NUMBER <-> FLOAT', () => {
    expect(castCol(N(5, 2), ['1.25', '-0.10', null], Types.float)).toEqual([1.25, -0.1, null]);
    expect(evalRead(cast(col(0, N(38, 0)), Types.float), batchOf(asDec(vec(N(38, 0), ['123456789012345678901']))))).toEqual([123456789012345680000]);
    expect(castCol(Types.float, [1.005, 2.5, -2.5, 0.125, null], N(10, 2))).toEqual(['1.00', '2.50', '-2.50', '0.13', null]);
    expect(castCol(Types.float, [2.5, -2.5, 0.5], N(10, 0))).toEqual(['3', '-3', '1']);
    expect(castCol(Types.float, [1e25], N(38, 0))).toEqual(['10000000000000000905969664']);
    expect(() => castCol(Types.float, [NaN], N(10, 0))).toThrow("Numeric value 'NaN' is out of range");
    expect(castCol(Types.float, [Infinity, 1], N(10, 0), true)).toEqual([null, '1']);
    expect(() => castCol(Types.float, [1e6], N(5, 2))).toThrow(expect.objectContaining({ codeName: 'NUMERIC_OUT_OF_RANGE' }));
  });

  it('NUMBER/FLOAT <-> BOOLEAN', () => {
    expect(castCol(N(5, 2), ['0.00', '0.01', null], Types.boolean)).toEqual([false, true, null]);
    expect(castCol(Types.float, [0, -3], Types.boolean)).toEqual([false, true]);
    expect(castCol(Types.boolean, [true, false, null], N(3, 2))).toEqual(['1.00', '0.00', null]);
    expect(castCol(Types.boolean, [true], Types.float)).toEqual([1]);
    expect(() => castCol(Types.boolean, [true], N(2, 2))).toThrow(expect.objectContaining({ codeName: 'NUMERIC_OUT_OF_RANGE' }));
  });

  it('NUMBER/FLOAT -> TIMESTAMP_NTZ reads epoch seconds', () => {
    expect(castCol(N(12, 3), ['1700000000.123', '-1.5'], Types.timestampNtz)).toEqual(['2023-11-14 22:13:20.123', '1969-12-31 23:59:58.500']);
    expect(castCol(Types.float, [86400.25], Types.timestampNtz)).toEqual(['1970-01-02 00:00:00.250']);
  });
});

describe('to VARCHAR', () => {
  it('formats like Snowflake', () => {
    expect(castCol(N(5, 2), ['12.50', '-0.05', '0.00', null], Types.varchar)).toEqual(['12.50', '-0.05', '0.00', null]);
    expect(castCol(N(10, 0), ['-42'], Types.varchar)).toEqual(['-42']);
    expect(evalRead(cast(col(0, N(38, 4)), Types.varchar), batchOf(asDec(vec(N(38, 4), ['-12345678901234567890.0001']))))).toEqual(['-12345678901234567890.0001']);
    expect(castCol(Types.float, [0.1, 1e21, 1.5e-7, NaN, -Infinity, 3], Types.varchar)).toEqual(['0.1', '1e+21', '1.5e-7', 'NaN', '-inf', '3']);
    expect(castCol(Types.boolean, [true, false, null], Types.varchar)).toEqual(['true', 'false', null]);
    expect(castCol(Types.date, ['2024-02-29', '1969-07-20', '2024-02-29'], Types.varchar)).toEqual(['2024-02-29', '1969-07-20', '2024-02-29']);
    expect(castCol(Types.timestampNtz, ['2024-02-29 01:02:03.45', '2024-01-01 00:00:00'], Types.varchar)).toEqual(['2024-02-29 01:02:03.450', '2024-01-01 00:00:00.000']);
  });

  it('truncates to VARCHAR(n) in characters', () => {
    expect(castCol(Types.varchar, ['abcdef', 'ab', '😀😀😀', null], { kind: 'VARCHAR', length: 2 })).toEqual(['ab', 'ab', '😀😀', null]);
    expect(castCol(N(5, 2), ['123.45'], { kind: 'VARCHAR', length: 4 })).toEqual(['123.']);
  });
});

describe('from VARCHAR', () => {
  it('parses each dictionary entry once, for every target type', () => {
    const text = dictVec(['12.5', ' 7 ', null, '12.5'], ['not a number but unused']);
    expect(evalRead(cast(col(0, Types.varchar), N(5, 1)), batchOf(text))).toEqual(['12.5', '7.0', null, '12.5']);
    expect(castCol(Types.varchar, ['1e3', '-0.5'], Types.float)).toEqual([1000, -0.5]);
    expect(castCol(Types.varchar, ['yes', 'off', 'TRUE'], Types.boolean)).toEqual([true, false, true]);
    expect(castCol(Types.varchar, ['2024-02-29', '01/02/2024'], Types.date)).toEqual(['2024-02-29', '2024-01-02']);
    expect(castCol(Types.varchar, ['2024-02-29T10:11:12.5'], Types.timestampNtz)).toEqual(['2024-02-29 10:11:12.500']);
    expect(castCol(Types.varchar, ['123456789012345678901234567890'], N(38, 0))).toEqual(['123456789012345678901234567890']);
  });

  it('quotes the bad value in the error message', () => {
    const expectError = (to: DataType, value: string, codeName: string, message: string) => {
      try {
        castCol(Types.varchar, ['1', value], to);
        expect.unreachable(`${value} should not convert`);
      } catch (e) {
        expect(e).toMatchObject({ name: 'DataError', codeName, message });
      }
    };
    expectError(N(5, 0), 'abc', 'NUMERIC_NOT_RECOGNIZED', "Numeric value 'abc' is not recognized");
    expectError(N(3, 0), '12345', 'NUMERIC_OUT_OF_RANGE', "Numeric value '12345' is out of range");
    expectError(Types.float, 'x1', 'NUMERIC_NOT_RECOGNIZED', "Numeric value 'x1' is not recognized");
    expectError(Types.date, '2023-02-29', 'DATE_NOT_RECOGNIZED', "Date '2023-02-29' is not recognized");
    expectError(Types.timestampNtz, '2024-01-01 25:00', 'TIMESTAMP_NOT_RECOGNIZED', "Timestamp '2024-01-01 25:00' is not recognized");
    expectError(Types.boolean, 'maybe', 'BOOLEAN_NOT_RECOGNIZED', "Boolean value 'maybe' is not recognized");
  });

  it('TRY_CAST yields NULL for bad values', () => {
    expect(castCol(Types.varchar, ['1', 'abc', null], N(5, 0), true)).toEqual(['1', null, null]);
    expect(castCol(Types.varchar, ['2024-01-01', 'nope'], Types.date, true)).toEqual(['2024-01-01', null]);
  });
});

describe('DATE <-> TIMESTAMP_NTZ and NULL', () => {
  it('converts days and microseconds, flooring before 1970', () => {
    expect(castCol(Types.date, ['2024-02-29', null], Types.timestampNtz)).toEqual(['2024-02-29 00:00:00.000', null]);
    expect(castCol(Types.timestampNtz, ['2024-02-29 23:59:59', '1969-12-31 23:00:00'], Types.date)).toEqual(['2024-02-29', '1969-12-31']);
  });

  it('casts NULL-typed values and constants', () => {
    expect(evalRead(cast(lit(null, Types.null), Types.date), batchOf(vec(Types.boolean, [true, false])))).toEqual([null, null]);
    expect(evalRead(cast(lit('42', Types.varchar), N(3, 0)), batchOf())).toEqual(['42']);
    expect(castVector(vec(Types.null, [null]), Types.null, Types.varchar, false)).toMatchObject({ kind: 'str', length: 1 });
  });

  it('a constant cast evaluates once and still yields batch-length vectors', () => {
    const v = evaluateExpr(cast(lit('2024-01-01', Types.varchar), Types.date), batchOf(vec(Types.boolean, [true, true, true])));
    expect(v).toMatchObject({ kind: 'i32', length: 3, nulls: null });
  });
});

import { describe, expect, it } from 'vitest';
import { CompilationError } from '../../../storage/errors/firn-error.js';
import { Types } from '../../../storage/types/data-type.js';
import { aggregateResultType } from './aggregate-result-type.js';

describe('aggregateResultType', () => {
  it('follows Snowflake for COUNT, SUM, AVG, MIN, MAX', () => {
    expect(aggregateResultType('count_star', Types.null)).toEqual(Types.number(18, 0));
    expect(aggregateResultType('count', Types.varchar)).toEqual(Types.number(18, 0));
    expect(aggregateResultType('sum', Types.number(10, 2))).toEqual(Types.number(38, 2));
    expect(aggregateResultType('sum', Types.float)).toEqual(Types.float);
    expect(aggregateResultType('avg', Types.float)).toEqual(Types.float);
    expect(aggregateResultType('avg', Types.number(10, 0))).toEqual(Types.number(38, 6));
    expect(aggregateResultType('avg', Types.number(10, 2))).toEqual(Types.number(38, 8));
    expect(aggregateResultType('avg', Types.number(20, 8))).toEqual(Types.number(38, 12));
    expect(aggregateResultType('avg', Types.number(38, 15))).toEqual(Types.number(38, 15));
    expect(aggregateResultType('min', Types.date)).toEqual(Types.date);
    expect(aggregateResultType('max', Types.varchar)).toEqual(Types.varchar);
    expect(aggregateResultType('sum', Types.null)).toEqual(Types.number(38, 0));
  });

  it('types the statistical and conditional aggregates as Snowflake does', () => {
    const N = Types.number(12, 2);
    expect(aggregateResultType('count_if', Types.boolean)).toEqual(Types.number(18, 0));
    expect(aggregateResultType('approx_count_distinct', Types.varchar)).toEqual(Types.number(18, 0));
    expect(aggregateResultType('any_value', Types.date)).toEqual(Types.date);
    expect(aggregateResultType('median', N)).toEqual(Types.number(15, 5));
    expect(aggregateResultType('median', Types.number(38, 0))).toEqual(Types.number(38, 3));
    expect(aggregateResultType('median', Types.float)).toEqual(Types.float);
    expect(aggregateResultType('var_samp', Types.number(10, 0))).toEqual(Types.number(38, 6));
    expect(aggregateResultType('var_pop', Types.number(20, 8))).toEqual(Types.number(38, 8));
    expect(aggregateResultType('var_pop', Types.float)).toEqual(Types.float);
    expect(aggregateResultType('stddev_samp', N)).toEqual(Types.float);
    expect(aggregateResultType('stddev_pop', Types.null)).toEqual(Types.float);
    expect(aggregateResultType('median', Types.null)).toEqual(Types.number(38, 3));
  });

  it('rejects numeric aggregates over non-numeric types and COUNT_IF over non-BOOLEAN', () => {
    for (const fn of ['median', 'var_samp', 'var_pop', 'stddev_samp', 'stddev_pop'] as const) {
      expect(() => aggregateResultType(fn, Types.varchar)).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
      expect(() => aggregateResultType(fn, Types.timestampNtz)).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
    }
    expect(() => aggregateResultType('count_if', Types.number(1, 0))).toThrow(/COUNT_IF is not defined for an argument of type NUMBER\(1,0\)/);
  });

  it('rejects SUM/AVG over non-numeric types with TYPE_MISMATCH', () => {
    for (const t of [Types.varchar, Types.date, Types.boolean, Types.timestampNtz]) {
      for (const fn of ['sum', 'avg'] as const) {
        let err: unknown;
        try {
          aggregateResultType(fn, t);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(CompilationError);
        expect((err as CompilationError).codeName).toBe('TYPE_MISMATCH');
      }
    }
  });

  it('types the Boolean, bitwise, statistical, percentile and hash aggregates as Snowflake does', () => {
    const n = Types.number(10, 2);
    expect(aggregateResultType('boolxor_agg', Types.boolean)).toEqual(Types.boolean);
    expect(aggregateResultType('bitand_agg', Types.number(38, 0))).toEqual(Types.number(38, 0));
    expect(aggregateResultType('percentile_cont', n)).toEqual(Types.number(13, 5));
    expect(aggregateResultType('percentile_cont', Types.float)).toEqual(Types.float);
    expect(aggregateResultType('percentile_disc', n)).toEqual(n);
    expect(aggregateResultType('approx_percentile', n)).toEqual(Types.float);
    expect(aggregateResultType('corr', Types.float)).toEqual(Types.float);
    expect(aggregateResultType('regr_count', Types.float)).toEqual(Types.number(18, 0));
    expect(aggregateResultType('kurtosis', n)).toEqual(Types.number(38, 12));
    expect(aggregateResultType('skew', Types.float)).toEqual(Types.float);
    expect(aggregateResultType('hash_agg', Types.number(19, 0))).toEqual(Types.number(19, 0));
    expect(aggregateResultType('mode', Types.date)).toEqual(Types.date);
    expect(aggregateResultType('array_union_agg', Types.array)).toEqual(Types.array);
    expect(() => aggregateResultType('skew', Types.varchar)).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
    expect(() => aggregateResultType('percentile_disc', Types.date)).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
  });
});

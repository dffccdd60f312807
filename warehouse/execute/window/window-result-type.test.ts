import { describe, expect, it } from 'vitest';
import { CompilationError } from '../../../storage/errors/firn-error.js';
import { Types } from '../../../storage/types/data-type.js';
import { windowResultType } from './window-result-type.js';

const N2 = Types.number(10, 2);
const BIGINT = Types.number(18, 0);

describe('windowResultType', () => {
  it('ranking functions and counts are NUMBER(18,0)', () => {
    for (const fn of ['row_number', 'rank', 'dense_rank', 'count_star'] as const) expect(windowResultType(fn, [])).toEqual(BIGINT);
    expect(windowResultType('ntile', [Types.number(38, 0)])).toEqual(BIGINT);
    expect(windowResultType('count', [Types.varchar])).toEqual(BIGINT);
  });

  it('SUM and AVG type like the aggregates', () => {
    expect(windowResultType('sum', [N2])).toEqual(Types.number(38, 2));
    expect(windowResultType('avg', [N2])).toEqual(Types.number(38, 8));
    expect(windowResultType('avg', [Types.float])).toEqual(Types.float);
    expect(() => windowResultType('sum', [Types.varchar])).toThrow(CompilationError);
  });

  it('value functions keep the argument type', () => {
    for (const fn of ['first_value', 'last_value', 'min', 'max'] as const) expect(windowResultType(fn, [Types.date])).toEqual(Types.date);
    expect(windowResultType('lag', [Types.varchar, Types.number(38, 0), Types.varchar])).toEqual(Types.varchar);
    expect(windowResultType('lead', [N2])).toEqual(N2);
  });

  it('wrong argument counts and non-numeric counts are TYPE_MISMATCH', () => {
    expect(() => windowResultType('rank', [N2])).toThrow(/takes 0 arguments/);
    expect(() => windowResultType('lag', [])).toThrow(/takes 1 to 3 arguments/);
    expect(() => windowResultType('ntile', [Types.varchar])).toThrow(/invalid argument types/);
    expect(() => windowResultType('lead', [N2, Types.date])).toThrow(/invalid argument types/);
    try {
      windowResultType('sum', []);
    } catch (e) {
      expect((e as CompilationError).codeName).toBe('TYPE_MISMATCH');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import { batchOf, call, col, evalRead, lit, vec } from '../expr-test-kit.js';
import { SINGLE_ROW_CHECK } from './single-row-check.js';

const B = Types.boolean;
const S = Types.varchar;

describe('$single_row', () => {
  it('passes the value through when no row is violated (FALSE or NULL flags)', () => {
    const batch = batchOf(vec(B, [false, null, false]), vec(S, ['a', 'b', null]));
    expect(evalRead(call(SINGLE_ROW_CHECK, col(0, B), col(1, S)), batch)).toEqual(['a', 'b', null]);
    expect(evalRead(call(SINGLE_ROW_CHECK, lit(null, Types.null), col(1, S)), batch)).toEqual(['a', 'b', null]);
  });

  it('raises SUBQUERY_MULTIPLE_ROWS when any row is violated', () => {
    const batch = batchOf(vec(B, [false, true, null]), vec(S, ['a', 'b', 'c']));
    expect(() => evalRead(call(SINGLE_ROW_CHECK, col(0, B), col(1, S)), batch)).toThrow(/Single-row subquery returns more than one row/);
    expect(() => evalRead(call(SINGLE_ROW_CHECK, lit(true, B), col(1, S)), batch)).toThrow(/Single-row subquery/);
  });
});

import { describe, expect, it } from 'vitest';
import { DataError } from '../../../storage/errors/firn-error.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { WindowCall, WindowFn } from '../../fragment/window-call.js';
import { col, lit, read, vec } from '../expr-test-kit.js';
import { evaluateWindows } from './evaluate-windows.js';
import { windowResultType } from './window-result-type.js';

const INT = Types.number(10, 0);

/** fn(args) OVER (PARTITION BY column 0 ORDER BY column 1) over the given rows. */
function rank(fn: WindowFn, part: (string | null)[], order: (number | null)[], args: WindowCall['args'] = []): (string | null)[] {
  const batch: Batch = { length: part.length, columns: [vec(Types.varchar, part), vec(INT, order)] };
  const c: WindowCall = {
    fn,
    args,
    partitionBy: [col(0, Types.varchar)],
    orderBy: [{ expr: col(1, INT), desc: false, nullsFirst: false }],
    frame: null,
    type: windowResultType(fn, args.map((a) => a.type)),
  };
  return read(evaluateWindows(batch, [c])[0], c.type) as (string | null)[];
}

describe('ranking functions', () => {
  const part = ['a', 'a', 'a', 'a', 'b', null, null];
  const order = [2, 1, 2, null, 5, 1, 1];

  it('ROW_NUMBER, RANK (with gaps) and DENSE_RANK; NULL keys are peers, NULLs sort last', () => {
    expect(rank('row_number', part, order)).toEqual(['2', '1', '3', '4', '1', '1', '2']);
    expect(rank('rank', part, order)).toEqual(['2', '1', '2', '4', '1', '1', '1']);
    expect(rank('dense_rank', part, order)).toEqual(['2', '1', '2', '3', '1', '1', '1']);
  });

  it('NTILE splits unevenly with the larger buckets first', () => {
    const ten = Array.from({ length: 10 }, () => 'p');
    const seq = Array.from({ length: 10 }, (_, i) => i);
    expect(rank('ntile', ten, seq, [lit(4, INT)])).toEqual(['1', '1', '1', '2', '2', '2', '3', '3', '4', '4']);
    expect(rank('ntile', ten.slice(0, 7), seq.slice(0, 7), [lit(3, INT)])).toEqual(['1', '1', '1', '2', '2', '3', '3']);
    expect(rank('ntile', ten.slice(0, 3), seq.slice(0, 3), [lit(5, INT)])).toEqual(['1', '2', '3']);
    expect(rank('ntile', ['p', 'p'], [1, 2], [lit(null, INT)])).toEqual([null, null]);
  });

  it('NTILE needs a positive whole bucket count', () => {
    expect(() => rank('ntile', ['p'], [1], [lit(0, INT)])).toThrow(DataError);
    expect(() => rank('ntile', ['p'], [1], [lit('1.5', Types.number(10, 1))])).toThrow(/whole number/);
  });

  it('CUME_DIST and PERCENT_RANK (FLOAT): peers share the end / start of their group; one row is 1 and 0', () => {
    // a: 1, 2, 2, NULL (last) -> CUME_DIST 1/4, 3/4, 3/4, 1; PERCENT_RANK 0, 1/3, 1/3, 1
    expect(rank('cume_dist', part, order)).toEqual([0.75, 0.25, 0.75, 1, 1, 1, 1]);
    expect(rank('percent_rank', part, order)).toEqual([1 / 3, 0, 1 / 3, 1, 0, 0, 0]);
    expect(windowResultType('cume_dist', [])).toEqual(Types.float);
  });
});

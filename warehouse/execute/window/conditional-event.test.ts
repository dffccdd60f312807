import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { WindowCall, WindowFn } from '../../fragment/window-call.js';
import { col, read, vec } from '../expr-test-kit.js';
import { evaluateWindows } from './evaluate-windows.js';

const INT = Types.number(10, 0);

function events(fn: WindowFn, argType: typeof INT, arg: (number | boolean | string | null)[]): (string | null)[] {
  const n = arg.length;
  const batch: Batch = { length: n, columns: [vec(Types.varchar, ['p', 'p', 'p', 'p', 'p', 'p', 'q', 'q'].slice(0, n)), vec(INT, Array.from({ length: n }, (_, i) => n - i)), vec(argType, arg as never)] };
  const c: WindowCall = {
    fn,
    args: [col(2, argType)],
    partitionBy: [col(0, Types.varchar)],
    orderBy: [{ expr: col(1, INT), desc: true, nullsFirst: true }],
    frame: null,
    type: INT,
  };
  return read(evaluateWindows(batch, [c])[0], c.type) as (string | null)[];
}

describe('CONDITIONAL_TRUE_EVENT and CONDITIONAL_CHANGE_EVENT', () => {
  it('CONDITIONAL_TRUE_EVENT counts TRUE rows up to and including the current one; NULL is not TRUE; each partition starts at 0', () => {
    expect(events('conditional_true_event', Types.boolean, [false, true, null, true, false, true, true, false])).toEqual(['0', '1', '1', '2', '2', '3', '1', '1']);
  });

  it('CONDITIONAL_CHANGE_EVENT counts changes from the previous row; a NULL on either side is no change', () => {
    expect(events('conditional_change_event', INT, [5, 5, 7, null, 7, 8, 1, 2])).toEqual(['0', '0', '1', '1', '1', '2', '0', '1']);
    expect(events('conditional_change_event', Types.varchar, ['a', 'b', 'b', 'a', null, null, 'x', 'x'])).toEqual(['0', '1', '1', '2', '2', '2', '0', '0']);
  });
});

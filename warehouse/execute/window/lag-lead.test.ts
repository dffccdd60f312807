import { describe, expect, it } from 'vitest';
import { DataError } from '../../../storage/errors/firn-error.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import type { WindowCall } from '../../fragment/window-call.js';
import { col, lit, read, vec, type Readable } from '../expr-test-kit.js';
import { evaluateWindows } from './evaluate-windows.js';
import { windowResultType } from './window-result-type.js';

const INT = Types.number(10, 0);
const V = Types.varchar;
// Input rows out of order on purpose: the ORDER BY key is column 0.
const batch: Batch = { length: 5, columns: [vec(INT, [3, 1, 5, 2, 4]), vec(V, ['c', 'a', null, 'b', null]), vec(V, ['C', 'A', 'E', 'B', 'D'])] };

function lagLead(fn: 'lag' | 'lead', args: BoundExpr[], ignoreNulls = false): Readable[] {
  const c: WindowCall = {
    fn,
    args,
    partitionBy: [],
    orderBy: [{ expr: col(0, INT), desc: false, nullsFirst: false }],
    frame: null,
    ignoreNulls,
    type: windowResultType(fn, args.map((a) => a.type)),
  };
  return read(evaluateWindows(batch, [c])[0], c.type);
}

describe('LAG and LEAD', () => {
  const x = col(1, V);

  it('default offset 1, results on the input rows', () => {
    // In key order the values are a, b, c, NULL, NULL (keys 1..5).
    expect(lagLead('lag', [x])).toEqual(['b', null, null, 'a', 'c']);
    expect(lagLead('lead', [x])).toEqual([null, 'b', null, 'c', null]);
  });

  it('a negative offset looks the other way; 0 is the current row', () => {
    expect(lagLead('lag', [x, lit(-1, INT)])).toEqual(lagLead('lead', [x]));
    expect(lagLead('lead', [x, lit(0, INT)])).toEqual(['c', 'a', null, 'b', null]);
  });

  it('offsets past the partition give the default, evaluated per row', () => {
    expect(lagLead('lag', [x, lit(2, INT), col(2, V)])).toEqual(['a', 'A', 'c', 'B', 'b']);
    expect(lagLead('lead', [x, lit(9, INT), lit('none', V)])).toEqual(['none', 'none', 'none', 'none', 'none']);
    expect(lagLead('lead', [x, lit(null, INT), lit('none', V)])).toEqual([null, null, null, null, null]);
  });

  it('IGNORE NULLS counts only non-NULL rows', () => {
    expect(lagLead('lag', [x], true)).toEqual(['b', null, 'c', 'a', 'c']);
    expect(lagLead('lead', [x, lit(1, INT), lit('end', V)], true)).toEqual(['end', 'b', 'end', 'c', 'end']);
  });

  it('the offset must be a whole number', () => {
    expect(() => lagLead('lag', [x, lit('1.5', Types.number(3, 1))])).toThrow(DataError);
  });
});

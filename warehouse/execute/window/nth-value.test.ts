import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { WindowCall, WindowFrame } from '../../fragment/window-call.js';
import { col, lit, read, vec } from '../expr-test-kit.js';
import { evaluateWindows } from './evaluate-windows.js';

const INT = Types.number(10, 0);
const WHOLE: WindowFrame = { units: 'ROWS', start: { kind: 'unbounded_preceding' }, end: { kind: 'unbounded_following' } };
const RUNNING: WindowFrame = { units: 'ROWS', start: { kind: 'unbounded_preceding' }, end: { kind: 'current_row' } };

/** NTH_VALUE(column 2, n) over (PARTITION BY column 0 ORDER BY column 1 frame), read in input order. */
function nth(n: number | null, opts: { frame?: WindowFrame | null; fromLast?: boolean; ignoreNulls?: boolean } = {}): (string | null)[] {
  const batch: Batch = {
    length: 7,
    columns: [vec(Types.varchar, ['a', 'a', 'a', 'a', 'a', 'b', 'b']), vec(INT, [1, 2, 3, 4, 5, 1, 2]), vec(Types.varchar, ['v1', null, 'v3', 'v4', null, 'w1', 'w2'])],
  };
  const c: WindowCall = {
    fn: 'nth_value',
    args: [col(2, Types.varchar), lit(n, INT)],
    partitionBy: [col(0, Types.varchar)],
    orderBy: [{ expr: col(1, INT), desc: false, nullsFirst: false }],
    frame: opts.frame ?? null,
    ignoreNulls: opts.ignoreNulls,
    fromLast: opts.fromLast,
    type: Types.varchar,
  };
  return read(evaluateWindows(batch, [c])[0], c.type) as (string | null)[];
}

describe('NTH_VALUE', () => {
  it('counts from the first row of the whole partition by default (RESPECT NULLS may give NULL)', () => {
    expect(nth(1)).toEqual(['v1', 'v1', 'v1', 'v1', 'v1', 'w1', 'w1']);
    expect(nth(2)).toEqual([null, null, null, null, null, 'w2', 'w2']);
    expect(nth(3)).toEqual(['v3', 'v3', 'v3', 'v3', 'v3', null, null]);
  });

  it('FROM LAST counts back from the frame end; IGNORE NULLS skips NULL values', () => {
    expect(nth(1, { fromLast: true })).toEqual([null, null, null, null, null, 'w2', 'w2']);
    expect(nth(1, { fromLast: true, ignoreNulls: true })).toEqual(['v4', 'v4', 'v4', 'v4', 'v4', 'w2', 'w2']);
    expect(nth(2, { ignoreNulls: true })).toEqual(['v3', 'v3', 'v3', 'v3', 'v3', 'w2', 'w2']);
    expect(nth(4, { ignoreNulls: true })).toEqual([null, null, null, null, null, null, null]);
  });

  it('follows the frame: NULL until the frame holds n rows', () => {
    expect(nth(3, { frame: RUNNING })).toEqual([null, null, 'v3', 'v3', 'v3', null, null]);
    expect(nth(2, { frame: RUNNING, fromLast: true, ignoreNulls: true })).toEqual([null, null, 'v1', 'v3', 'v3', null, 'w1']);
    expect(nth(2, { frame: WHOLE })).toEqual(nth(2));
    expect(nth(null)).toEqual([null, null, null, null, null, null, null]);
  });
});

/**
 * RANGE frames with offsets around the keys the random test avoids: FLOAT NaN, NULL keys on
 * either end, DESC order, and wide NUMBER keys.
 */
import { describe, expect, it } from 'vitest';
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import type { FrameBound, WindowFrame } from '../../fragment/window-call.js';
import { vec } from '../expr-test-kit.js';
import { frameBounds } from './frame-bounds.js';
import { windowLayout } from './window-layout.js';

const P = (offset: number): FrameBound => ({ kind: 'preceding', offset });
const F = (offset: number): FrameBound => ({ kind: 'following', offset });
const UF: FrameBound = { kind: 'unbounded_following' };
const UP: FrameBound = { kind: 'unbounded_preceding' };

/** Frame sizes (end - start) per input row for `RANGE BETWEEN start AND end` over one key. */
function sizes(key: Vector, desc: boolean, nullsFirst: boolean, start: FrameBound, end: FrameBound): number[] {
  const order = { desc, nullsFirst };
  const layout = windowLayout([], [], [key], [order], key.length);
  const frame: WindowFrame = { units: 'RANGE', start, end };
  const { start: s, end: e } = frameBounds(layout, frame, { vector: key, order });
  const out = new Array<number>(key.length);
  for (let p = 0; p < key.length; p++) out[layout.perm[p]] = Math.max(0, e[p] - s[p]);
  return out;
}

describe('RANGE offsets', () => {
  const key = vec(Types.float, [1, 2, 2.5, 4, NaN, null]);

  it('value windows; a NaN or NULL current row frames its own peers', () => {
    expect(sizes(key, false, false, P(1), F(1))).toEqual([2, 3, 2, 1, 1, 1]);
    expect(sizes(key, true, true, P(1), F(1))).toEqual([2, 3, 2, 1, 1, 1]);
  });

  it('UNBOUNDED bounds reach NULL and NaN rows, offset bounds do not', () => {
    // ASC NULLS LAST: NaN (the greatest value) and NULL come after every number.
    expect(sizes(key, false, false, F(1), UF)).toEqual([5, 3, 3, 2, 2, 1]);
    // NULLS FIRST: the NULL row precedes everything and belongs to every UNBOUNDED PRECEDING frame.
    expect(sizes(key, false, true, UP, P(1))).toEqual([1, 2, 2, 4, 6, 1]);
  });

  it('a DATE key counts days', () => {
    const days = vec(Types.date, ['2024-01-01', '2024-01-03', '2024-01-04', '2024-01-10']);
    expect(sizes(days, false, false, P(2), { kind: 'current_row' })).toEqual([1, 2, 2, 1]);
  });

  it('NUMBER keys beyond 2^53 are not supported for RANGE offsets', () => {
    const wide: Vector = { kind: 'dec', length: 2, values: [2n ** 60n, 1n], nulls: null };
    expect(() => sizes(wide, false, false, P(1), F(1))).toThrow(NotSupportedError);
  });
});

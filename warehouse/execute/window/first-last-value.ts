/**
 * FIRST_VALUE and LAST_VALUE: the argument's value at the first or last row of each row's
 * frame (frame-bounds.ts), NULL when the frame is empty.
 *
 * Contract: RESPECT NULLS (the default) returns the value at that row even when it is NULL;
 * IGNORE NULLS returns the first/last non-NULL value inside the frame, NULL when there is
 * none. The result has the argument's layout, gathered once.
 */
import type { Vector } from '../../../storage/types/vector.js';
import type { FrameBounds } from './frame-bounds.js';
import { gatherOrNull } from './gather-or-null.js';
import { nonNullPositions } from './non-null-positions.js';
import type { WindowLayout } from './window-layout.js';

export function firstLastValue(fn: 'first_value' | 'last_value', layout: WindowLayout, arg: Vector, bounds: FrameBounds, ignoreNulls: boolean): Vector {
  const { n, perm } = layout;
  const { start, end } = bounds;
  const src = new Int32Array(n);
  const first = fn === 'first_value';
  if (!ignoreNulls || arg.nulls === null) {
    for (let p = 0; p < n; p++) {
      const s = start[p];
      const e = end[p];
      src[perm[p]] = e <= s ? -1 : perm[first ? s : e - 1];
    }
    return gatherOrNull(arg, src);
  }
  const { before, list } = nonNullPositions(layout, arg);
  for (let p = 0; p < n; p++) {
    const s = start[p];
    const e = end[p];
    // Non-NULL rows of the frame are list[before[s]] .. list[before[e] - 1].
    const lo = before[s];
    const hi = e > s ? before[e] : lo;
    src[perm[p]] = hi <= lo ? -1 : perm[list[first ? lo : hi - 1]];
  }
  return gatherOrNull(arg, src);
}

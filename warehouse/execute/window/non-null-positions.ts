/**
 * The non-NULL rows of a vector in a window layout's sorted order, for IGNORE NULLS: the
 * k-th non-NULL row before or after a position, or the first/last one inside a frame, is
 * then one array lookup.
 *
 * Contract: `before[p]` = number of non-NULL rows at positions < p (length n + 1, so
 * before[n] is the total); `list[i]` = position of the i-th non-NULL row. The non-NULL rows
 * of positions [s, e) are list[before[s]] .. list[before[e] - 1].
 */
import type { Vector } from '../../../storage/types/vector.js';
import type { WindowLayout } from './window-layout.js';

export type NonNullPositions = { before: Int32Array; list: Int32Array };

export function nonNullPositions(layout: WindowLayout, v: Vector): NonNullPositions {
  const { n, perm } = layout;
  const nulls = v.nulls;
  const before = new Int32Array(n + 1);
  const list = new Int32Array(n);
  let c = 0;
  for (let p = 0; p < n; p++) {
    before[p] = c;
    if (nulls === null || nulls[perm[p]] === 0) list[c++] = p;
  }
  before[n] = c;
  return { before, list };
}

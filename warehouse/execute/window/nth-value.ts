/**
 * NTH_VALUE(x, n) [FROM FIRST | FROM LAST] [IGNORE NULLS]: the argument's value at the n-th row
 * of each row's frame (frame-bounds.ts), counted from the frame's start (FROM FIRST, the
 * default) or back from its end (FROM LAST); NULL when the frame has fewer than n rows.
 *
 * Contract: `n` is read per row (the binder requires a constant from 1 to 1000, Snowflake's
 * limit); a NULL n gives NULL. RESPECT NULLS (the default) counts every row and may return a
 * NULL; IGNORE NULLS counts only the rows where x is not NULL (NULL when fewer than n of them).
 * The result has the argument's layout, gathered once, like FIRST_VALUE's.
 */
import type { Vector } from '../../../storage/types/vector.js';
import type { FrameBounds } from './frame-bounds.js';
import { gatherOrNull } from './gather-or-null.js';
import type { IntegerArgument } from './integer-argument.js';
import { nonNullPositions } from './non-null-positions.js';
import type { WindowLayout } from './window-layout.js';

export type NthValueOptions = { arg: Vector; n: IntegerArgument; fromLast: boolean; ignoreNulls: boolean };

export function nthValue(layout: WindowLayout, bounds: FrameBounds, opts: NthValueOptions): Vector {
  const { n: rows, perm } = layout;
  const { start, end } = bounds;
  const { arg, n, fromLast } = opts;
  const src = new Int32Array(rows);
  const skipNulls = opts.ignoreNulls && arg.nulls !== null;
  const nn = skipNulls ? nonNullPositions(layout, arg) : null;
  for (let p = 0; p < rows; p++) {
    const r = perm[p];
    if (n.nulls !== null && n.nulls[r] !== 0) {
      src[r] = -1;
      continue;
    }
    const k = n.values[r];
    // The frame's rows (or its non-NULL rows) as an index range [lo, hi).
    const lo = nn === null ? start[p] : nn.before[start[p]];
    const hi = nn === null ? end[p] : end[p] > start[p] ? nn.before[end[p]] : lo;
    const at = fromLast ? hi - k : lo + k - 1;
    if (k < 1 || at < lo || at >= hi) src[r] = -1;
    else src[r] = perm[nn === null ? at : nn.list[at]];
  }
  return gatherOrNull(arg, src);
}

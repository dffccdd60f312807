/**
 * MIN and MAX over window frames, for every argument type, in one linear pass per partition
 * with a monotonic deque: positions of the frame's candidate rows, their keys strictly
 * improving from back to front, so the front is the frame's extreme. Frames only move
 * forward (frame-bounds.ts), so each row enters and leaves the deque at most once; a frame
 * that starts at UNBOUNDED PRECEDING simply never pops from the front.
 *
 * Contract: NULLs are skipped; an empty or all-NULL frame gives NULL. Values compare as the
 * aggregates do (numbers exactly, FLOAT NaN above every number, strings in JS string order,
 * FALSE < TRUE), through one comparable Float64 key per row computed once per vector (the
 * values themselves where their order is `<`, else dense ranks). The result is gathered from
 * the argument, so it keeps its type and layout.
 */
import type { Vector } from '../../../storage/types/vector.js';
import { keyComparator, stringRanks } from '../sort/row-comparator.js';
import { sortPermutation } from '../sort/sort-permutation.js';
import type { FrameBounds } from './frame-bounds.js';
import { gatherOrNull } from './gather-or-null.js';
import type { WindowLayout } from './window-layout.js';

export function frameMinMax(isMax: boolean, layout: WindowLayout, arg: Vector, bounds: FrameBounds): Vector {
  const { n, perm, partitionStarts } = layout;
  const { start, end } = bounds;
  const byRow = comparableKeys(arg);
  const argNulls = arg.nulls;
  // Keys in sorted position order, NaN marking a NULL (comparable keys are never NaN).
  const keys = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const r = perm[p];
    keys[p] = argNulls !== null && argNulls[r] !== 0 ? NaN : byRow[r];
  }
  const sign = isMax ? 1 : -1;
  const deque = new Int32Array(n);
  const src = new Int32Array(n);
  const parts = partitionStarts.length - 1;
  for (let k = 0; k < parts; k++) {
    const ps = partitionStarts[k];
    const pe = partitionStarts[k + 1];
    let head = 0;
    let tail = 0;
    let hi = ps;
    for (let p = ps; p < pe; p++) {
      const s = start[p];
      const e = end[p];
      if (s > hi) hi = s;
      for (; hi < e; hi++) {
        const x = sign * keys[hi];
        if (x !== x) continue;
        while (tail > head && sign * keys[deque[tail - 1]] <= x) tail--;
        deque[tail++] = hi;
      }
      while (head < tail && deque[head] < s) head++;
      src[perm[p]] = head < tail && e > s ? perm[deque[head]] : -1;
    }
  }
  return gatherOrNull(arg, src);
}

/** Per input row, a number whose `<` order is the value order (values under NULL slots unspecified). */
function comparableKeys(v: Vector): Float64Array | Int32Array | Uint8Array {
  switch (v.kind) {
    case 'i32':
    case 'bool':
      return v.values;
    case 'str':
      return stringRanks(v);
    case 'f64': {
      const x = v.values;
      for (let i = 0; i < v.length; i++) if (x[i] !== x[i] && (v.nulls === null || v.nulls[i] === 0)) return denseRanks(v);
      return x;
    }
    case 'dec':
    case 'ts':
      return denseRanks(v);
  }
}

/** Dense ranks of the non-NULL values in sort order (NaN above every number), via one sort. */
function denseRanks(v: Vector): Int32Array {
  const n = v.length;
  const order = { desc: false, nullsFirst: false };
  const perm = sortPermutation([v], [order], n);
  const same = keyComparator(v, order);
  const ranks = new Int32Array(n);
  let rank = 0;
  for (let p = 0; p < n; p++) {
    if (p > 0 && same(perm[p - 1], perm[p]) !== 0) rank++;
    ranks[perm[p]] = rank;
  }
  return ranks;
}

/**
 * Merge of sorted partials: services combine the already-sorted outputs of several workers
 * (ORDER BY, ORDER BY ... LIMIT) into one sorted batch with a k-way merge, never re-sorting.
 *
 * Contract: every input batch must already be sorted by `keys` (e.g. by sortBatch or topN).
 * The result is the stable merge, equal to a stable sort of the concatenation in input
 * order, cut to `limit` rows. The batches are concatenated first (one dictionary per 'str'
 * column, 'dec' where any NUMBER batch is wide), so each merge step compares two rows of
 * one batch with the pre-ranked comparator; a binary heap of run heads costs O(log k) of
 * those per output row.
 */
import type { DataType } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { SortKey } from '../../fragment/bound-expr.js';
import { concatBatches } from '../batch/concat-batches.js';
import type { ExprEvaluator } from '../batch/expr-evaluator.js';
import { gatherBatch } from '../batch/gather-batch.js';
import { sliceBatch } from '../batch/slice-batch.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { rowComparator } from './row-comparator.js';

export function mergeSorted(
  batches: readonly Batch[],
  types: readonly DataType[],
  keys: readonly SortKey[],
  limit: number = Infinity,
  evaluate: ExprEvaluator = evaluateExpr,
): Batch {
  const runs = batches.filter((b) => b.length > 0);
  const all = concatBatches(types, runs);
  const total = Math.max(0, Math.min(all.length, limit));
  if (runs.length <= 1) return sliceBatch(all, 0, total);
  const cmp = rowComparator(
    keys.map((k) => evaluate(k.expr, all)),
    keys,
  );
  // Run r spans rows [next[r], end[r]) of `all`; the heap holds runs by their head row.
  const k = runs.length;
  const next = new Int32Array(k);
  const end = new Int32Array(k);
  let at = 0;
  for (let r = 0; r < k; r++) {
    next[r] = at;
    at += runs[r].length;
    end[r] = at;
  }
  const heap = new Int32Array(k);
  let size = 0;
  const less = (x: number, y: number) => cmp(next[x], next[y]) < 0;
  const siftDown = (i: number) => {
    const x = heap[i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && less(heap[c + 1], heap[c])) c++;
      if (!less(heap[c], x)) break;
      heap[i] = heap[c];
      i = c;
    }
    heap[i] = x;
  };
  for (let r = 0; r < k; r++) heap[size++] = r;
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(i);
  const perm = new Int32Array(total);
  for (let o = 0; o < total; o++) {
    const r = heap[0];
    perm[o] = next[r]++;
    if (next[r] === end[r]) heap[0] = heap[--size];
    if (size > 0) siftDown(0);
  }
  return gatherBatch(all, perm);
}


/**
 * Sort permutations: the order of a batch's rows under ORDER BY, as an Int32Array of row
 * indices, computed from already-evaluated key vectors. Full sorts and top-N selection
 * share it; gathering the batch by the permutation is the caller's step.
 *
 * Contract: `sortPermutation` returns all rows in stable order; `topPermutation` returns
 * the first min(limit, n) of them, equal to the stable sort's prefix. For a small limit it
 * keeps a binary max-heap of the best `limit` rows (O(n log limit)) instead of sorting.
 */
import type { Vector } from '../../../storage/types/vector.js';
import { rowComparator, type RowComparator, type SortOrder } from './row-comparator.js';

export function sortPermutation(vectors: readonly Vector[], orders: readonly SortOrder[], n: number): Int32Array {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  return perm.sort(rowComparator(vectors, orders));
}

export function topPermutation(vectors: readonly Vector[], orders: readonly SortOrder[], n: number, limit: number): Int32Array {
  const m = Math.max(0, Math.min(Math.trunc(limit), n));
  if (m === 0) return new Int32Array(0);
  if (m * 8 > n) return sortPermutation(vectors, orders, n).slice(0, m);
  const cmp = rowComparator(vectors, orders);
  const heap = new Int32Array(m);
  for (let i = 0; i < m; i++) heap[i] = i;
  // Max-heap: heap[0] is the worst row kept so far.
  for (let i = (m >> 1) - 1; i >= 0; i--) siftDown(heap, i, m, cmp);
  for (let r = m; r < n; r++) {
    if (cmp(r, heap[0]) < 0) {
      heap[0] = r;
      siftDown(heap, 0, m, cmp);
    }
  }
  return heap.sort(cmp);
}

function siftDown(heap: Int32Array, i: number, size: number, cmp: RowComparator): void {
  const x = heap[i];
  for (;;) {
    let c = 2 * i + 1;
    if (c >= size) break;
    if (c + 1 < size && cmp(heap[c + 1], heap[c]) > 0) c++;
    if (cmp(heap[c], x) <= 0) break;
    heap[i] = heap[c];
    i = c;
  }
  heap[i] = x;
}

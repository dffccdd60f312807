/**
 * Top-N: the first n rows of some batches under ORDER BY, without sorting them all. The
 * top_n_exec operator uses it for ORDER BY ... LIMIT n (a top-N per task; one task then
 * k-way merges the tasks' sorted results, merge-sorted.ts).
 *
 * Contract: the result has min(n, total rows) rows in ORDER BY order, and equals a stable
 * sort of the batches' concatenation (in the order given) cut to n rows. `types` are the
 * column types of the batches. Feeding the previous result back in with the next batch
 * (topN([kept, next], ...)) keeps memory at O(n + batch).
 */
import type { DataType } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { SortKey } from '../../fragment/bound-expr.js';
import { concatBatches } from '../batch/concat-batches.js';
import type { ExprEvaluator } from '../batch/expr-evaluator.js';
import { gatherBatch } from '../batch/gather-batch.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { topPermutation } from './sort-permutation.js';

export function topN(
  batches: readonly Batch[],
  types: readonly DataType[],
  keys: readonly SortKey[],
  n: number,
  evaluate: ExprEvaluator = evaluateExpr,
): Batch {
  const all = concatBatches(types, batches);
  const vectors = keys.map((k) => evaluate(k.expr, all));
  return gatherBatch(all, topPermutation(vectors, keys, all.length, n));
}

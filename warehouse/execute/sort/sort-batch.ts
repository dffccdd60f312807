/**
 * Full sort of one batch by ORDER BY keys (services-side final sort, small results).
 *
 * Contract: stable, multi-key, ASC/DESC, NULLS FIRST/LAST exactly as each SortKey says (the
 * planner fills in Snowflake's defaults). Keys are BoundExprs over the batch, evaluated once
 * each; the batch is then gathered by the sort permutation (see row-comparator.ts for how
 * each key kind compares).
 */
import type { Batch } from '../../../storage/types/vector.js';
import type { SortKey } from '../../fragment/bound-expr.js';
import type { ExprEvaluator } from '../batch/expr-evaluator.js';
import { gatherBatch } from '../batch/gather-batch.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { sortPermutation } from './sort-permutation.js';

export function sortBatch(batch: Batch, keys: readonly SortKey[], evaluate: ExprEvaluator = evaluateExpr): Batch {
  if (batch.length <= 1 || keys.length === 0) return batch;
  const vectors = keys.map((k) => evaluate(k.expr, batch));
  return gatherBatch(batch, sortPermutation(vectors, keys, batch.length));
}

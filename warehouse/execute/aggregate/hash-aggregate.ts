/**
 * The services-side entry points of hash aggregation: `finalAggregate` merges the
 * partial-state batches of every worker (see partial-state-types.ts), `aggregateBatches`
 * aggregates raw batches in one shot (small inputs: VALUES, results of other operators).
 *
 * Contract: both return the result batch: group keys, then one column per aggregate with
 * its call's result type; without GROUP BY exactly one row, even for no input (COUNT 0,
 * everything else NULL). `finalAggregate` takes the group key types (the partial batches
 * carry the key values), in any order and number of partials, empty ones included.
 */
import type { DataType } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { AggregateCall, BoundExpr } from '../../fragment/bound-expr.js';
import type { ExprEvaluator } from '../batch/expr-evaluator.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { HashAggregateExec } from './hash-aggregate-exec.js';

export function finalAggregate(groupTypes: readonly DataType[], aggregates: readonly AggregateCall[], partials: readonly Batch[]): Batch {
  const keys: BoundExpr[] = groupTypes.map((type, index) => ({ kind: 'column', index, type }));
  const exec = new HashAggregateExec(keys, aggregates, 'final');
  for (const p of partials) exec.consume(p);
  return exec.finish().batch;
}

export function aggregateBatches(
  groupBy: readonly BoundExpr[],
  aggregates: readonly AggregateCall[],
  batches: readonly Batch[],
  evaluate: ExprEvaluator = evaluateExpr,
): Batch {
  const exec = new HashAggregateExec(groupBy, aggregates, 'complete', evaluate);
  for (const b of batches) exec.consume(b);
  return exec.finish().batch;
}

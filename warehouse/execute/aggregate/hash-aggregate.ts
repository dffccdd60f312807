/**
 * The services-side entry points of hash aggregation: `finalAggregate` merges the
 * partial-state batches of every worker (see partial-state-types.ts), `finalizeDistinctGroups`
 * turns partial states whose groups are known to be one row each into results without
 * hashing the keys, `aggregateBatches` aggregates raw batches in one shot (small inputs:
 * VALUES, results of other operators).
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
import { isSpanning } from './accumulator.js';
import { createAccumulator } from './create-accumulator.js';

export function finalAggregate(groupTypes: readonly DataType[], aggregates: readonly AggregateCall[], partials: readonly Batch[], memoryBudget = Infinity): Batch {
  const keys: BoundExpr[] = groupTypes.map((type, index) => ({ kind: 'column', index, type }));
  const exec = new HashAggregateExec(keys, aggregates, 'final', undefined, memoryBudget);
  for (const p of partials) exec.consume(p);
  return exec.finish().batch;
}

/**
 * Results of a partial-state batch in which every group is exactly one row (the caller
 * knows no other partial holds its key): each row's states are merged into group = row
 * number, so no key is hashed. Only for aggregates whose partial state is one row per group
 * (`hasRowStates`).
 */
export function finalizeDistinctGroups(groupCount: number, aggregates: readonly AggregateCall[], partial: Batch): Batch {
  const n = partial.length;
  const gids = new Int32Array(n);
  for (let i = 0; i < n; i++) gids[i] = i;
  const columns = partial.columns.slice(0, groupCount);
  let at = groupCount;
  for (const a of aggregates) {
    const acc = createAccumulator(a);
    acc.resize(Math.max(n, 1));
    const width = acc.stateTypes.length;
    if (n > 0) acc.merge(partial.columns.slice(at, at + width), gids, n);
    columns.push(acc.emitResult(n));
    at += width;
  }
  return { length: n, columns };
}

/** Whether every aggregate keeps one partial-state row per group (no spanning entries such as MEDIAN's values). */
export function hasRowStates(aggregates: readonly AggregateCall[]): boolean {
  return aggregates.every((a) => !isSpanning(createAccumulator(a)));
}

export function aggregateBatches(
  groupBy: readonly BoundExpr[],
  aggregates: readonly AggregateCall[],
  batches: readonly Batch[],
  evaluate: ExprEvaluator = evaluateExpr,
  memoryBudget = Infinity,
): Batch {
  const exec = new HashAggregateExec(groupBy, aggregates, 'complete', evaluate, memoryBudget);
  for (const b of batches) exec.consume(b);
  return exec.finish().batch;
}

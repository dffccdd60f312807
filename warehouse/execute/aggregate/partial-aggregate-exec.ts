/**
 * The worker side of distributed aggregation: partial hash aggregation of a scan
 * fragment's batches into one partial-state batch (layout: partial-state-types.ts), which
 * the worker ships as Arrow IPC and services merges with finalAggregate.
 *
 * Contract: `push` each filtered input batch, then `finish` once; the returned columns
 * describe the partial batch (keys `key_i`, states `agg_j_k` for state k of aggregate j).
 */
import type { Column } from '../../../storage/types/schema.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { AggregateCall, BoundExpr } from '../../fragment/bound-expr.js';
import type { ExprEvaluator } from '../batch/expr-evaluator.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { HashAggregateExec } from './hash-aggregate-exec.js';
import { aggregateStateTypes } from './partial-state-types.js';

export class PartialAggregateExec {
  private readonly exec: HashAggregateExec;
  readonly columns: Column[];

  constructor(groupBy: readonly BoundExpr[], aggregates: readonly AggregateCall[], memoryBudget = Infinity, evaluate: ExprEvaluator = evaluateExpr) {
    this.exec = new HashAggregateExec(groupBy, aggregates, 'partial', evaluate, memoryBudget);
    this.columns = [
      ...groupBy.map((g, i) => ({ name: `key_${i}`, type: g.type, nullable: true })),
      ...aggregates.flatMap((a, j) => aggregateStateTypes(a).map((type, k) => ({ name: `agg_${j}_${k}`, type, nullable: true }))),
    ];
  }

  push(batch: Batch): void {
    this.exec.consume(batch);
  }

  finish(): { columns: Column[]; batch: Batch } {
    return { columns: this.columns, batch: this.exec.finish().batch };
  }
}

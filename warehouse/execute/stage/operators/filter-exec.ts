/** filter_exec: keeps the rows of each input batch where the predicate is TRUE, batch by batch. */
import { markTransient, recycleUnshared } from '../../batch/array-pool.js';
import type { BoolVector } from '../../../../storage/types/vector.js';
import type { ExecNode } from '../../../fragment/stage-plan.js';
import { filterBatch } from '../../batch/filter-batch.js';
import { evaluateExpr } from '../../evaluate-expr.js';
import type { Operator, OperatorBody } from '../operator.js';

export function filterExec(node: Extract<ExecNode, { kind: 'filter_exec' }>, input: Operator): OperatorBody {
  return {
    async *run() {
      for await (const b of input.batches()) {
        const mask = evaluateExpr(node.predicate, b) as BoolVector;
        const kept = filterBatch(b, mask);
        recycleUnshared(mask, b);
        yield kept === b ? b : markTransient(kept);
      }
    },
  };
}

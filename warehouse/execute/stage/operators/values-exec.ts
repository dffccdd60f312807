/**
 * values_exec: constant rows (VALUES, SELECT without FROM), evaluated in task 0 only; the
 * stage's other tasks answer no rows, so the rows appear once however many tasks run.
 */
import type { Batch } from '../../../../storage/types/vector.js';
import type { ExecNode } from '../../../fragment/stage-plan.js';
import { concatBatches } from '../../batch/concat-batches.js';
import { evaluateExpr } from '../../evaluate-expr.js';
import { bounded } from '../bounded.js';
import type { OperatorBody, TaskContext } from '../operator.js';

export function valuesExec(node: Extract<ExecNode, { kind: 'values_exec' }>, ctx: TaskContext): OperatorBody {
  return {
    async *run() {
      if (ctx.task.task !== 0 || node.rows.length === 0) return;
      const one: Batch = { length: 1, columns: [] };
      const rows = node.rows.map((r) => ({ length: 1, columns: r.map((e) => evaluateExpr(e, one)) }));
      yield* bounded(concatBatches(node.types, rows));
    },
  };
}

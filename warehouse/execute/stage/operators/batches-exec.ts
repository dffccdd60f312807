/**
 * batches_exec: rows computed already (an earlier statement's result, RESULT_SCAN), sent with
 * the plan as columnar batches; answered in task 0 only, each batch cut into bounded views, so
 * the rows appear once however many tasks run and no row is ever an object.
 */
import type { ExecNode } from '../../../fragment/stage-plan.js';
import { bounded } from '../bounded.js';
import type { OperatorBody, TaskContext } from '../operator.js';

export function batchesExec(node: Extract<ExecNode, { kind: 'batches_exec' }>, ctx: TaskContext): OperatorBody {
  return {
    async *run() {
      if (ctx.task.task !== 0) return;
      for (const batch of node.batches) yield* bounded(batch);
    },
  };
}

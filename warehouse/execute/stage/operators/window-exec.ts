/**
 * window_exec: appends one column per window call. Every row of a PARTITION BY group is in
 * this task (the planner repartitions by the partition keys, or gathers), but a group may
 * span batches, so the task's input is collected (metered against the operator's memory
 * share: 53200 past it) and evaluated at once (evaluate-windows.ts); the result leaves in
 * bounded batches.
 */
import type { ExecNode } from '../../../fragment/stage-plan.js';
import { evaluateWindows } from '../../window/evaluate-windows.js';
import { bounded, collect } from '../bounded.js';
import type { Operator, OperatorBody, TaskContext } from '../operator.js';

export function windowExec(node: Extract<ExecNode, { kind: 'window_exec' }>, input: Operator, ctx: TaskContext): OperatorBody {
  return {
    async *run() {
      const rows = await collect(input, input.node.types, ctx.memory.share, 'Window input');
      if (rows.length === 0) return;
      yield* bounded({ length: rows.length, columns: [...rows.columns, ...evaluateWindows(rows, node.calls)] });
    },
  };
}

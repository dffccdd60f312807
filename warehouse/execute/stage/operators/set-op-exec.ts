/**
 * set_op_exec: UNION ALL streams its left input's batches, then its right input's. UNION,
 * INTERSECT and EXCEPT (rows with equal values are in this task) collect both inputs
 * (metered against the operator's memory share, 53200 past it) and answer the distinct
 * rows set-operation.ts gives, in bounded batches.
 */
import type { ExecNode } from '../../../fragment/stage-plan.js';
import { SetOp, setOperation } from '../../setop/set-operation.js';
import { bounded, collect } from '../bounded.js';
import type { Operator, OperatorBody, TaskContext } from '../operator.js';

const OPS = { UNION: SetOp.UNION, INTERSECT: SetOp.INTERSECT, EXCEPT: SetOp.EXCEPT } as const;

export function setOpExec(node: Extract<ExecNode, { kind: 'set_op_exec' }>, left: Operator, right: Operator, ctx: TaskContext): OperatorBody {
  return {
    async *run() {
      if (node.op === 'UNION' && node.all) {
        yield* left.batches();
        yield* right.batches();
        return;
      }
      const l = await collect(left, node.types, ctx.memory.share / 2, 'Set operation input');
      const r = await collect(right, node.types, ctx.memory.share / 2, 'Set operation input');
      yield* bounded(setOperation(OPS[node.op], node.all, [l], [r], node.types));
    },
  };
}

/** project_exec: one output column per expression over each input batch, batch by batch. */
import { isTransient, markTransient } from '../../batch/array-pool.js';
import type { ExecNode } from '../../../fragment/stage-plan.js';
import { evaluateExpr } from '../../evaluate-expr.js';
import type { Operator, OperatorBody } from '../operator.js';

export function projectExec(node: Extract<ExecNode, { kind: 'project_exec' }>, input: Operator): OperatorBody {
  return {
    async *run() {
      for await (const b of input.batches()) {
        const out = { length: b.length, columns: node.exprs.map((e) => evaluateExpr(e, b)) };
        // Computed columns are new; passed-through ones are the input's, transient when it is.
        yield isTransient(b) ? markTransient(out) : out;
      }
    },
  };
}

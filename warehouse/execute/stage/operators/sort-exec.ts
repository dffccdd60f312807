/** sort_exec: a full sort of this task's input by `keys` through ExternalSort (spilling runs past the operator's memory share). */
import type { ExecNode } from '../../../fragment/stage-plan.js';
import { ExternalSort } from '../../spill/external-sort.js';
import type { Operator, OperatorBody, TaskContext } from '../operator.js';

export function sortExec(node: Extract<ExecNode, { kind: 'sort_exec' }>, input: Operator, ctx: TaskContext): OperatorBody {
  const sort = new ExternalSort(node.types, node.keys, { memoryBytes: ctx.memory.share, spill: ctx.spill, cancel: ctx.cancel });
  return {
    async *run() {
      for await (const b of input.batches()) await sort.add(b);
      yield* sort.finish();
    },
    bytesSpilled: () => sort.bytesSpilled,
  };
}

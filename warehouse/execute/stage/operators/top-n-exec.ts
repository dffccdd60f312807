/**
 * top_n_exec: the first `limit` rows of this task's input by `keys` (ties in input order),
 * as a running top-N: after each input batch only the best `limit` rows are kept, so it
 * holds `limit` rows plus one batch (metered against its memory share, 53200 past it).
 */
import type { Batch } from '../../../../storage/types/vector.js';
import type { ExecNode } from '../../../fragment/stage-plan.js';
import { MemoryMeter } from '../../batch/memory-meter.js';
import { topN } from '../../sort/top-n.js';
import { bounded } from '../bounded.js';
import type { Operator, OperatorBody, TaskContext } from '../operator.js';

export function topNExec(node: Extract<ExecNode, { kind: 'top_n_exec' }>, input: Operator, ctx: TaskContext): OperatorBody {
  return {
    async *run() {
      if (node.limit <= 0) return;
      let kept: Batch | null = null;
      for await (const b of input.batches()) {
        kept = topN(kept ? [kept, b] : [b], node.types, node.keys, node.limit);
        new MemoryMeter(ctx.memory.share, 'Top-N').add(kept);
      }
      if (kept) yield* bounded(kept);
    },
  };
}

/**
 * limit_exec: skips `offset` rows, then passes at most `limit` (null: all). Once it has
 * passed `limit` rows it returns, which closes its input's generator: nothing below it
 * reads another batch (a scan stops reading units).
 */
import type { ExecNode } from '../../../fragment/stage-plan.js';
import { sliceBatch } from '../../batch/slice-batch.js';
import type { Operator, OperatorBody } from '../operator.js';

export function limitExec(node: Extract<ExecNode, { kind: 'limit_exec' }>, input: Operator): OperatorBody {
  return {
    async *run() {
      const end = node.limit === null ? Infinity : node.offset + node.limit;
      if (end <= node.offset) return;
      let seen = 0;
      for await (const b of input.batches()) {
        const start = seen;
        seen += b.length;
        if (seen > node.offset) yield sliceBatch(b, Math.max(0, node.offset - start), Math.min(b.length, end - start));
        if (seen >= end) return;
      }
    },
  };
}

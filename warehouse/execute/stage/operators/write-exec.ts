/**
 * write_exec: writes its input as micro-partitions of the target table and answers no rows;
 * the partitions written go to the task's reply (`written`). A thin adapter over
 * warehouse/load/write-micro-partitions.ts, which streams: unclustered rows are cut into
 * partitions as they arrive, clustered rows go through an ExternalSort within the operator's
 * memory share (spilling to the task's spill space), and the table's NOT NULL and VARCHAR(n)
 * constraints are checked batch by batch. Each key is reserved through the task's
 * `reservations` port (key-reservation.ts) before its object is put. Each task writes under
 * `${keyPrefix}-t${task}` so the stage's tasks never pick the same key.
 */
import { InternalError } from '../../../../storage/errors/firn-error.js';
import type { ExecNode } from '../../../fragment/stage-plan.js';
import { reserveKeysThrough } from '../../../fragment/key-reservation.js';
import { writeMicroPartitions } from '../../../load/write-micro-partitions.js';
import type { Operator, OperatorBody, TaskContext } from '../operator.js';

export function writeExec(node: Extract<ExecNode, { kind: 'write_exec' }>, input: Operator, ctx: TaskContext): OperatorBody {
  return {
    async *run() {
      const port = ctx.task.reservations;
      if (!port) throw new InternalError('a write_exec task needs its reservations port');
      const written = await writeMicroPartitions(input.batches(), {
        store: ctx.store,
        columns: node.columns,
        clusterBy: node.clusterBy,
        partitionRows: node.partitionRows,
        keyPrefix: `${node.keyPrefix}-t${ctx.task.task}`,
        reserve: reserveKeysThrough(port),
        cancel: ctx.cancel,
        memoryBytes: ctx.memory.share,
        spill: ctx.spill,
      });
      ctx.written.push(...written);
    },
  };
}

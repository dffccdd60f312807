/**
 * write_exec: writes its input as micro-partitions of the target table and answers no rows;
 * the partitions written go to the task's reply (`written`). A thin adapter over
 * warehouse/load/write-partitions.ts (which takes one batch: the input is collected within
 * the operator's memory share, 53200 past it); each key is reserved through the task's
 * `reservations` port (key-reservation.ts) before anything is put. The table's NOT NULL and
 * VARCHAR(n) constraints are checked first (check-write-constraints.ts). Each task writes under
 * `${keyPrefix}-t${task}` so the stage's tasks never pick the same key.
 */
import { InternalError } from '../../../../storage/errors/firn-error.js';
import type { ExecNode } from '../../../fragment/stage-plan.js';
import { reserveKeysThrough } from '../../../fragment/key-reservation.js';
import { writePartitions } from '../../../load/write-partitions.js';
import { checkWriteConstraints } from '../../../load/check-write-constraints.js';
import { collect } from '../bounded.js';
import type { Operator, OperatorBody, TaskContext } from '../operator.js';

export function writeExec(node: Extract<ExecNode, { kind: 'write_exec' }>, input: Operator, ctx: TaskContext): OperatorBody {
  return {
    async *run() {
      const port = ctx.task.reservations;
      if (!port) throw new InternalError('a write_exec task needs its reservations port');
      const rows = await collect(input, node.columns.map((c) => c.type), ctx.memory.share, 'Written rows');
      checkWriteConstraints(node.columns, rows);
      const written = await writePartitions(ctx.store, node.columns, rows, {
        clusterBy: node.clusterBy,
        partitionRows: node.partitionRows,
        keyPrefix: `${node.keyPrefix}-t${ctx.task.task}`,
        reserve: reserveKeysThrough(port),
        cancel: ctx.cancel,
      });
      ctx.written.push(...written);
    },
  };
}

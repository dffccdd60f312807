/**
 * Partitioned (shuffled) hash joins: when a join's build side is too large to broadcast,
 * services splits both inputs by a hash of their join keys (key-partitions.ts) into one
 * partition per worker and sends each worker its partition of both sides; each worker
 * builds a hash table of only its share of the build side. Rows with equal keys land in
 * the same partition, and every row in exactly one, so INNER, outer, SEMI and ANTI joins
 * give the same rows as one join over everything.
 *
 * Contract: the spec must have equality keys and no IN key (NOT IN's NULL rules look at the
 * whole subquery, which no single partition sees). Returns the joined batches of all
 * partitions, in partition order. `cancel`: the statement's cancellation (worker-slot.ts).
 */
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { InternalError } from '../../storage/errors/firn-error.js';
import { decodeBatchIpc, encodeBatchIpc } from '../../storage/arrow/batch-ipc.js';
import { evaluateExpr } from '../../warehouse/execute/evaluate-expr.js';
import { gatherBatch } from '../../warehouse/execute/batch/gather-batch.js';
import { keyPartitions } from '../../warehouse/execute/join/key-partitions.js';
import type { HashJoinSpec } from '../../warehouse/execute/join/join-spec.js';
import type { WorkerTask } from '../../warehouse/fragment/fragment.js';
import { throwIfFailure, unpackReply, type WorkerFailure } from '../../warehouse/fragment/worker-reply.js';
import type { WarehousePool } from '../../warehouse/pool/warehouse-pool.js';
import type { TaskCancel } from '../../warehouse/pool/worker-slot.js';

export async function dispatchPartitionedJoin(
  pool: WarehousePool,
  spec: HashJoinSpec,
  left: { columns: Column[]; batch: Batch },
  right: { columns: Column[]; batch: Batch },
  cancel: TaskCancel | null = null,
): Promise<Batch[]> {
  if (spec.keys.length === 0 || (spec.inKey ?? null) !== null) throw new InternalError(`a ${spec.type} join without plain equality keys cannot be partitioned`);
  const parts = pool.workers;
  const split = (side: 'left' | 'right', batch: Batch): Batch[] => {
    const keys = spec.keys.map((k) => evaluateExpr(side === 'left' ? k.left : k.right, batch));
    return splitRows(batch, keyPartitions(keys, batch.length, parts), parts);
  };
  const lefts = split('left', left.batch);
  const rights = split('right', right.batch);
  const tasks = lefts.map(async (l, slot) => {
    const r = rights[slot];
    if (l.length === 0 && r.length === 0) return null;
    const leftIpc = encodeBatchIpc(left.columns, l);
    const rightIpc = encodeBatchIpc(right.columns, r);
    const task: WorkerTask = { kind: 'join', spec, left: leftIpc, right: rightIpc };
    const reply = throwIfFailure(await pool.run<Uint8Array | WorkerFailure>(slot, task, [leftIpc.buffer as ArrayBuffer, rightIpc.buffer as ArrayBuffer], cancel));
    return decodeBatchIpc(unpackReply(reply).ipc).batch;
  });
  return (await Promise.all(tasks)).filter((b): b is Batch => b !== null);
}

/** The rows of `batch` in partition p, for each p < parts, in row order. */
function splitRows(batch: Batch, partition: Int32Array, parts: number): Batch[] {
  const counts = new Int32Array(parts);
  for (let i = 0; i < batch.length; i++) counts[partition[i]]++;
  const sels = Array.from(counts, (c) => new Int32Array(c));
  const at = new Int32Array(parts);
  for (let i = 0; i < batch.length; i++) {
    const p = partition[i];
    sels[p][at[p]++] = i;
  }
  return sels.map((sel) => gatherBatch(batch, sel, sel.length));
}

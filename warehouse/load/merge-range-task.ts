/**
 * Phase 2 of the clustered COPY, in a worker: one key range of the whole load. The task reads
 * from every sorted run (sorted-run.ts) only the blocks of its range, k-way merges the slices
 * (they are sorted already, so nothing is re-sorted) and writes the merged rows as
 * micro-partitions with writeMicroPartitions. Ranges are disjoint, so the partitions of
 * different tasks cover disjoint key ranges and their zone maps stay selective.
 *
 * Contract: answers the partitions written, in key order; every key is reserved through
 * `task.reservations` before its put; commits nothing. Holds its range's rows (about the
 * load's size divided by the number of ranges) while merging.
 */
import type { ObjectStore } from '../../storage/object-store/object-store.js';
import { decodeBatchIpc } from '../../storage/arrow/batch-ipc.js';
import type { Batch } from '../../storage/types/vector.js';
import type { MergeWriteTask, WrittenPartition } from '../fragment/fragment.js';
import { reserveKeysThrough } from '../fragment/key-reservation.js';
import { concatBatches } from '../execute/batch/concat-batches.js';
import { sliceBatch } from '../execute/batch/slice-batch.js';
import { mergeSorted } from '../execute/sort/merge-sorted.js';
import type { CancelFlag } from '../cancel/cancel-flag.js';
import { readRunRange } from './sorted-run.js';
import { clusterKeys, writeMicroPartitions } from './write-micro-partitions.js';

const WRITE_BATCH_ROWS = 65_536;

export async function runMergeWriteTask(task: MergeWriteTask, home: string, tableStore: ObjectStore, cancel: CancelFlag | null): Promise<WrittenPartition[]> {
  const types = task.columns.map((c) => c.type);
  const keyColumns = task.clusterBy.map((i) => task.columns[i]);
  const bounds = decodeBatchIpc(task.bounds).batch;
  const parts: Batch[] = [];
  for (const run of task.runs) {
    cancel?.check();
    const slices = await readRunRange(home, run, task.clusterBy, keyColumns, bounds, task.lo, task.hi);
    if (slices.length > 0) parts.push(slices.length === 1 ? slices[0] : concatBatches(types, slices));
  }
  cancel?.check();
  const merged = mergeSorted(parts, types, clusterKeys(task.columns, task.clusterBy));
  async function* batches(): AsyncGenerator<Batch> {
    for (let at = 0; at < merged.length; at += WRITE_BATCH_ROWS) yield sliceBatch(merged, at, Math.min(merged.length, at + WRITE_BATCH_ROWS));
  }
  return writeMicroPartitions(batches(), {
    store: tableStore,
    columns: task.columns,
    // Already in key order: cut as it comes.
    clusterBy: [],
    partitionRows: task.partitionRows,
    keyPrefix: task.keyPrefix,
    reserve: reserveKeysThrough(task.reservations),
    cancel,
    memoryBytes: 0,
  });
}

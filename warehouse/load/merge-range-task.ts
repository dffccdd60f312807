/**
 * Phase 2 of the clustered COPY, in a worker: one key range of the whole load. The task reads
 * from every sorted run (sorted-run.ts) only the blocks of its range, k-way merges them as
 * streams (they are sorted already, so nothing is re-sorted: mergeSortedStreams) and writes
 * the merged rows as micro-partitions with writeMicroPartitions as they come. Ranges are disjoint, so the partitions of
 * different tasks cover disjoint key ranges and their zone maps stay selective.
 *
 * Contract: answers the partitions written, in key order; every key is reserved through
 * `task.reservations` before its put; commits nothing. Holds one block per run, the merge's
 * output batch and one partition's rows at a time.
 */
import type { ObjectStore } from '../../storage/object-store/object-store.js';
import { decodeBatchIpc } from '../../storage/arrow/batch-ipc.js';
import type { MergeWriteTask, WrittenPartition } from '../fragment/fragment.js';
import { reserveKeysThrough } from '../fragment/key-reservation.js';
import { mergeSortedStreams } from '../execute/spill/merge-sorted-streams.js';
import type { CancelFlag } from '../cancel/cancel-flag.js';
import { readRunRange } from './sorted-run.js';
import { clusterKeys, writeMicroPartitions } from './write-micro-partitions.js';

const MERGE_BATCH_ROWS = 16_384;

export async function runMergeWriteTask(task: MergeWriteTask, home: string, tableStore: ObjectStore, cancel: CancelFlag | null): Promise<WrittenPartition[]> {
  const types = task.columns.map((c) => c.type);
  const keyColumns = task.clusterBy.map((i) => task.columns[i]);
  const bounds = decodeBatchIpc(task.bounds).batch;
  const sources = task.runs.map((run) => readRunRange(home, run, task.clusterBy, keyColumns, bounds, task.lo, task.hi));
  const merged = mergeSortedStreams(sources, types, clusterKeys(task.columns, task.clusterBy), MERGE_BATCH_ROWS, cancel);
  return writeMicroPartitions(merged, {
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

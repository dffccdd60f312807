/**
 * A worker's side of COPY INTO for one source file: fetch it from its store, parse it
 * against the table's columns (CSV or Parquet), then either write the rows as new
 * micro-partitions ('write' mode) or hand them back to services ('return' mode, for tables
 * with a clustering key, which services sorts as a whole). Commits nothing.
 * In 'write' mode every key is reserved through `task.reservations` (key-reservation.ts)
 * before its object is put.
 */
import { InternalError } from '../../storage/errors/firn-error.js';
import { encodeBatchIpc } from '../../storage/arrow/batch-ipc.js';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import type { ObjectStore } from '../../storage/object-store/object-store.js';
import type { Batch } from '../../storage/types/vector.js';
import type { LoadTask, WrittenPartition } from '../fragment/fragment.js';
import { packReply } from '../fragment/worker-reply.js';
import { reserveKeysThrough } from '../fragment/key-reservation.js';
import { readCsv } from './csv-reader.js';
import type { FileLoadResult } from './file-load-result.js';
import { readParquetSource } from './parquet-source-reader.js';
import { writePartitions } from './write-partitions.js';
import type { CancelFlag } from '../cancel/cancel-flag.js';

export type LoadReply = { result: FileLoadResult; partitions: WrittenPartition[] };

/** 'write' mode answers a LoadReply; 'return' mode a packed reply (meta: FileLoadResult, rows). */
export async function runLoadTask(task: LoadTask, tableStore: ObjectStore, cancel: CancelFlag | null = null): Promise<LoadReply | Uint8Array> {
  const { batch, result } = await parseSource(task);
  cancel?.check();
  if (task.mode === 'return') return packReply(result, encodeBatchIpc(task.columns, batch));
  if (!task.reservations) throw new InternalError('a COPY load task in write mode needs a key reservation port');
  const partitions = await writePartitions(tableStore, task.columns, batch, {
    clusterBy: task.clusterBy,
    partitionRows: task.partitionRows,
    keyPrefix: task.keyPrefix,
    reserve: reserveKeysThrough(task.reservations),
    cancel,
  });
  return { result, partitions };
}

async function parseSource(task: LoadTask): Promise<{ batch: Batch; result: FileLoadResult }> {
  const bytes = await openObjectStore(task.sourceStoreUrl).get(task.sourceKey);
  return task.format.type === 'CSV'
    ? readCsv(bytes, task.columns, task.format, task.onError, task.fileName, task.tableName)
    : readParquetSource(bytes, task.columns, task.fileName);
}

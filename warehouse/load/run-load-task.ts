/**
 * A worker's side of COPY INTO for one source file: fetch it from its store, parse it
 * against the table's columns (CSV or Parquet), and write the rows as new micro-partitions.
 * Answers with the per-file result row and the partitions written; commits nothing.
 */
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import type { ObjectStore } from '../../storage/object-store/object-store.js';
import type { LoadTask, WrittenPartition } from '../fragment/fragment.js';
import { readCsv } from './csv-reader.js';
import type { FileLoadResult } from './file-load-result.js';
import { readParquetSource } from './parquet-source-reader.js';
import { writePartitions } from './write-partitions.js';

export type LoadReply = { result: FileLoadResult; partitions: WrittenPartition[] };

export async function runLoadTask(task: LoadTask, tableStore: ObjectStore): Promise<LoadReply> {
  const source = openObjectStore(task.sourceStoreUrl);
  const bytes = await source.get(task.sourceKey);
  const { batch, result } =
    task.format.type === 'CSV'
      ? readCsv(bytes, task.columns, task.format, task.onError, task.fileName, task.tableName)
      : await readParquetSource(bytes, task.columns, task.fileName);
  const partitions = await writePartitions(tableStore, task.columns, batch, {
    clusterBy: task.clusterBy,
    partitionRows: task.partitionRows,
    keyPrefix: task.keyPrefix,
  });
  return { result, partitions };
}

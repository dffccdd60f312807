/**
 * A worker's side of COPY INTO for one source file: fetch it from its store (gunzipped when
 * it is gzip: read-source-file.ts), parse it
 * against the table's columns (CSV, Parquet or JSON: json-reader.ts), then either write the rows as new
 * micro-partitions ('write' mode, a table without a clustering key) or sort them by the
 * clustering key into a sorted run on local disk ('sort' mode, phase 1 of the clustered COPY:
 * sorted-run.ts; phase 2 is merge-range-task.ts). Commits nothing.
 * A JSON file in 'write' mode streams (a batch of documents held at a time, over the file's bytes).
 * A Parquet file in 'write' mode streams (one row group held at a time), and may be only a
 * piece of the file (task.rows); a CSV file is parsed
 * whole first. In 'write' mode every key is reserved through `task.reservations` (key-reservation.ts)
 * before its object is put; 'sort' mode writes nothing to the table store.
 */
import { InternalError } from '../../storage/errors/firn-error.js';
import type { ObjectStore } from '../../storage/object-store/object-store.js';
import type { Batch } from '../../storage/types/vector.js';
import type { LoadTask, SortedRun, WrittenPartition } from '../fragment/fragment.js';
import { reserveKeysThrough } from '../fragment/key-reservation.js';
import { readCsv } from './csv-reader.js';
import { jsonSourceBatches } from './json-reader.js';
import { concatBatches } from '../execute/batch/concat-batches.js';
import { readSourceFile } from './read-source-file.js';
import type { FileLoadResult } from './file-load-result.js';
import { parquetSourceBatches, readParquetSource } from './parquet-source-reader.js';
import { writeMicroPartitions } from './write-micro-partitions.js';
import { writeSortedRun } from './sorted-run.js';
import type { CancelFlag } from '../cancel/cancel-flag.js';

/** 'write' mode: `partitions`; 'sort' mode: `run` and `sample` (Arrow IPC of sampled cluster keys). */
export type LoadReply = { result: FileLoadResult; partitions: WrittenPartition[]; run?: SortedRun; sample?: Uint8Array };

export async function runLoadTask(task: LoadTask, home: string, tableStore: ObjectStore, cancel: CancelFlag | null = null): Promise<LoadReply> {
  if (task.mode === 'write' && task.format.type === 'JSON') {
    // JSON streams: each batch of documents is written into partitions as it is parsed.
    const source = jsonSource(task, await readSourceFile(task));
    const partitions = await writeRows(task, source.batches, tableStore, cancel);
    return { result: source.result(), partitions };
  }
  if (task.mode === 'write' && task.format.type === 'PARQUET') {
    // Parquet streams: each row group is written into partitions as it is decoded.
    const bytes = await readSourceFile(task);
    const source = parquetSourceBatches(bytes, task.columns, task.fileName, task.rows);
    return { result: source.result, partitions: await writeRows(task, source.batches, tableStore, cancel) };
  }
  const { batch, result } = await parseSource(task);
  cancel?.check();
  if (task.mode === 'sort') {
    if (!task.runPath) throw new InternalError('a COPY load task in sort mode needs a run path');
    const { run, sample } = await writeSortedRun(home, task.runPath, task.columns, task.clusterBy, batch);
    return { result, partitions: [], run, sample };
  }
  return { result, partitions: await writeRows(task, once(batch), tableStore, cancel) };
}

function writeRows(task: LoadTask, rows: AsyncIterable<Batch>, tableStore: ObjectStore, cancel: CancelFlag | null): Promise<WrittenPartition[]> {
  if (!task.reservations) throw new InternalError('a COPY load task in write mode needs a key reservation port');
  return writeMicroPartitions(rows, {
    store: tableStore,
    columns: task.physicalNames ? task.columns.map((c, i) => ({ ...c, name: task.physicalNames![i] })) : task.columns,
    clusterBy: task.clusterBy,
    partitionRows: task.partitionRows,
    keyPrefix: task.keyPrefix,
    reserve: reserveKeysThrough(task.reservations),
    cancel,
    // 'write' mode has no clustering key (a clustered table loads in 'sort' mode): no sort.
    memoryBytes: 0,
  });
}

async function* once(batch: Batch): AsyncGenerator<Batch> {
  yield batch;
}

async function parseSource(task: LoadTask): Promise<{ batch: Batch; result: FileLoadResult }> {
  const bytes = await readSourceFile(task);
  if (task.format.type === 'JSON') {
    const source = jsonSource(task, bytes);
    const parts: Batch[] = [];
    for await (const b of source.batches) parts.push(b);
    return { batch: concatBatches(task.columns.map((c) => c.type), parts), result: source.result() };
  }
  return task.format.type === 'CSV'
    ? readCsv(bytes, task.columns, task.format, task.onError, task.fileName, task.tableName)
    : readParquetSource(bytes, task.columns, task.fileName);
}

function jsonSource(task: LoadTask, bytes: Uint8Array): ReturnType<typeof jsonSourceBatches> {
  return jsonSourceBatches(bytes, task.columns, task.format, task.onError, task.matchByColumnName ?? 'NONE', task.fileName, task.tableName);
}

/**
 * COPY INTO <table> FROM '<url>': lists the matching source files, sends one load task per
 * file to the warehouse's workers, then commits every written partition in one catalog
 * transaction and answers one row per file like Snowflake. Without a clustering key each
 * worker writes its file's micro-partitions itself; with one, workers hand the parsed rows
 * back, services sorts the whole load by the key and workers write the sorted slices, so
 * partition ranges do not overlap across files. ON_ERROR = ABORT_STATEMENT (the default) fails the statement at the first
 * bad row and leaves nothing visible; CONTINUE loads the good rows and reports the rest.
 */
import type { Deadline } from './deadline.js';
import { LoadError, StorageError } from '../../storage/errors/firn-error.js';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import { listMatching, splitSourceUrl } from '../../storage/object-store/source-url.js';
import { decodeBatchIpc, encodeBatchIpc } from '../../storage/arrow/batch-ipc.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import type { LoadTask, WriteTask, WrittenPartition } from '../../warehouse/fragment/fragment.js';
import { throwIfFailure, unpackReply, type WorkerFailure } from '../../warehouse/fragment/worker-reply.js';
import { concatBatches } from '../../warehouse/execute/batch/concat-batches.js';
import { sliceBatch } from '../../warehouse/execute/batch/slice-batch.js';
import { sortBatch } from '../../warehouse/execute/sort/sort-batch.js';
import { COPY_RESULT_COLUMNS, copyResultBatch, type FileLoadResult } from '../../warehouse/load/file-load-result.js';
import type { WarehousePool } from '../../warehouse/pool/warehouse-pool.js';
import type { LoadReply } from '../../warehouse/load/run-load-task.js';
import type { Statement } from '../sql/ast.js';
import { lookupTable } from '../plan/bind-query.js';
import type { EngineEnv } from './engine-env.js';
import type { SessionContext } from './statement-result.js';
import type { Answer } from './run-ddl.js';
import { commitPartitions, deleteStatementObjects, statementPrefix } from './run-write.js';
import { clipValue } from '../../storage/errors/clip-value.js';

export async function runCopy(
  env: EngineEnv,
  st: Extract<Statement, { kind: 'copy_into' }>,
  session: SessionContext,
  queryId: string,
  deadline: Deadline | null = null,
): Promise<Answer> {
  const table = lookupTable({ catalog: env.catalog, session }, st.table);
  const pool = env.warehouses.get(session.warehouse);
  const { storeUrl, pattern } = splitSourceUrl(st.source);
  const files = await listMatching(openObjectStore(storeUrl), pattern);
  if (files.length === 0) throw new StorageError('FILE_NOT_FOUND', `No files found at '${clipValue(st.source)}'.`);

  const clusterBy = table.clusterBy.map((name) => table.columns.findIndex((c) => c.name === name));
  const prefix = statementPrefix(table, queryId);
  const clustered = clusterBy.length > 0;
  const tasks = files.map((f, i): LoadTask => ({
    kind: 'load',
    mode: clustered ? 'return' : 'write',
    sourceStoreUrl: storeUrl,
    sourceKey: f.key,
    fileName: `${storeUrl.replace(/\/$/, '')}/${f.key}`,
    tableName: table.name,
    columns: table.columns,
    format: st.fileFormat,
    onError: st.onError,
    clusterBy,
    partitionRows: env.config.partitionRows,
    keyPrefix: `${prefix}f${String(i).padStart(5, '0')}`,
  }));
  let results: FileLoadResult[];
  let written: WrittenPartition[];
  try {
    const replies = await settleAll(tasks.map(async (t, i) => throwIfFailure(await pool.run<LoadReply | Uint8Array | WorkerFailure>(i, t))));
    if (clustered) {
      const parsed = replies.map((r) => unpackReply<FileLoadResult>(r as Uint8Array));
      results = parsed.map((p) => p.meta);
      const rows = concatBatches(table.columns.map((c) => c.type), parsed.map((p) => decodeBatchIpc(p.ipc).batch));
      const keys = clusterBy.map((i) => ({ expr: { kind: 'column' as const, index: i, type: table.columns[i].type }, desc: false, nullsFirst: false }));
      written = await writeSorted(pool, table.columns, sortBatch(rows, keys), env.config.partitionRows, `${prefix}c`);
    } else {
      results = replies.map((r) => (r as LoadReply).result);
      written = replies.flatMap((r) => (r as LoadReply).partitions);
    }
  } catch (err) {
    await deleteStatementObjects(env, table, queryId);
    throw err;
  }
  if (written.length > 0) await commitPartitions(env, table, written, queryId, 'COPY', deadline);
  else deadline?.check();
  return { columns: COPY_RESULT_COLUMNS, batch: copyResultBatch(results) };
}

/** Waits for every task (so none is still writing when we clean up), then throws the first failure. */
async function settleAll<T>(tasks: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(tasks);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason instanceof Error ? failed.reason : new LoadError('FILE_CORRUPT', String(failed.reason));
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** Cuts sorted rows into micro-partitions and has the workers write them in parallel. */
async function writeSorted(pool: WarehousePool, columns: Column[], rows: Batch, partitionRows: number, keyPrefix: string): Promise<WrittenPartition[]> {
  const size = Math.max(1, partitionRows);
  const tasks: Promise<WrittenPartition>[] = [];
  for (let start = 0, n = 0; start < rows.length; start += size, n++) {
    const slice = sliceBatch(rows, start, Math.min(rows.length, start + size));
    const task: WriteTask = { kind: 'write', columns, ipc: encodeBatchIpc(columns, slice), objectKey: `${keyPrefix}-${String(n).padStart(5, '0')}.parquet` };
    tasks.push(pool.run<WrittenPartition | WorkerFailure>(n, task, [task.ipc.buffer as ArrayBuffer]).then(throwIfFailure));
  }
  return settleAll(tasks);
}

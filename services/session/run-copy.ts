/**
 * COPY INTO <table> FROM '<url>': lists the matching source files, sends one load task per
 * file to the warehouse's workers, then commits every written partition in one catalog
 * transaction and answers one row per file like Snowflake. Without a clustering key each
 * worker writes its file's micro-partitions itself; with one, workers hand the parsed rows
 * back, services sorts the whole load by the key and workers write the sorted slices, so
 * partition ranges do not overlap across files. ON_ERROR = ABORT_STATEMENT (the default) fails the statement at the first
 * bad row and leaves nothing visible; CONTINUE loads the good rows and reports the rest.
 * Every object key is recorded as pending before its object is written (statement-writes.ts):
 * services reserves the keys of the sorted 'write' tasks itself, and each 'write'-mode load
 * task reserves its file's keys through its own reservation port before its first put.
 *
 * Load metadata, as in Snowflake: files the table's load history already holds (same name,
 * size and ETag or mtime; see Catalog.loadedFiles) are skipped unless FORCE = TRUE, and are
 * not in the result; with none left the answer is one `status` row "Copy executed with 0
 * files processed.". The files loaded are recorded in the commit's own catalog transaction.
 *
 * A canceled COPY (timeout, client gone) stops its load tasks, deletes what they wrote and
 * commits nothing.
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
import type { TaskCancel } from '../../warehouse/pool/worker-slot.js';
import type { LoadReply } from '../../warehouse/load/run-load-task.js';
import type { Statement } from '../sql/ast.js';
import { lookupTable } from '../plan/bind-query.js';
import type { EngineEnv } from './engine-env.js';
import type { SessionContext } from './statement-result.js';
import { status, type Answer } from './run-ddl.js';
import type { LoadedFile, SourceFileVersion } from '../catalog/catalog.js';
import type { ObjectInfo } from '../../storage/object-store/object-store.js';
import { commitPartitions, statementPrefix } from './run-write.js';
import { StatementWrites } from './statement-writes.js';
import { partitionKey } from '../../warehouse/load/write-partitions.js';
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
  const listed = await listMatching(openObjectStore(storeUrl), pattern);
  if (listed.length === 0) throw new StorageError('FILE_NOT_FOUND', `No files found at '${clipValue(st.source)}'.`);
  const versions = listed.map((f) => sourceFileVersion(storeUrl, f));
  // Names are unique within one listing, so the loaded ones are known by name.
  const done = new Set(st.force ? [] : env.catalog.loadedFiles(table.id, versions).map((v) => v.fileName));
  const files = listed.filter((_, i) => !done.has(versions[i].fileName));
  const toLoad = versions.filter((v) => !done.has(v.fileName));
  if (files.length === 0) return status('Copy executed with 0 files processed.');

  const clusterBy = table.clusterBy.map((name) => table.columns.findIndex((c) => c.name === name));
  const writes = new StatementWrites(env, queryId, statementPrefix(table, queryId));
  const prefix = writes.keyPrefix;
  const clustered = clusterBy.length > 0;
  const tasks = files.map((f, i): LoadTask => ({
    kind: 'load',
    mode: clustered ? 'return' : 'write',
    sourceStoreUrl: storeUrl,
    sourceKey: f.key,
    fileName: toLoad[i].fileName,
    tableName: table.name,
    columns: table.columns,
    format: st.fileFormat,
    onError: st.onError,
    clusterBy,
    partitionRows: env.config.partitionRows,
    keyPrefix: `${prefix}f${String(i).padStart(5, '0')}`,
    reservations: clustered ? undefined : writes.reservationPort(),
  }));
  let results: FileLoadResult[];
  let written: WrittenPartition[];
  try {
    const replies = await settleAll(
      tasks.map(async (t, i) => throwIfFailure(await pool.run<LoadReply | Uint8Array | WorkerFailure>(i, t, t.reservations ? [t.reservations] : [], deadline))),
    );
    writes.closePorts();
    if (clustered) {
      const parsed = replies.map((r) => unpackReply<FileLoadResult>(r as Uint8Array));
      results = parsed.map((p) => p.meta);
      const rows = concatBatches(table.columns.map((c) => c.type), parsed.map((p) => decodeBatchIpc(p.ipc).batch));
      const keys = clusterBy.map((i) => ({ expr: { kind: 'column' as const, index: i, type: table.columns[i].type }, desc: false, nullsFirst: false }));
      written = await writeSorted(pool, table.columns, sortBatch(rows, keys), env.config.partitionRows, `${prefix}c`, writes, deadline);
    } else {
      results = replies.map((r) => (r as LoadReply).result);
      written = replies.flatMap((r) => (r as LoadReply).partitions);
    }
  } catch (err) {
    await writes.discard();
    throw err;
  }
  // Even a load that wrote no rows commits: its files go into the load history.
  const loads = { files: results.map((r, i) => loadedFile(toLoad[i], r)), force: st.force };
  await commitPartitions(env, table, written, writes, 'COPY', deadline, loads);
  return { columns: COPY_RESULT_COLUMNS, batch: copyResultBatch(results) };
}

/** A listed source file as the load history identifies it, named as COPY reports it. */
function sourceFileVersion(storeUrl: string, f: ObjectInfo): SourceFileVersion {
  return { fileName: `${storeUrl.replace(/\/$/, '')}/${f.key}`, fileSize: f.size, fileEtag: f.etag ?? null, fileModifiedAt: f.lastModified };
}

function loadedFile(v: SourceFileVersion, r: FileLoadResult): LoadedFile {
  return {
    ...v,
    status: r.status,
    rowsParsed: r.rowsParsed,
    rowsLoaded: r.rowsLoaded,
    errorCount: r.errorsSeen,
    errorLimit: r.errorLimit,
    firstErrorMessage: r.firstError,
    firstErrorLineNumber: r.firstErrorLine,
    firstErrorCharacterPosition: r.firstErrorCharacter,
    firstErrorColumnName: r.firstErrorColumnName,
  };
}

/** Waits for every task (so none is still writing when we clean up), then throws the first failure. */
async function settleAll<T>(tasks: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(tasks);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason instanceof Error ? failed.reason : new LoadError('FILE_CORRUPT', String(failed.reason));
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/**
 * Cuts sorted rows into micro-partitions and has the workers write them in parallel; every
 * key is reserved (one catalog transaction) before any task is sent.
 */
async function writeSorted(
  pool: WarehousePool,
  columns: Column[],
  rows: Batch,
  partitionRows: number,
  keyPrefix: string,
  writes: StatementWrites,
  cancel: TaskCancel | null,
): Promise<WrittenPartition[]> {
  const size = Math.max(1, partitionRows);
  const keys: string[] = [];
  for (let n = 0; n * size < rows.length; n++) keys.push(partitionKey(keyPrefix, n));
  writes.reserve(keys);
  const tasks: Promise<WrittenPartition>[] = [];
  for (let start = 0, n = 0; start < rows.length; start += size, n++) {
    const slice = sliceBatch(rows, start, Math.min(rows.length, start + size));
    const task: WriteTask = { kind: 'write', columns, ipc: encodeBatchIpc(columns, slice), objectKey: keys[n] };
    tasks.push(pool.run<WrittenPartition | WorkerFailure>(n, task, [task.ipc.buffer as ArrayBuffer], cancel).then(throwIfFailure));
  }
  return settleAll(tasks);
}

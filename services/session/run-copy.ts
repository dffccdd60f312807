/**
 * COPY INTO <table> FROM '<url>': lists the matching source files, sends one load task per
 * file to the warehouse's workers (parse, cluster-sort, write micro-partitions), then
 * commits every written partition in one catalog transaction and answers one row per file
 * like Snowflake. ON_ERROR = ABORT_STATEMENT (the default) fails the statement at the first
 * bad row and leaves nothing visible; CONTINUE loads the good rows and reports the rest.
 */
import { LoadError, StorageError } from '../../storage/errors/firn-error.js';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import { listMatching, splitSourceUrl } from '../../storage/object-store/source-url.js';
import type { LoadTask } from '../../warehouse/fragment/fragment.js';
import { throwIfFailure, type WorkerFailure } from '../../warehouse/fragment/worker-reply.js';
import { COPY_RESULT_COLUMNS, copyResultBatch } from '../../warehouse/load/file-load-result.js';
import type { LoadReply } from '../../warehouse/load/run-load-task.js';
import type { Statement } from '../sql/ast.js';
import { lookupTable } from '../plan/bind-query.js';
import type { EngineEnv } from './engine-env.js';
import type { SessionContext } from './statement-result.js';
import type { Answer } from './run-ddl.js';
import { commitPartitions, deleteStatementObjects, statementPrefix } from './run-write.js';

export async function runCopy(env: EngineEnv, st: Extract<Statement, { kind: 'copy_into' }>, session: SessionContext, queryId: string): Promise<Answer> {
  const table = lookupTable({ catalog: env.catalog, session }, st.table);
  const pool = env.warehouses.get(session.warehouse);
  const { storeUrl, pattern } = splitSourceUrl(st.source);
  const files = await listMatching(openObjectStore(storeUrl), pattern);
  if (files.length === 0) throw new StorageError('FILE_NOT_FOUND', `No files found at '${st.source}'.`);

  const clusterBy = table.clusterBy.map((name) => table.columns.findIndex((c) => c.name === name));
  const prefix = statementPrefix(table, queryId);
  const tasks = files.map((f, i): LoadTask => ({
    kind: 'load',
    sourceStoreUrl: storeUrl,
    sourceKey: f.key,
    fileName: storeUrl.startsWith('file:') ? `${storeUrl.replace(/\/$/, '')}/${f.key}` : `${storeUrl}/${f.key}`,
    tableName: table.name,
    columns: table.columns,
    format: st.fileFormat,
    onError: st.onError,
    clusterBy,
    partitionRows: env.config.partitionRows,
    keyPrefix: `${prefix}f${String(i).padStart(5, '0')}`,
  }));
  const settled = await Promise.allSettled(tasks.map(async (t, i) => throwIfFailure(await pool.run<LoadReply | WorkerFailure>(i, t))));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await deleteStatementObjects(env, table, queryId);
    throw failed.reason instanceof Error ? failed.reason : new LoadError('FILE_CORRUPT', String(failed.reason));
  }
  const replies = settled.map((s) => (s as PromiseFulfilledResult<LoadReply>).value);
  const written = replies.flatMap((r) => r.partitions);
  if (written.length > 0) await commitPartitions(env, table, written, queryId, 'COPY');
  return { columns: COPY_RESULT_COLUMNS, batch: copyResultBatch(replies.map((r) => r.result)) };
}

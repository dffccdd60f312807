/**
 * COPY INTO <table> FROM @stage[/path] | '<url>': lists the matching source files (a stage's
 * files under the path, FILES and PATTERN applied; a raw URL only where the raw location
 * policy allows: services/stage/raw-location-policy.ts), sends one load task per
 * file to the warehouse's workers (a big Parquet file is cut into row ranges, each a task of
 * its own, so every worker gets a share: load-pieces.ts; its result row stays one per file), then commits every written partition in one catalog
 * transaction and answers one row per file like Snowflake. Without a clustering key each
 * worker writes its file's micro-partitions itself. With one, the load is range partitioned
 * by the key, all in the workers: phase 1 tasks parse their file, sort it and write it as a
 * sorted run to the statement's spill directory (under FIRN_HOME, removed when the statement
 * ends), answering a small sample of keys; services picks one range per worker from the
 * samples; phase 2 tasks each merge their range's slices of every run and write them
 * (warehouse/load/sorted-run.ts, merge-range-task.ts). So partition ranges do not overlap
 * across files, and no row passes through services. ON_ERROR = ABORT_STATEMENT (the
 * default) fails the statement at the first bad row and leaves nothing visible; CONTINUE
 * loads the good rows and reports the rest. A JSON file loads into the table's one VARIANT,
 * OBJECT or ARRAY column, or by key with MATCH_BY_COLUMN_NAME (checkColumnMapping;
 * warehouse/load/json-reader.ts).
 * Every object key is recorded as pending before its object is written (statement-writes.ts):
 * each task that writes table objects reserves its keys through its own reservation port
 * before each put.
 *
 * Load metadata, as in Snowflake: files the table's load history already holds (same name,
 * size and ETag or mtime; see Catalog.loadedFiles) are skipped unless FORCE = TRUE, and are
 * not in the result; with none left the answer is one `status` row "Copy executed with 0
 * files processed.". The files loaded are recorded in the commit's own catalog transaction.
 *
 * A canceled COPY (timeout, client gone) stops its load tasks, deletes what they wrote and
 * commits nothing. The role needs INSERT on the table, USAGE on the warehouse, READ on an
 * internal stage it loads from (USAGE on an external one; OWNERSHIP of the table for a table's
 * stage: services/access/stage-access.ts) and USAGE on a named file format it names.
 */
import { physicalColumns } from '../physical/physical-columns.js';
import type { Deadline } from './deadline.js';
import { CompilationError, LoadError, NotSupportedError, StorageError } from '../../storage/errors/firn-error.js';
import { isSemiStructured } from '../../storage/types/data-type.js';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import { listMatching, splitSourceUrl } from '../../storage/object-store/source-url.js';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { decodeBatchIpc, encodeBatchIpc } from '../../storage/arrow/batch-ipc.js';
import { firnHomePath } from '../../storage/firn-home/firn-home-path.js';
import type { Column } from '../../storage/types/schema.js';
import type { LoadTask, MergeWriteTask, WrittenPartition } from '../../warehouse/fragment/fragment.js';
import { throwIfFailure, type WorkerFailure } from '../../warehouse/fragment/worker-reply.js';
import { concatBatches } from '../../warehouse/execute/batch/concat-batches.js';
import { gatherBatch } from '../../warehouse/execute/batch/gather-batch.js';
import { sortBatch } from '../../warehouse/execute/sort/sort-batch.js';
import { COPY_RESULT_COLUMNS, copyResultBatch, fileLoadResult, type FileLoadResult } from '../../warehouse/load/file-load-result.js';
import { parquetRowCount, parquetTailLength } from '../../storage/arrow/parquet-footer.js';
import type { ObjectStore } from '../../storage/object-store/object-store.js';
import { planLoadPieces, type LoadPiece } from './load-pieces.js';
import type { WarehousePool } from '../../warehouse/pool/warehouse-pool.js';
import type { TaskCancel } from '../../warehouse/pool/worker-slot.js';
import type { LoadReply } from '../../warehouse/load/run-load-task.js';
import type { CopyFileFormat, MatchByColumnName, Statement } from '../sql/ast.js';
import { lookupTable } from '../plan/bind-query.js';
import { requireWarehouseUse } from '../access/access-check.js';
import type { EngineEnv } from './engine-env.js';
import type { SessionContext } from './statement-result.js';
import { status, type Answer } from './answer.js';
import type { LoadedFile, SourceFileVersion } from '../catalog/catalog.js';
import type { ObjectInfo } from '../../storage/object-store/object-store.js';
import { commitPartitions, statementPrefix } from './run-write.js';
import { StatementWrites } from './statement-writes.js';
import { clusterKeys } from '../../warehouse/load/write-micro-partitions.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { fileURLToPath } from 'node:url';
import type { S3Credentials } from '../../storage/object-store/s3-object-store.js';
import type { StoredFileFormat } from '../catalog/stage-store.js';
import { checkLocalPaths, checkRawLocationRole, localPathPolicy } from '../stage/raw-location-policy.js';
import { resolveStage } from '../stage/resolve-stage.js';
import { compilePattern, listStageFiles } from '../stage/stage-files.js';
import { effectiveFileFormat } from './run-stage.js';
import { currentRunProgress } from '../coordinate/run-progress.js';

export async function runCopy(
  env: EngineEnv,
  st: Extract<Statement, { kind: 'copy_into' }>,
  session: SessionContext,
  queryId: string,
  deadline: Deadline | null = null,
): Promise<Answer> {
  const table = lookupTable({ catalog: env.catalog, session }, st.table, ['INSERT']);
  const source = await sourceFiles(env, st, session);
  const format = effectiveFileFormat(env, st.fileFormat, source.fileFormat, session);
  checkColumnMapping(format, st.matchByColumnName, table.columns);
  const listed = source.files;
  const versions = listed.map((f) => sourceFileVersion(source.display + f.key, f));
  // Names are unique within one listing, so the loaded ones are known by name.
  const done = new Set(st.force ? [] : env.catalog.loadedFiles(table.id, versions).map((v) => v.fileName));
  const files = listed.filter((_, i) => !done.has(versions[i].fileName));
  const toLoad = versions.filter((v) => !done.has(v.fileName));
  if (files.length === 0) return status('Copy executed with 0 files processed.');
  // The statement's cluster, held until it ends (the engine releases it).
  requireWarehouseUse({ catalog: env.catalog, session }, session.warehouse);
  const { pool } = await env.warehouses.leaseFor(queryId, session.warehouse, deadline);
  const storeUrl = source.storeUrl;

  const clusterBy = table.clusterBy.map((name) => table.columns.findIndex((c) => c.name === name));
  const physical = physicalColumns(table.columns);
  const writes = new StatementWrites(env, queryId, statementPrefix(table, queryId));
  const prefix = writes.keyPrefix;
  const clustered = clusterBy.length > 0;
  const spillDir = clustered ? firnHomePath(env.config.home, 'spill', `copy-${queryId}`) : null;
  const store = source.store;
  const fileRows = !clustered && format.type === 'PARQUET' && pool.workers > 1 ? await Promise.all(files.map((f) => parquetFileRows(store, f))) : files.map(() => null);
  const pieces = planLoadPieces(fileRows, env.config.partitionRows, pool.workers);
  const tasks = pieces.map(({ file: i, rows }, p): LoadTask => ({
    kind: 'load',
    mode: clustered ? 'sort' : 'write',
    sourceStoreUrl: storeUrl,
    ...(source.credentials ? { sourceCredentials: source.credentials } : {}),
    sourceKey: files[i].key,
    fileName: toLoad[i].fileName,
    tableName: table.name,
    columns: table.columns,
    ...(physical.physicalNames ? { physicalNames: physical.physicalNames } : {}),
    // BINARY columns' fields: the file format's BINARY_FORMAT, else the session's BINARY_INPUT_FORMAT.
    format: format.binaryFormat === undefined && session.settings?.binaryInput ? { ...format, binaryFormat: session.settings.binaryInput } : format,
    onError: st.onError,
    ...(st.matchByColumnName !== 'NONE' ? { matchByColumnName: st.matchByColumnName } : {}),
    clusterBy,
    partitionRows: env.config.partitionRows,
    keyPrefix: `${prefix}f${String(i).padStart(5, '0')}${rows ? `p${String(p).padStart(5, '0')}` : ''}`,
    ...(rows ? { rows } : {}),
    reservations: clustered ? undefined : writes.reservationPort(),
    runPath: spillDir ? path.join(spillDir, `run-${String(i).padStart(5, '0')}.arrow`) : undefined,
  }));
  let results: FileLoadResult[];
  let written: WrittenPartition[];
  try {
    // What a poll of the statement shows while it loads (run-progress.ts): a file is done once all its pieces are.
    const progress = currentRunProgress();
    const piecesLeft = new Map<number, number>();
    for (const piece of pieces) piecesLeft.set(piece.file, (piecesLeft.get(piece.file) ?? 0) + 1);
    if (progress) progress.filesTotal += piecesLeft.size;
    const replies = await settleAll(
      tasks.map(async (t, i) => {
        const reply = throwIfFailure(await pool.run<LoadReply | WorkerFailure>(pieces[i].slot, t, t.reservations ? [t.reservations] : [], deadline));
        if (progress) {
          progress.rowsLoaded += reply.result.rowsLoaded;
          const left = piecesLeft.get(pieces[i].file)! - 1;
          piecesLeft.set(pieces[i].file, left);
          if (left === 0) progress.filesDone++;
        }
        return reply;
      }),
    );
    results = fileResults(files.length, pieces, replies);
    written = clustered ? await mergeRanges(pool, physical.columns, clusterBy, replies, env.config.partitionRows, `${prefix}c`, writes, deadline) : replies.flatMap((r) => r.partitions);
    writes.closePorts();
  } catch (err) {
    await writes.discard();
    throw err;
  } finally {
    if (spillDir) await rm(spillDir, { recursive: true, force: true });
  }
  // Even a load that wrote no rows commits: its files go into the load history.
  const loads = { files: results.map((r, i) => loadedFile(toLoad[i], r)), force: st.force };
  await commitPartitions(env, table, written, writes, 'COPY', deadline, loads);
  return { columns: COPY_RESULT_COLUMNS, batch: copyResultBatch(results) };
}

/**
 * How file values reach the table's columns, checked before any file is read: JSON documents
 * load whole into the one VARIANT, OBJECT or ARRAY column of the table, or by key with
 * MATCH_BY_COLUMN_NAME (JSON files only in Firn: CSV and Parquet refuse it).
 */
function checkColumnMapping(format: CopyFileFormat, match: MatchByColumnName, columns: Column[]): void {
  if (match !== 'NONE' && format.type !== 'JSON') throw new NotSupportedError(`MATCH_BY_COLUMN_NAME for ${format.type} files`);
  if (format.type === 'JSON' && match === 'NONE' && !(columns.length === 1 && isSemiStructured(columns[0].type))) {
    throw new CompilationError(
      'JSON_LOAD_COLUMNS',
      'SQL compilation error: JSON file format can produce one and only one column of type variant, object, or array. Load data into separate columns using the MATCH_BY_COLUMN_NAME copy option or copy with transformation.',
    );
  }
}

/**
 * A Parquet file's row count from its footer (two small range reads), for cutting it into
 * pieces; null when it cannot be read, so the file loads whole and its own task reports why.
 */
async function parquetFileRows(store: ObjectStore, f: ObjectInfo): Promise<number | null> {
  try {
    if (f.size < 12) return null;
    const last8 = await store.getRange(f.key, f.size - 8, 8);
    const length = parquetTailLength(last8);
    if (length === null || length > f.size - 4) return null;
    return parquetRowCount(await store.getRange(f.key, f.size - length, length), f.key);
  } catch {
    return null;
  }
}

/**
 * One result per file: a file cut into pieces is Parquet, which loads whole or fails the
 * statement (always reported as ABORT_STATEMENT, parquet-source-reader.ts), so its pieces'
 * rows add up to what the whole file would report.
 */
function fileResults(fileCount: number, pieces: LoadPiece[], replies: LoadReply[]): FileLoadResult[] {
  const out: (FileLoadResult | null)[] = new Array<FileLoadResult | null>(fileCount).fill(null);
  pieces.forEach(({ file }, i) => {
    const r = replies[i].result;
    const seen = out[file];
    out[file] =
      seen === null
        ? r
        : fileLoadResult(r.file, 'ABORT_STATEMENT', seen.rowsParsed + r.rowsParsed, seen.rowsLoaded + r.rowsLoaded, 0, null);
  });
  return out as FileLoadResult[];
}

/** A listed source file as the load history identifies it, named as COPY reports it. */
function sourceFileVersion(fileName: string, f: ObjectInfo): SourceFileVersion {
  return { fileName, fileSize: f.size, fileEtag: f.etag ?? null, fileModifiedAt: f.lastModified };
}

/** The files a COPY reads, where they are, and how they are named in its result and load history. */
type SourceFiles = { store: ObjectStore; storeUrl: string; credentials: S3Credentials | null; files: ObjectInfo[]; display: string; fileFormat: StoredFileFormat | null };

/**
 * A stage's files under the location (FILES, PATTERN), or a raw URL's: only where the raw
 * location policy allows (raw-location-policy.ts), each local file checked after following
 * symlinks. No files is FILE_NOT_FOUND.
 */
async function sourceFiles(env: EngineEnv, st: Extract<Statement, { kind: 'copy_into' }>, session: SessionContext): Promise<SourceFiles> {
  const policy = localPathPolicy(env.config);
  if (st.source.kind === 'stage') {
    const stage = resolveStage({ catalog: env.catalog, session, home: env.config.home }, st.source.location, 'READ');
    const { store, files } = await listStageFiles(stage, { pattern: st.pattern, files: st.files }, policy);
    if (files.length === 0) throw new StorageError('FILE_NOT_FOUND', `No files found at '@${clipValue(stage.display + stage.path)}'.`);
    return { store, storeUrl: stage.storeUrl, credentials: stage.credentials, files, display: stage.display, fileFormat: stage.fileFormat };
  }
  const url = st.source.url;
  checkRawLocationRole(session, url);
  if (st.files) throw new NotSupportedError('FILES = (...) with a URL source (load from a stage, or name the files in the URL)');
  const { storeUrl, pattern } = splitSourceUrl(url);
  const local = storeUrl.startsWith('file:') ? fileURLToPath(storeUrl) : null;
  if (local !== null) await checkLocalPaths([local], policy);
  const store = openObjectStore(storeUrl);
  let files = await listMatching(store, pattern);
  if (st.pattern !== null) {
    const regex = compilePattern(st.pattern);
    files = files.filter((f) => regex.test(f.key));
  }
  if (files.length === 0) throw new StorageError('FILE_NOT_FOUND', `No files found at '${clipValue(url)}'.`);
  if (local !== null) await checkLocalPaths(files.map((f) => path.join(local, ...f.key.split('/'))), policy);
  return { store, storeUrl, credentials: null, files, display: `${storeUrl.replace(/\/$/, '')}/`, fileFormat: null };
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
 * Phase 2 of the clustered COPY: picks one key range per worker from the runs' key samples
 * (range j is [bounds[j - 1], bounds[j]), the first and last open-ended), then has each
 * worker merge its range of every run and write it (merge-range-task.ts). Answers the
 * partitions in key order.
 */
async function mergeRanges(
  pool: WarehousePool,
  columns: Column[],
  clusterBy: number[],
  replies: LoadReply[],
  partitionRows: number,
  keyPrefix: string,
  writes: StatementWrites,
  cancel: TaskCancel | null,
): Promise<WrittenPartition[]> {
  const runs = replies.flatMap((r) => (r.run && r.run.rows > 0 ? [r.run] : []));
  if (runs.length === 0) return [];
  const keyColumns = clusterBy.map((i) => columns[i]);
  const keyTypes = keyColumns.map((c) => c.type);
  const samples = sortBatch(
    concatBatches(
      keyTypes,
      replies.flatMap((r) => (r.sample ? [decodeBatchIpc(r.sample).batch] : [])),
    ),
    clusterKeys(keyColumns, keyColumns.map((_, k) => k)),
  );
  const ranges = Math.max(1, Math.min(pool.workers, samples.length));
  const picks = Int32Array.from({ length: ranges - 1 }, (_, j) => Math.floor(((j + 1) * samples.length) / ranges));
  const bounds = encodeBatchIpc(keyColumns, gatherBatch(samples, picks));
  const tasks: Promise<WrittenPartition[]>[] = [];
  for (let j = 0; j < ranges; j++) {
    const task: MergeWriteTask = {
      kind: 'merge_write',
      columns,
      clusterBy,
      runs,
      bounds,
      lo: j - 1,
      hi: j < ranges - 1 ? j : -1,
      partitionRows,
      keyPrefix: `${keyPrefix}${String(j).padStart(3, '0')}`,
      reservations: writes.reservationPort(),
    };
    tasks.push(pool.run<WrittenPartition[] | WorkerFailure>(j, task, [task.reservations], cancel).then(throwIfFailure));
  }
  return (await settleAll(tasks)).flat();
}

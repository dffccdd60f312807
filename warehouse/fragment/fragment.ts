/**
 * What services and the warehouse workers exchange besides the stage plan (stage-plan.ts):
 * scan units (a partition to read and whether the scan filter applies to it), scan
 * statistics, COPY INTO's load and write tasks and the partitions workers wrote.
 *
 * Contract: plain data (structured-clone safe). A unit whose filterMode is 'all' was proven
 * by pruning to satisfy the scan's filter in every row: the worker skips the filter for it.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ZoneMap } from '../../storage/partition/zone-map.js';
import type { Column } from '../../storage/types/schema.js';
import type { CsvFormat } from '../load/csv-reader.js';
import type { JsonFormat } from '../load/json-reader.js';
import type { S3Credentials } from '../../storage/object-store/s3-object-store.js';

export const FilterMode = { FILTER: 'filter', ALL: 'all' } as const;
export type FilterMode = (typeof FilterMode)[keyof typeof FilterMode];

/**
 * A partition to scan. `byteSize` and `etag` are the object's identity as the catalog recorded
 * it (etag null for partitions committed before ETags were recorded): the column cache only
 * serves entries of that identity and verifies an object it fetches against it.
 */
export type ScanUnit = { partitionId: number; objectKey: string; rowCount: number; byteSize: number; etag: string | null; filterMode: FilterMode };

export type ScanStats = { rowsScanned: number; bytesScanned: number; cacheHits: number; cacheMisses: number };

/**
 * File format options of COPY INTO: the CSV reader's options plus the file type and its
 * compression (AUTO: gzip when the bytes say so; GZIP: must be gzip; NONE/SNAPPY: as stored).
 */
export type LoadFileFormat = CsvFormat & JsonFormat & { type: 'CSV' | 'PARQUET' | 'JSON'; compression: 'AUTO' | 'GZIP' | 'SNAPPY' | 'NONE' };

export type LoadOnError = 'ABORT_STATEMENT' | 'CONTINUE';

/**
 * Load one source file: parse it against the table's columns, then either ('write') cut it
 * into partitions of at most `partitionRows` rows, write each under `keyPrefix` to the table
 * store and answer with their metadata, or ('sort', a table with a clustering key: phase 1 of
 * the clustered COPY, see sorted-run.ts) sort it by the clustering key (column positions),
 * write it as one sorted run at `runPath` (the statement's spill directory) and answer the
 * run and a sample of its keys. Nothing is committed by the worker.
 */
export type LoadTask = {
  kind: 'load';
  mode: 'write' | 'sort';
  sourceStoreUrl: string;
  /** The source store's own credentials (an external stage's); absent: the environment's. */
  sourceCredentials?: S3Credentials;
  sourceKey: string;
  fileName: string;
  /** The table's name, for Snowflake's column labels in load errors ("T"["COL":2]). */
  tableName: string;
  /** The table's columns by SQL name (what a Parquet file's fields are matched by). */
  columns: Column[];
  /** The Parquet field each column is written as, when some differ from `columns`' names (ALTER TABLE). */
  physicalNames?: string[];
  format: LoadFileFormat;
  onError: LoadOnError;
  /** JSON: MATCH_BY_COLUMN_NAME (CASE_SENSITIVE / CASE_INSENSITIVE); absent: NONE. */
  matchByColumnName?: 'CASE_SENSITIVE' | 'CASE_INSENSITIVE';
  clusterBy: number[];
  partitionRows: number;
  keyPrefix: string;
  /**
   * Parquet in 'write' mode: load only the file's rows [start, end) (COPY cuts a big file
   * into pieces so every worker loads a share, services/session/load-pieces.ts); absent: all.
   */
  rows?: { start: number; end: number };
  /** 'write' mode: where the task reserves its object keys before writing (key-reservation.ts). */
  reservations?: MessagePort;
  /** 'sort' mode: the run file to write, under FIRN_HOME (the statement's spill directory). */
  runPath?: string;
};

/** A partition a worker wrote; `etag` is what the object store's put answered (null: it gave none). */
export type WrittenPartition = { objectKey: string; rowCount: number; byteSize: number; etag: string | null; zoneMap: ZoneMap };

/**
 * A sorted run on local disk (sorted-run.ts): Arrow IPC blocks of at most RUN_BLOCK_ROWS rows
 * each, back to back in one file; `firstKeys` (Arrow IPC of the clustering key columns) holds
 * the key of each block's first row, so a reader finds a key range's blocks without reading
 * the others.
 */
export type SortedRun = { path: string; rows: number; blocks: { offset: number; length: number; rows: number }[]; firstKeys: Uint8Array };

/**
 * Phase 2 of the clustered COPY (merge-range-task.ts): merge the rows of every run whose
 * clustering key lies in [bounds[lo], bounds[hi]) (lo -1: no lower bound; hi -1: no upper
 * bound; `bounds` is Arrow IPC of the key columns), then write them as micro-partitions
 * under `keyPrefix`, each key reserved through `reservations` before its put.
 */
export type MergeWriteTask = {
  kind: 'merge_write';
  columns: Column[];
  clusterBy: number[];
  runs: SortedRun[];
  bounds: Uint8Array;
  lo: number;
  hi: number;
  partitionRows: number;
  keyPrefix: string;
  reservations: MessagePort;
};

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

export const FilterMode = { FILTER: 'filter', ALL: 'all' } as const;
export type FilterMode = (typeof FilterMode)[keyof typeof FilterMode];

export type ScanUnit = { partitionId: number; objectKey: string; rowCount: number; filterMode: FilterMode };

export type ScanStats = { rowsScanned: number; bytesScanned: number; cacheHits: number; cacheMisses: number };

/** File format options of COPY INTO: the CSV reader's options plus the file type. */
export type LoadFileFormat = CsvFormat & { type: 'CSV' | 'PARQUET' };

export type LoadOnError = 'ABORT_STATEMENT' | 'CONTINUE';

/**
 * Load one source file: parse it against the table's columns, then either ('write') sort by
 * the clustering key (column positions) when there is one, cut it into partitions of at most
 * `partitionRows` rows, write each under `keyPrefix` to the table store and answer with their
 * metadata, or ('return') answer with the parsed rows, so services can sort a clustered
 * table's whole load at once. Nothing is committed by the worker.
 */
export type LoadTask = {
  kind: 'load';
  mode: 'write' | 'return';
  sourceStoreUrl: string;
  sourceKey: string;
  fileName: string;
  /** The table's name, for Snowflake's column labels in load errors ("T"["COL":2]). */
  tableName: string;
  columns: Column[];
  format: LoadFileFormat;
  onError: LoadOnError;
  clusterBy: number[];
  partitionRows: number;
  keyPrefix: string;
  /** 'write' mode: where the task reserves its object keys before writing (key-reservation.ts). */
  reservations?: MessagePort;
};

export type WrittenPartition = { objectKey: string; rowCount: number; byteSize: number; zoneMap: ZoneMap };

/** Write rows (an Arrow IPC stream, transferred) as one micro-partition at `objectKey`. */
export type WriteTask = { kind: 'write'; columns: Column[]; ipc: Uint8Array; objectKey: string };

/**
 * Plan fragments: what services sends a warehouse worker, and what comes back.
 *
 * Contract: a fragment is plain data. A worker reads `scanColumns` of each unit's partition
 * (batch column i = table column scanColumns[i]), applies `filter` unless the unit's
 * filterMode is 'all' (pruning proved the predicate true for every row), runs the pipeline
 * `steps` in order (filters, projections, and hash-join probes against build sides that
 * services computed and broadcast to every worker), then either projects (with an optional
 * partial top-N or limit) or partially aggregates. The result is
 * one Arrow IPC stream (transferred, not cloned) holding the output batch:
 *  - project: one column per expr;
 *  - aggregate: the partial state layout of warehouse/execute/aggregate (group keys then
 *    aggregate states), merged by services with the same module's final step; with
 *    `perPartition` (services saw from zone maps that a group key is clustered by
 *    partition) each partition is aggregated on its own and the partials concatenated;
 *  - mark: one BOOLEAN column, a mark per broadcast left row.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ZoneMap } from '../../storage/partition/zone-map.js';
import type { Column } from '../../storage/types/schema.js';
import type { CsvFormat } from '../load/csv-reader.js';
import type { HashJoinSpec } from '../execute/join/join-spec.js';
import type { AggregateCall, BoundExpr, SortKey } from './bound-expr.js';

export type FragmentOutput =
  | { kind: 'project'; exprs: BoundExpr[]; topN: { keys: SortKey[]; limit: number } | null; limit: number | null }
  | { kind: 'aggregate'; groupBy: BoundExpr[]; aggregates: AggregateCall[]; perPartition: boolean; memoryBudget: number }
  /**
   * For SEMI/ANTI joins whose small LEFT input services broadcast (`build`, Arrow IPC): the
   * pipeline's rows are the right input; the answer is one BOOLEAN column, the MARK of each
   * left row over this worker's rows (TRUE match, NULL unknown for NOT IN, FALSE none).
   * `spec` is a MARK join with buildSide 'left'. Services ORs the workers' marks.
   */
  | { kind: 'mark'; spec: HashJoinSpec; build: Uint8Array };

/**
 * One pipeline step after the scan. A join step probes with the current batch as the LEFT
 * input (`spec.buildSide` is 'right'); `build` is the right input as an Arrow IPC stream,
 * decoded and hashed once per task.
 */
export type PipelineStep =
  | { kind: 'filter'; predicate: BoundExpr }
  | { kind: 'project'; exprs: BoundExpr[] }
  | { kind: 'join'; spec: HashJoinSpec; build: Uint8Array };

export type ScanFragment = {
  tableColumns: Column[];
  scanColumns: number[];
  filter: BoundExpr | null;
  steps: PipelineStep[];
  output: FragmentOutput;
  /** Bytes of projected rows a worker may keep for its answer (the query memory budget); absent: unlimited. */
  memoryBudget?: number;
};

export const FilterMode = { FILTER: 'filter', ALL: 'all' } as const;
export type FilterMode = (typeof FilterMode)[keyof typeof FilterMode];

export type ScanUnit = { partitionId: number; objectKey: string; rowCount: number; filterMode: FilterMode };

/**
 * 'scan': a plan fragment over this worker's scan units. 'join': one partition of a
 * partitioned hash join: both inputs' rows whose keys hash to this partition (Arrow IPC),
 * joined by `spec`; the answer is the joined rows (reply as for a scan, stats all zero).
 */
export type WorkerTask =
  | { kind: 'scan'; fragment: ScanFragment; units: ScanUnit[] }
  | { kind: 'join'; spec: HashJoinSpec; left: Uint8Array; right: Uint8Array };

export type ScanStats = { rowsScanned: number; bytesScanned: number; cacheHits: number; cacheMisses: number };

export type WorkerResult = { ipc: Uint8Array; stats: ScanStats };

/** File format options of COPY INTO: the CSV reader's options plus the file type. */
export type LoadFileFormat = CsvFormat & { type: 'CSV' | 'PARQUET' };

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
  /** 'sort' mode: the run file to write, under FIRN_HOME (the statement's spill directory). */
  runPath?: string;
};

export type WrittenPartition = { objectKey: string; rowCount: number; byteSize: number; zoneMap: ZoneMap };

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

/**
 * The physical plan as it crosses to the warehouse: stages (fragments) of physical operators
 * (`…Exec` nodes), joined by exchanges. Services builds it (services/physical), the
 * coordinator (services/coordinate) runs it stage by stage on the warehouse's workers, and a
 * worker runs one task of one stage (warehouse/execute/stage/run-stage-task.ts).
 *
 * Contract: plain data only (structured-clone safe), like bound-expr.ts. Every ExecNode has
 * a plan-wide unique `id` (the profile's key) and `types`: its output column types. Bound
 * expressions inside a node refer to the columns of that node's input(s) by position; a
 * join's expressions see its left input's columns then its right input's.
 *
 * A stage runs as `tasks` parallel tasks, each over its share of the stage's input: its scan
 * units (a stage has at most one scan) and, for each exchange source, the chunks the
 * producing stage routed to this task. A stage's `output` says how its rows reach the
 * consuming stage's tasks:
 *  - gather: every row to task 0 (the consumer has one task);
 *  - broadcast: every row to every task of every consumer;
 *  - hash: a row to task hash(keys) mod consumer tasks (equal keys meet in one task; the hash
 *    is key-partitions.ts's, so NULL keys land in one task too, unless `nullsRoundRobin`);
 *  - range: a row to the task whose range-assigned scan holds its key (a co-located join);
 *  - round_robin: rows spread evenly by batch;
 *  - result: the root stage (one task); its batches stream to the client as they come.
 *  - written: a write stage; its answer is the partitions it wrote (WrittenPartition[]) and,
 *    for a DML's rewrite stage, the partitions it replaced and its row counts; for an
 *    unload, the files it wrote.
 * A producer task's output for one consumer task is a list of ExchangeChunks, in order.
 */
import type { MessagePort } from 'node:worker_threads';
import type { DataType } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import type { AggregateCall, BoundExpr, SortKey } from './bound-expr.js';
import type { HashJoinSpec } from '../execute/join/join-spec.js';
import type { WindowCall } from './window-call.js';
import type { ScanStats, ScanUnit, WrittenPartition } from './fragment.js';
import type { ZoneMap } from '../../storage/partition/zone-map.js';

export const AggregatePhase = {
  /** Per task, over raw rows: answers partial states (group keys then states). */
  PARTIAL: 'partial',
  /** Over partial states, all states of a group in one task (after a hash exchange by group keys). */
  FINAL: 'final',
  /** Raw rows in, final values out (all rows of a group in one task). */
  SINGLE: 'single',
} as const;
export type AggregatePhase = (typeof AggregatePhase)[keyof typeof AggregatePhase];

type Node<K extends string, T> = { kind: K; id: number; types: DataType[] } & T;

export type ExecNode =
  /**
   * Reads `scanColumns` of the task's scan units (batch column i = table column scanColumns[i]), filtered by `filter` unless a unit's filterMode is 'all';
   * with `limit`, the task stops once it has output that many rows (after the filter). `table` is the qualified name DB.SCHEMA.TABLE.
   */
  /**
   * Reads `scanColumns` (filter indexes them); answers `output` (positions in scanColumns; all
   * of them when absent), so columns only the filter needs are never copied for kept rows.
   * `keyFilters` (runtime filters the coordinator added) drop rows of every unit, whatever its filterMode.
   * With `rowIds`, each row also answers its address after the output columns: `$partition`
   * (its unit's partitionId) and `$row` (its ordinal within that partition, counted before any
   * filtering), both NUMBER(18,0) in f64 vectors: what a DML's rewrite_exec finds rows by.
   * With `every`, the scan is not its stage's scan (Stage.scan, whose units the tasks share)
   * but reads all of these units in every task: a tiny broadcast build planned into its probe
   * stage (stage-planner.ts); task 0 alone counts what it read.
   */
  | Node<'scan_exec', { table: string; tableColumns: Column[]; scanColumns: number[]; filter: BoundExpr | null; limit: number | null; output?: number[]; keyFilters?: ScanKeyFilter[]; rowIds?: true; physicalNames?: string[]; absent?: AbsentDefault[]; every?: StageScan }>
  /** Constant rows; runs in task 0 only (other tasks answer no rows). */
  | Node<'values_exec', { rows: BoundExpr[][] }>
  /**
   * Rows computed already (an earlier result: RESULT_SCAN; a recursive CTE's rows or its working
   * table's), as columnar batches; runs in task 0 only. `source` and `names` say which recursive
   * CTE's rows they are, and their columns, for EXPLAIN only (which plans them with no batches).
   */
  | Node<'batches_exec', { batches: Batch[]; source?: { kind: 'recursive_cte' | 'working_table'; name: string; names: string[] } }>
  /**
   * TABLE(GENERATOR(...)): row ordinals 0, 1, 2, ... (one NUMBER(18,0) column), cut into blocks
   * of `blockRows`; task t of the stage's `tasks` answers the blocks b with b mod tasks = t, so
   * the ordinals are each produced once, whatever the number of tasks. `rowCount` null: no end
   * but the time limit. With `timeLimitMs`, a task stops starting blocks once that long has
   * passed since it began.
   */
  | Node<'generator_exec', { rowCount: number | null; timeLimitMs: number | null; blockRows: number }>
  /**
   * SPLIT_TO_TABLE per input row: each row repeated once per part of `string` split at
   * `delimiter` (VARCHAR expressions over the input), then SEQ (unique per input row within the
   * statement), INDEX (1-based) and VALUE. A NULL string or delimiter: the row has no output.
   */
  | Node<'split_to_table_exec', { input: ExecNode; string: BoundExpr; delimiter: BoundExpr }>
  /**
   * seq.NEXTVAL: the input's columns, then one NUMBER(38,0) column per entry of `sequences` (a
   * sequence's catalog id; ids may repeat), each row a next value of its own, reserved through the
   * task's `sequences` port (sequence-values.ts), one request per batch. `names`: the sequences'
   * qualified names, for EXPLAIN.
   */
  | Node<'nextval_exec', { input: ExecNode; sequences: number[]; names: string[] }>
  /**
   * FLATTEN per input row: each row repeated once per element of the compound at `path` (a
   * GET_PATH path, '' for the value itself) in `expr` (VARIANT/OBJECT/ARRAY over the input),
   * then SEQ, KEY, PATH, INDEX, VALUE and THIS; see flatten-exec.ts.
   */
  | Node<'flatten_exec', { input: ExecNode; expr: BoundExpr; path: string; outer: boolean; recursive: boolean; mode: 'OBJECT' | 'ARRAY' | 'BOTH' }>
  /** The chunks stage `stage` routed to this task, in producer-task order; with `merge`, each producer task's chunks are one sorted run and the runs are k-way merged by these keys. */
  | Node<'exchange_source_exec', { stage: number; merge: SortKey[] | null }>
  | Node<'filter_exec', { input: ExecNode; predicate: BoundExpr }>
  | Node<'project_exec', { input: ExecNode; exprs: BoundExpr[] }>
  /**
   * A hash join; `spec.buildSide` names which input is hashed (built first, in full) and the
   * other is probed batch by batch. `left`/`right` are the join's inputs in SQL order.
   */
  | Node<'hash_join_exec', { left: ExecNode; right: ExecNode; spec: HashJoinSpec }>
  /**
   * SEMI/ANTI/MARK join whose small LEFT input was broadcast: `left` is built, `right`'s rows
   * probe it, and the answer is ONE batch with one BOOLEAN column, the mark of each left row
   * over this task's right rows (TRUE match, NULL unknown, FALSE none). `spec` is a MARK join
   * with buildSide 'left'.
   */
  | Node<'mark_join_exec', { left: ExecNode; right: ExecNode; spec: HashJoinSpec }>
  /**
   * Combines the marks of mark_join_exec tasks (`marks`: their batches, one BOOLEAN column of
   * left.length rows each) with three-valued OR (TRUE wins, then NULL), then over `left`
   * (the same rows in the same order): SEMI keeps TRUE rows, ANTI and NULL_AWARE_ANTI keep
   * FALSE rows, MARK and NULL_AWARE_MARK keep all rows and append the mark.
   */
  | Node<'mark_combine_exec', { left: ExecNode; marks: ExecNode; joinType: 'SEMI' | 'ANTI' | 'NULL_AWARE_ANTI' | 'MARK' | 'NULL_AWARE_MARK' }>
  /** PARTIAL/SINGLE: groupBy and aggregate args are over the input; FINAL: the input is partial states (groupBy.length key columns, then one state column per aggregate). */
  | Node<'hash_aggregate_exec', { input: ExecNode; phase: AggregatePhase; groupBy: BoundExpr[]; aggregates: AggregateCall[] }>
  /** Full sort of this task's input (spills when past the memory budget). */
  | Node<'sort_exec', { input: ExecNode; keys: SortKey[] }>
  /** The first `limit` rows of this task's input by `keys` (ties in input order). */
  | Node<'top_n_exec', { input: ExecNode; keys: SortKey[]; limit: number }>
  /** Skips `offset` rows, then passes at most `limit` (null: all); stops pulling its input once done. */
  | Node<'limit_exec', { input: ExecNode; offset: number; limit: number | null }>
  /** Appends one column per window call; every row of one PARTITION BY group is in this task (hash exchange by the partition keys, or gather). */
  | Node<'window_exec', { input: ExecNode; calls: WindowCall[] }>
  /** UNION/INTERSECT/EXCEPT [ALL] of two inputs with the same column types; rows with equal values are in the same task. */
  | Node<'set_op_exec', { op: 'UNION' | 'INTERSECT' | 'EXCEPT'; all: boolean; left: ExecNode; right: ExecNode }>
  /**
   * Writes its input as micro-partitions: sorted by `clusterBy` (column positions) when not
   * empty, cut at `partitionRows`, each encoded (Parquet) and put to the table store under a
   * key reserved through `reservations` (key-reservation.ts) below `keyPrefix`. Only in a
   * stage whose output is 'written'.
   */
  | Node<'write_exec', { input: ExecNode; columns: Column[]; clusterBy: number[]; partitionRows: number; keyPrefix: string }>
  /**
   * Copy-on-write DML (rewrite-exec.ts). The input is change rows sorted by ($partition ASC
   * NULLS LAST, $row ASC): column 0 `$partition`, column 1 `$row` (NUMBER, scale 0, as a
   * rowIds scan answers them), then by `mode`:
   *  - 'delete': nothing more needed (further columns are ignored);
   *  - 'update': the row's new values, one column per table column (`columns`' types);
   *  - 'merge': column 2 `$action` (a scale-0 NUMBER holding a MergeAction code), then the new
   *    values as for 'update' (ignored for DELETE). INSERT rows have a NULL `$partition`.
   * For each partition with change rows, reads it (one of `candidates`) whole, builds its
   * new rows (untouched rows keep their order) and writes them as one new partition under
   * `keyPrefix` (re-sorted, stable, by `clusterBy` when `clusterKeyChanged`); INSERT rows are
   * written as new partitions of at most `partitionRows` rows sorted by `clusterBy`. Keys are
   * reserved through the task's `reservations` before each put. Answers no rows: the reply
   * has `written`, `removed` (the rewritten partitions' ids) and `dml`. Only in a stage whose
   * output is 'written'.
   */
  | Node<'rewrite_exec', { input: ExecNode; mode: RewriteMode; candidates: RewriteCandidate[]; columns: Column[]; clusterBy: number[]; clusterKeyChanged: boolean; partitionRows: number; keyPrefix: string; absent?: AbsentDefault[] }>
  /**
   * COPY INTO @stage (warehouse/unload/unload-files.ts): writes its input as CSV or Parquet
   * files into `target`'s store, cut at `target.maxFileBytes`, each put under a name of
   * UnloadTarget's scheme; answers no rows: the files go to the reply's `unloaded`. Only in a
   * stage whose output is 'written'.
   */
  | Node<'unload_exec', { input: ExecNode; columns: Column[]; target: UnloadTarget }>;

/**
 * Where and how an unload writes: the stage's store (`storeUrl`, with its own `credentials`
 * when it has them), the file format, and the names: task t's n-th file is
 * `${namePrefix}0_${t}_${n}${extension}`, or exactly `singleName` for SINGLE = TRUE (then
 * one task writes one file, and more than `maxFileBytes` is an error).
 */
export type UnloadTarget = {
  storeUrl: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  format: UnloadFormat;
  namePrefix: string;
  extension: string;
  singleName: string | null;
  maxFileBytes: number;
};

/** The file format of an unload: CSV text (gzip or not) with its options, or Parquet (Snappy or not). */
export type UnloadFormat =
  | { type: 'CSV'; fieldDelimiter: string; fieldOptionallyEnclosedBy: string | null; nullText: string; emptyFieldAsNull: boolean; header: boolean; gzip: boolean }
  | { type: 'PARQUET'; snappy: boolean };

/** A file an unload task wrote: its key in the stage, rows, and bytes before and after compression. */
export type UnloadedFile = { key: string; rows: number; inputBytes: number; outputBytes: number };

/**
 * Physical names and absent columns (ALTER TABLE). scan_exec's `tableColumns` carry the SQL
 * names (zone maps, pruning and EXPLAIN use them); `physicalNames[i]`, when given, is the
 * Parquet field column i is read from. rewrite_exec's `columns` carry the physical names (it
 * reads and writes partitions). `absent[i]` non-null: column i may be missing from a partition
 * written before ADD COLUMN, and then reads as `value` (a JSON scalar as in zone maps, see
 * storage/types/scalar.ts; null: NULL); a rewrite writes that value into the new partition.
 */
export type AbsentDefault = { value: null | boolean | number | string } | null;

export const RewriteMode = { DELETE: 'delete', UPDATE: 'update', MERGE: 'merge' } as const;
export type RewriteMode = (typeof RewriteMode)[keyof typeof RewriteMode];

/** The `$action` codes of a MERGE's change rows (rewrite_exec). */
export const MergeAction = { UPDATE: 1, DELETE: 2, INSERT: 3 } as const;
export type MergeAction = (typeof MergeAction)[keyof typeof MergeAction];

/** A partition a DML may rewrite: a pruning survivor of the target table at the statement's snapshot. */
/** A partition a DML may rewrite; `byteSize` and `etag` are its object's identity as for ScanUnit. */
export type RewriteCandidate = { partitionId: number; objectKey: string; rowCount: number; byteSize: number; etag: string | null };

/**
 * What a DML's rewrite tasks did: target rows inserted, updated and deleted, and how many of the
 * updated rows were matched by more than one change row (UPDATE … FROM's "multi-joined rows").
 */
export type DmlCounts = { inserted: number; updated: number; deleted: number; multiJoined: number };

export type ExecKind = ExecNode['kind'];

export type StageOutput =
  | { kind: 'gather' }
  | { kind: 'broadcast' }
  /**
   * With `nullsRoundRobin`, rows with a NULL key are spread over the consumer tasks one by
   * one, round robin, instead of all going to one task (a MERGE's inserts, whose
   * `$partition` is NULL, share the rewrite work).
   */
  | { kind: 'hash'; keys: BoundExpr[]; nullsRoundRobin?: true }
  /**
   * Each row to the consumer task whose range-assigned scan stretch holds its key (a
   * NUMBER or DATE, compared as the number its vectors carry): task t gets keys in
   * [bounds[t - 1], bounds[t]), task 0 also NULLs; a task past the consumer's last gets the
   * last one's (as its units do). The consumer's scan has assign.tasks, cut at `bounds`.
   */
  | { kind: 'range'; key: BoundExpr; bounds: number[] }
  | { kind: 'round_robin' }
  | { kind: 'result' }
  | { kind: 'written' };

export type Stage = {
  id: number;
  /** Parallel tasks; at most the warehouse's workers (the planner decides, the coordinator may lower it). */
  tasks: number;
  root: ExecNode;
  output: StageOutput;
  /** The stages whose output this stage's exchange_source_exec nodes read (they run first). */
  inputs: number[];
  /** The planner's estimate of the rows the stage outputs (EXPLAIN). */
  estimatedRows: number;
  /**
   * Join pruning at run time: for each key (over this stage's output columns) the tasks answer
   * a KeySummary; the coordinator merges them and, before `probeStage` runs, adds the range
   * (and small value set) as a predicate on that stage's scan column `probeColumn`
   * (a scanColumns position) and prunes its partitions again over their zone maps.
   */
  runtimeFilters: { key: BoundExpr; probeStage: number; probeColumn: number }[];
  /** The stage's scan (when its tree has a scan_exec): what pruning left of the table, set by the planner. */
  scan?: StageScan;
};

/**
 * The partitions a stage's scan reads, as pruning left them: the coordinator shares `units`
 * among the tasks; `zoneMaps[i]` is units[i]'s zone map (keyed by column name), for pruning
 * them again by a runtime filter; `partitionsTotal` and `predicate` (the pruning predicate's
 * text, null without one) are for stats and EXPLAIN. Tasks get units by rendezvous hashing
 * of partition ids (services/coordinate/rendezvous-assignment.ts); with `assign` (range-assignment.ts), the units are in increasing ranges of that
 * column, units that may share a value share a run (runs[i] for units[i], non-decreasing),
 * and each task gets a contiguous stretch of them that never splits a run; with
 * `assign.tasks` that stretch is fixed by the planner (units[i] to task tasks[i], the last
 * task taking those past it), because another stage's 'range' output routes rows to match.
 */
export type StageScan = {
  units: ScanUnit[];
  zoneMaps: ZoneMap[];
  partitionsTotal: number;
  predicate: string | null;
  assign?: { column: string; runs: number[]; tasks?: number[] };
};

/** The plan: stages in an order where every stage comes after its inputs; the last is the root. */
export type StagePlan = { stages: Stage[]; root: number };

/** Exchange data for one consumer task: Arrow IPC bytes (transferred, never copied), or a file the producer wrote under the statement's spill directory. */
export type ExchangeChunk = ({ kind: 'ipc'; bytes: Uint8Array; rows: number } | { kind: 'file'; path: string; bytes: number; rows: number }) & {
  /** The producing task (set by the producer's exchange sink): a merging exchange source takes one producer's consecutive chunks as one sorted run. */
  producer?: number;
};

/**
 * Min/max (JSON scalars as in zone maps) and, when there are at most RUNTIME_FILTER_KEY_SET_LIMIT (key-summary.ts), the distinct non-NULL values of one runtime-filter key over one task's output;
 * `bits`, for an integral key, the same values as a bitmap when they span few enough values (execute/stage/key-bits.ts), else null.
 */
export type KeySummary = { rows: number; min: unknown; max: unknown; values: unknown[] | null; bits: KeyBits | null };

/** A runtime filter's key bitmap on scan column `column` (a scanColumns position): rows whose value is no key are dropped. */
export type ScanKeyFilter = { column: number; bits: KeyBits };

/** Integer keys as bits: bit i of `words` is set when `base + i` (a multiple of 32) is a key. */
export type KeyBits = { base: number; words: Int32Array };

/** One operator of one task, as measured: the per-operator query profile. */
export type OperatorProfile = {
  id: number;
  stage: number;
  task: number;
  operator: ExecKind;
  rowsIn: number;
  rowsOut: number;
  /** Time inside this operator, excluding its inputs. */
  ms: number;
  /** Bytes of the batches it produced. */
  bytesOut: number;
  bytesSpilled: number;
};

export type StageTask = {
  kind: 'stage';
  queryId: string;
  stage: Stage;
  task: number;
  /** Tasks of the consuming stage (output partitions for hash and round_robin; 1 for gather and result). */
  consumerTasks: number;
  units: ScanUnit[];
  /**
   * The stage's units shared by all its tasks (claimed-units.ts): `units` is then this task's
   * own share, read first; the rest it reads only after winning their slots.
   */
  claims?: UnitClaims;
  /** Chunks routed to this task, by producing stage id. */
  inputs: Record<number, ExchangeChunk[]>;
  /** Bytes of operator state and buffered output this task may hold before it spills. */
  memoryBytes: number;
  /** Directory (under FIRN_HOME) for this statement's spill files; removed by services when the statement ends. */
  spillDir: string;
  /** Bytes this task may write to spill files; past it the task fails with 53200. */
  spillBytes: number;
  /** 'result' stages: the port the task posts its result batches to (bounded in flight; protocol in result-stream.ts). */
  resultPort?: MessagePort;
  /** Stages with a write_exec: where the task reserves its object keys before writing (key-reservation.ts). */
  reservations?: MessagePort;
  /** Stages with a nextval_exec: where the task reserves sequence values (sequence-values.ts). */
  sequences?: MessagePort;
};

/**
 * Scan units shared by the tasks of one stage: `units` all of them, `order[t]` the indexes of
 * task t's own units in its reading order, `slots` Int32s on a SharedArrayBuffer (0 free, 1
 * claimed) that every task's copy of the task message shares. Without `slotOf` each unit has
 * its own slot (slot i for unit i); with it, unit i's slot is slotOf[i], and the task that
 * claims a slot reads every unit of it (a range-assigned scan's run, range-assignment.ts).
 */
export type UnitClaims = { units: ScanUnit[]; order: number[][]; slots: Int32Array; slotOf?: Int32Array };

/**
 * A task's answer: a plain structured clone whose in-memory chunks each own their
 * ArrayBuffer, all of them in the reply's transfer list (so no chunk's bytes are copied);
 * a broadcast stage's chunks are views on one SharedArrayBuffer (shared, not copied, however
 * many consumers receive them). `outputs[c]`: the chunks for consumer task c (broadcast: one
 * list for every consumer). A 'result' stage streams its batches through the task's result
 * port instead and answers no outputs.
 */
export type StageTaskReply = {
  outputs: ExchangeChunk[][];
  stats: ScanStats;
  profile: OperatorProfile[];
  bytesSpilled: number;
  keySummaries: KeySummary[];
  written: WrittenPartition[];
  /** Partitions a rewrite_exec replaced (their ids): the commit removes them. */
  removed: number[];
  /** A rewrite_exec's counts (all 0 for other stages). */
  dml: DmlCounts;
  /** Files an unload_exec wrote. */
  unloaded: UnloadedFile[];
};

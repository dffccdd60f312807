/**
 * The catalog interface: the narrow surface through which services reads and writes all
 * metadata. The embedded implementation is SQLite (sqlite-catalog.ts); a PostgreSQL one
 * comes later and must pass the same conformance suite (catalog.conformance.ts).
 *
 * Contract:
 * - Names are resolved identifiers (see storage/types/schema.ts); lookups are exact.
 * - Every table has a version log. Version 0 is the empty table written by CREATE. Each
 *   commit adds version v+1 in ONE transaction that records (version, commit time, query id,
 *   operation) and changes the live partition set: added partitions get
 *   added_version = v+1, removed ones get removed_version = v+1. The partitions live at
 *   version v are those with added_version <= v < coalesce(removed_version, infinity).
 *   Time travel and zero-copy clones are queries over this; no partition row is deleted
 *   while any version still inside retention references it.
 * - Write-ahead: every object key a statement will write is registered as pending
 *   (registerPendingObjects, with the statement's query id) BEFORE the object is put, so
 *   no object ever exists that the catalog does not know of. The commit (commitTable, or
 *   createTable with `data`) clears the statement's pending rows in its own transaction; a
 *   statement that definitely failed deletes exactly its pending objects, then clears them.
 *   Objects referenced by a commit are durable before the commit is called.
 * - CREATE OR REPLACE is one transaction: the old object stays visible and intact until the
 *   replacement, with its data (createTable `data`), commits; createDatabase `schema`
 *   creates the database's first schema in the same transaction.
 * - Commits are snapshot-based: a commit lands at current + 1 and conflicts only when a
 *   partition it removes was removed since the statement's snapshot (commitTable).
 * - Dropped objects keep their rows (dropped_at set) for UNDROP and time travel until GC
 *   purges them past retention (table -> schema -> database -> account default).
 * - Columns are versioned too: a column has a stable id and a physical name (the Parquet field
 *   and zone-map key, = its name at creation), so old versions read with their own schema.
 * - Load history: a commit may carry the source files it loaded (COPY INTO); they are
 *   recorded in the same transaction as the new version, so a failed or uncommitted load
 *   records nothing. A file version is identified by its name, size and ETag (or, for stores
 *   without one, its last-modified time); a changed file is a new file. A file version whose
 *   recorded status is LOADED or PARTIALLY_LOADED counts as loaded into that table.
 */
import type { UsageStore } from './usage-store.js';
import type { UserStore } from './user-store.js';
import type { GrantStore } from '../access/grant-store.js';
import type { StageStore } from './stage-store.js';
import type { ViewStore } from './view-store.js';
import type { SequenceStore } from './sequence-store.js';
import type { NotebookStore } from './notebook-store.js';
import type { DataType } from '../../storage/types/data-type.js';
import type { ZoneMap } from '../../storage/partition/zone-map.js';

export type DatabaseInfo = { id: number; name: string; createdAt: Date };
export type SchemaInfo = { id: number; databaseId: number; name: string; createdAt: Date };
/** A JSON scalar in the representation zone maps use (storage/types/scalar.ts), or null. */
export type ColumnDefault = null | boolean | number | string;
export type ColumnInfo = {
  /** Stable for the column's life (RENAME keeps it); never reused within its table. */
  id: number;
  /** The SQL name (resolved identifier) at the version the TableInfo describes. */
  name: string;
  /** The Parquet field and zone-map key of this column in the table's partitions; never changes. */
  physicalName: string;
  type: DataType;
  nullable: boolean;
  /** What rows of partitions written before the column existed read as (ADD COLUMN ... DEFAULT). */
  default: ColumnDefault;
  /**
   * Present when ALTER TABLE ... ADD COLUMN added the column: partitions written before then
   * do not hold it, and scans read it there as `default`.
   */
  addedByAlter?: true;
  /**
   * Present when the column's DEFAULT is a sequence's next value (sequence-store.ts): DEFAULT
   * seq.NEXTVAL (`identity` false), or AUTOINCREMENT / IDENTITY, whose sequence is the column's own.
   * An INSERT that omits the column takes the sequence's next values (`default` is then NULL).
   */
  sequence?: ColumnSequence;
};
export type ColumnSequence = { id: number; identity: boolean };
/**
 * A column as CREATE TABLE gives it; the catalog picks its id and physical name (= name).
 * `sequence`: DEFAULT seq.NEXTVAL of an existing sequence (`named`), or AUTOINCREMENT / IDENTITY
 * (`identity`: the catalog creates the column's own sequence in the same transaction).
 */
export type NewColumn = { name: string; type: DataType; nullable: boolean; default?: ColumnDefault; sequence?: NewColumnSequence };
export type NewColumnSequence = { kind: 'named'; id: number } | { kind: 'identity'; start: bigint; increment: bigint; ordered: boolean };
export type TableInfo = {
  id: number;
  schemaId: number;
  database: string;
  schema: string;
  name: string;
  columns: ColumnInfo[];
  clusterBy: string[];
  currentVersion: number;
  createdAt: Date;
  /** A transient table (CREATE TRANSIENT TABLE, or a clone of one): at most 1 day of retention, no fail-safe. */
  transient?: true;
};
export type PartitionInfo = {
  id: number;
  tableId: number;
  objectKey: string;
  rowCount: number;
  byteSize: number;
  /** The object's ETag as its put answered; null for partitions committed before ETags were recorded (size-only validation). */
  etag: string | null;
  zoneMap: ZoneMap;
  addedVersion: number;
  removedVersion: number | null;
};
/** `etag`: what the object store's put answered (absent or null: none recorded). */
export type NewPartition = { objectKey: string; rowCount: number; byteSize: number; etag?: string | null; zoneMap: ZoneMap };
export type TableVersion = { version: number; committedAt: Date; queryId: string; operation: string };
/** One row of SHOW VERSIONS: a version and what it changed. */
export type VersionLogEntry = TableVersion & {
  /** Every statement id recorded for this version (several for a group commit), sorted. */
  queryIds: string[];
  rowsAdded: number;
  rowsRemoved: number;
  partitionsAdded: number;
  partitionsRemoved: number;
};
/**
 * A point of AT | BEFORE: a time (epoch nanoseconds, UTC) or a statement id (the
 * statementHandle). AT includes what committed at that point, BEFORE excludes it.
 */
export type TimeTravelPoint = { at: 'AT' | 'BEFORE' } & (
  | { kind: 'time'; epochNs: bigint }
  | { kind: 'statement'; queryId: string }
);
/**
 * The in-memory statement history resolveVersion consults for a statement id that committed
 * nothing to the table: the statement's start time (epoch ms), or null if it is unknown too.
 */
export type StatementStartLookup = (queryId: string) => number | null;
/** What retention decisions need: the clock and the account default (FIRN_DATA_RETENTION_DAYS). */
export type RetentionContext = { nowMs: number; defaultRetentionDays: number };
/** Where DATA_RETENTION_TIME_IN_DAYS is set. */
export type RetentionTarget =
  | { kind: 'database'; database: string }
  | { kind: 'schema'; database: string; schema: string }
  | { kind: 'table'; tableId: number };
/** An object GC may delete: no table version inside retention references it and no statement has it pending. */
export type GcCandidate = { objectKey: string; byteSize: number };
/**
 * TABLE_STORAGE_METRICS of one table. An object's bytes belong to the table whose partition
 * row first referenced it (the lowest row id): they are active if the object is live there
 * (and the table is not dropped), time-travel if only that table's history within retention
 * holds it, retained-for-clone if only other tables (clones) still hold it.
 */
export type TableStorageMetrics = {
  tableId: number;
  database: string;
  schema: string;
  name: string;
  /** The table the clone chain started from (the table's own id if it is no clone). */
  cloneGroupId: number;
  activeBytes: number;
  timeTravelBytes: number;
  retainedForCloneBytes: number;
  createdAt: Date;
  droppedAt: Date | null;
};
/**
 * The size of a live table at its current version (INFORMATION_SCHEMA.TABLES): rows and bytes
 * of its live partitions, and when its last version committed (the time of its creation for a
 * table that never committed one).
 */
export type TableSize = { tableId: number; rowCount: number; bytes: number; lastAltered: Date };
/** A table of SHOW TABLES HISTORY: live (droppedAt null) or dropped and still within retention. */
export type TableHistoryEntry = TableInfo & { droppedAt: Date | null; retentionDays: number };
export type CloneOptions = {
  orReplace?: boolean;
  ifNotExists?: boolean;
  queryId: string;
  /** EXPIRES_AFTER: when the clone is to be dropped (tables only). */
  expiresAt?: Date | null;
  /** CREATE TRANSIENT TABLE ... CLONE: the clone is transient (a clone of a transient table always is). */
  transient?: boolean;
  /** The role creating the clone: recorded as the creator of the sequences a schema or database clone copies. */
  owner?: string | null;
};
/**
 * A change of ALTER TABLE. The column changes commit a new table version without partition
 * changes; CLUSTER BY changes a property of the table (no version).
 */
export type TableChange =
  | { kind: 'add_column'; column: NewColumn }
  | { kind: 'drop_column'; name: string }
  | { kind: 'rename_column'; from: string; to: string }
  | { kind: 'cluster_by'; keys: string[] };
/** One version of a source file, as the object store listed it. */
export type SourceFileVersion = {
  /** The full name COPY reports, e.g. file:///data/trips1.csv or s3://bucket/key. */
  fileName: string;
  fileSize: number;
  /** The store's ETag, or null when the store has none (then lastModified identifies the version). */
  fileEtag: string | null;
  fileModifiedAt: Date;
};
export type LoadStatusName = 'LOADED' | 'PARTIALLY_LOADED' | 'LOAD_FAILED';
/** The outcome of loading one source file, as COPY INTO reports it per file. */
export type LoadedFile = SourceFileVersion & {
  status: LoadStatusName;
  rowsParsed: number;
  rowsLoaded: number;
  errorCount: number;
  errorLimit: number;
  firstErrorMessage: string | null;
  firstErrorLineNumber: number | null;
  firstErrorCharacterPosition: number | null;
  firstErrorColumnName: string | null;
};
/** A load history row: a loaded file, the commit that recorded it, and where. */
export type LoadRecord = LoadedFile & {
  tableId: number;
  database: string;
  schema: string;
  table: string;
  tableVersion: number;
  queryId: string;
  loadedAt: Date;
};
/** An object written (or about to be written) by a statement that has not committed or failed yet. */
export type PendingObject = { objectKey: string; queryId: string; createdAt: Date };
/** `id` is never reused (CREATE OR REPLACE makes a new one); local paths derive from it, never from `name`. */
/**
 * `state` is what the warehouse was last told (CREATE, SUSPEND, RESUME, auto-suspend); `properties`
 * is the JSON of its other properties (services/scheduler/warehouse-properties.ts reads and writes
 * it; null: every default); `updatedAt`: its last CREATE or ALTER.
 */
export type WarehouseInfo = { id: number; name: string; size: string; state: 'STARTED' | 'SUSPENDED'; createdAt: Date; properties: string | null; updatedAt: Date };
export type WarehouseChanges = { size?: string; state?: 'STARTED' | 'SUSPENDED'; properties?: string; name?: string };

/** CREATE TABLE: `data` makes the new table's first version hold those partitions, in the same transaction. */
export type CreateTableOptions = {
  clusterBy?: string[];
  /** CREATE TRANSIENT TABLE: retention at most 1 day (retentionDaysOf caps it; setRetention refuses more). */
  transient?: boolean;
  ifNotExists?: boolean;
  orReplace?: boolean;
  queryId: string;
  data?: { operation: string; added: NewPartition[] };
};
/** One new table version: partitions added and removed, and (COPY INTO) the files it loaded. */
export type TableCommit = {
  baseVersion: number;
  queryId: string;
  operation: string;
  added: NewPartition[];
  removedIds: number[];
  loads?: { files: LoadedFile[]; force: boolean };
  /** More statement ids that share this version (group commit); each resolves AT(STATEMENT) to it. */
  queryIds?: string[];
};

export interface Catalog {
  close(): void;

  /**
   * `schema`: also create this schema in the database, in the same transaction (with
   * IF NOT EXISTS on an existing database: created if missing).
   */
  createDatabase(name: string, opts?: { ifNotExists?: boolean; orReplace?: boolean; schema?: string }): DatabaseInfo;
  dropDatabase(name: string, opts?: { ifExists?: boolean }): void;
  getDatabase(name: string): DatabaseInfo | null;
  listDatabases(): DatabaseInfo[];

  createSchema(database: string, name: string, opts?: { ifNotExists?: boolean; orReplace?: boolean }): SchemaInfo;
  dropSchema(database: string, name: string, opts?: { ifExists?: boolean }): void;
  getSchema(database: string, name: string): SchemaInfo | null;
  listSchemas(database: string): SchemaInfo[];

  /**
   * Creates the table at version 0 (empty). With `data` (CREATE TABLE AS SELECT) the same
   * transaction also commits version 1 holding `data.added` and clears the query's pending
   * objects; with `orReplace` it also drops the old table, so readers see the old table
   * until the new one is there, complete.
   */
  createTable(
    database: string,
    schema: string,
    name: string,
    columns: NewColumn[],
    opts: CreateTableOptions,
  ): TableInfo;
  dropTable(database: string, schema: string, name: string, opts?: { ifExists?: boolean }): void;
  getTable(database: string, schema: string, name: string): TableInfo | null;
  /** A table by id, live or dropped (null once purged), with its current schema. */
  getTableById(tableId: number): TableInfo | null;
  listTables(database: string, schema: string): TableInfo[];
  /**
   * The table as of `version` (live or dropped): the columns live at that version, and
   * `currentVersion` = `version`. OBJECT_NOT_FOUND for a version it never had.
   */
  tableAt(tableId: number, version: number): TableInfo;
  /**
   * The version AT | BEFORE `point` reads. A time T: AT is the last version committed at or
   * before T, BEFORE the last one committed strictly before T. A statement id that committed
   * a version of this table: AT is that version, BEFORE the one before it (none before the
   * statement that created the table). An id the catalog
   * does not know is looked up in `statementStart` (the engine's in-memory history) and read
   * as AT its start time, for AT and BEFORE alike. Raises TIME_TRAVEL_NOT_AVAILABLE (000707)
   * when there is no such version (before the table was created) or the point is older than
   * the table's floor, max(history_floor, nowMs - retentionMs): a time below it, or a version
   * older than the one current at it. So the answer never depends on when GC ran (GC only
   * deletes below the floor). STATEMENT_NOT_FOUND (000709) when nobody knows the id.
   */
  resolveVersion(
    tableId: number,
    point: TimeTravelPoint,
    nowMs: number,
    retentionMs: number,
    statementStart?: StatementStartLookup,
  ): number;

  /**
   * Partitions live at `version` (default: the current version). Zone maps are keyed by the
   * SQL names of the schema at that version: when a column's physical name differs from its
   * name, its zone is re-keyed; a column added by ALTER that a partition does not hold gets
   * the exact zone of its default (min = max = default, all rows NULL for a NULL default);
   * keys of columns not in that schema are left out. Tables never altered are returned as
   * stored. Repeated calls at a table's current version may answer the same array and
   * objects: callers read them and never modify them.
   */
  livePartitions(tableId: number, version?: number): readonly PartitionInfo[];
  tableVersions(tableId: number): TableVersion[];

  /** Records keys a statement is about to write, in one transaction. */
  registerPendingObjects(queryId: string, objectKeys: string[]): void;
  clearPendingObjects(queryId: string): void;
  /** Every pending object, oldest first (what GC and startup recovery look at). */
  listPendingObjects(): PendingObject[];
  /**
   * Commits one new table version atomically at current + 1: adds `added`, marks
   * `removedIds` removed, logs the operation with `queryId` (and `queryIds`, all recorded for
   * AT(STATEMENT)), clears those queries' pending objects. `baseVersion` is the snapshot the
   * statement read: every id in `removedIds` must have been live in it (else INTERNAL, a
   * caller bug) and must still be live now, else the commit fails with
   * CONCURRENT_MODIFICATION naming the version that removed it, changing nothing. So appends
   * (no removedIds) never conflict, however old their snapshot. `loads` (COPY INTO) are
   * recorded in the load history in the same transaction; unless `loads.force`, a file
   * version already loaded into the table fails the commit with CONCURRENT_MODIFICATION
   * (another statement loaded it since this one checked).
   */
  commitTable(
    tableId: number,
    commit: TableCommit,
  ): TableVersion;
  /**
   * Several commits (an explicit transaction's: services/session/session-transaction.ts) in
   * ONE catalog transaction, in order, each as commitTable. When any is refused
   * (CONCURRENT_MODIFICATION, OBJECT_NOT_FOUND), none of them is committed.
   */
  commitTables(commits: readonly { tableId: number; commit: TableCommit }[]): TableVersion[];
  /** The version log with what each version added and removed (SHOW VERSIONS), oldest first. */
  versionLog(tableId: number): VersionLogEntry[];

  /**
   * CREATE TABLE dst CLONE src AT version, in one transaction, writing no data: the new table
   * gets the source's columns live at that version (same ids and physical names), version 0
   * (CREATE TABLE, empty) and, if the source had partitions then, version 1 (CLONE) with its
   * own partition rows sharing the source's object keys. The two then diverge independently.
   * An identity column gets its own copy of the source column's sequence (same next value); a
   * DEFAULT seq.NEXTVAL keeps naming the same sequence.
   */
  cloneTable(
    src: { tableId: number; version: number },
    dst: { database: string; schema: string; name: string },
    opts: CloneOptions,
  ): TableInfo;
  /**
   * CREATE SCHEMA dst CLONE src [AT time]: every table live at `atMs` (default now), as cloneTable, in one
   * transaction, and the schema's views as they are now (views have no history); sessions'
   * temporary tables and views (named `$TMP$…`) are not copied, as Snowflake copies none.
   * The schema's named sequences are copied as they are now (their next values too), and a cloned
   * column whose DEFAULT names one of them takes the copy's values.
   */
  cloneSchema(
    src: { database: string; schema: string; atMs?: number },
    dst: { database: string; name: string },
    opts: CloneOptions,
  ): SchemaInfo;
  /** CREATE DATABASE dst CLONE src [AT time]: every schema live at `atMs`, as cloneSchema, in one transaction. */
  cloneDatabase(src: { database: string; atMs?: number }, name: string, opts: CloneOptions): DatabaseInfo;

  /**
   * UNDROP: restores the most recently dropped object of that name still within its
   * retention (OBJECT_NOT_FOUND if none); OBJECT_EXISTS if a live object has the name. A
   * schema or database comes back with the children dropped with it (same drop time).
   */
  undropTable(database: string, schema: string, name: string, ctx: RetentionContext): TableInfo;
  undropSchema(database: string, name: string, ctx: RetentionContext): SchemaInfo;
  undropDatabase(name: string, ctx: RetentionContext): DatabaseInfo;
  /** SHOW TABLES HISTORY: live tables and dropped ones still within retention, by name, newest first within a name. */
  listTablesHistory(database: string, schema: string, ctx: RetentionContext): TableHistoryEntry[];

  /** Sets (days) or unsets (null: inherit) DATA_RETENTION_TIME_IN_DAYS. */
  setRetention(target: RetentionTarget, days: number | null): void;
  /** The table's effective retention: its own, else its schema's, else its database's, else `defaultDays`. */
  retentionDaysOf(tableId: number, defaultDays: number): number;
  /** A live schema's or database's effective retention: its own, else (a schema) its database's, else `defaultDays`. */
  containerRetentionDays(target: Exclude<RetentionTarget, { kind: 'table' }>, defaultDays: number): number;
  /** Every live table of `database.schema` with its size at its current version, by table name. */
  tableSizes(database: string, schema: string): TableSize[];

  /**
   * ALTER TABLE on a live table. ADD COLUMN picks the next column id and the physical name
   * `name`, or `name#<id>` if any column of the table's history (or of a clone source's)
   * used that physical name; NOT NULL needs a non-NULL default unless the table holds no
   * rows, a sequence default (NewColumn.sequence) needs a table without rows (NON_CONSTANT_DEFAULT). DROP COLUMN refuses the last column and clustering keys. RENAME COLUMN keeps the
   * column's id and physical name (no data is rewritten) and renames it in CLUSTER BY.
   * Returns the table after the change.
   */
  alterTable(tableId: number, change: TableChange, queryId: string): TableInfo;
  /** ALTER TABLE ... RENAME TO, possibly into another schema; OBJECT_EXISTS if the name is taken. */
  renameTable(tableId: number, to: { database: string; schema: string; name: string }): TableInfo;
  /** ALTER TABLE a SWAP WITH b: the two live tables exchange names (and schemas), in one transaction. */
  swapTables(a: number, b: number): void;

  /**
   * GC mark, in one write transaction. Each table's floor becomes max(history_floor,
   * min(nowMs - retention, protect[tableId])), where `protect` holds, per table, the commit
   * time (ms) of the oldest snapshot a running statement reads; it is stored as the table's
   * history_floor (never lowered), so time travel below it fails from now on. A partition row
   * is reachable iff its table is live or dropped within retention, and the row is live at
   * the current version or was removed by a version committed after the floor. Returns the
   * keys no reachable row of any table (clones included) references and none pending.
   */
  gcMark(nowMs: number, protect: ReadonlyMap<number, number>, defaultRetentionDays: number): { deletable: GcCandidate[] };
  /**
   * GC purge, after the sweep deleted `deletedKeys`, in one write transaction: re-checks that
   * none of them is reachable or pending (INTERNAL otherwise, purging nothing), then deletes
   * the unreachable partition rows, the versions below each floor that nothing references
   * (keeping the version current at the floor) and, for tables dropped past retention, every
   * row. Returns the number of catalog rows deleted.
   */
  gcPurge(deletedKeys: string[], nowMs: number, defaultRetentionDays: number): number;
  /** Whether any partition row or pending statement knows the key (GC of unknown objects). */
  isKnownObject(objectKey: string): boolean;
  /** Drops the live clones whose EXPIRES_AFTER has passed, with retention 0; returns their ids. */
  dropExpiredClones(nowMs: number): number[];
  /** Storage metrics of every table of a database, dropped ones until purged, by schema and name. */
  storageMetrics(database: string, ctx: RetentionContext): TableStorageMetrics[];

  /** The given file versions that are already loaded into the table (status LOADED or PARTIALLY_LOADED). */
  loadedFiles(tableId: number, files: SourceFileVersion[]): SourceFileVersion[];
  /**
   * Load history of the live tables of a database, newest first, at most `limit` rows.
   * History of dropped tables is not shown (as in Snowflake).
   */
  loadHistory(database: string, opts?: { limit?: number }): LoadRecord[];

  createWarehouse(name: string, size: string, opts?: { ifNotExists?: boolean; orReplace?: boolean; state?: 'STARTED' | 'SUSPENDED'; properties?: string }): WarehouseInfo;
  getWarehouse(name: string): WarehouseInfo | null;
  listWarehouses(): WarehouseInfo[];
  /** `name`: RENAME TO (OBJECT_EXISTS when taken); the id stays. */
  updateWarehouse(name: string, changes: WarehouseChanges): WarehouseInfo;
  dropWarehouse(name: string, opts?: { ifExists?: boolean }): void;

  /** Metering segments and query history (usage-store.ts). */
  readonly usage: UsageStore;
  /** Users and their programmatic access tokens (user-store.ts). */
  readonly users: UserStore;
  /** Roles, grants and owners (services/access/grant-store.ts), over the same store: a write may span both (`grants.atomically`). */
  readonly grants: GrantStore;
  /** Stages and named file formats (stage-store.ts). */
  readonly stages: StageStore;
  /** Views (view-store.ts): they share their schema's namespace with its tables. */
  readonly views: ViewStore;
  /** Sequences (sequence-store.ts) and the handing out of their values. */
  readonly sequences: SequenceStore;
  /** The notebook page's notebooks, per user (notebook-store.ts). */
  readonly notebooks: NotebookStore;
}

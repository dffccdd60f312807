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
 * - Dropped objects keep their rows (dropped_at set) for UNDROP and time travel.
 * - Load history: a commit may carry the source files it loaded (COPY INTO); they are
 *   recorded in the same transaction as the new version, so a failed or uncommitted load
 *   records nothing. A file version is identified by its name, size and ETag (or, for stores
 *   without one, its last-modified time); a changed file is a new file. A file version whose
 *   recorded status is LOADED or PARTIALLY_LOADED counts as loaded into that table.
 */
import type { DataType } from '../../storage/types/data-type.js';
import type { ZoneMap } from '../../storage/partition/zone-map.js';

export type DatabaseInfo = { id: number; name: string; createdAt: Date };
export type SchemaInfo = { id: number; databaseId: number; name: string; createdAt: Date };
export type ColumnInfo = { name: string; type: DataType; nullable: boolean };
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
};
export type PartitionInfo = {
  id: number;
  tableId: number;
  objectKey: string;
  rowCount: number;
  byteSize: number;
  zoneMap: ZoneMap;
  addedVersion: number;
  removedVersion: number | null;
};
export type NewPartition = { objectKey: string; rowCount: number; byteSize: number; zoneMap: ZoneMap };
export type TableVersion = { version: number; committedAt: Date; queryId: string; operation: string };
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
export type WarehouseInfo = { id: number; name: string; size: string; state: 'STARTED' | 'SUSPENDED'; createdAt: Date };

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
    columns: ColumnInfo[],
    opts: {
      clusterBy?: string[];
      ifNotExists?: boolean;
      orReplace?: boolean;
      queryId: string;
      data?: { operation: string; added: NewPartition[] };
    },
  ): TableInfo;
  dropTable(database: string, schema: string, name: string, opts?: { ifExists?: boolean }): void;
  getTable(database: string, schema: string, name: string): TableInfo | null;
  listTables(database: string, schema: string): TableInfo[];

  /** Partitions live at `version` (default: the current version). */
  livePartitions(tableId: number, version?: number): PartitionInfo[];
  tableVersions(tableId: number): TableVersion[];

  /** Records keys a statement is about to write, in one transaction. */
  registerPendingObjects(queryId: string, objectKeys: string[]): void;
  clearPendingObjects(queryId: string): void;
  /** Every pending object, oldest first (what GC and startup recovery look at). */
  listPendingObjects(): PendingObject[];
  /**
   * Commits one new table version atomically: adds `added`, marks `removedIds` removed,
   * logs the operation, clears the query's pending objects. Fails (and changes nothing)
   * if the table's current version is no longer `baseVersion`. `loads` (COPY INTO) are
   * recorded in the load history in the same transaction; unless `loads.force`, a file
   * version already loaded into the table fails the commit with CONCURRENT_MODIFICATION
   * (another statement loaded it since this one checked).
   */
  commitTable(
    tableId: number,
    commit: {
      baseVersion: number;
      queryId: string;
      operation: string;
      added: NewPartition[];
      removedIds: number[];
      loads?: { files: LoadedFile[]; force: boolean };
    },
  ): TableVersion;
  /** The given file versions that are already loaded into the table (status LOADED or PARTIALLY_LOADED). */
  loadedFiles(tableId: number, files: SourceFileVersion[]): SourceFileVersion[];
  /**
   * Load history of the live tables of a database, newest first, at most `limit` rows.
   * History of dropped tables is not shown (as in Snowflake).
   */
  loadHistory(database: string, opts?: { limit?: number }): LoadRecord[];

  createWarehouse(name: string, size: string, opts?: { ifNotExists?: boolean; orReplace?: boolean }): WarehouseInfo;
  getWarehouse(name: string): WarehouseInfo | null;
  listWarehouses(): WarehouseInfo[];
  updateWarehouse(name: string, changes: { size?: string; state?: 'STARTED' | 'SUSPENDED' }): WarehouseInfo;
  dropWarehouse(name: string, opts?: { ifExists?: boolean }): void;
}

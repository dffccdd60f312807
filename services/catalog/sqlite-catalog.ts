/**
 * The embedded catalog: every piece of Firn metadata in one SQLite file
 * (`${FIRN_HOME}/catalog.sqlite`) through better-sqlite3. Its transactions are the commit
 * point of the whole system, so the connection runs in WAL mode with synchronous=FULL (a
 * returned commit survives power loss), foreign keys on and a busy timeout for the other
 * processes that may share the file. Soon after opening, its log is checkpointed by a thread
 * of its own (wal-checkpointer.ts), no longer by a commit on the event loop.
 *
 * Contract: implements `Catalog` (catalog.ts) and passes catalog.conformance.ts. Every write
 * is one IMMEDIATE transaction (the write lock is taken up front, so two writers never
 * deadlock upgrading a read lock); reads that need more than one query run in one read
 * transaction, i.e. one snapshot. Errors are FirnErrors: the documented ones
 * (OBJECT_EXISTS, OBJECT_NOT_FOUND, CONCURRENT_MODIFICATION, TIME_TRAVEL_NOT_AVAILABLE,
 * STATEMENT_NOT_FOUND, ...), a locked file after the busy timeout as CONCURRENT_MODIFICATION,
 * disk failures as STORAGE_IO, anything else INTERNAL. A failed call has changed nothing. The
 * schema lives in migrations.ts. Zero-copy clones and GC's mark are single set-based
 * statements over the partition rows, so their cost does not grow with per-row round trips.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Database, Statement, Transaction } from 'better-sqlite3';
import { openSqliteDatabase, pragma } from './open-sqlite-database.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import type { DataType } from '../../storage/types/data-type.js';
import { isShreddedName } from '../../storage/partition/shredded-path.js';
import type { ZoneMap } from '../../storage/partition/zone-map.js';
import {
  CompilationError,
  ConcurrencyError,
  DataError,
  InternalError,
} from '../../storage/errors/firn-error.js';
import type {
  Catalog,
  CloneOptions,
  ColumnDefault,
  ColumnSequence,
  ColumnInfo,
  CreateTableOptions,
  DatabaseInfo,
  GcCandidate,
  LoadedFile,
  LoadRecord,
  LoadStatusName,
  NewColumn,
  NewColumnSequence,
  NewPartition,
  PartitionInfo,
  PendingObject,
  RetentionContext,
  RetentionTarget,
  SchemaInfo,
  SourceFileVersion,
  StatementStartLookup,
  TableChange,
  TableCommit,
  TableHistoryEntry,
  TableInfo,
  TableSize,
  TableStorageMetrics,
  TableVersion,
  TimeTravelPoint,
  VersionLogEntry,
  WarehouseChanges,
  WarehouseInfo,
} from './catalog.js';
import { catalogError } from './catalog-error.js';
import { migrateCatalog } from './migrations.js';
import { SqliteUsageStore } from './sqlite-usage-store.js';
import { SqliteGrantStore } from '../access/sqlite-grant-store.js';
import type { GrantStore } from '../access/grant-store.js';
import { SqliteStageStore } from './sqlite-stage-store.js';
import type { StageStore } from './stage-store.js';
import { SqliteViewStore } from './sqlite-view-store.js';
import type { ViewStore } from './view-store.js';
import { SqliteSequenceStore } from './sqlite-sequence-store.js';
import type { SequenceStore } from './sequence-store.js';
import type { UsageStore } from './usage-store.js';
import type { NotebookStore } from './notebook-store.js';
import { SqliteNotebookStore } from './sqlite-notebook-store.js';
import { SqliteUserStore } from './sqlite-user-store.js';
import type { UserStore } from './user-store.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { CRASH_POINTS, crashPoint } from '../../storage/fault/crash-point.js';

export type { PendingObject } from './catalog.js';

/** The catalog file's name inside FIRN_HOME. */
export const CATALOG_FILE_NAME = 'catalog.sqlite';
const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
/** SQLite's own wal_autocheckpoint, restored if the checkpoint thread stops. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1_000;
/**
 * How long after opening a file catalog its WAL checkpoint thread starts; until then commits
 * checkpoint as SQLite does by default (past 1,000 pages of log). A worker thread costs about
 * 80 ms of CPU to start (a catalog's open and close: 21 -> 107 ms), and the test suite opens
 * catalogs by the hundred for moments; a server runs for longer.
 */
const CHECKPOINT_THREAD_DELAY_MS = 10_000;

export type SqliteCatalogOptions = {
  /** How long a write waits for another process's lock before failing (default 5 s). */
  busyTimeoutMs?: number;
  /** When the WAL checkpoint thread starts after opening (CHECKPOINT_THREAD_DELAY_MS). */
  checkpointThreadDelayMs?: number;
};
/** The settings of the open connection, as SQLite reports them. */
export type ConnectionSettings = {
  file: string;
  journalMode: string;
  synchronous: number;
  foreignKeys: boolean;
  busyTimeoutMs: number;
};
type CreateOpts = { ifNotExists?: boolean; orReplace?: boolean };

type DatabaseRow = { id: number; name: string; created_at: number };
type SchemaRow = { id: number; database_id: number; name: string; created_at: number };
type DroppedRow = { id: number; dropped_at: number };
type TableRow = {
  id: number;
  schema_id: number;
  database_name: string;
  schema_name: string;
  name: string;
  cluster_by: string;
  current_version: number;
  created_at: number;
  dropped_at: number | null;
  history_floor: number;
  cloned_from: string | null;
  transient: number;
};
type ColumnRow = {
  table_id: number;
  column_id: number;
  name: string;
  physical_name: string;
  type: string;
  nullable: number;
  default_value: string | null;
  /** 1 when ALTER TABLE added the column (ADDED_LATER). */
  added_later: number;
  /** The sequence its DEFAULT takes values from (column_sequences), else null; `seq_identity` 1 for an identity column. */
  sequence_id: number | null;
  seq_identity: number | null;
};
type VersionRow = { version: number; committed_at: number; query_id: string; operation: string };
type VersionLogRow = VersionRow & { rows_added: number; partitions_added: number; rows_removed: number; partitions_removed: number };
type PartitionRow = {
  id: number;
  object_key: string;
  row_count: number;
  byte_size: number;
  etag: string | null;
  zone_map: string;
  added_version: number;
  removed_version: number | null;
};
type PendingRow = { object_key: string; query_id: string; created_at: number };
type LoadRow = {
  table_id: number;
  database_name: string;
  schema_name: string;
  table_name: string;
  table_version: number;
  query_id: string;
  loaded_at: number;
  file_name: string;
  file_size: number;
  file_etag: string | null;
  file_modified_at: number;
  status: LoadStatusName;
  rows_parsed: number;
  rows_loaded: number;
  error_count: number;
  error_limit: number;
  first_error_message: string | null;
  first_error_line_number: number | null;
  first_error_character_position: number | null;
  first_error_col_name: string | null;
};
type WarehouseRow = { id: number; name: string; size: string; state: 'STARTED' | 'SUSPENDED'; created_at: number; properties: string | null; updated_at: number | null };

/**
 * A clone's column rows start at version 0, so a column ALTER TABLE added to the source (which
 * the partitions it shares may lack) is marked in the clone by an extra row live at no version,
 * added = removed = ADDED_BY_ALTER (never <= a real version, never live).
 */
const ADDED_BY_ALTER = Number.MAX_SAFE_INTEGER;
/** 1 when ALTER TABLE added the column (first version > 0, or marked so in a clone): partitions may lack it. */
const ADDED_LATER = `(SELECT CASE WHEN min(x.added_version) > 0 OR max(x.added_version) = ${ADDED_BY_ALTER} THEN 1 ELSE 0 END
  FROM table_columns x WHERE x.table_id = c.table_id AND x.column_id = c.column_id)`;
/** The column's sequence default, if any (column_sequences is keyed by table and column id, so it follows renames and clones). */
const COLUMN_SEQUENCE = (what: string, as: string) =>
  `(SELECT cs.${what} FROM column_sequences cs WHERE cs.table_id = c.table_id AND cs.column_id = c.column_id) AS ${as}`;
const COLUMN_COLUMNS = `c.table_id, c.column_id, c.name, c.physical_name, c.type, c.nullable, c.default_value, ${ADDED_LATER} AS added_later,
  ${COLUMN_SEQUENCE('sequence_id', 'sequence_id')}, ${COLUMN_SEQUENCE('identity', 'seq_identity')}`;

const TABLE_COLUMNS = `t.id, t.schema_id, d.name AS database_name, s.name AS schema_name, t.name, t.cluster_by,
  t.current_version, t.created_at, t.dropped_at, t.history_floor, t.cloned_from, t.transient
  FROM tables t JOIN schemas s ON s.id = t.schema_id JOIN databases d ON d.id = s.database_id`;

function prepareStatements(db: Database) {
  return {
    databaseByName: db.prepare<[string], DatabaseRow>(
      'SELECT id, name, created_at FROM databases WHERE name = ? AND dropped_at IS NULL',
    ),
    databaseList: db.prepare<[], DatabaseRow>(
      'SELECT id, name, created_at FROM databases WHERE dropped_at IS NULL ORDER BY name',
    ),
    databaseInsert: db.prepare<[string, number]>('INSERT INTO databases (name, created_at) VALUES (?, ?)'),
    databaseDrop: db.prepare<[number, number]>('UPDATE databases SET dropped_at = ? WHERE id = ?'),
    schemasDropInDatabase: db.prepare<[number, number]>(
      'UPDATE schemas SET dropped_at = ? WHERE database_id = ? AND dropped_at IS NULL',
    ),
    tablesDropInDatabase: db.prepare<[number, number]>(
      `UPDATE tables SET dropped_at = ?
       WHERE dropped_at IS NULL AND schema_id IN (SELECT id FROM schemas WHERE database_id = ?)`,
    ),

    schemaByName: db.prepare<[number, string], SchemaRow>(
      'SELECT id, database_id, name, created_at FROM schemas WHERE database_id = ? AND name = ? AND dropped_at IS NULL',
    ),
    schemaList: db.prepare<[number], SchemaRow>(
      'SELECT id, database_id, name, created_at FROM schemas WHERE database_id = ? AND dropped_at IS NULL ORDER BY name',
    ),
    schemaInsert: db.prepare<[number, string, number]>(
      'INSERT INTO schemas (database_id, name, created_at) VALUES (?, ?, ?)',
    ),
    schemaDrop: db.prepare<[number, number]>('UPDATE schemas SET dropped_at = ? WHERE id = ?'),
    tablesDropInSchema: db.prepare<[number, number]>(
      'UPDATE tables SET dropped_at = ? WHERE schema_id = ? AND dropped_at IS NULL',
    ),

    /** A view of that name in the schema (views share the namespace: view-store.ts). */
    viewNamed: db.prepare<[number, string], { id: number }>('SELECT id FROM views WHERE schema_id = ? AND name = ?'),
    viewsCopy: db.prepare<[number, number, number]>(
      `INSERT INTO views (schema_id, name, text, query, columns, column_names, secure, comment, owner, created_at)
       SELECT ?, name, text, query, columns, column_names, secure, comment, owner, ? FROM views WHERE schema_id = ? AND substr(name, 1, 5) <> '$TMP$' ORDER BY id`,
    ),
    tableByName: db.prepare<[number, string], TableRow>(
      `SELECT ${TABLE_COLUMNS} WHERE t.schema_id = ? AND t.name = ? AND t.dropped_at IS NULL`,
    ),
    tableById: db.prepare<[number], TableRow>(`SELECT ${TABLE_COLUMNS} WHERE t.id = ?`),
    tableList: db.prepare<[number], TableRow>(
      `SELECT ${TABLE_COLUMNS} WHERE t.schema_id = ? AND t.dropped_at IS NULL ORDER BY t.name`,
    ),
    tableInsert: db.prepare<[number, string, string, number, number]>(
      'INSERT INTO tables (schema_id, name, cluster_by, current_version, created_at, transient) VALUES (?, ?, ?, 0, ?, ?)',
    ),
    tableDrop: db.prepare<[number, number]>('UPDATE tables SET dropped_at = ? WHERE id = ?'),
    tableSetClusterBy: db.prepare<[string, number]>('UPDATE tables SET cluster_by = ? WHERE id = ?'),
    tableRename: db.prepare<[number, string, number]>('UPDATE tables SET schema_id = ?, name = ? WHERE id = ?'),
    tableInsertClone: db.prepare<[number, string, string, number, number | null, string, number]>(
      `INSERT INTO tables (schema_id, name, cluster_by, current_version, created_at, expires_at, cloned_from, transient)
       VALUES (?, ?, ?, 0, ?, ?, ?, ?)`,
    ),
    // The tables of a schema that existed at a time (ms): created by then and not dropped yet.
    tablesLiveAt: db.prepare<[number, number, number], { id: number; name: string }>(
      `SELECT id, name FROM tables WHERE schema_id = ? AND created_at <= ? AND (dropped_at IS NULL OR dropped_at > ?)
       ORDER BY name`,
    ),
    schemasLiveAt: db.prepare<[number, number, number], SchemaRow>(
      `SELECT id, database_id, name, created_at FROM schemas
       WHERE database_id = ? AND created_at <= ? AND (dropped_at IS NULL OR dropped_at > ?) ORDER BY name`,
    ),
    tablesDroppedByName: db.prepare<[number, string], DroppedRow>(
      `SELECT id, dropped_at FROM tables WHERE schema_id = ? AND name = ? AND dropped_at IS NOT NULL
       ORDER BY dropped_at DESC, id DESC`,
    ),
    schemasDroppedByName: db.prepare<[number, string], DroppedRow>(
      `SELECT id, dropped_at FROM schemas WHERE database_id = ? AND name = ? AND dropped_at IS NOT NULL
       ORDER BY dropped_at DESC, id DESC`,
    ),
    databasesDroppedByName: db.prepare<[string], DroppedRow>(
      'SELECT id, dropped_at FROM databases WHERE name = ? AND dropped_at IS NOT NULL ORDER BY dropped_at DESC, id DESC',
    ),
    tableUndrop: db.prepare<[number]>('UPDATE tables SET dropped_at = NULL WHERE id = ?'),
    // UNDROP of a container restores exactly the children its DROP cascaded to (same timestamp).
    tablesUndropInSchema: db.prepare<[number, number]>(
      'UPDATE tables SET dropped_at = NULL WHERE schema_id = ? AND dropped_at = ?',
    ),
    schemaUndrop: db.prepare<[number]>('UPDATE schemas SET dropped_at = NULL WHERE id = ?'),
    schemasUndropInDatabase: db.prepare<[number, number]>(
      'UPDATE schemas SET dropped_at = NULL WHERE database_id = ? AND dropped_at = ?',
    ),
    tablesUndropInDatabase: db.prepare<[number, number]>(
      'UPDATE tables SET dropped_at = NULL WHERE dropped_at = ? AND schema_id IN (SELECT id FROM schemas WHERE database_id = ?)',
    ),
    databaseUndrop: db.prepare<[number]>('UPDATE databases SET dropped_at = NULL WHERE id = ?'),
    tableHistoryList: db.prepare<[number], TableRow>(
      `SELECT ${TABLE_COLUMNS} WHERE t.schema_id = ?
       ORDER BY t.name, t.dropped_at IS NOT NULL, t.dropped_at DESC, t.id DESC`,
    ),
    tableRetention: db.prepare<[number], { days: number | null; transient: number }>(
      `SELECT coalesce(t.retention_days, s.retention_days, d.retention_days) AS days, t.transient
       FROM tables t JOIN schemas s ON s.id = t.schema_id JOIN databases d ON d.id = s.database_id WHERE t.id = ?`,
    ),
    schemaRetention: db.prepare<[number], { days: number | null }>(
      `SELECT coalesce(s.retention_days, d.retention_days) AS days
       FROM schemas s JOIN databases d ON d.id = s.database_id WHERE s.id = ?`,
    ),
    databaseRetention: db.prepare<[number], { days: number | null }>(
      'SELECT retention_days AS days FROM databases WHERE id = ?',
    ),
    // Per live table of a schema: its live partitions' rows and bytes and its last commit time.
    tableSizes: db.prepare<[number], { id: number; row_count: number; bytes: number; last_altered: number }>(
      `SELECT t.id,
         coalesce((SELECT sum(p.row_count) FROM partitions p WHERE p.table_id = t.id AND p.added_version <= t.current_version
           AND (p.removed_version IS NULL OR p.removed_version > t.current_version)), 0) AS row_count,
         coalesce((SELECT sum(p.byte_size) FROM partitions p WHERE p.table_id = t.id AND p.added_version <= t.current_version
           AND (p.removed_version IS NULL OR p.removed_version > t.current_version)), 0) AS bytes,
         coalesce((SELECT max(v.committed_at) FROM table_versions v WHERE v.table_id = t.id), t.created_at) AS last_altered
       FROM tables t WHERE t.schema_id = ? AND t.dropped_at IS NULL ORDER BY t.name`,
    ),
    gcTables: db.prepare<[], { id: number; dropped_at: number | null; history_floor: number; days: number | null; transient: number }>(
      `SELECT t.id, t.dropped_at, t.history_floor, coalesce(t.retention_days, s.retention_days, d.retention_days) AS days, t.transient
       FROM tables t JOIN schemas s ON s.id = t.schema_id JOIN databases d ON d.id = s.database_id ORDER BY t.id`,
    ),
    tableSetFloor: db.prepare<[number, number]>('UPDATE tables SET history_floor = ? WHERE id = ?'),
    // @tables: JSON [[tableId, floor, expired], ...] for every table. Keys no reachable row references.
    gcUnreachableKeys: db.prepare<[{ tables: string }], { object_key: string; byte_size: number }>(
      `WITH g AS (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS floor,
                         json_extract(value, '$[2]') AS expired FROM json_each(@tables))
       SELECT p.object_key, max(p.byte_size) AS byte_size
       FROM partitions p JOIN g ON g.id = p.table_id
       GROUP BY p.object_key
       HAVING sum(CASE WHEN g.expired = 0 AND (p.removed_version IS NULL OR
                  (SELECT v.committed_at FROM table_versions v WHERE v.table_id = p.table_id AND v.version = p.removed_version) > g.floor)
                  THEN 1 ELSE 0 END) = 0
         AND p.object_key NOT IN (SELECT object_key FROM pending_objects)
       ORDER BY p.object_key`,
    ),
    // @tables as above, @keys: JSON [key, ...]. The given keys some reachable row or pending statement still holds.
    gcStillHeld: db.prepare<[{ tables: string; keys: string }], { object_key: string }>(
      `WITH g AS (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS floor,
                         json_extract(value, '$[2]') AS expired FROM json_each(@tables)),
            k AS (SELECT value AS object_key FROM json_each(@keys))
       SELECT DISTINCT p.object_key FROM partitions p JOIN g ON g.id = p.table_id JOIN k ON k.object_key = p.object_key
       WHERE g.expired = 0 AND (p.removed_version IS NULL OR
             (SELECT v.committed_at FROM table_versions v WHERE v.table_id = p.table_id AND v.version = p.removed_version) > g.floor)
       UNION SELECT object_key FROM pending_objects WHERE object_key IN (SELECT object_key FROM k)`,
    ),
    gcPurgeRemoved: db.prepare<[{ id: number; below: number }]>(
      `DELETE FROM partitions WHERE table_id = @id AND removed_version IS NOT NULL AND
         (SELECT v.committed_at FROM table_versions v WHERE v.table_id = @id AND v.version = removed_version) <= @below`,
    ),
    // Versions below the one current at the floor that no partition or load record refers to.
    gcPurgeStatements: db.prepare<[{ id: number; below: number }]>(
      `DELETE FROM version_statements WHERE table_id = @id AND version < @below
         AND version NOT IN (SELECT added_version FROM partitions WHERE table_id = @id)
         AND version NOT IN (SELECT removed_version FROM partitions WHERE table_id = @id AND removed_version IS NOT NULL)
         AND version NOT IN (SELECT table_version FROM load_history WHERE table_id = @id)`,
    ),
    gcPurgeVersions: db.prepare<[{ id: number; below: number }]>(
      `DELETE FROM table_versions WHERE table_id = @id AND version < @below
         AND version NOT IN (SELECT added_version FROM partitions WHERE table_id = @id)
         AND version NOT IN (SELECT removed_version FROM partitions WHERE table_id = @id AND removed_version IS NOT NULL)
         AND version NOT IN (SELECT table_version FROM load_history WHERE table_id = @id)
         AND version NOT IN (SELECT version FROM version_statements WHERE table_id = @id)`,
    ),
    // Every row of a table dropped past retention, children first (foreign keys).
    gcPurgeTablePartitions: db.prepare<[number]>('DELETE FROM partitions WHERE table_id = ?'),
    gcPurgeTableLoads: db.prepare<[number]>('DELETE FROM load_history WHERE table_id = ?'),
    gcPurgeTableStatements: db.prepare<[number]>('DELETE FROM version_statements WHERE table_id = ?'),
    gcPurgeTableVersions: db.prepare<[number]>('DELETE FROM table_versions WHERE table_id = ?'),
    gcPurgeTableColumns: db.prepare<[number]>('DELETE FROM table_columns WHERE table_id = ?'),
    gcPurgeTableRow: db.prepare<[number]>('DELETE FROM tables WHERE id = ?'),
    // Every partition row in id order, with the commit time of the version that removed it.
    partitionsForMetrics: db.prepare<[], { table_id: number; object_key: string; byte_size: number; live: number; removed_at: number | null }>(
      `SELECT p.table_id, p.object_key, p.byte_size, p.removed_version IS NULL AS live, v.committed_at AS removed_at
       FROM partitions p LEFT JOIN table_versions v ON v.table_id = p.table_id AND v.version = p.removed_version
       ORDER BY p.id`,
    ),
    tablesOfDatabase: db.prepare<[number], TableRow>(
      `SELECT ${TABLE_COLUMNS} WHERE s.database_id = ?
       ORDER BY s.name, t.name, t.id`,
    ),
    clonedFrom: db.prepare<[number], { cloned_from: string | null }>('SELECT cloned_from FROM tables WHERE id = ?'),
    objectKnown: db.prepare<[string, string], { one: number }>(
      `SELECT 1 AS one WHERE EXISTS (SELECT 1 FROM partitions WHERE object_key = ?)
         OR EXISTS (SELECT 1 FROM pending_objects WHERE object_key = ?)`,
    ),
    clonesExpired: db.prepare<[number], { id: number }>(
      'SELECT id FROM tables WHERE expires_at IS NOT NULL AND expires_at <= ? AND dropped_at IS NULL ORDER BY id',
    ),
    tableDropNow: db.prepare<[number, number]>('UPDATE tables SET dropped_at = ?, retention_days = 0 WHERE id = ?'),
    tableSetRetention: db.prepare<[number | null, number]>('UPDATE tables SET retention_days = ? WHERE id = ?'),
    schemaSetRetention: db.prepare<[number | null, number]>('UPDATE schemas SET retention_days = ? WHERE id = ?'),
    databaseSetRetention: db.prepare<[number | null, number]>('UPDATE databases SET retention_days = ? WHERE id = ?'),
    tableBumpVersion: db.prepare<[number, number, number]>(
      'UPDATE tables SET current_version = ? WHERE id = ? AND current_version = ?',
    ),

    // A table's current columns are those not removed (removed_version <= current_version always).
    columnsOfTable: db.prepare<[number], ColumnRow>(
      `SELECT ${COLUMN_COLUMNS} FROM table_columns c WHERE c.table_id = ? AND c.removed_version IS NULL ORDER BY c.ordinal`,
    ),
    columnsOfSchema: db.prepare<[number], ColumnRow>(
      `SELECT ${COLUMN_COLUMNS} FROM table_columns c JOIN tables t ON t.id = c.table_id
       WHERE t.schema_id = ? AND t.dropped_at IS NULL AND c.removed_version IS NULL ORDER BY c.table_id, c.ordinal`,
    ),
    // With each column's first version: a column added by ALTER may be absent from a partition.
    columnsAtWithFirst: db.prepare<[number, number, number], ColumnRow>(
      `SELECT ${COLUMN_COLUMNS}
       FROM table_columns c
       WHERE c.table_id = ? AND c.added_version <= ? AND (c.removed_version IS NULL OR c.removed_version > ?)
       ORDER BY c.ordinal`,
    ),
    columnLiveByName: db.prepare<[number, string], ColumnRow & { ordinal: number }>(
      `SELECT ${COLUMN_COLUMNS}, c.ordinal FROM table_columns c WHERE c.table_id = ? AND c.name = ? AND c.removed_version IS NULL`,
    ),
    columnNext: db.prepare<[number, number], { id: number; ordinal: number }>(
      `SELECT coalesce(max(column_id), 0) + 1 AS id,
         coalesce((SELECT max(ordinal) FROM table_columns WHERE table_id = ? AND removed_version IS NULL), 0) + 1 AS ordinal
       FROM table_columns WHERE table_id = ?`,
    ),
    physicalNameUsed: db.prepare<[number, string], { one: number }>(
      'SELECT 1 AS one FROM table_columns WHERE table_id = ? AND physical_name = ? LIMIT 1',
    ),
    columnClose: db.prepare<[number, number, number]>(
      'UPDATE table_columns SET removed_version = ? WHERE table_id = ? AND column_id = ? AND removed_version IS NULL',
    ),
    liveColumnCount: db.prepare<[number], { n: number }>(
      'SELECT count(*) AS n FROM table_columns WHERE table_id = ? AND removed_version IS NULL',
    ),
    columnsAt: db.prepare<[number, number, number], ColumnRow>(
      `SELECT ${COLUMN_COLUMNS} FROM table_columns c
       WHERE c.table_id = ? AND c.added_version <= ? AND (c.removed_version IS NULL OR c.removed_version > ?)
       ORDER BY c.ordinal`,
    ),
    // A clone's columns: those live at the source version keep their ids, physical names and
    // ordinals; the source's earlier columns come along as rows live at no version (added =
    // removed = 0), so their physical names, which shared partitions may hold, are never reused.
    columnsCloneLive: db.prepare<[number, number, number, number]>(
      `INSERT INTO table_columns
         (table_id, column_id, ordinal, name, type, nullable, physical_name, default_value, added_version, removed_version)
       SELECT ?, column_id, ordinal, name, type, nullable, physical_name, default_value, 0, NULL FROM table_columns
       WHERE table_id = ? AND added_version <= ? AND (removed_version IS NULL OR removed_version > ?)`,
    ),
    columnsCloneAddedMarks: db.prepare<[number, number, number, number]>(
      `INSERT INTO table_columns
         (table_id, column_id, ordinal, name, type, nullable, physical_name, default_value, added_version, removed_version)
       SELECT ?, c.column_id, c.ordinal, c.name, c.type, c.nullable, c.physical_name, c.default_value, ${ADDED_BY_ALTER}, ${ADDED_BY_ALTER}
       FROM table_columns c
       WHERE c.table_id = ? AND c.added_version <= ? AND (c.removed_version IS NULL OR c.removed_version > ?) AND ${ADDED_LATER} = 1`,
    ),
    columnsCloneGone: db.prepare<[number, number, number, number, number, number]>(
      `INSERT INTO table_columns
         (table_id, column_id, ordinal, name, type, nullable, physical_name, default_value, added_version, removed_version)
       SELECT ?, column_id, min(ordinal), min(name), min(type), min(nullable), min(physical_name), NULL, 0, 0 FROM table_columns
       WHERE table_id = ? AND added_version <= ? AND column_id NOT IN (
         SELECT column_id FROM table_columns
         WHERE table_id = ? AND added_version <= ? AND (removed_version IS NULL OR removed_version > ?))
       GROUP BY column_id`,
    ),
    columnInsert: db.prepare<[number, number, number, string, string, number, string, string | null, number]>(
      `INSERT INTO table_columns
         (table_id, column_id, ordinal, name, type, nullable, physical_name, default_value, added_version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),

    versionInsert: db.prepare<[number, number, number, string, string]>(
      'INSERT INTO table_versions (table_id, version, committed_at, query_id, operation) VALUES (?, ?, ?, ?, ?)',
    ),
    // A statement that commits twice to one table (CTAS: versions 0 and 1) keeps its last version.
    statementRecord: db.prepare<[number, number, string]>(
      `INSERT INTO version_statements (table_id, version, query_id) VALUES (?, ?, ?)
       ON CONFLICT (query_id, table_id) DO UPDATE SET version = excluded.version`,
    ),
    versionLast: db.prepare<[number], VersionRow>(
      `SELECT version, committed_at, query_id, operation FROM table_versions
       WHERE table_id = ? ORDER BY version DESC LIMIT 1`,
    ),
    // The last version committed at or before a time (ms): what AT(TIMESTAMP) reads.
    versionAtTime: db.prepare<[number, number | bigint], { version: number }>(
      `SELECT version FROM table_versions WHERE table_id = ? AND committed_at <= ?
       ORDER BY committed_at DESC, version DESC LIMIT 1`,
    ),
    versionQuery: db.prepare<[number, number], { query_id: string }>(
      'SELECT query_id FROM table_versions WHERE table_id = ? AND version = ?',
    ),
    statementVersion: db.prepare<[string, number], { version: number }>(
      'SELECT version FROM version_statements WHERE query_id = ? AND table_id = ?',
    ),
    versionLog: db.prepare<[number, number, number], VersionLogRow>(
      `SELECT v.version, v.committed_at, v.query_id, v.operation,
         coalesce(a.rows_added, 0) AS rows_added, coalesce(a.partitions_added, 0) AS partitions_added,
         coalesce(r.rows_removed, 0) AS rows_removed, coalesce(r.partitions_removed, 0) AS partitions_removed
       FROM table_versions v
       LEFT JOIN (SELECT added_version, sum(row_count) AS rows_added, count(*) AS partitions_added
                  FROM partitions WHERE table_id = ? GROUP BY added_version) a ON a.added_version = v.version
       LEFT JOIN (SELECT removed_version, sum(row_count) AS rows_removed, count(*) AS partitions_removed
                  FROM partitions WHERE table_id = ? AND removed_version IS NOT NULL GROUP BY removed_version) r
         ON r.removed_version = v.version
       WHERE v.table_id = ? ORDER BY v.version`,
    ),
    statementsOfTable: db.prepare<[number], { version: number; query_id: string }>(
      'SELECT version, query_id FROM version_statements WHERE table_id = ?',
    ),
    versionList: db.prepare<[number], VersionRow>(
      'SELECT version, committed_at, query_id, operation FROM table_versions WHERE table_id = ? ORDER BY version',
    ),

    partitionInsert: db.prepare<[number, string, number, number, string | null, string, number]>(
      `INSERT INTO partitions (table_id, object_key, row_count, byte_size, etag, zone_map, added_version)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    partitionCountAt: db.prepare<[number, number, number], { n: number }>(
      `SELECT count(*) AS n FROM partitions
       WHERE table_id = ? AND added_version <= ? AND (removed_version IS NULL OR removed_version > ?)`,
    ),
    // Zero-copy clone: new rows for the same objects, added by the clone's version 1, in one statement.
    partitionsCloneAt: db.prepare<[number, number, number, number]>(
      `INSERT INTO partitions (table_id, object_key, row_count, byte_size, etag, zone_map, added_version)
       SELECT ?, object_key, row_count, byte_size, etag, zone_map, 1 FROM partitions
       WHERE table_id = ? AND added_version <= ? AND (removed_version IS NULL OR removed_version > ?)
       ORDER BY id`,
    ),
    liveRowsExist: db.prepare<[number], { one: number }>(
      'SELECT 1 AS one FROM partitions WHERE table_id = ? AND removed_version IS NULL AND row_count > 0 LIMIT 1',
    ),
    partitionState: db.prepare<[number], { table_id: number; added_version: number; removed_version: number | null }>(
      'SELECT table_id, added_version, removed_version FROM partitions WHERE id = ?',
    ),
    partitionRemove: db.prepare<[number, number, number]>(
      'UPDATE partitions SET removed_version = ? WHERE id = ? AND table_id = ? AND removed_version IS NULL',
    ),
    partitionsLive: db.prepare<[number, number, number], PartitionRow>(
      `SELECT id, object_key, row_count, byte_size, etag, zone_map, added_version, removed_version FROM partitions
       WHERE table_id = ? AND added_version <= ? AND (removed_version IS NULL OR removed_version > ?)
       ORDER BY id`,
    ),

    pendingInsert: db.prepare<[string, string, number]>(
      'INSERT OR IGNORE INTO pending_objects (object_key, query_id, created_at) VALUES (?, ?, ?)',
    ),
    pendingClear: db.prepare<[string]>('DELETE FROM pending_objects WHERE query_id = ?'),
    pendingList: db.prepare<[], PendingRow>(
      'SELECT object_key, query_id, created_at FROM pending_objects ORDER BY created_at, query_id, object_key',
    ),

    loadInsert: db.prepare<[number, number, string, number, string, number, string | null, number, string, number, number, number, number, string | null, number | null, number | null, string | null]>(
      `INSERT INTO load_history (table_id, table_version, query_id, loaded_at, file_name, file_size, file_etag,
         file_modified_at, status, rows_parsed, rows_loaded, error_count, error_limit, first_error_message,
         first_error_line_number, first_error_character_position, first_error_col_name)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // The one place that decides whether a file version is already loaded: same name and size,
    // and the same ETag when the store gives one, else the same last-modified time.
    loadFind: db.prepare<[number, string, number, string | null, string | null, number], { id: number }>(
      `SELECT id FROM load_history
       WHERE table_id = ? AND file_name = ? AND file_size = ? AND status IN ('LOADED', 'PARTIALLY_LOADED')
         AND CASE WHEN ? IS NOT NULL THEN file_etag IS ? ELSE file_etag IS NULL AND file_modified_at = ? END
       LIMIT 1`,
    ),
    loadList: db.prepare<[number, number], LoadRow>(
      `SELECT l.table_id, d.name AS database_name, s.name AS schema_name, t.name AS table_name, l.table_version,
         l.query_id, l.loaded_at, l.file_name, l.file_size, l.file_etag, l.file_modified_at, l.status, l.rows_parsed,
         l.rows_loaded, l.error_count, l.error_limit, l.first_error_message, l.first_error_line_number,
         l.first_error_character_position, l.first_error_col_name
       FROM load_history l JOIN tables t ON t.id = l.table_id JOIN schemas s ON s.id = t.schema_id
         JOIN databases d ON d.id = s.database_id
       WHERE d.id = ? AND t.dropped_at IS NULL AND s.dropped_at IS NULL
       ORDER BY l.loaded_at DESC, l.id DESC LIMIT ?`,
    ),

    warehouseByName: db.prepare<[string], WarehouseRow>(
      'SELECT id, name, size, state, created_at, properties, updated_at FROM warehouses WHERE name = ?',
    ),
    warehouseList: db.prepare<[], WarehouseRow>('SELECT id, name, size, state, created_at, properties, updated_at FROM warehouses ORDER BY name'),
    warehouseInsert: db.prepare<[string, string, string, number, string | null, number]>(
      'INSERT INTO warehouses (name, size, state, created_at, properties, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    warehouseUpdate: db.prepare<[string, string, string | null, string, number, string]>(
      'UPDATE warehouses SET size = ?, state = ?, properties = ?, name = ?, updated_at = ? WHERE name = ?',
    ),
    warehouseDelete: db.prepare<[string]>('DELETE FROM warehouses WHERE name = ?'),
  } satisfies Record<string, Statement<unknown[], unknown>>;
}
type Statements = ReturnType<typeof prepareStatements>;

/** Partitions SqliteCatalog keeps parsed for the current versions of the tables read last (their zone maps are most of the memory). */
const CURRENT_PARTITIONS_CACHED = 100_000;

export class SqliteCatalog implements Catalog {
  /** The catalog file, or ':memory:'. */
  readonly file: string;
  private readonly db: Database;
  private readonly stmts: Statements;
  private readonly inTransaction: Transaction<(fn: () => unknown) => unknown>;
  readonly usage: UsageStore;
  readonly users: UserStore;
  readonly grants: GrantStore;
  readonly stages: StageStore;
  readonly views: ViewStore;
  readonly sequences: SequenceStore;
  /** The same store, with the helpers this catalog's own transactions use (sqlite-sequence-store.ts). */
  private readonly sequenceStore: SqliteSequenceStore;
  readonly notebooks: NotebookStore;
  /**
   * Each table's live partitions at its current version, as livePartitions last answered
   * them (least recently used first; at most CURRENT_PARTITIONS_CACHED partitions in all).
   * A version's live set never changes once committed, and at the current version no
   * partition has a removedVersion yet, so an entry stays true for as long as its version is
   * current; a commit makes a new current version, which misses. Every scan binds its
   * table's partitions, so this spares each statement re-reading and re-parsing every zone
   * map of the tables it reads.
   */
  private readonly currentPartitions = new Map<number, { version: number; partitions: PartitionInfo[] }>();
  /** Checkpoints the write-ahead log off the event loop (a file catalog only, once started). */
  private checkpointer: WalCheckpointer | null = null;
  private checkpointTimer: NodeJS.Timeout | null = null;
  private currentPartitionsHeld = 0;

  /**
   * `location` is ':memory:', a home directory (the file is `${home}/catalog.sqlite`; the
   * directory is created if missing) or the path of a `.sqlite`/`.sqlite3`/`.db` file.
   */
  constructor(location: string, opts: SqliteCatalogOptions = {}) {
    this.file = SqliteCatalog.filePath(location);
    const busyTimeoutMs = opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    let db: Database;
    try {
      if (this.file !== ':memory:') mkdirSync(path.dirname(this.file), { recursive: true });
      db = openSqliteDatabase(this.file, { timeout: busyTimeoutMs });
    } catch (err) {
      throw catalogError(err, `cannot open the catalog at ${this.file}`);
    }
    try {
      if (this.file !== ':memory:') pragma(db, 'journal_mode = WAL');
      pragma(db, 'synchronous = FULL');
      pragma(db, 'foreign_keys = ON');
      pragma(db, `busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
      migrateCatalog(db);
      this.stmts = prepareStatements(db);
      this.inTransaction = db.transaction((fn: () => unknown) => fn());
      this.usage = new SqliteUsageStore(db);
      this.users = new SqliteUserStore(db);
      this.grants = new SqliteGrantStore(db);
      this.stages = new SqliteStageStore(db);
      this.views = new SqliteViewStore(db);
      this.sequenceStore = new SqliteSequenceStore(db);
      this.sequences = this.sequenceStore;
      this.notebooks = new SqliteNotebookStore(db);
    } catch (err) {
      db.close();
      throw catalogError(err, `cannot open the catalog at ${this.file}`);
    }
    this.db = db;
    if (this.file !== ':memory:') {
      this.checkpointTimer = setTimeout(() => this.startCheckpointer(), opts.checkpointThreadDelayMs ?? CHECKPOINT_THREAD_DELAY_MS);
      this.checkpointTimer.unref();
    }
  }

  /** From now on the checkpoint thread, not commits, checkpoints the log. */
  private startCheckpointer(): void {
    this.checkpointTimer = null;
    if (!this.db.open) return;
    pragma(this.db, 'wal_autocheckpoint = 0');
    this.checkpointer = new WalCheckpointer(this.file, (reason) => {
      if (!this.db.open) return;
      pragma(this.db, `wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
      process.stderr.write(`firn: ${reason}; catalog commits checkpoint the log again\n`);
    });
  }

  /** Where `new SqliteCatalog(location)` keeps its data (no side effects). */
  static filePath(location: string): string {
    if (location === ':memory:') return location;
    const resolved = path.resolve(location);
    if (existsSync(resolved) && statSync(resolved).isDirectory()) return path.join(resolved, CATALOG_FILE_NAME);
    if (/\.(sqlite3?|db)$/i.test(resolved)) return resolved;
    return path.join(resolved, CATALOG_FILE_NAME);
  }

  close(): void {
    if (this.checkpointTimer !== null) clearTimeout(this.checkpointTimer);
    this.checkpointer?.close();
    if (this.db.open) this.usage.close();
    if (this.db.open) this.db.close();
  }

  connectionSettings(): ConnectionSettings {
    return this.run(() => ({
      file: this.file,
      journalMode: String(pragma(this.db, 'journal_mode')),
      synchronous: Number(pragma(this.db, 'synchronous')),
      foreignKeys: Number(pragma(this.db, 'foreign_keys')) === 1,
      busyTimeoutMs: Number(pragma(this.db, 'busy_timeout')),
    }));
  }

  // ---- databases ----

  createDatabase(name: string, opts: CreateOpts & { schema?: string } = {}): DatabaseInfo {
    checkCreateOpts(opts);
    return this.write(() => {
      const existing = this.stmts.databaseByName.get(name);
      const now = Date.now();
      if (existing) {
        if (opts.ifNotExists) {
          if (opts.schema !== undefined && !this.stmts.schemaByName.get(existing.id, opts.schema)) {
            this.stmts.schemaInsert.run(existing.id, opts.schema, now);
          }
          return databaseInfo(existing);
        }
        if (!opts.orReplace) throw objectExists(name);
        this.dropDatabaseRow(existing.id, now);
      }
      const id = Number(this.stmts.databaseInsert.run(name, now).lastInsertRowid);
      if (opts.schema !== undefined) this.stmts.schemaInsert.run(id, opts.schema, now);
      return { id, name, createdAt: new Date(now) };
    });
  }

  dropDatabase(name: string, opts: { ifExists?: boolean } = {}): void {
    this.write(() => {
      const existing = this.stmts.databaseByName.get(name);
      if (!existing) {
        if (opts.ifExists) return;
        throw databaseNotFound(name);
      }
      this.dropDatabaseRow(existing.id, Date.now());
    });
  }

  getDatabase(name: string): DatabaseInfo | null {
    return this.run(() => {
      const row = this.stmts.databaseByName.get(name);
      return row ? databaseInfo(row) : null;
    });
  }

  listDatabases(): DatabaseInfo[] {
    return this.run(() => this.stmts.databaseList.all().map(databaseInfo));
  }

  // ---- schemas ----

  createSchema(database: string, name: string, opts: CreateOpts = {}): SchemaInfo {
    checkCreateOpts(opts);
    return this.write(() => {
      const db = this.requireDatabase(database);
      const existing = this.stmts.schemaByName.get(db.id, name);
      if (existing) {
        if (opts.ifNotExists) return schemaInfo(existing);
        if (!opts.orReplace) throw objectExists(name);
        this.dropSchemaRow(existing.id, Date.now());
      }
      const now = Date.now();
      const id = Number(this.stmts.schemaInsert.run(db.id, name, now).lastInsertRowid);
      return { id, databaseId: db.id, name, createdAt: new Date(now) };
    });
  }

  dropSchema(database: string, name: string, opts: { ifExists?: boolean } = {}): void {
    this.write(() => {
      const db = this.requireDatabase(database);
      const existing = this.stmts.schemaByName.get(db.id, name);
      if (!existing) {
        if (opts.ifExists) return;
        throw schemaNotFound(database, name);
      }
      this.dropSchemaRow(existing.id, Date.now());
    });
  }

  getSchema(database: string, name: string): SchemaInfo | null {
    return this.read(() => {
      const db = this.stmts.databaseByName.get(database);
      const row = db ? this.stmts.schemaByName.get(db.id, name) : undefined;
      return row ? schemaInfo(row) : null;
    });
  }

  listSchemas(database: string): SchemaInfo[] {
    return this.read(() => this.stmts.schemaList.all(this.requireDatabase(database).id).map(schemaInfo));
  }

  // ---- tables ----

  createTable(
    database: string,
    schema: string,
    name: string,
    columns: NewColumn[],
    opts: CreateTableOptions,
  ): TableInfo {
    checkCreateOpts(opts);
    const clusterBy = opts.clusterBy ?? [];
    checkColumns(columns, clusterBy);
    return this.commitWrite(opts.data !== undefined, () => {
      const s = this.requireSchema(database, schema);
      if (this.stmts.viewNamed.get(s.id, name)) throw objectExists(name);
      const existing = this.stmts.tableByName.get(s.id, name);
      if (existing) {
        if (opts.ifNotExists) return this.tableInfo(existing);
        if (!opts.orReplace) throw objectExists(name);
        this.stmts.tableDrop.run(Date.now(), existing.id);
      }
      const now = Date.now();
      const id = Number(this.stmts.tableInsert.run(s.id, name, JSON.stringify(clusterBy), now, opts.transient ? 1 : 0).lastInsertRowid);
      // Column ids are the ordinals and physical names the names: a new table's partitions are
      // written with its SQL names.
      const infos: ColumnInfo[] = columns.map((c, i) => ({
        id: i + 1,
        name: c.name,
        physicalName: c.name,
        type: structuredClone(c.type),
        nullable: c.nullable,
        default: c.default ?? null,
      }));
      for (let i = 0; i < infos.length; i++) {
        const c = infos[i];
        this.stmts.columnInsert.run(id, c.id, i + 1, c.name, JSON.stringify(c.type), c.nullable ? 1 : 0, c.physicalName, defaultJson(c.default), 0);
        const seq = columns[i].sequence;
        if (seq) c.sequence = this.attachSequence(id, c.id, s.id, seq);
      }
      this.insertVersion(id, 0, now, [opts.queryId], 'CREATE TABLE');
      let currentVersion = 0;
      if (opts.data && opts.data.added.length > 0) {
        currentVersion = 1;
        this.insertVersion(id, 1, now, [opts.queryId], opts.data.operation);
        this.stmts.tableBumpVersion.run(1, id, 0);
        for (const p of opts.data.added) {
          this.stmts.partitionInsert.run(id, p.objectKey, p.rowCount, p.byteSize, p.etag ?? null, JSON.stringify(p.zoneMap), 1);
        }
      }
      if (opts.data) this.stmts.pendingClear.run(opts.queryId);
      return {
        id,
        schemaId: s.id,
        database,
        schema,
        name,
        columns: infos,
        clusterBy: [...clusterBy],
        currentVersion,
        createdAt: new Date(now),
        ...(opts.transient ? { transient: true as const } : {}),
      };
    });
  }

  dropTable(database: string, schema: string, name: string, opts: { ifExists?: boolean } = {}): void {
    this.write(() => {
      const s = this.requireSchema(database, schema);
      const existing = this.stmts.tableByName.get(s.id, name);
      if (!existing) {
        if (opts.ifExists) return;
        throw tableNotFound(database, schema, name);
      }
      this.stmts.tableDrop.run(Date.now(), existing.id);
    });
  }

  getTable(database: string, schema: string, name: string): TableInfo | null {
    return this.read(() => {
      const db = this.stmts.databaseByName.get(database);
      const s = db ? this.stmts.schemaByName.get(db.id, schema) : undefined;
      const row = s ? this.stmts.tableByName.get(s.id, name) : undefined;
      return row ? this.tableInfo(row) : null;
    });
  }

  getTableById(tableId: number): TableInfo | null {
    return this.read(() => {
      const row = this.stmts.tableById.get(tableId);
      return row ? this.tableInfo(row) : null;
    });
  }

  tableAt(tableId: number, version: number): TableInfo {
    return this.read(() => {
      const table = this.requireTableById(tableId);
      requireVersion(table, version);
      return { ...tableInfo(table, this.stmts.columnsAt.all(tableId, version, version).map(columnInfo)), currentVersion: version };
    });
  }

  resolveVersion(
    tableId: number,
    point: TimeTravelPoint,
    nowMs: number,
    retentionMs: number,
    statementStart?: StatementStartLookup,
  ): number {
    return this.read(() => {
      const table = this.requireTableById(tableId);
      const floorMs = Math.ceil(Math.max(table.history_floor, nowMs - retentionMs));
      const notAvailable = () =>
        new CompilationError(
          'TIME_TRAVEL_NOT_AVAILABLE',
          `Time travel data is not available for table ${table.name}. The requested time is either beyond the allowed ` +
            'time travel period or before the object creation time.',
        );
      // The last version committed at or before a time in ms; none before the table was created.
      const atTime = (ms: bigint): number => {
        const row = this.stmts.versionAtTime.get(tableId, ms);
        if (!row) throw notAvailable();
        return row.version;
      };
      let version: number;
      if (point.kind === 'time') {
        // committed_at is in ms: AT wants committed_at * 1e6 <= T, BEFORE committed_at * 1e6 < T.
        const ns = point.epochNs;
        if (ns < BigInt(floorMs) * NS_PER_MS) throw notAvailable();
        version = atTime(point.at === 'AT' ? floorDiv(ns, NS_PER_MS) : ceilDiv(ns, NS_PER_MS) - 1n);
      } else {
        const committed = this.stmts.statementVersion.get(point.queryId, tableId);
        if (committed) {
          version = point.at === 'AT' ? committed.version : committed.version - 1;
          // Nothing is before the statement that created the table (CREATE, CTAS, CLONE).
          if (point.at === 'BEFORE' && this.stmts.versionQuery.get(tableId, 0)?.query_id === point.queryId) throw notAvailable();
        } else {
          const start = statementStart?.(point.queryId) ?? null;
          if (start === null) {
            throw new CompilationError('STATEMENT_NOT_FOUND', `Statement ${clipValue(point.queryId)} not found`);
          }
          if (start < floorMs) throw notAvailable();
          version = atTime(BigInt(Math.floor(start)));
        }
      }
      // The floor keeps the version current at the floor and every later one.
      const base = this.stmts.versionAtTime.get(tableId, floorMs);
      if (version < 0 || (base && version < base.version)) throw notAvailable();
      return version;
    });
  }

  listTables(database: string, schema: string): TableInfo[] {
    return this.read(() => {
      const s = this.requireSchema(database, schema);
      const byTable = new Map<number, ColumnInfo[]>();
      for (const c of this.stmts.columnsOfSchema.all(s.id)) {
        let cols = byTable.get(c.table_id);
        if (!cols) byTable.set(c.table_id, (cols = []));
        cols.push(columnInfo(c));
      }
      return this.stmts.tableList.all(s.id).map((row) => tableInfo(row, byTable.get(row.id) ?? []));
    });
  }

  // ---- versions and partitions ----

  livePartitions(tableId: number, version?: number): readonly PartitionInfo[] {
    // Inside a caller's transaction the current version may be one that rolls back: no cache.
    const cacheable = !this.db.inTransaction;
    return this.read(() => {
      const table = this.requireTableById(tableId);
      const at = version ?? table.current_version;
      requireVersion(table, at);
      const current = cacheable && at === table.current_version;
      if (current) {
        const hit = this.currentPartitions.get(tableId);
        if (hit?.version === at) {
          this.currentPartitions.delete(tableId);
          this.currentPartitions.set(tableId, hit);
          return hit.partitions;
        }
      }
      const rows = this.stmts.partitionsLive.all(tableId, at, at);
      const rekey = zoneRekeying(this.stmts.columnsAtWithFirst.all(tableId, at, at));
      // rows.map(toPartitionInfo), written out: thousands of rows per scan plan.
      const out = new Array<PartitionInfo>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        const stored = JSON.parse(r.zone_map) as ZoneMap;
        out[i] = {
          id: r.id,
          tableId,
          objectKey: r.object_key,
          rowCount: r.row_count,
          byteSize: r.byte_size,
          etag: r.etag,
          zoneMap: rekey ? rekey(stored, r.row_count) : stored,
          addedVersion: r.added_version,
          removedVersion: r.removed_version,
        };
      }
      if (current) this.rememberCurrentPartitions(tableId, at, out);
      return out;
    });
  }

  private rememberCurrentPartitions(tableId: number, version: number, partitions: PartitionInfo[]): void {
    this.forgetCurrentPartitions(tableId);
    if (partitions.length > CURRENT_PARTITIONS_CACHED) return;
    this.currentPartitions.set(tableId, { version, partitions });
    this.currentPartitionsHeld += partitions.length;
    for (const oldest of this.currentPartitions.keys()) {
      if (this.currentPartitionsHeld <= CURRENT_PARTITIONS_CACHED) break;
      this.forgetCurrentPartitions(oldest);
    }
  }

  private forgetCurrentPartitions(tableId: number): void {
    const entry = this.currentPartitions.get(tableId);
    if (!entry) return;
    this.currentPartitions.delete(tableId);
    this.currentPartitionsHeld -= entry.partitions.length;
  }

  tableVersions(tableId: number): TableVersion[] {
    return this.read(() => {
      this.requireTableById(tableId);
      return this.stmts.versionList.all(tableId).map(tableVersion);
    });
  }

  versionLog(tableId: number): VersionLogEntry[] {
    return this.read(() => {
      this.requireTableById(tableId);
      const ids = new Map<number, Set<string>>();
      for (const r of this.stmts.statementsOfTable.all(tableId)) {
        let set = ids.get(r.version);
        if (!set) ids.set(r.version, (set = new Set()));
        set.add(r.query_id);
      }
      return this.stmts.versionLog.all(tableId, tableId, tableId).map((r) => ({
        ...tableVersion(r),
        queryIds: [...new Set([r.query_id, ...(ids.get(r.version) ?? [])])].sort(),
        rowsAdded: r.rows_added,
        rowsRemoved: r.rows_removed,
        partitionsAdded: r.partitions_added,
        partitionsRemoved: r.partitions_removed,
      }));
    });
  }

  // ---- ALTER TABLE ----

  alterTable(tableId: number, change: TableChange, queryId: string): TableInfo {
    return this.write(() => {
      const table = this.requireLiveTableById(tableId);
      const invalid = (name: string) => new CompilationError('INVALID_IDENTIFIER', `invalid identifier '${clipValue(name)}'`);
      const clusterBy = JSON.parse(table.cluster_by) as string[];
      if (change.kind === 'cluster_by') {
        for (const key of change.keys) if (!this.stmts.columnLiveByName.get(tableId, key)) throw invalid(key);
        this.stmts.tableSetClusterBy.run(JSON.stringify(change.keys), tableId);
        return this.tableInfo(this.stmts.tableById.get(tableId)!);
      }
      if (change.kind === 'add_column') {
        const col = change.column;
        checkColumnName(col.name);
        if (this.stmts.columnLiveByName.get(tableId, col.name)) {
          throw new CompilationError('INVALID_IDENTIFIER', `duplicate column name '${clipValue(col.name)}'`);
        }
        const dflt = col.default ?? null;
        if (col.sequence && this.stmts.liveRowsExist.get(tableId)) {
          throw new CompilationError('NON_CONSTANT_DEFAULT', `SQL compilation error: Cannot add column '${clipValue(col.name)}' with non-constant default to non-empty table '${table.name}'.`);
        }
        if (!col.nullable && dflt === null && !col.sequence && this.stmts.liveRowsExist.get(tableId)) {
          throw new CompilationError(
            'NULL_NOT_ALLOWED',
            `Non-nullable column '${clipValue(col.name)}' cannot be added to non-empty table '${table.name}' unless it has a non-null default value.`,
          );
        }
        const next = this.stmts.columnNext.get(tableId, tableId)!;
        // A physical name is never reused: older partitions may still hold a column of that name.
        let physical = col.name;
        for (let k = 1; this.stmts.physicalNameUsed.get(tableId, physical); k++) {
          physical = k === 1 ? `${col.name}#${next.id}` : `${col.name}#${next.id}#${k}`;
        }
        const version = this.alterVersion(table, queryId, 'ALTER TABLE ADD COLUMN');
        this.stmts.columnInsert.run(
          tableId, next.id, next.ordinal, col.name, JSON.stringify(col.type), col.nullable ? 1 : 0, physical, defaultJson(dflt), version,
        );
        if (col.sequence) this.attachSequence(tableId, next.id, table.schema_id, col.sequence);
      } else if (change.kind === 'drop_column') {
        const col = this.stmts.columnLiveByName.get(tableId, change.name);
        if (!col) throw invalid(change.name);
        if (this.stmts.liveColumnCount.get(tableId)!.n <= 1) {
          throw new CompilationError('NOT_SUPPORTED', `Cannot drop column '${clipValue(change.name)}', the only column of table '${table.name}'.`);
        }
        if (clusterBy.includes(change.name)) {
          throw new CompilationError('NOT_SUPPORTED', `Cannot drop column '${clipValue(change.name)}', a clustering key of table '${table.name}'.`);
        }
        const version = this.alterVersion(table, queryId, 'ALTER TABLE DROP COLUMN');
        this.stmts.columnClose.run(version, tableId, col.column_id);
      } else {
        const col = this.stmts.columnLiveByName.get(tableId, change.from);
        if (!col) throw invalid(change.from);
        if (this.stmts.columnLiveByName.get(tableId, change.to)) {
          throw new CompilationError('INVALID_IDENTIFIER', `duplicate column name '${clipValue(change.to)}'`);
        }
        const version = this.alterVersion(table, queryId, 'ALTER TABLE RENAME COLUMN');
        this.stmts.columnClose.run(version, tableId, col.column_id);
        this.stmts.columnInsert.run(
          tableId, col.column_id, col.ordinal, change.to, col.type, col.nullable, col.physical_name, col.default_value, version,
        );
        if (clusterBy.includes(change.from)) {
          this.stmts.tableSetClusterBy.run(JSON.stringify(clusterBy.map((k) => (k === change.from ? change.to : k))), tableId);
        }
      }
      return this.tableInfo(this.stmts.tableById.get(tableId)!);
    });
  }

  renameTable(tableId: number, to: { database: string; schema: string; name: string }): TableInfo {
    return this.write(() => {
      const table = this.requireLiveTableById(tableId);
      const s = this.requireSchema(to.database, to.schema);
      const taken = this.stmts.tableByName.get(s.id, to.name);
      if ((taken && taken.id !== tableId) || this.stmts.viewNamed.get(s.id, to.name)) throw objectExists(to.name);
      this.stmts.tableRename.run(s.id, to.name, table.id);
      return this.tableInfo(this.stmts.tableById.get(tableId)!);
    });
  }

  swapTables(a: number, b: number): void {
    this.write(() => {
      const ta = this.requireLiveTableById(a);
      const tb = this.requireLiveTableById(b);
      if (ta.id === tb.id) return;
      // Through a free temporary name: the live-name index is checked row by row.
      let temp = `$swap$${ta.id}`;
      while (this.stmts.tableByName.get(ta.schema_id, temp)) temp += '$';
      this.stmts.tableRename.run(ta.schema_id, temp, ta.id);
      this.stmts.tableRename.run(ta.schema_id, ta.name, tb.id);
      this.stmts.tableRename.run(tb.schema_id, tb.name, ta.id);
    });
  }

  // ---- garbage collection ----

  gcMark(nowMs: number, protect: ReadonlyMap<number, number>, defaultRetentionDays: number): { deletable: GcCandidate[] } {
    return this.write(() => {
      const tables = this.gcTableStates(nowMs, defaultRetentionDays, (t, retentionFloor) => {
        const floor = Math.floor(Math.max(t.history_floor, Math.min(retentionFloor, protect.get(t.id) ?? Infinity)));
        if (floor > t.history_floor) this.stmts.tableSetFloor.run(floor, t.id);
        return floor;
      });
      const deletable = this.stmts.gcUnreachableKeys
        .all({ tables: JSON.stringify(tables) })
        .map((r) => ({ objectKey: r.object_key, byteSize: r.byte_size }));
      return { deletable };
    });
  }

  gcPurge(deletedKeys: string[], nowMs: number, defaultRetentionDays: number): number {
    return this.write(() => {
      // The floors are the ones the mark stored (running statements may have lowered them).
      const tables = this.gcTableStates(nowMs, defaultRetentionDays, (t) => t.history_floor);
      const held = this.stmts.gcStillHeld.all({ tables: JSON.stringify(tables), keys: JSON.stringify(deletedKeys) });
      if (held.length > 0) {
        throw new InternalError(`catalog: GC deleted object ${held[0].object_key}, which a table version or statement still holds`);
      }
      let purged = 0;
      for (const [id, floor, expired] of tables) {
        if (expired === 1) {
          this.forgetCurrentPartitions(id);
          purged += this.stmts.gcPurgeTablePartitions.run(id).changes;
          purged += this.stmts.gcPurgeTableLoads.run(id).changes;
          purged += this.stmts.gcPurgeTableStatements.run(id).changes;
          purged += this.stmts.gcPurgeTableVersions.run(id).changes;
          purged += this.stmts.gcPurgeTableColumns.run(id).changes;
          purged += this.sequenceStore.purgeTable(id);
          purged += this.stmts.gcPurgeTableRow.run(id).changes;
          continue;
        }
        purged += this.stmts.gcPurgeRemoved.run({ id, below: floor }).changes;
        // The version current at the floor is the base every readable state builds on.
        const base = this.stmts.versionAtTime.get(id, floor);
        if (!base) continue;
        purged += this.stmts.gcPurgeStatements.run({ id, below: base.version }).changes;
        purged += this.stmts.gcPurgeVersions.run({ id, below: base.version }).changes;
      }
      return purged;
    });
  }

  storageMetrics(database: string, ctx: RetentionContext): TableStorageMetrics[] {
    return this.read(() => {
      const db = this.requireDatabase(database);
      const states = new Map<number, { floor: number; expired: boolean; dropped: boolean }>();
      for (const t of this.stmts.gcTables.all()) {
        const retentionFloor = ctx.nowMs - tableRetentionDays(t, ctx.defaultRetentionDays) * DAY_MS;
        states.set(t.id, {
          floor: Math.max(t.history_floor, retentionFloor),
          expired: t.dropped_at !== null && t.dropped_at < retentionFloor,
          dropped: t.dropped_at !== null,
        });
      }
      // Per key: its owner (first row), its size, and who still holds it.
      type KeyState = { owner: number; bytes: number; ownerActive: boolean; ownerHolds: boolean; othersHold: boolean };
      const byKey = new Map<string, KeyState>();
      for (const r of this.stmts.partitionsForMetrics.all()) {
        const st = states.get(r.table_id)!;
        let k = byKey.get(r.object_key);
        if (!k) byKey.set(r.object_key, (k = { owner: r.table_id, bytes: r.byte_size, ownerActive: false, ownerHolds: false, othersHold: false }));
        const reachable = !st.expired && (r.live === 1 || (r.removed_at !== null && r.removed_at > st.floor));
        if (!reachable) continue;
        if (r.table_id !== k.owner) k.othersHold = true;
        else {
          k.ownerHolds = true;
          if (r.live === 1 && !st.dropped) k.ownerActive = true;
        }
      }
      const sums = new Map<number, { active: number; timeTravel: number; clone: number }>();
      for (const k of byKey.values()) {
        let m = sums.get(k.owner);
        if (!m) sums.set(k.owner, (m = { active: 0, timeTravel: 0, clone: 0 }));
        if (k.ownerActive) m.active += k.bytes;
        else if (k.ownerHolds) m.timeTravel += k.bytes;
        else if (k.othersHold) m.clone += k.bytes;
      }
      return this.stmts.tablesOfDatabase.all(db.id).map((t) => {
        const m = sums.get(t.id) ?? { active: 0, timeTravel: 0, clone: 0 };
        return {
          tableId: t.id,
          database: t.database_name,
          schema: t.schema_name,
          name: t.name,
          cloneGroupId: this.cloneRoot(t.id, t.cloned_from),
          activeBytes: m.active,
          timeTravelBytes: m.timeTravel,
          retainedForCloneBytes: m.clone,
          createdAt: new Date(t.created_at),
          droppedAt: t.dropped_at === null ? null : new Date(t.dropped_at),
        };
      });
    });
  }

  isKnownObject(objectKey: string): boolean {
    return this.run(() => this.stmts.objectKnown.get(objectKey, objectKey) !== undefined);
  }

  dropExpiredClones(nowMs: number): number[] {
    return this.write(() => {
      const ids = this.stmts.clonesExpired.all(nowMs).map((r) => r.id);
      for (const id of ids) this.stmts.tableDropNow.run(nowMs, id);
      return ids;
    });
  }

  // ---- clones ----

  cloneTable(
    src: { tableId: number; version: number },
    dst: { database: string; schema: string; name: string },
    opts: CloneOptions,
  ): TableInfo {
    checkCreateOpts(opts);
    return this.write(() => {
      const source = this.requireTableById(src.tableId);
      requireVersion(source, src.version);
      const s = this.requireSchema(dst.database, dst.schema);
      if (this.stmts.viewNamed.get(s.id, dst.name)) throw objectExists(dst.name);
      const existing = this.stmts.tableByName.get(s.id, dst.name);
      const now = Date.now();
      if (existing) {
        if (opts.ifNotExists) return this.tableInfo(existing);
        if (!opts.orReplace) throw objectExists(dst.name);
        this.stmts.tableDrop.run(now, existing.id);
      }
      const id = this.cloneTableRow(s.id, dst.name, source, src.version, opts, now);
      return this.tableInfo(this.stmts.tableById.get(id)!);
    });
  }

  cloneSchema(
    src: { database: string; schema: string; atMs?: number },
    dst: { database: string; name: string },
    opts: CloneOptions,
  ): SchemaInfo {
    checkCreateOpts(opts);
    return this.write(() => {
      const now = Date.now();
      const source = this.requireSchema(src.database, src.schema);
      // The source's tables are listed before a replaced target is dropped (it may be the source).
      const tables = this.tablesAt(source.id, src.atMs ?? now, src.atMs === undefined);
      const db = this.requireDatabase(dst.database);
      const existing = this.stmts.schemaByName.get(db.id, dst.name);
      if (existing) {
        if (opts.ifNotExists) return schemaInfo(existing);
        if (!opts.orReplace) throw objectExists(dst.name);
        this.dropSchemaRow(existing.id, now);
      }
      const id = Number(this.stmts.schemaInsert.run(db.id, dst.name, now).lastInsertRowid);
      const sequences = this.sequenceStore.cloneNamed(source.id, id, opts.owner ?? null);
      for (const t of tables) this.cloneTableRow(id, t.row.name, t.row, t.version, { queryId: opts.queryId }, now, sequences);
      this.stmts.viewsCopy.run(id, now, source.id);
      return { id, databaseId: db.id, name: dst.name, createdAt: new Date(now) };
    });
  }

  cloneDatabase(src: { database: string; atMs?: number }, name: string, opts: CloneOptions): DatabaseInfo {
    checkCreateOpts(opts);
    return this.write(() => {
      const now = Date.now();
      const at = src.atMs ?? now;
      const source = this.requireDatabase(src.database);
      const schemas = this.stmts.schemasLiveAt.all(source.id, at, at).map((row) => ({ row, tables: this.tablesAt(row.id, at, src.atMs === undefined) }));
      const existing = this.stmts.databaseByName.get(name);
      if (existing) {
        if (opts.ifNotExists) return databaseInfo(existing);
        if (!opts.orReplace) throw objectExists(name);
        this.dropDatabaseRow(existing.id, now);
      }
      const id = Number(this.stmts.databaseInsert.run(name, now).lastInsertRowid);
      // Every schema's sequences first: a column may name a sequence of another schema of the database.
      const cloned = schemas.map((sc) => ({ sc, schemaId: Number(this.stmts.schemaInsert.run(id, sc.row.name, now).lastInsertRowid) }));
      const sequences = new Map<number, number>();
      for (const { sc, schemaId } of cloned) for (const [from, to] of this.sequenceStore.cloneNamed(sc.row.id, schemaId, opts.owner ?? null)) sequences.set(from, to);
      for (const { sc, schemaId } of cloned) {
        for (const t of sc.tables) this.cloneTableRow(schemaId, t.row.name, t.row, t.version, { queryId: opts.queryId }, now, sequences);
        this.stmts.viewsCopy.run(schemaId, now, sc.row.id);
      }
      return { id, name, createdAt: new Date(now) };
    });
  }

  // ---- UNDROP, history and retention ----

  undropTable(database: string, schema: string, name: string, ctx: RetentionContext): TableInfo {
    return this.write(() => {
      const s = this.requireSchema(database, schema);
      if (this.stmts.tableByName.get(s.id, name) || this.stmts.viewNamed.get(s.id, name)) throw objectExists(name);
      const pick = this.stmts.tablesDroppedByName
        .all(s.id, name)
        .find((r) => withinRetention(r.dropped_at, this.tableRetentionDays(r.id, ctx.defaultRetentionDays), ctx));
      if (!pick) throw tableNotFound(database, schema, name);
      this.stmts.tableUndrop.run(pick.id);
      return this.tableInfo(this.stmts.tableById.get(pick.id)!);
    });
  }

  undropSchema(database: string, name: string, ctx: RetentionContext): SchemaInfo {
    return this.write(() => {
      const db = this.requireDatabase(database);
      if (this.stmts.schemaByName.get(db.id, name)) throw objectExists(name);
      const pick = this.stmts.schemasDroppedByName
        .all(db.id, name)
        .find((r) => withinRetention(r.dropped_at, this.stmts.schemaRetention.get(r.id)?.days ?? null, ctx));
      if (!pick) throw schemaNotFound(database, name);
      this.stmts.schemaUndrop.run(pick.id);
      this.stmts.tablesUndropInSchema.run(pick.id, pick.dropped_at);
      return schemaInfo(this.stmts.schemaByName.get(db.id, name)!);
    });
  }

  undropDatabase(name: string, ctx: RetentionContext): DatabaseInfo {
    return this.write(() => {
      if (this.stmts.databaseByName.get(name)) throw objectExists(name);
      const pick = this.stmts.databasesDroppedByName
        .all(name)
        .find((r) => withinRetention(r.dropped_at, this.stmts.databaseRetention.get(r.id)?.days ?? null, ctx));
      if (!pick) throw databaseNotFound(name);
      this.stmts.databaseUndrop.run(pick.id);
      this.stmts.schemasUndropInDatabase.run(pick.id, pick.dropped_at);
      this.stmts.tablesUndropInDatabase.run(pick.dropped_at, pick.id);
      return databaseInfo(this.stmts.databaseByName.get(name)!);
    });
  }

  listTablesHistory(database: string, schema: string, ctx: RetentionContext): TableHistoryEntry[] {
    return this.read(() => {
      const s = this.requireSchema(database, schema);
      const out: TableHistoryEntry[] = [];
      for (const row of this.stmts.tableHistoryList.all(s.id)) {
        const days = this.tableRetentionDays(row.id, ctx.defaultRetentionDays);
        if (row.dropped_at !== null && !withinRetention(row.dropped_at, days, ctx)) continue;
        out.push({
          ...this.tableInfo(row),
          droppedAt: row.dropped_at === null ? null : new Date(row.dropped_at),
          retentionDays: days,
        });
      }
      return out;
    });
  }

  setRetention(target: RetentionTarget, days: number | null): void {
    if (days !== null && (!Number.isInteger(days) || days < 0)) {
      throw new DataError('NUMERIC_OUT_OF_RANGE', `DATA_RETENTION_TIME_IN_DAYS must be a whole number of days >= 0, not ${days}.`);
    }
    this.write(() => {
      if (target.kind === 'database') {
        this.stmts.databaseSetRetention.run(days, this.requireDatabase(target.database).id);
      } else if (target.kind === 'schema') {
        this.stmts.schemaSetRetention.run(days, this.requireSchema(target.database, target.schema).id);
      } else {
        const table = this.requireLiveTableById(target.tableId);
        if (table.transient === 1 && days !== null && days > 1) {
          throw new DataError('NUMERIC_OUT_OF_RANGE', `DATA_RETENTION_TIME_IN_DAYS of a transient table must be 0 or 1, not ${days}.`);
        }
        this.stmts.tableSetRetention.run(days, table.id);
      }
    });
  }

  retentionDaysOf(tableId: number, defaultDays: number): number {
    return this.read(() => {
      this.requireTableById(tableId);
      return this.tableRetentionDays(tableId, defaultDays);
    });
  }

  /** A table's effective retention: its own, its schema's, its database's or the default; at most 1 day for a transient table. */
  private tableRetentionDays(tableId: number, defaultDays: number): number {
    const row = this.stmts.tableRetention.get(tableId);
    return row ? tableRetentionDays(row, defaultDays) : defaultDays;
  }

  containerRetentionDays(target: Exclude<RetentionTarget, { kind: 'table' }>, defaultDays: number): number {
    return this.read(() => {
      const days =
        target.kind === 'database'
          ? this.stmts.databaseRetention.get(this.requireDatabase(target.database).id)?.days
          : this.stmts.schemaRetention.get(this.requireSchema(target.database, target.schema).id)?.days;
      return days ?? defaultDays;
    });
  }

  tableSizes(database: string, schema: string): TableSize[] {
    return this.read(() =>
      this.stmts.tableSizes
        .all(this.requireSchema(database, schema).id)
        .map((r) => ({ tableId: r.id, rowCount: r.row_count, bytes: r.bytes, lastAltered: new Date(r.last_altered) })),
    );
  }

  registerPendingObjects(queryId: string, objectKeys: string[]): void {
    if (objectKeys.length === 0) return;
    this.write(() => {
      const now = Date.now();
      for (const key of objectKeys) this.stmts.pendingInsert.run(key, queryId, now);
    });
  }

  clearPendingObjects(queryId: string): void {
    this.write(() => {
      this.stmts.pendingClear.run(queryId);
    });
  }

  listPendingObjects(): PendingObject[] {
    return this.run(() =>
      this.stmts.pendingList
        .all()
        .map((r) => ({ objectKey: r.object_key, queryId: r.query_id, createdAt: new Date(r.created_at) })),
    );
  }

  commitTable(
    tableId: number,
    commit: TableCommit,
  ): TableVersion {
    return this.commitWrite(true, () => this.commitTableIn(tableId, commit));
  }

  commitTables(commits: readonly { tableId: number; commit: TableCommit }[]): TableVersion[] {
    return this.commitWrite(true, () => commits.map((c) => this.commitTableIn(c.tableId, c.commit)));
  }

  /** One table commit inside the caller's write transaction (commitTable, commitTables). */
  private commitTableIn(tableId: number, commit: TableCommit): TableVersion {
    const table = this.stmts.tableById.get(tableId);
    if (!table || table.dropped_at !== null) {
      throw new CompilationError(
        'OBJECT_NOT_FOUND',
        `Table '${table ? qualified(table) : `#${tableId}`}' does not exist or not authorized.`,
      );
    }
    const current = table.current_version;
    if (!Number.isInteger(commit.baseVersion) || commit.baseVersion < 0 || commit.baseVersion > current) {
      throw new InternalError(
        `catalog: snapshot version ${commit.baseVersion} of table '${qualified(table)}' does not exist (current version ${current})`,
      );
    }
    // Snapshot rule: a removal conflicts iff another commit since the snapshot removed the
    // same partition. Appends never conflict. All checks run before anything is written.
    for (const id of commit.removedIds) {
      const p = this.stmts.partitionState.get(id);
      if (!p || p.table_id !== tableId || p.added_version > commit.baseVersion || (p.removed_version !== null && p.removed_version <= commit.baseVersion)) {
        throw new InternalError(
          `catalog: partition ${id} is not a live partition of table '${qualified(table)}' at version ${commit.baseVersion}`,
        );
      }
      if (p.removed_version !== null) {
        throw new ConcurrencyError(
          'CONCURRENT_MODIFICATION',
          `Table '${qualified(table)}' was changed by another statement (version ${p.removed_version} removed a partition ` +
            `this statement read at version ${commit.baseVersion}); nothing was committed.`,
        );
      }
    }
    const version = current + 1;
    const last = this.stmts.versionLast.get(tableId);
    // Commit times strictly increase within a table (a commit in the same millisecond as the
    // last takes the next one), so AT(TIMESTAMP) maps to one version and a snapshot's commit
    // time orders every later version after it (GC's floor for running statements).
    const committedAt = Math.max(Date.now(), last ? last.committed_at + 1 : 0);
    const queryIds = [...new Set([commit.queryId, ...(commit.queryIds ?? [])])];
    this.insertVersion(tableId, version, committedAt, queryIds, commit.operation);
    if (this.stmts.tableBumpVersion.run(version, tableId, current).changes !== 1) {
      throw new InternalError(`catalog: table '${qualified(table)}' moved past version ${current} mid-commit`);
    }
    for (const p of commit.added) {
      this.stmts.partitionInsert.run(tableId, p.objectKey, p.rowCount, p.byteSize, p.etag ?? null, JSON.stringify(p.zoneMap), version);
    }
    for (const id of commit.removedIds) {
      if (this.stmts.partitionRemove.run(version, id, tableId).changes !== 1) {
        throw new InternalError(`catalog: partition ${id} of table '${qualified(table)}' is listed twice in one commit`);
      }
    }
    if (commit.loads) this.recordLoads(table, version, committedAt, commit.queryId, commit.loads);
    for (const q of queryIds) this.stmts.pendingClear.run(q);
    return { version, committedAt: new Date(committedAt), queryId: commit.queryId, operation: commit.operation };
  }

  // ---- load history ----

  loadedFiles(tableId: number, files: SourceFileVersion[]): SourceFileVersion[] {
    return this.read(() => files.filter((f) => this.isLoaded(tableId, f)));
  }

  loadHistory(database: string, opts: { limit?: number } = {}): LoadRecord[] {
    return this.read(() => {
      const db = this.requireDatabase(database);
      return this.stmts.loadList.all(db.id, opts.limit ?? -1).map(loadRecord);
    });
  }

  // ---- warehouses ----

  createWarehouse(name: string, size: string, opts: CreateOpts & { state?: 'STARTED' | 'SUSPENDED'; properties?: string } = {}): WarehouseInfo {
    checkCreateOpts(opts);
    return this.write(() => {
      const existing = this.stmts.warehouseByName.get(name);
      if (existing) {
        if (opts.ifNotExists) return warehouseInfo(existing);
        if (!opts.orReplace) throw objectExists(name);
        this.stmts.warehouseDelete.run(name);
      }
      const now = Date.now();
      const state = opts.state ?? 'STARTED';
      const properties = opts.properties ?? null;
      const id = Number(this.stmts.warehouseInsert.run(name, size, state, now, properties, now).lastInsertRowid);
      return { id, name, size, state, createdAt: new Date(now), properties, updatedAt: new Date(now) };
    });
  }

  getWarehouse(name: string): WarehouseInfo | null {
    return this.run(() => {
      const row = this.stmts.warehouseByName.get(name);
      return row ? warehouseInfo(row) : null;
    });
  }

  listWarehouses(): WarehouseInfo[] {
    return this.run(() => this.stmts.warehouseList.all().map(warehouseInfo));
  }

  updateWarehouse(name: string, changes: WarehouseChanges): WarehouseInfo {
    return this.write(() => {
      const row = this.stmts.warehouseByName.get(name);
      if (!row) throw warehouseNotFound(name);
      const newName = changes.name ?? name;
      if (newName !== name && this.stmts.warehouseByName.get(newName)) throw objectExists(newName);
      const next: WarehouseRow = {
        ...row,
        name: newName,
        size: changes.size ?? row.size,
        state: changes.state ?? row.state,
        properties: changes.properties ?? row.properties,
        updated_at: Date.now(),
      };
      this.stmts.warehouseUpdate.run(next.size, next.state, next.properties, next.name, next.updated_at!, name);
      return warehouseInfo(next);
    });
  }

  dropWarehouse(name: string, opts: { ifExists?: boolean } = {}): void {
    this.write(() => {
      if (this.stmts.warehouseDelete.run(name).changes === 0 && !opts.ifExists) throw warehouseNotFound(name);
    });
  }

  // ---- internals ----

  /** Runs `fn` in one IMMEDIATE (write-locked) transaction; any throw rolls it back. */
  private write<T>(fn: () => T): T {
    return this.run(() => this.inTransaction.immediate(fn) as T);
  }

  /**
   * A write transaction; one that commits table data (`data`) has a commit's crash points
   * around and inside it (storage/fault/crash-point.ts). Nested in a caller's transaction (a
   * CREATE whose owner is recorded with it: grants.atomically), the commit is the outer one's:
   * after-commit then fires once the synchronous outer transaction has returned committed.
   */
  private commitWrite<T>(data: boolean, fn: () => T): T {
    if (!data) return this.write(fn);
    const nested = this.db.inTransaction;
    crashPoint(CRASH_POINTS.beforeCommit);
    const committed = this.write(() => {
      const out = fn();
      crashPoint(CRASH_POINTS.inCommit);
      return out;
    });
    if (!nested) crashPoint(CRASH_POINTS.afterCommit);
    else queueMicrotask(() => {
      if (!this.db.inTransaction) crashPoint(CRASH_POINTS.afterCommit);
    });
    return committed;
  }

  /** Runs `fn` in one read transaction: all its queries see the same snapshot. */
  private read<T>(fn: () => T): T {
    return this.run(() => this.inTransaction.deferred(fn) as T);
  }

  private run<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw catalogError(err, 'catalog operation failed');
    }
  }

  private isLoaded(tableId: number, f: SourceFileVersion): boolean {
    const modified = f.fileModifiedAt.getTime();
    return this.stmts.loadFind.get(tableId, f.fileName, f.fileSize, f.fileEtag, f.fileEtag, modified) !== undefined;
  }

  /** Inside commitTable's transaction: the files a COPY loaded, as of the version it commits. */
  private recordLoads(table: TableRow, version: number, committedAt: number, queryId: string, loads: { files: LoadedFile[]; force: boolean }): void {
    for (const f of loads.files) {
      if (!loads.force && this.isLoaded(table.id, f)) {
        throw new ConcurrencyError(
          'CONCURRENT_MODIFICATION',
          `File '${f.fileName}' was loaded into table '${qualified(table)}' by another statement; nothing was committed.`,
        );
      }
      this.stmts.loadInsert.run(
        table.id, version, queryId, committedAt, f.fileName, f.fileSize, f.fileEtag, f.fileModifiedAt.getTime(), f.status,
        f.rowsParsed, f.rowsLoaded, f.errorCount, f.errorLimit, f.firstErrorMessage, f.firstErrorLineNumber,
        f.firstErrorCharacterPosition, f.firstErrorColumnName,
      );
    }
  }

  /** Adds a version to the log; `queryIds[0]` is its query id, and every id resolves AT(STATEMENT) to it. */
  private insertVersion(tableId: number, version: number, committedAt: number, queryIds: string[], operation: string): void {
    this.stmts.versionInsert.run(tableId, version, committedAt, queryIds[0], operation);
    for (const q of queryIds) this.stmts.statementRecord.run(tableId, version, q);
  }

  /** The first table of a clone chain (a purged source ends the chain where it was). */
  private cloneRoot(tableId: number, clonedFrom: string | null): number {
    let id = tableId;
    let from = clonedFrom;
    for (let hops = 0; from !== null && hops < 1000; hops++) {
      const src = (JSON.parse(from) as { tableId: number }).tableId;
      const row = this.stmts.clonedFrom.get(src);
      if (!row) break;
      id = src;
      from = row.cloned_from;
    }
    return id;
  }

  /**
   * Every table as [id, floor, expired (1: dropped past retention, else 0)] for the GC
   * queries; `floorOf` gets the table and now - retention and returns its floor.
   */
  private gcTableStates(
    nowMs: number,
    defaultRetentionDays: number,
    floorOf: (t: { id: number; history_floor: number }, retentionFloor: number) => number,
  ): [number, number, number][] {
    return this.stmts.gcTables.all().map((t) => {
      const retentionFloor = nowMs - tableRetentionDays(t, defaultRetentionDays) * DAY_MS;
      const expired = t.dropped_at !== null && t.dropped_at < retentionFloor ? 1 : 0;
      return [t.id, floorOf(t, retentionFloor), expired];
    });
  }

  /** Inside a write: commits the next version of `table` for a schema change (no partitions change). */
  private alterVersion(table: TableRow, queryId: string, operation: string): number {
    const version = table.current_version + 1;
    const last = this.stmts.versionLast.get(table.id);
    this.insertVersion(table.id, version, Math.max(Date.now(), last ? last.committed_at : 0), [queryId], operation);
    if (this.stmts.tableBumpVersion.run(version, table.id, table.current_version).changes !== 1) {
      throw new InternalError(`catalog: table '${qualified(table)}' moved past version ${table.current_version} mid-commit`);
    }
    return version;
  }

  /** A live table by id (ALTER and retention changes need one). */
  private requireLiveTableById(tableId: number): TableRow {
    const row = this.requireTableById(tableId);
    if (row.dropped_at !== null) throw tableNotFound(row.database_name, row.schema_name, row.name);
    return row;
  }

  /** Inside a write: the table `name` in schema `schemaId` as a zero-copy clone of `source` at `version`. */
  private cloneTableRow(
    schemaId: number,
    name: string,
    source: TableRow,
    version: number,
    opts: { queryId: string; expiresAt?: Date | null; transient?: boolean },
    now: number,
    sequences: ReadonlyMap<number, number> = new Map(),
  ): number {
    const clonedFrom = JSON.stringify({ tableId: source.id, version });
    const expiresAt = opts.expiresAt ? opts.expiresAt.getTime() : null;
    // A clone of a transient table is transient, as in Snowflake; CREATE TRANSIENT TABLE ... CLONE makes one of any table.
    const transient = source.transient === 1 || opts.transient === true ? 1 : 0;
    const id = Number(this.stmts.tableInsertClone.run(schemaId, name, source.cluster_by, now, expiresAt, clonedFrom, transient).lastInsertRowid);
    this.stmts.columnsCloneLive.run(id, source.id, version, version);
    this.stmts.columnsCloneAddedMarks.run(id, source.id, version, version);
    this.stmts.columnsCloneGone.run(id, source.id, version, source.id, version, version);
    this.sequenceStore.cloneColumns(source.id, id, schemaId, sequences);
    this.insertVersion(id, 0, now, [opts.queryId], 'CREATE TABLE');
    // As CTAS: an empty source gives an empty version 0 only.
    if (this.stmts.partitionCountAt.get(source.id, version, version)!.n > 0) {
      this.insertVersion(id, 1, now, [opts.queryId], 'CLONE');
      this.stmts.tableBumpVersion.run(1, id, 0);
      this.stmts.partitionsCloneAt.run(id, source.id, version, version);
    }
    return id;
  }

  /**
   * The tables of a schema at a time (ms), each with the version current then; `current`: a
   * clone of now takes each table's current version, not the one stamped at or before `atMs`
   * (a commit in the same millisecond as the one before it is stamped a millisecond later).
   */
  /** The tables a schema clone copies: those live at `atMs`, but a session's temporary ones (named `$TMP$…`: services/session/temporary-objects.ts). */
  private tablesAt(schemaId: number, atMs: number, current = false): { row: TableRow; version: number }[] {
    return this.stmts.tablesLiveAt.all(schemaId, atMs, atMs).filter((t) => !this.stmts.tableById.get(t.id)!.name.startsWith('$TMP$')).map((t) => {
      const row = this.stmts.tableById.get(t.id)!;
      return { row, version: current ? row.current_version : this.stmts.versionAtTime.get(t.id, atMs)!.version };
    });
  }

  private dropDatabaseRow(databaseId: number, now: number): void {
    this.stmts.tablesDropInDatabase.run(now, databaseId);
    this.stmts.schemasDropInDatabase.run(now, databaseId);
    this.stmts.databaseDrop.run(now, databaseId);
  }

  private dropSchemaRow(schemaId: number, now: number): void {
    this.stmts.tablesDropInSchema.run(now, schemaId);
    this.stmts.schemaDrop.run(now, schemaId);
  }

  private requireDatabase(name: string): DatabaseRow {
    const row = this.stmts.databaseByName.get(name);
    if (!row) throw databaseNotFound(name);
    return row;
  }

  private requireSchema(database: string, name: string): SchemaRow {
    const row = this.stmts.schemaByName.get(this.requireDatabase(database).id, name);
    if (!row) throw schemaNotFound(database, name);
    return row;
  }

  /** A table by id, dropped or not (time travel and UNDROP read dropped tables). */
  private requireTableById(tableId: number): TableRow {
    const row = this.stmts.tableById.get(tableId);
    if (!row) throw new CompilationError('OBJECT_NOT_FOUND', `Table '#${tableId}' does not exist or not authorized.`);
    return row;
  }

  private tableInfo(row: TableRow): TableInfo {
    return tableInfo(row, this.stmts.columnsOfTable.all(row.id).map(columnInfo));
  }

  /** Column `columnId` of table `tableId` (in schema `schemaId`) takes its DEFAULT from a sequence: a named one, or a new identity sequence. */
  private attachSequence(tableId: number, columnId: number, schemaId: number, seq: NewColumnSequence): ColumnSequence {
    if (seq.kind === 'named') {
      if (!this.sequenceStore.getSequenceById(seq.id)) throw new CompilationError('OBJECT_NOT_FOUND', `SQL compilation error: Sequence '#${seq.id}' does not exist or not authorized.`);
      this.sequenceStore.attachColumn(tableId, columnId, seq.id, false);
      return { id: seq.id, identity: false };
    }
    const id = this.sequenceStore.createIdentity(schemaId, seq);
    this.sequenceStore.attachColumn(tableId, columnId, id, true);
    return { id, identity: true };
  }
}

function databaseInfo(r: DatabaseRow): DatabaseInfo {
  return { id: r.id, name: r.name, createdAt: new Date(r.created_at) };
}

function schemaInfo(r: SchemaRow): SchemaInfo {
  return { id: r.id, databaseId: r.database_id, name: r.name, createdAt: new Date(r.created_at) };
}

function columnInfo(r: ColumnRow): ColumnInfo {
  return {
    id: r.column_id,
    name: r.name,
    physicalName: r.physical_name,
    type: JSON.parse(r.type) as DataType,
    nullable: r.nullable === 1,
    default: r.default_value === null ? null : (JSON.parse(r.default_value) as ColumnDefault),
    ...(r.added_later > 0 ? { addedByAlter: true as const } : {}),
    ...(r.sequence_id !== null ? { sequence: { id: r.sequence_id, identity: r.seq_identity === 1 } } : {}),
  };
}

/** A column default as stored: JSON, or SQL NULL for none (a NULL default reads the same). */
function defaultJson(d: ColumnDefault): string | null {
  return d === null ? null : JSON.stringify(d);
}

function tableInfo(r: TableRow, columns: ColumnInfo[]): TableInfo {
  return {
    id: r.id,
    schemaId: r.schema_id,
    database: r.database_name,
    schema: r.schema_name,
    name: r.name,
    columns,
    clusterBy: JSON.parse(r.cluster_by) as string[],
    currentVersion: r.current_version,
    createdAt: new Date(r.created_at),
    ...(r.transient === 1 ? { transient: true as const } : {}),
  };
}

function tableVersion(r: VersionRow): TableVersion {
  return { version: r.version, committedAt: new Date(r.committed_at), queryId: r.query_id, operation: r.operation };
}

function loadRecord(r: LoadRow): LoadRecord {
  return {
    tableId: r.table_id,
    database: r.database_name,
    schema: r.schema_name,
    table: r.table_name,
    tableVersion: r.table_version,
    queryId: r.query_id,
    loadedAt: new Date(r.loaded_at),
    fileName: r.file_name,
    fileSize: r.file_size,
    fileEtag: r.file_etag,
    fileModifiedAt: new Date(r.file_modified_at),
    status: r.status,
    rowsParsed: r.rows_parsed,
    rowsLoaded: r.rows_loaded,
    errorCount: r.error_count,
    errorLimit: r.error_limit,
    firstErrorMessage: r.first_error_message,
    firstErrorLineNumber: r.first_error_line_number,
    firstErrorCharacterPosition: r.first_error_character_position,
    firstErrorColumnName: r.first_error_col_name,
  };
}

function warehouseInfo(r: WarehouseRow): WarehouseInfo {
  return { id: r.id, name: r.name, size: r.size, state: r.state, createdAt: new Date(r.created_at), properties: r.properties, updatedAt: new Date(r.updated_at ?? r.created_at) };
}

function qualified(t: TableRow): string {
  return `${t.database_name}.${t.schema_name}.${t.name}`;
}

const NS_PER_MS = 1_000_000n;

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

const DAY_MS = 86_400_000;

/** The retention of a table row (days: inherited or null for the default), capped at 1 day for a transient table, as in Snowflake. */
function tableRetentionDays(t: { days: number | null; transient: number }, defaultDays: number): number {
  const days = t.days ?? defaultDays;
  return t.transient === 1 ? Math.min(days, 1) : days;
}

/** Whether an object dropped at `droppedAt` is still within its retention (days; null: the default). */
function withinRetention(droppedAt: number, days: number | null, ctx: RetentionContext): boolean {
  return droppedAt >= ctx.nowMs - (days ?? ctx.defaultRetentionDays) * DAY_MS;
}

/**
 * How to turn stored zone maps (keyed by physical name) into the SQL names of a schema, or
 * null when they already are: no column was renamed, re-added or added by ALTER. A column
 * added by ALTER (first version > 0) that a partition lacks gets the exact zone of its default.
 */
function zoneRekeying(columns: ColumnRow[]): ((z: ZoneMap, rows: number) => ZoneMap) | null {
  if (columns.every((c) => c.physical_name === c.name && c.added_later === 0)) return null;
  const defaults = columns.map((c) => (c.default_value === null ? null : (JSON.parse(c.default_value) as ColumnDefault)));
  return (z, rows) => {
    const out: ZoneMap['columns'] = {};
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i];
      const zone = z.columns[c.physical_name];
      if (zone !== undefined) out[c.name] = zone;
      else if (c.added_later > 0) {
        const d = defaults[i];
        out[c.name] = { min: d, max: d, nullCount: d === null ? rows : 0, exact: true };
      }
    }
    return z.shredded ? { rowCount: z.rowCount, byteSize: z.byteSize, columns: out, shredded: z.shredded } : { rowCount: z.rowCount, byteSize: z.byteSize, columns: out };
  };
}

function requireVersion(table: TableRow, version: number): void {
  if (!Number.isInteger(version) || version < 0 || version > table.current_version) {
    throw new CompilationError(
      'OBJECT_NOT_FOUND',
      `Version ${version} of table '${qualified(table)}' does not exist (current version ${table.current_version}).`,
    );
  }
}

function checkCreateOpts(opts: CreateOpts): void {
  if (opts.ifNotExists && opts.orReplace) {
    throw new CompilationError('SYNTAX', 'OR REPLACE and IF NOT EXISTS are incompatible.');
  }
}

/** U+001F is reserved: it names shredded VARIANT sub-columns (storage/partition/shredded-path.ts) in partitions. */
function checkColumnName(name: string): void {
  if (isShreddedName(name)) throw new CompilationError('INVALID_IDENTIFIER', `invalid identifier '${clipValue(name)}': column names cannot hold the character U+001F`);
}

function checkColumns(columns: NewColumn[], clusterBy: string[]): void {
  if (columns.length === 0) throw new CompilationError('SYNTAX', 'A table must have at least one column.');
  const names = new Set<string>();
  for (const c of columns) {
    if (names.has(c.name)) throw new CompilationError('INVALID_IDENTIFIER', `duplicate column name '${clipValue(c.name)}'`);
    checkColumnName(c.name);
    names.add(c.name);
  }
  for (const key of clusterBy) {
    if (!names.has(key)) throw new CompilationError('INVALID_IDENTIFIER', `invalid identifier '${clipValue(key)}'`);
  }
}

function objectExists(name: string): CompilationError {
  return new CompilationError('OBJECT_EXISTS', `Object '${clipValue(name)}' already exists.`);
}

function databaseNotFound(name: string): CompilationError {
  return new CompilationError('OBJECT_NOT_FOUND', `Database '${clipValue(name)}' does not exist or not authorized.`);
}

function schemaNotFound(database: string, name: string): CompilationError {
  return new CompilationError('OBJECT_NOT_FOUND', `Schema '${database}.${name}' does not exist or not authorized.`);
}

function tableNotFound(database: string, schema: string, name: string): CompilationError {
  return new CompilationError(
    'OBJECT_NOT_FOUND',
    `Table '${database}.${schema}.${name}' does not exist or not authorized.`,
  );
}

function warehouseNotFound(name: string): CompilationError {
  return new CompilationError('OBJECT_NOT_FOUND', `Warehouse '${clipValue(name)}' does not exist or not authorized.`);
}


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
 * - Objects referenced by a commit are durable before commitTable is called. Object keys
 *   written by a statement are registered as pending first (registerPendingObjects) so GC
 *   never deletes an in-flight write; commit clears them.
 * - Dropped objects keep their rows (dropped_at set) for UNDROP and time travel.
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
/** `id` is never reused (CREATE OR REPLACE makes a new one); local paths derive from it, never from `name`. */
export type WarehouseInfo = { id: number; name: string; size: string; state: 'STARTED' | 'SUSPENDED'; createdAt: Date };

export interface Catalog {
  close(): void;

  createDatabase(name: string, opts?: { ifNotExists?: boolean; orReplace?: boolean }): DatabaseInfo;
  dropDatabase(name: string, opts?: { ifExists?: boolean }): void;
  getDatabase(name: string): DatabaseInfo | null;
  listDatabases(): DatabaseInfo[];

  createSchema(database: string, name: string, opts?: { ifNotExists?: boolean; orReplace?: boolean }): SchemaInfo;
  dropSchema(database: string, name: string, opts?: { ifExists?: boolean }): void;
  getSchema(database: string, name: string): SchemaInfo | null;
  listSchemas(database: string): SchemaInfo[];

  createTable(
    database: string,
    schema: string,
    name: string,
    columns: ColumnInfo[],
    opts: { clusterBy?: string[]; ifNotExists?: boolean; orReplace?: boolean; queryId: string },
  ): TableInfo;
  dropTable(database: string, schema: string, name: string, opts?: { ifExists?: boolean }): void;
  getTable(database: string, schema: string, name: string): TableInfo | null;
  listTables(database: string, schema: string): TableInfo[];

  /** Partitions live at `version` (default: the current version). */
  livePartitions(tableId: number, version?: number): PartitionInfo[];
  tableVersions(tableId: number): TableVersion[];

  registerPendingObjects(queryId: string, objectKeys: string[]): void;
  clearPendingObjects(queryId: string): void;
  /**
   * Commits one new table version atomically: adds `added`, marks `removedIds` removed,
   * logs the operation, clears the query's pending objects. Fails (and changes nothing)
   * if the table's current version is no longer `baseVersion`.
   */
  commitTable(
    tableId: number,
    commit: { baseVersion: number; queryId: string; operation: string; added: NewPartition[]; removedIds: number[] },
  ): TableVersion;

  createWarehouse(name: string, size: string, opts?: { ifNotExists?: boolean; orReplace?: boolean }): WarehouseInfo;
  getWarehouse(name: string): WarehouseInfo | null;
  listWarehouses(): WarehouseInfo[];
  updateWarehouse(name: string, changes: { size?: string; state?: 'STARTED' | 'SUSPENDED' }): WarehouseInfo;
  dropWarehouse(name: string, opts?: { ifExists?: boolean }): void;
}

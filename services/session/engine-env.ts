/**
 * What every statement handler works with: the catalog, the table object store, the
 * running warehouses, the configuration of this services process, and the registry of the
 * table versions running statements read (which garbage collection keeps).
 */
import type { ObjectStore } from '../../storage/object-store/object-store.js';
import type { Catalog } from '../catalog/catalog.js';
import type { FirnConfig } from '../config.js';
import type { WarehouseRegistry } from '../scheduler/warehouse-registry.js';
import type { RunningStatements } from './running-statements.js';
import type { StatementHistory } from './statement-history.js';
import type { TableWriters } from './table-writers.js';
import type { OpenTransactions } from './open-transactions.js';

export type EngineEnv = {
  catalog: Catalog;
  store: ObjectStore;
  warehouses: WarehouseRegistry;
  config: FirnConfig;
  running: RunningStatements;
  /** Every statement's start by query id, for AT | BEFORE (STATEMENT => id). */
  history: StatementHistory;
  /** The tables running UPDATE, DELETE, MERGE and INSERT OVERWRITE statements will remove partitions from (the compactor yields to them). */
  writers: TableWriters;
  /** The explicit transactions open now (SHOW TRANSACTIONS). */
  transactions: OpenTransactions;
  /** Test-only pauses between a DML's phases (services/session/run-dml.ts); absent in production. */
  hooks?: DmlHooks;
  /** The background compactor (services/maintenance/compactor.ts), told of each INSERT/COPY commit; absent when off. */
  compactor?: { afterCommit(tableId: number, added: readonly { rowCount: number }[]): void };
};

/** Called with the statement's query id before it binds (reads), before it writes, and before it commits; each may wait. */
export type DmlHooks = {
  beforeBind?: (queryId: string) => Promise<void>;
  beforeWrite?: (queryId: string) => Promise<void>;
  beforeCommit?: (queryId: string) => Promise<void>;
};

/**
 * What every statement handler works with: the catalog, the table object store, the
 * running warehouses and the configuration of this services process.
 */
import type { ObjectStore } from '../../storage/object-store/object-store.js';
import type { Catalog } from '../catalog/catalog.js';
import type { FirnConfig } from '../config.js';
import type { WarehouseRegistry } from '../scheduler/warehouse-registry.js';

export type EngineEnv = {
  catalog: Catalog;
  store: ObjectStore;
  warehouses: WarehouseRegistry;
  config: FirnConfig;
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

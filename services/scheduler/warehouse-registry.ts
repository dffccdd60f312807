/**
 * The running warehouses of this services process: one WarehouseRuntime (clusters, queue,
 * state: warehouse-runtime.ts) per catalog warehouse, and the lifecycle statements that drive
 * them (CREATE, ALTER ... SET | UNSET | SUSPEND | RESUME | ABORT ALL QUERIES | RENAME TO, DROP).
 * The catalog keeps each warehouse's properties and its last state (STARTED | SUSPENDED), so a
 * restart brings back the warehouses that were started (`start()`).
 *
 * Statements: `leaseFor(queryId, ...)` admits a statement onto one cluster once (the same lease
 * for every later call with that id), `memoryFor(queryId)` grants its memory budget out of the
 * process's query memory (less the rows services holds for it: `holdRows`), and `release(queryId)` gives both back when the statement ends,
 * streaming included; the statement runs all its tasks on that lease's pool, so a resize
 * or suspend never moves or fails it. Each cluster has the size's node count of workers
 * (WAREHOUSE_SIZES) capped by FIRN_MAX_WORKERS_PER_CLUSTER (`workersFor`).
 *
 * A warehouse's disk cache lives in $FIRN_HOME/cache/warehouse-<id> (cluster n > 1: its c<n>
 * subdirectory): named by the catalog id, never by the user-chosen name (a name such as
 * "../../x" must not steer where Firn writes; RENAME keeps it), and a replaced warehouse (new
 * id) never reuses the directory of the old one. The cache of a warehouse that is gone
 * (dropped, or replaced by a new id) is deleted once its clusters have stopped, and at startup
 * (sweepCaches) so is every directory in $FIRN_HOME/cache that belongs to no live warehouse.
 * Suspending or resizing keeps the cache.
 *
 * `events` (metering) hears every cluster start, resize and stop, timed by `clock`; close()
 * (server shutdown) stops every cluster.
 */
import { readdir, rm } from 'node:fs/promises';
import { CompilationError, ResourceError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { firnHomePath } from '../../storage/firn-home/firn-home-path.js';
import { WarehousePool } from '../../warehouse/pool/warehouse-pool.js';
import { CacheBudget } from '../../warehouse/pool/cache-budget.js';
import { WAREHOUSE_SIZES, type WarehouseSize } from '../../warehouse/pool/warehouse-sizes.js';
import type { Catalog, WarehouseInfo } from '../catalog/catalog.js';
import type { FirnConfig } from '../config.js';
import type { Clock, WarehouseEvents } from './warehouse-events.js';
import { MIN_STATEMENT_MEMORY_BYTES, StatementMemory } from './statement-memory.js';
import { propertiesFromJson, propertiesToJson, type WarehouseProperties } from './warehouse-properties.js';
import { WarehouseRuntime, type ClusterLease, type StatementCancel, type WarehouseState } from './warehouse-runtime.js';

export type RegistryOptions = {
  events?: WarehouseEvents;
  clock?: Clock;
  /** How long a cluster above MIN_CLUSTER_COUNT stays idle before it stops (default 30 s). */
  scaleInIdleMs?: number;
  /** ECONOMY: how long statements must have queued before another cluster starts (default 6 s). */
  economyQueueMs?: number;
};

/** What SHOW WAREHOUSES reports beyond the catalog. */
export type WarehouseStatus = {
  state: WarehouseState;
  startedClusters: number;
  running: number;
  queued: number;
  resumedOn: Date | null;
  /** The size's node count, and the workers a cluster actually runs (after the cap). */
  nodesPerCluster: number;
  workersPerCluster: number;
};

type Held = { lease: Promise<ClusterLease>; granted: ClusterLease | null; released: boolean };

export class WarehouseRegistry {
  private readonly runtimes = new Map<number, WarehouseRuntime>();
  private readonly statements = new Map<string, Held>();
  /** Bytes of rows services holds per statement (holdRows). */
  private readonly heldRows = new Map<string, number>();
  private readonly clock: Clock;
  private closed = false;
  /** FIRN_CACHE_MEMORY_BYTES / FIRN_CACHE_DISK_BYTES, shared fairly by every running pool's slots (cache-budget.ts). */
  readonly cacheBudget: CacheBudget;
  /** FIRN_TOTAL_QUERY_MEMORY_BYTES, granted to statements as they are admitted (statement-memory.ts). */
  readonly statementMemory: StatementMemory;

  constructor(
    private readonly catalog: Catalog,
    private readonly config: FirnConfig,
    private readonly options: RegistryOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.cacheBudget = new CacheBudget(config.memoryCacheBytes, config.diskCacheBytes);
    this.statementMemory = new StatementMemory(config.totalQueryMemoryBytes, config.queryMemoryBytes);
  }

  /**
   * Starts the clusters of every warehouse the catalog says is STARTED (server start);
   * resolves once their workers are up.
   */
  async start(): Promise<void> {
    const started = this.catalog.listWarehouses().map((info) => this.runtime(info));
    await Promise.all(started.map((r) => r.ready()));
  }

  /** Worker threads per cluster of `size`: its node count, capped by FIRN_MAX_WORKERS_PER_CLUSTER. */
  workersFor(size: WarehouseSize): number {
    return Math.max(1, Math.min(WAREHOUSE_SIZES[size], this.config.maxWorkersPerCluster));
  }

  /**
   * The statement `queryId`'s cluster on warehouse `name`: admitted on the first call (it may
   * queue, or resume the warehouse), the same lease after. Release it with `release(queryId)`.
   */
  leaseFor(queryId: string, name: string | null, cancel: StatementCancel | null): Promise<ClusterLease> {
    const held = this.statements.get(queryId);
    if (held) return held.lease;
    const entry: Held = { lease: Promise.resolve(null as never), granted: null, released: false };
    entry.lease = this.acquire(name, cancel).then((lease) => {
      entry.granted = lease;
      if (entry.released) lease.release();
      return lease;
    });
    this.statements.set(queryId, entry);
    return entry.lease;
  }

  /** The lease statement `queryId` holds, if it was admitted. */
  leased(queryId: string): ClusterLease | null {
    return this.statements.get(queryId)?.granted ?? null;
  }

  /**
   * Statement `queryId`'s memory budget, granted once it holds a lease and given back by
   * `release` (statement-memory.ts); a statement already released (canceled) gets the least.
   */
  memoryFor(queryId: string): number {
    if (!this.statements.has(queryId)) return Math.min(this.config.queryMemoryBytes, MIN_STATEMENT_MEMORY_BYTES);
    return Math.max(0, this.statementMemory.grant(queryId) - (this.heldRows.get(queryId) ?? 0));
  }

  /**
   * Rows services holds for statement `queryId` until it ends (a recursive CTE's:
   * run-recursive-cte.ts): their bytes come out of its memory budget (`memoryFor`).
   */
  holdRows(queryId: string, bytes: number): void {
    this.heldRows.set(queryId, (this.heldRows.get(queryId) ?? 0) + bytes);
  }

  /** The statement ended: its cluster takes the next one, its memory goes back. */
  release(queryId: string): void {
    this.heldRows.delete(queryId);
    this.statementMemory.release(queryId);
    const held = this.statements.get(queryId);
    if (!held) return;
    this.statements.delete(queryId);
    held.released = true;
    held.granted?.release();
    held.lease.catch(() => {});
  }

  /** Admits a statement onto a cluster of warehouse `name` (see WarehouseRuntime.acquire). */
  acquire(name: string | null, cancel: StatementCancel | null): Promise<ClusterLease> {
    try {
      if (this.closed) throw new ResourceError('CANCELED', 'SQL execution canceled');
      return this.runtime(this.info(name)).acquire(cancel);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * The timeout (seconds, 0: none) of a statement on warehouse `name` whose request asks for
   * `requested`: the smaller of that and the warehouse's STATEMENT_TIMEOUT_IN_SECONDS.
   */
  statementTimeout(name: string | null, requested: number | null | undefined): number {
    const info = name ? this.catalog.getWarehouse(name) : null;
    const own = info ? propertiesFromJson(info.size, info.properties).statementTimeoutInSeconds : 0;
    const asked = requested ?? 0;
    if (own <= 0) return asked;
    return asked > 0 ? Math.min(asked, own) : own;
  }

  status(info: WarehouseInfo): WarehouseStatus {
    const r = this.runtimes.get(info.id);
    const props = propertiesFromJson(info.size, info.properties);
    return {
      state: r?.state ?? 'SUSPENDED',
      startedClusters: r?.startedClusters ?? 0,
      running: r?.running ?? 0,
      queued: r?.queued ?? 0,
      resumedOn: r?.resumedOn ?? null,
      nodesPerCluster: WAREHOUSE_SIZES[props.size],
      workersPerCluster: this.workersFor(props.size),
    };
  }

  /** CREATE WAREHOUSE (also OR REPLACE: the old warehouse's clusters stop). */
  create(name: string, props: WarehouseProperties, opts: { ifNotExists: boolean; orReplace: boolean; initiallySuspended: boolean }): WarehouseInfo {
    const before = this.catalog.getWarehouse(name);
    const info = this.catalog.createWarehouse(name, props.size, {
      ifNotExists: opts.ifNotExists,
      orReplace: opts.orReplace,
      state: opts.initiallySuspended ? 'SUSPENDED' : 'STARTED',
      properties: propertiesToJson(props),
    });
    if (before && before.id !== info.id) void this.stopRuntime(before.id);
    this.runtime(info);
    return info;
  }

  /** ALTER ... SET | UNSET: stores the properties and applies them (WAIT_FOR_COMPLETION: until new workers are up). */
  async alter(name: string, props: WarehouseProperties, waitForCompletion: boolean): Promise<void> {
    const info = this.catalog.updateWarehouse(name, { size: props.size, properties: propertiesToJson(props) });
    await this.runtime(info).update(props, waitForCompletion);
  }

  suspend(name: string): void {
    const info = this.info(name);
    const r = this.runtime(info);
    if (!r.started) throw invalidState(info.name, 'suspended');
    r.suspend();
    this.catalog.updateWarehouse(info.name, { state: 'SUSPENDED' });
  }

  /** RESUME [IF SUSPENDED]: without IF SUSPENDED, resuming a started warehouse is an error. */
  resume(name: string, ifSuspended: boolean): void {
    const info = this.info(name);
    const r = this.runtime(info);
    if (r.started) {
      if (ifSuspended) return;
      throw invalidState(info.name, 'resumed');
    }
    r.resume();
    this.catalog.updateWarehouse(info.name, { state: 'STARTED' });
  }

  abortAll(name: string): void {
    this.runtime(this.info(name)).abortAll();
  }

  rename(name: string, to: string): void {
    const info = this.catalog.updateWarehouse(this.info(name).name, { name: to });
    const r = this.runtimes.get(info.id);
    if (r) r.name = info.name;
  }

  /** DROP WAREHOUSE: its clusters stop and its cache is deleted. */
  async drop(name: string, ifExists: boolean): Promise<void> {
    const info = this.catalog.getWarehouse(name);
    this.catalog.dropWarehouse(name, { ifExists });
    if (info) await this.stopRuntime(info.id);
  }

  /**
   * Deletes every entry of $FIRN_HOME/cache that is not the cache of a live warehouse. Best
   * effort, never rejects: a cache that cannot be deleted now is tried again next time.
   */
  async sweepCaches(): Promise<void> {
    const root = firnHomePath(this.config.home, 'cache');
    let entries: string[];
    let live: Set<string>;
    try {
      entries = await readdir(root);
      // Listed after the directory: a warehouse created meanwhile is among the live ones.
      live = new Set(this.catalog.listWarehouses().map((w) => `warehouse-${w.id}`));
    } catch {
      return;
    }
    await Promise.allSettled(entries.filter((e) => !live.has(e)).map((e) => rm(firnHomePath(root, e), { recursive: true, force: true })));
    // Caches of live warehouses not running (left by an earlier process) count in the disk
    // budget; the shares of stopped pools whose cache was just deleted go back to the others.
    for (const e of entries.filter((x) => live.has(x))) {
      const dir = firnHomePath(root, e);
      const clusters = (await readdir(dir).catch(() => [] as string[])).filter((c) => /^c\d+$/.test(c));
      for (const d of [dir, ...clusters.map((c) => firnHomePath(dir, c))]) await this.cacheBudget.restDir(d);
    }
    this.cacheBudget.rebalance();
  }

  /**
   * Deletes the spill directories a previous process left (a crash mid-statement), every
   * cluster's: at startup
   * only, before any statement runs (a running statement's spill directory is its own to remove).
   */
  async sweepSpill(): Promise<void> {
    const sweep = async (id: number) => {
      const root = this.cacheDir(id, 1);
      const clusters = await readdir(root).catch(() => [] as string[]);
      const dirs = [root, ...clusters.filter((e) => /^c\d+$/.test(e)).map((e) => firnHomePath(root, e))];
      await Promise.allSettled(dirs.map((d) => rm(firnHomePath(d, 'spill'), { recursive: true, force: true })));
    };
    await Promise.allSettled(this.catalog.listWarehouses().map((w) => sweep(w.id)));
  }

  /** Shutdown: every cluster stops (clusterStopped for each). */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.runtimes.values()];
    this.runtimes.clear();
    await Promise.all(all.map((r) => r.close()));
  }

  private info(name: string | null): WarehouseInfo {
    if (!name) {
      throw new ResourceError('NO_ACTIVE_WAREHOUSE', "No active warehouse selected in the current session. Select an active warehouse with the 'use warehouse' command.");
    }
    const info = this.catalog.getWarehouse(name);
    if (!info) throw new CompilationError('OBJECT_NOT_FOUND', `Warehouse '${clipValue(name)}' does not exist or not authorized.`);
    return info;
  }

  /** The runtime of a catalog warehouse, made (and started when the catalog says STARTED) on first use. */
  private runtime(info: WarehouseInfo): WarehouseRuntime {
    const known = this.runtimes.get(info.id);
    if (known) return known;
    const r = new WarehouseRuntime(info.id, info.name, propertiesFromJson(info.size, info.properties), {
      makePool: (size, cluster) => this.makePool(info.id, info.name, size, cluster),
      events: this.options.events ?? null,
      clock: this.clock,
      scaleInIdleMs: this.options.scaleInIdleMs ?? 30_000,
      economyQueueMs: this.options.economyQueueMs ?? 6_000,
      onStateChange: (rt) => {
        if (this.runtimes.get(rt.id) !== rt) return;
        try {
          this.catalog.updateWarehouse(rt.name, { state: rt.started ? 'STARTED' : 'SUSPENDED' });
        } catch {
          // Dropped or renamed meanwhile: nothing to record.
        }
      },
    });
    this.runtimes.set(info.id, r);
    if (info.state === 'STARTED' && !this.closed) r.resume();
    return r;
  }

  private makePool(id: number, name: string, size: WarehouseSize, cluster: number): WarehousePool {
    return new WarehousePool(name, size, {
      storageUrl: this.config.storageUrl,
      home: this.config.home,
      cacheDir: this.cacheDir(id, cluster),
      memoryCacheBytes: this.config.memoryCacheBytes,
      diskCacheBytes: this.config.diskCacheBytes,
      workerHeapBytes: this.config.workerHeapBytes,
      workers: this.workersFor(size),
      cacheBudget: this.cacheBudget,
    });
  }

  private async stopRuntime(id: number): Promise<void> {
    const r = this.runtimes.get(id);
    this.runtimes.delete(id);
    await r?.close();
    await this.sweepCaches();
  }

  private cacheDir(id: number, cluster: number): string {
    const root = firnHomePath(this.config.home, 'cache', `warehouse-${id}`);
    return cluster === 1 ? root : firnHomePath(root, `c${cluster}`);
  }
}

function invalidState(name: string, verb: 'suspended' | 'resumed'): ResourceError {
  return new ResourceError('WAREHOUSE_INVALID_STATE', `Invalid state. Warehouse '${clipValue(name)}' cannot be ${verb}.`);
}

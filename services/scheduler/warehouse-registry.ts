/**
 * The running warehouses of this services process: one WarehousePool per catalog
 * warehouse, started on first use and resized/stopped when the catalog says so.
 *
 * A warehouse's disk cache lives in $FIRN_HOME/cache/warehouse-<id>: named by the catalog id,
 * never by the user-chosen name (a name such as "../../x" must not steer where Firn writes),
 * and a replaced warehouse (new id) never reuses the pool or directory of the old one.
 * The cache of a warehouse that is gone (dropped, or replaced by a new id) is deleted once its
 * pool has stopped, and at startup (sweepCaches) so is every directory in $FIRN_HOME/cache that
 * belongs to no live warehouse: otherwise each CREATE OR REPLACE WAREHOUSE would leave up to
 * FIRN_CACHE_DISK_BYTES behind for good. Suspending or resizing keeps the cache.
 * `events` (metering) hears each pool as cluster 1 of its warehouse: started on first use,
 * resized when a size change replaces it, stopped by stop() and close().
 */
import { readdir, rm } from 'node:fs/promises';
import { CompilationError } from '../../storage/errors/firn-error.js';
import { firnHomePath } from '../../storage/firn-home/firn-home-path.js';
import { WarehousePool } from '../../warehouse/pool/warehouse-pool.js';
import { CacheBudget } from '../../warehouse/pool/cache-budget.js';
import { normalizeWarehouseSize } from '../../warehouse/pool/warehouse-sizes.js';
import type { Catalog } from '../catalog/catalog.js';
import type { FirnConfig } from '../config.js';
import type { Clock, WarehouseEvents } from './warehouse-events.js';

export class WarehouseRegistry {
  private readonly pools = new Map<string, { id: number; pool: WarehousePool }>();
  /** FIRN_CACHE_MEMORY_BYTES / FIRN_CACHE_DISK_BYTES, shared fairly by every running pool's slots (cache-budget.ts). */
  readonly cacheBudget: CacheBudget;

  constructor(
    private readonly catalog: Catalog,
    private readonly config: FirnConfig,
    private readonly events: WarehouseEvents | null = null,
    private readonly clock: Clock = Date.now,
  ) {
    this.cacheBudget = new CacheBudget(config.memoryCacheBytes, config.diskCacheBytes);
  }

  /** The pool of warehouse `name`, started if needed. */
  get(name: string | null): WarehousePool {
    if (!name) throw new CompilationError('OBJECT_NOT_FOUND', 'No active warehouse selected in the current session. Select an active warehouse with the \'use warehouse\' command.');
    const info = this.catalog.getWarehouse(name);
    if (!info) throw new CompilationError('OBJECT_NOT_FOUND', `Warehouse '${name}' does not exist or not authorized.`);
    const size = normalizeWarehouseSize(info.size) ?? 'XSMALL';
    const running = this.pools.get(name);
    if (running && running.id === info.id && running.pool.size === size) return running.pool;
    if (running && running.id !== info.id) {
      this.events?.clusterStopped({ warehouseId: running.id, warehouse: name, cluster: 1, size: running.pool.size, at: this.clock() });
      void running.pool.close().then(() => this.sweepCaches());
    } else if (running) void running.pool.close();
    const event = { warehouseId: info.id, warehouse: name, cluster: 1, size, at: this.clock() };
    if (running && running.id === info.id) this.events?.clusterResized(event);
    else this.events?.clusterStarted(event);
    const pool = new WarehousePool(name, size, {
      storageUrl: this.config.storageUrl,
      home: this.config.home,
      cacheDir: this.cacheDir(info.id),
      memoryCacheBytes: this.config.memoryCacheBytes,
      diskCacheBytes: this.config.diskCacheBytes,
      workerHeapBytes: this.config.workerHeapBytes,
      cacheBudget: this.cacheBudget,
    });
    this.pools.set(name, { id: info.id, pool });
    return pool;
  }

  /** Stops the pool of a dropped warehouse and deletes its cache. */
  async stop(name: string): Promise<void> {
    const running = this.pools.get(name);
    this.pools.delete(name);
    if (running) this.events?.clusterStopped({ warehouseId: running.id, warehouse: name, cluster: 1, size: running.pool.size, at: this.clock() });
    await running?.pool.close();
    await this.sweepCaches();
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
    for (const e of entries.filter((x) => live.has(x))) await this.cacheBudget.restDir(firnHomePath(root, e));
    this.cacheBudget.rebalance();
  }

  /**
   * Deletes the spill directories a previous process left (a crash mid-statement): at startup
   * only, before any statement runs (a running statement's spill directory is its own to remove).
   */
  async sweepSpill(): Promise<void> {
    await Promise.allSettled(this.catalog.listWarehouses().map((w) => rm(firnHomePath(this.cacheDir(w.id), 'spill'), { recursive: true, force: true })));
  }

  private cacheDir(id: number): string {
    return firnHomePath(this.config.home, 'cache', `warehouse-${id}`);
  }

  async close(): Promise<void> {
    for (const [name, p] of this.pools) this.events?.clusterStopped({ warehouseId: p.id, warehouse: name, cluster: 1, size: p.pool.size, at: this.clock() });
    await Promise.all([...this.pools.values()].map((p) => p.pool.close()));
    this.pools.clear();
  }
}

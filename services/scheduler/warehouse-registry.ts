/**
 * The running warehouses of this services process: one WarehousePool per catalog
 * warehouse, started on first use and resized/stopped when the catalog says so.
 *
 * A warehouse's disk cache lives in $FIRN_HOME/cache/warehouse-<id>: named by the catalog id,
 * never by the user-chosen name (a name such as "../../x" must not steer where Firn writes),
 * and a replaced warehouse (new id) never reuses the pool or directory of the old one.
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import { firnHomePath } from '../../storage/firn-home/firn-home-path.js';
import { WarehousePool } from '../../warehouse/pool/warehouse-pool.js';
import { normalizeWarehouseSize } from '../../warehouse/pool/warehouse-sizes.js';
import type { Catalog } from '../catalog/catalog.js';
import type { FirnConfig } from '../config.js';

export class WarehouseRegistry {
  private readonly pools = new Map<string, { id: number; pool: WarehousePool }>();

  constructor(
    private readonly catalog: Catalog,
    private readonly config: FirnConfig,
  ) {}

  /** The pool of warehouse `name`, started if needed. */
  get(name: string | null): WarehousePool {
    if (!name) throw new CompilationError('OBJECT_NOT_FOUND', 'No active warehouse selected in the current session. Select an active warehouse with the \'use warehouse\' command.');
    const info = this.catalog.getWarehouse(name);
    if (!info) throw new CompilationError('OBJECT_NOT_FOUND', `Warehouse '${name}' does not exist or not authorized.`);
    const size = normalizeWarehouseSize(info.size) ?? 'XSMALL';
    const running = this.pools.get(name);
    if (running && running.id === info.id && running.pool.size === size) return running.pool;
    if (running) void running.pool.close();
    const pool = new WarehousePool(name, size, {
      storageUrl: this.config.storageUrl,
      home: this.config.home,
      cacheDir: firnHomePath(this.config.home, 'cache', `warehouse-${info.id}`),
      memoryCacheBytes: this.config.memoryCacheBytes,
      diskCacheBytes: this.config.diskCacheBytes,
      workerHeapBytes: this.config.workerHeapBytes,
    });
    this.pools.set(name, { id: info.id, pool });
    return pool;
  }

  async stop(name: string): Promise<void> {
    const running = this.pools.get(name);
    this.pools.delete(name);
    await running?.pool.close();
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.pool.close()));
    this.pools.clear();
  }
}

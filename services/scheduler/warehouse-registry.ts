/**
 * The running warehouses of this services process: one WarehousePool per catalog
 * warehouse, started on first use and resized/stopped when the catalog says so.
 */
import path from 'node:path';
import { CompilationError } from '../../storage/errors/firn-error.js';
import { WarehousePool } from '../../warehouse/pool/warehouse-pool.js';
import { normalizeWarehouseSize } from '../../warehouse/pool/warehouse-sizes.js';
import type { Catalog } from '../catalog/catalog.js';
import type { FirnConfig } from '../config.js';

export class WarehouseRegistry {
  private readonly pools = new Map<string, WarehousePool>();

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
    if (running && running.size === size) return running;
    if (running) void running.close();
    const pool = new WarehousePool(name, size, {
      storageUrl: this.config.storageUrl,
      cacheDir: path.join(this.config.home, 'cache', name),
      memoryCacheBytes: this.config.memoryCacheBytes,
      diskCacheBytes: this.config.diskCacheBytes,
      workerHeapBytes: this.config.workerHeapBytes,
    });
    this.pools.set(name, pool);
    return pool;
  }

  async stop(name: string): Promise<void> {
    const pool = this.pools.get(name);
    this.pools.delete(name);
    await pool?.close();
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
    this.pools.clear();
  }
}

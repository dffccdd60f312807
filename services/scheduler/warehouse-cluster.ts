/**
 * One cluster of a warehouse: its current WarehousePool and the statements holding it. A
 * statement takes the cluster's pool when it is admitted and keeps that pool until it ends
 * (streaming included), so a live resize never moves a running statement: `resize` starts a
 * new pool for the statements admitted from then on, and the old pool closes when the last
 * statement holding it gives it back.
 *
 * Contract: `take()` / `give(pool)` pair up; `running` counts the statements holding any pool
 * of the cluster. `resizing` is true from `resize` until the new pool's workers are up
 * (`ready`). `close()` ends every pool at once (shutdown, or a drained cluster).
 */
import type { WarehousePool } from '../../warehouse/pool/warehouse-pool.js';
import type { WarehouseSize } from '../../warehouse/pool/warehouse-sizes.js';

export class WarehouseCluster {
  private pool: WarehousePool;
  /** Statements holding each pool (the current one and any still draining after a resize). */
  private readonly holders = new Map<WarehousePool, number>();
  running = 0;
  resizing = false;
  /** Resolves once the current pool's workers are up. */
  ready: Promise<void>;
  /** Scale-in: set while the cluster is idle above MIN_CLUSTER_COUNT. */
  idleTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly number: number,
    public size: WarehouseSize,
    private readonly makePool: (size: WarehouseSize) => WarehousePool,
  ) {
    this.pool = makePool(size);
    this.holders.set(this.pool, 0);
    this.ready = this.watch(this.pool);
  }

  get workers(): number {
    return this.pool.workers;
  }

  take(): WarehousePool {
    this.running++;
    this.holders.set(this.pool, (this.holders.get(this.pool) ?? 0) + 1);
    return this.pool;
  }

  give(pool: WarehousePool): void {
    this.running--;
    const left = (this.holders.get(pool) ?? 1) - 1;
    if (left > 0 || pool === this.pool) {
      this.holders.set(pool, left);
      return;
    }
    this.holders.delete(pool);
    void pool.close();
  }

  /** New statements get a pool of `size`; the running ones keep theirs. Resolves when its workers are up. */
  resize(size: WarehouseSize): Promise<void> {
    const old = this.pool;
    this.size = size;
    this.pool = this.makePool(size);
    this.holders.set(this.pool, 0);
    if ((this.holders.get(old) ?? 0) === 0) {
      this.holders.delete(old);
      void old.close();
    }
    this.resizing = true;
    this.ready = this.watch(this.pool);
    return this.ready;
  }

  private watch(pool: WarehousePool): Promise<void> {
    return pool.ready().then(
      () => {
        if (pool === this.pool) this.resizing = false;
      },
      () => {
        if (pool === this.pool) this.resizing = false;
      },
    );
  }

  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const pools = [...this.holders.keys()];
    this.holders.clear();
    await Promise.all(pools.map((p) => p.close()));
  }
}

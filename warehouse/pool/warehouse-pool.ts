/**
 * A virtual warehouse: a named set of worker threads, one single-thread piscina pool per
 * slot, so services can send a partition to the same worker every time (stable assignment
 * keeps that worker's column cache warm). Each slot owns its own memory and SSD cache, bounded
 * by its fair share of the process cache budget when the pool is given one (cache-budget.ts).
 *
 * Contract: `run(slot, task, transfer?, cancel?)` resolves with the worker's reply or rejects with the FirnError
 * the worker raised (rebuilt from plain data). Each thread's V8 heap is sized as
 * worker-heap-flags.ts says and capped (`workerHeapBytes`, split across slots): a task that
 * runs a worker out of memory rejects with ResourceError RESOURCE_EXHAUSTED (53200), the
 * thread is replaced, and the slot keeps serving. `close()` ends every thread.
 *
 * Scheduling: each slot's thread runs tasks of different statements at once (up to
 * MAX_STATEMENTS_PER_WORKER, interleaved at batch boundaries), at most one per statement, and
 * the statements take turns round-robin (worker-slot.ts), so a short statement never waits
 * for a long one's tasks to end.
 *
 * Memory: each statement's operator memory comes from its own ledger (exchange-ledger.ts),
 * but the V8 heap is per thread and shared by the statements running on it. When the heap
 * runs out, the thread dies and every statement with a task running on it at that moment
 * fails with 53200 (which one allocated the most cannot be told from a dead thread); tasks
 * still waiting run on the replacement thread.
 *
 * Cancellation: a task given its statement's `cancel` never starts once the statement is
 * canceled, and a running one stops at its next batch through the shared CancelFlag
 * (cancel-flag.ts) while the other statements' tasks on the thread go on; the thread is
 * never terminated for it, so its cache stays warm.
 */
import type { MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { ResourceError } from '../../storage/errors/firn-error.js';
import { firnHomePath } from '../../storage/firn-home/firn-home-path.js';
import { threadEntryFile } from '../../storage/runtime/thread-entry-file.js';
import type { WorkerConfig } from '../worker/worker-config.js';
import { WAREHOUSE_SIZES, type WarehouseSize } from './warehouse-sizes.js';
import { MAX_STATEMENTS_PER_WORKER, WorkerSlot, type TaskCancel } from './worker-slot.js';
import { configureWorkerHeaps } from './worker-heap-flags.js';
import type { CacheBudget, CacheShare } from './cache-budget.js';

export type WarehousePoolOptions = {
  storageUrl: string;
  /** FIRN_HOME: every cache directory must lie under it (firnHomePath). */
  home: string;
  /** Root of this warehouse's SSD cache; slot i uses `${cacheDir}/w${i}`. */
  cacheDir: string;
  /** The most this warehouse's memory cache may use, split evenly across slots. */
  memoryCacheBytes: number;
  /** The most this warehouse's SSD cache may use, split evenly across slots. */
  diskCacheBytes: number;
  /**
   * The process-wide cache budget (cache-budget.ts): with it, each slot's cache is bounded by
   * its fair share of the budget (at most the split above), re-read as pools start and stop;
   * the pool joins at start and rests at close (its disk cache stays counted until another
   * pool of the same cacheDir joins or the directory is deleted). Without it, the split above is the bound.
   */
  cacheBudget?: CacheBudget;
  /** V8 heap (old generation) for the whole warehouse, split evenly across slots, each at least MIN_WORKER_HEAP_MB. */
  workerHeapBytes: number;
  /** Worker threads; default the size's node count (services caps it: FIRN_MAX_WORKERS_PER_CLUSTER). */
  workers?: number;
};

/** The smallest heap a worker gets, whatever the budget and warehouse size. */
export const MIN_WORKER_HEAP_MB = 64;

export class WarehousePool {
  private readonly slots: WorkerSlot[];
  private closing = false;
  /** This pool's place in the process cache budget (null without one). */
  readonly cacheShare: CacheShare | null;
  /** Each worker's old-generation limit, MiB. */
  readonly workerHeapMb: number;

  constructor(
    readonly name: string,
    readonly size: WarehouseSize,
    private readonly options: WarehousePoolOptions,
  ) {
    const n = Math.max(1, options.workers ?? WAREHOUSE_SIZES[size]);
    configureWorkerHeaps();
    this.workerHeapMb = Math.max(MIN_WORKER_HEAP_MB, Math.floor(options.workerHeapBytes / n / 2 ** 20));
    const resourceLimits = { ...WORKER_LIMITS, maxOldGenerationSizeMb: this.workerHeapMb };
    const caps = { memoryBytes: Math.floor(options.memoryCacheBytes / n), diskBytes: Math.floor(options.diskCacheBytes / n) };
    this.cacheShare = options.cacheBudget?.join(n, caps, firnHomePath(options.home, options.cacheDir)) ?? null;
    const start = this.cacheShare?.perSlot ?? caps;
    this.slots = Array.from({ length: n }, (_, i) => {
      const workerData: WorkerConfig = {
        storageUrl: options.storageUrl,
        home: options.home,
        cacheDir: firnHomePath(options.home, options.cacheDir, `w${i}`),
        memoryCacheBytes: start.memoryBytes,
        diskCacheBytes: start.diskBytes,
        cacheShare: this.cacheShare?.buffer ?? null,
      };
      // atomics 'async': an idle thread waits with Atomics.waitAsync, so its event loop keeps
      // running the work a task leaves behind (the column cache's SSD writes); with piscina's
      // default ('sync') it blocks until the next task and a task's last chunks never reach disk.
      const thread = new Piscina({
        filename: WORKER_FILE,
        minThreads: 1,
        maxThreads: 1,
        concurrentTasksPerWorker: MAX_STATEMENTS_PER_WORKER,
        idleTimeout: 60_000 * 60 * 24,
        workerData,
        resourceLimits,
        atomics: 'async',
      });
      return new WorkerSlot(thread, MAX_STATEMENTS_PER_WORKER);
    });
  }

  get workers(): number {
    return this.slots.length;
  }

  /**
   * Resolves once every worker thread has started and answered a task: an empty task, which
   * the worker answers with nothing (it handles only the kinds it knows).
   */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.run({ kind: 'ready' }, [], null)));
  }

  /** Where this warehouse's statements keep their spill directories: `${cacheDir}/spill`. */
  get spillRoot(): string {
    return firnHomePath(this.options.home, this.options.cacheDir, 'spill');
  }

  /**
   * Runs `task` on worker `slot`; buffers and ports in `transfer` move to the worker instead of
   * being copied. `cancel`: the statement's cancellation (see the module comment).
   */
  run<T>(slot: number, task: unknown, transfer: (ArrayBuffer | MessagePort)[] = [], cancel: TaskCancel | null = null): Promise<T> {
    return this.slots[slot % this.slots.length].run<T>(task, transfer, cancel).catch((err: unknown) => {
      throw this.workerExit(err);
    });
  }

  /** A worker that died of its heap limit fails its running statements with 53200; other errors pass unchanged. */
  private workerExit(err: unknown): unknown {
    if ((err as { code?: unknown })?.code !== 'ERR_WORKER_OUT_OF_MEMORY') return err;
    return new ResourceError(
      'RESOURCE_EXHAUSTED',
      `A worker of warehouse ${this.name} ran out of memory (its heap limit is ${this.workerHeapMb} MiB, FIRN_WORKER_HEAP_BYTES), shared by the statements running on it: the statement was stopped and the worker replaced`,
    );
  }

  /** True from the start of `close()`. */
  get closed(): boolean {
    return this.closing;
  }

  /** Ends every thread; the pool's memory share goes back to the other pools at once, its disk cache rests (cache-budget.ts). */
  async close(): Promise<void> {
    this.closing = true;
    this.cacheShare?.rest();
    await Promise.all(this.slots.map((s) => s.destroy()));
  }
}

/**
 * A worker's young generation (V8's nursery). Operators allocate many short-lived vectors
 * per batch; with the default nursery, scavenges promote them into the old generation and
 * a long-running worker gets slower as it grows (TPC-H Q9 went from ~0.9 s on a fresh
 * server to ~1.3 s after the other 21 queries; with 96 MiB it stays near 0.8-0.9 s).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 96 };

/** The compiled worker entry, a CommonJS shim (warehouse-worker-entry.cts says why). */
const WORKER_FILE = threadEntryFile(import.meta.url, '../worker/warehouse-worker-entry.cjs');

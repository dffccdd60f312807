/**
 * One warehouse's compute while this process runs: its clusters, its admission queue and its
 * state machine (STARTED, SUSPENDED, RESIZING), driven by the registry (warehouse-registry.ts).
 *
 * Admission: each cluster runs at most MAX_CONCURRENCY_LEVEL statements; the others wait in
 * one FIFO queue and go, in arrival order, to the least busy cluster with room. A waiting
 * statement fails with STATEMENT_QUEUED_TIMEOUT (000630) past STATEMENT_QUEUED_TIMEOUT_IN_SECONDS,
 * with its own cancellation error when its request is canceled, and with CANCELED (000604) on
 * ABORT ALL QUERIES (which also cancels the running ones).
 *
 * Multi-cluster (MAX_CLUSTER_COUNT > 1): under STANDARD a new cluster starts as soon as a
 * statement has to queue; under ECONOMY only once the queue has stayed non-empty for
 * `economyQueueMs` (6 s by default: Snowflake's "enough load to keep it busy", scaled down to
 * a process) and then one more per further such period. A cluster above MIN_CLUSTER_COUNT that
 * has been idle for `scaleInIdleMs` stops.
 *
 * Lifecycle: `suspend()` makes the warehouse take no new statement and fails the queued ones
 * with NO_ACTIVE_WAREHOUSE; each cluster stops once its running statements end (the state is
 * STARTED until then, SUSPENDED after). `acquire` on a suspended warehouse resumes it when
 * AUTO_RESUME is TRUE and fails with NO_ACTIVE_WAREHOUSE (000606) otherwise. AUTO_SUSPEND
 * suspends it after that many seconds with nothing running or queued (`onStateChange`, so
 * the registry records it, as it does an auto-resume). Every cluster start, resize and stop is reported to `events`, timed by
 * `clock`.
 */
import { ResourceError, type FirnError } from '../../storage/errors/firn-error.js';
import type { CancelFlag } from '../../warehouse/cancel/cancel-flag.js';
import type { WarehousePool } from '../../warehouse/pool/warehouse-pool.js';
import type { WarehouseSize } from '../../warehouse/pool/warehouse-sizes.js';
import type { Clock, WarehouseEvents } from './warehouse-events.js';
import { WarehouseCluster } from './warehouse-cluster.js';
import type { WarehouseProperties } from './warehouse-properties.js';

/** What a statement can be canceled through (services/session/deadline.ts's Deadline). */
export type StatementCancel = { signal: AbortSignal; flag: CancelFlag; abort(): void };

/** A statement's hold on one cluster, from admission until `release()` (once). */
export type ClusterLease = {
  pool: WarehousePool;
  warehouse: string;
  cluster: number;
  size: WarehouseSize;
  queuedMs: number;
  release(): void;
};

export type WarehouseState = 'STARTED' | 'SUSPENDED' | 'RESIZING';

export type RuntimeDeps = {
  makePool(size: WarehouseSize, cluster: number): WarehousePool;
  events: WarehouseEvents | null;
  clock: Clock;
  scaleInIdleMs: number;
  economyQueueMs: number;
  /** The warehouse suspended or resumed by itself (AUTO_SUSPEND, AUTO_RESUME): the registry records it. */
  onStateChange(runtime: WarehouseRuntime): void;
};

type Waiter = { at: number; cancel: StatementCancel | null; resolve(lease: ClusterLease): void; reject(err: unknown): void; cleanup(): void };

export class WarehouseRuntime {
  private clusters: WarehouseCluster[] = [];
  /** Clusters stopping once their running statements end (suspend, scale-in, drop). */
  private readonly draining = new Set<WarehouseCluster>();
  private readonly queue: Waiter[] = [];
  private readonly holding = new Set<StatementCancel>();
  private active = false;
  private suspendTimer: NodeJS.Timeout | null = null;
  private economyTimer: NodeJS.Timeout | null = null;
  resumedOn: Date | null = null;

  constructor(
    readonly id: number,
    public name: string,
    public props: WarehouseProperties,
    private readonly deps: RuntimeDeps,
  ) {}

  get started(): boolean {
    return this.active;
  }

  get state(): WarehouseState {
    if (!this.active && this.draining.size === 0) return 'SUSPENDED';
    return this.clusters.some((c) => c.resizing) ? 'RESIZING' : 'STARTED';
  }

  get startedClusters(): number {
    return this.clusters.length + this.draining.size;
  }

  get running(): number {
    let n = 0;
    for (const c of this.clusters) n += c.running;
    for (const c of this.draining) n += c.running;
    return n;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Admits a statement: at once when a cluster has room and no one waits, else after those queued before it. */
  acquire(cancel: StatementCancel | null): Promise<ClusterLease> {
    if (cancel?.flag.cancelled) return Promise.reject(cancel.flag.error());
    if (!this.active) {
      if (!this.props.autoResume) return Promise.reject(suspendedError(this.name));
      this.resume();
      this.deps.onStateChange(this);
    }
    this.clearSuspendTimer();
    const at = this.deps.clock();
    return new Promise<ClusterLease>((resolve, reject) => {
      const waiter: Waiter = { at, cancel, resolve, reject, cleanup: () => {} };
      const free = this.queue.length === 0 ? this.roomy() : null;
      if (free) {
        this.grant(free, waiter, false);
        return;
      }
      const timeout = this.props.statementQueuedTimeoutInSeconds;
      const timer = timeout > 0 ? setTimeout(() => this.fail(waiter, queuedTimeout(timeout)), timeout * 1000) : null;
      const onAbort = () => this.fail(waiter, cancel!.flag.error());
      cancel?.signal.addEventListener('abort', onAbort, { once: true });
      waiter.cleanup = () => {
        if (timer) clearTimeout(timer);
        cancel?.signal.removeEventListener('abort', onAbort);
      };
      this.queue.push(waiter);
      this.scaleOut();
    });
  }

  /** Starts MIN_CLUSTER_COUNT clusters (no-op when started). */
  resume(): void {
    if (this.active) return;
    this.active = true;
    this.resumedOn = new Date(this.deps.clock());
    while (this.clusters.length < this.props.minClusterCount) this.startCluster();
    this.armSuspendTimer();
  }

  /** Takes no new statement; fails the queued ones; each cluster stops once its statements end. */
  suspend(): void {
    if (!this.active) return;
    this.active = false;
    this.clearSuspendTimer();
    this.clearEconomyTimer();
    for (const w of this.queue.splice(0)) {
      w.cleanup();
      w.reject(suspendedError(this.name));
    }
    for (const c of this.clusters) this.retire(c);
    this.clusters = [];
  }

  /** New properties (ALTER ... SET | UNSET): resize, cluster counts and concurrency take effect now. */
  async update(props: WarehouseProperties, waitForCompletion: boolean): Promise<void> {
    const resized = props.size !== this.props.size;
    this.props = props;
    const ready: Promise<void>[] = [];
    if (this.active) {
      if (resized) {
        for (const c of this.clusters) {
          ready.push(c.resize(props.size));
          this.deps.events?.clusterResized(this.event(c));
        }
      }
      while (this.clusters.length < props.minClusterCount) ready.push(this.startCluster().ready);
      while (this.clusters.length > props.maxClusterCount) this.retire(this.clusters.pop()!);
      for (const c of this.clusters) this.armScaleIn(c);
      this.dispatch();
      this.scaleOut();
      this.clearSuspendTimer();
      this.armSuspendTimer();
    }
    if (waitForCompletion) await Promise.all(ready);
  }

  /** ABORT ALL QUERIES: cancels the running statements and fails the queued ones with CANCELED. */
  abortAll(): void {
    for (const w of this.queue.splice(0)) {
      w.cleanup();
      w.reject(new ResourceError('CANCELED', 'SQL execution canceled'));
    }
    for (const c of this.holding) c.abort();
  }

  /** Shutdown or DROP: every cluster stops now (running statements fail at their next task). */
  async close(): Promise<void> {
    this.active = false;
    this.clearSuspendTimer();
    this.clearEconomyTimer();
    for (const w of this.queue.splice(0)) {
      w.cleanup();
      w.reject(suspendedError(this.name));
    }
    const all = [...this.clusters, ...this.draining];
    this.clusters = [];
    this.draining.clear();
    for (const c of all) this.deps.events?.clusterStopped(this.event(c));
    await Promise.all(all.map((c) => c.close()));
  }

  /** Resolves once the workers of every running cluster are up. */
  async ready(): Promise<void> {
    await Promise.all(this.clusters.map((c) => c.ready));
  }

  private roomy(): WarehouseCluster | null {
    let best: WarehouseCluster | null = null;
    for (const c of this.clusters) {
      if (c.running < this.props.maxConcurrencyLevel && (best === null || c.running < best.running)) best = c;
    }
    return best;
  }

  /** `queued`: the statement waited in the queue (one admitted at once waited 0 ms, whatever the clock did meanwhile). */
  private grant(c: WarehouseCluster, w: Waiter, queued = true): void {
    w.cleanup();
    if (c.idleTimer) clearTimeout(c.idleTimer);
    c.idleTimer = null;
    const pool = c.take();
    if (w.cancel) this.holding.add(w.cancel);
    let released = false;
    const size = c.size;
    w.resolve({
      pool,
      warehouse: this.name,
      cluster: c.number,
      size,
      queuedMs: queued ? Math.max(0, this.deps.clock() - w.at) : 0,
      release: () => {
        if (released) return;
        released = true;
        if (w.cancel) this.holding.delete(w.cancel);
        c.give(pool);
        this.afterRelease(c);
      },
    });
  }

  private fail(w: Waiter, err: unknown): void {
    const i = this.queue.indexOf(w);
    if (i < 0) return;
    this.queue.splice(i, 1);
    w.cleanup();
    w.reject(err);
    this.armSuspendTimer();
  }

  private afterRelease(c: WarehouseCluster): void {
    if (this.draining.has(c)) {
      if (c.running === 0) this.stopCluster(c);
      return;
    }
    this.dispatch();
    this.armScaleIn(c);
    this.armSuspendTimer();
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const c = this.roomy();
      if (!c) break;
      this.grant(c, this.queue.shift()!);
    }
    if (this.queue.length === 0) this.clearEconomyTimer();
  }

  private scaleOut(): void {
    if (!this.active || this.queue.length === 0 || this.clusters.length >= this.props.maxClusterCount) return;
    if (this.props.scalingPolicy === 'STANDARD') {
      while (this.queue.length > 0 && this.clusters.length < this.props.maxClusterCount) {
        this.startCluster();
        this.dispatch();
      }
      return;
    }
    if (this.economyTimer) return;
    this.economyTimer = setTimeout(() => {
      this.economyTimer = null;
      if (!this.active || this.queue.length === 0 || this.clusters.length >= this.props.maxClusterCount) return;
      this.startCluster();
      this.dispatch();
      this.scaleOut();
    }, this.deps.economyQueueMs);
    this.economyTimer.unref();
  }

  /** An idle cluster above MIN_CLUSTER_COUNT stops after `scaleInIdleMs` (the highest-numbered first). */
  private armScaleIn(c: WarehouseCluster): void {
    if (c.running > 0 || c.idleTimer || this.clusters.length <= this.props.minClusterCount) return;
    c.idleTimer = setTimeout(() => {
      c.idleTimer = null;
      if (c.running > 0 || !this.clusters.includes(c) || this.clusters.length <= this.props.minClusterCount) return;
      this.clusters = this.clusters.filter((x) => x !== c);
      this.retire(c);
    }, this.deps.scaleInIdleMs);
    c.idleTimer.unref();
  }

  private startCluster(): WarehouseCluster {
    const used = new Set([...this.clusters, ...this.draining].map((c) => c.number));
    let n = 1;
    while (used.has(n)) n++;
    const c = new WarehouseCluster(n, this.props.size, (size) => this.deps.makePool(size, n));
    this.clusters.push(c);
    this.clusters.sort((a, b) => a.number - b.number);
    this.deps.events?.clusterStarted(this.event(c));
    return c;
  }

  private retire(c: WarehouseCluster): void {
    if (c.idleTimer) clearTimeout(c.idleTimer);
    c.idleTimer = null;
    this.draining.add(c);
    if (c.running === 0) this.stopCluster(c);
  }

  private stopCluster(c: WarehouseCluster): void {
    this.draining.delete(c);
    this.deps.events?.clusterStopped(this.event(c));
    void c.close();
  }

  private armSuspendTimer(): void {
    const seconds = this.props.autoSuspend;
    if (!this.active || seconds === null || seconds * 1000 > MAX_TIMER_MS || this.running > 0 || this.queue.length > 0 || this.suspendTimer) return;
    this.suspendTimer = setTimeout(() => {
      this.suspendTimer = null;
      if (!this.active || this.running > 0 || this.queue.length > 0) return;
      this.suspend();
      this.deps.onStateChange(this);
    }, seconds * 1000);
    this.suspendTimer.unref();
  }

  private clearSuspendTimer(): void {
    if (this.suspendTimer) clearTimeout(this.suspendTimer);
    this.suspendTimer = null;
  }

  private clearEconomyTimer(): void {
    if (this.economyTimer) clearTimeout(this.economyTimer);
    this.economyTimer = null;
  }

  private event(c: WarehouseCluster) {
    return { warehouseId: this.id, warehouse: this.name, cluster: c.number, size: c.size, at: this.deps.clock() };
  }
}

/** setTimeout's range: a longer AUTO_SUSPEND (~24.8 days) never fires while this process runs. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A suspended warehouse whose AUTO_RESUME is FALSE. */
function suspendedError(name: string): FirnError {
  return new ResourceError('NO_ACTIVE_WAREHOUSE', `Warehouse '${name}' is suspended. Use 'alter warehouse ${name} resume;' command if you need to use it again.`);
}

function queuedTimeout(seconds: number): ResourceError {
  return new ResourceError('STATEMENT_QUEUED_TIMEOUT', `Statement reached its statement or warehouse queued timeout of ${seconds} second(s) and was canceled.`);
}

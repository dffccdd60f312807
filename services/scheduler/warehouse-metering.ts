/**
 * Metering: the listener of warehouse events (warehouse-events.ts) that records, in the
 * catalog, which cluster of which warehouse ran at which size when (usage-store.ts: one segment
 * per start or resize), so credits (warehouse-credits.ts) survive restarts and are exact.
 *
 * Contract: `WarehouseMetering.open(store, clock)` first closes the segments a previous process
 * left open when it died (no clusterStopped came): each ends at the last moment it is known to
 * have run, the latest of its start, its last heartbeat and the end of the last statement
 * recorded on that cluster that ended after the segment started (catalog.usage.closeAbandonedSegments);
 * then it deletes what ended more than METERING_RETENTION_DAYS (365) ago.
 * While any cluster runs, a heartbeat writes the clock's time into every open segment every
 * METERING_HEARTBEAT_MS, so a crash under-bills at most that long past the last statement
 * (never over-bills). Events are written synchronously (a few per minute at most); a listener
 * never throws: a failed write is reported on stderr. `hourly(nowMs)` is every warehouse's
 * credits per hour; `close()` stops the heartbeat (the registry stops every cluster first).
 */
import { METERING_RETENTION_DAYS, type UsageStore } from '../catalog/usage-store.js';
import type { ClusterEvent, Clock, WarehouseEvents } from './warehouse-events.js';
import { hourlyCredits, type HourlyCredits } from './warehouse-credits.js';

/** How often open segments record that their cluster still runs. */
export const METERING_HEARTBEAT_MS = 10_000;

export class WarehouseMetering implements WarehouseEvents {
  /** When each running cluster (`warehouseId/cluster`) started: a resize keeps its run's start. */
  private readonly running = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly store: UsageStore,
    readonly clock: Clock,
    private readonly heartbeatMs: number,
  ) {}

  /** `heartbeatMs` 0: no timer (tests call heartbeat() themselves). */
  static open(store: UsageStore, clock: Clock = Date.now, heartbeatMs = METERING_HEARTBEAT_MS): WarehouseMetering {
    store.closeAbandonedSegments();
    store.pruneSegments(clock() - METERING_RETENTION_DAYS * 86_400_000);
    return new WarehouseMetering(store, clock, heartbeatMs);
  }

  clusterStarted(e: ClusterEvent): void {
    this.quietly(() => {
      const key = `${e.warehouseId}/${e.cluster}`;
      this.store.endSegment(e.warehouseId, e.cluster, e.at);
      this.store.startSegment({ warehouseId: e.warehouseId, warehouseName: e.warehouse, cluster: e.cluster, size: e.size, runStartedAt: e.at, startedAt: e.at });
      this.running.set(key, e.at);
      this.startHeartbeat();
    });
  }

  clusterResized(e: ClusterEvent): void {
    this.quietly(() => {
      const key = `${e.warehouseId}/${e.cluster}`;
      const runStartedAt = this.running.get(key) ?? e.at;
      this.store.endSegment(e.warehouseId, e.cluster, e.at);
      this.store.startSegment({ warehouseId: e.warehouseId, warehouseName: e.warehouse, cluster: e.cluster, size: e.size, runStartedAt, startedAt: e.at });
      this.running.set(key, runStartedAt);
      this.startHeartbeat();
    });
  }

  clusterStopped(e: ClusterEvent): void {
    this.quietly(() => {
      this.store.endSegment(e.warehouseId, e.cluster, e.at);
      this.running.delete(`${e.warehouseId}/${e.cluster}`);
      if (this.running.size === 0) this.stopHeartbeat();
    });
  }

  /** Records that every running cluster still runs now. */
  heartbeat(): void {
    this.quietly(() => this.store.heartbeat(this.clock()));
  }

  /** Credits per warehouse per hour over [fromMs, toMs), running clusters billed up to the clock's now. */
  hourly(fromMs = 0, toMs = Number.MAX_SAFE_INTEGER): HourlyCredits[] {
    return hourlyCredits(this.store.segments(fromMs, toMs), this.clock());
  }

  close(): void {
    this.stopHeartbeat();
  }

  private startHeartbeat(): void {
    if (this.timer !== null || this.heartbeatMs <= 0) return;
    this.timer = setInterval(() => this.heartbeat(), this.heartbeatMs);
    this.timer.unref();
  }

  private stopHeartbeat(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private quietly(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      process.stderr.write(`firn: metering event not recorded: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
}

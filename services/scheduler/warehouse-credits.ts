/**
 * The arithmetic of metering: Snowflake's credits per hour per warehouse size, billed per
 * running cluster over the time it runs, with a 60-second minimum each time a cluster starts.
 *
 * Contract: `hourlyCredits(segments, nowMs)` turns the catalog's cluster segments (usage-store.ts:
 * one per start or resize of a cluster, at one size) into credits per warehouse per clock hour
 * (UTC), as credit-milliseconds (credits per hour x milliseconds): exact integers, so sums never
 * round; one credit is 3,600,000 credit-ms. A segment bills its size's rate from its start to its
 * end (an open one: to `nowMs`). A run (a cluster from its start to its stop, across resizes) that
 * lasted less than MINIMUM_BILLED_MS is billed as if its last segment ran until
 * runStartedAt + MINIMUM_BILLED_MS, at that segment's size: a resize changes the rate from then on
 * and starts no new minimum (the contract of warehouse-events.ts). The billed time is measured in
 * the clock's milliseconds; with a clock in whole seconds it is Snowflake's per-second billing.
 */
import { InternalError } from '../../storage/errors/firn-error.js';
import { MINIMUM_BILLED_MS, type ClusterSegment } from '../catalog/usage-store.js';
import { normalizeWarehouseSize, WAREHOUSE_SIZES } from '../../warehouse/pool/warehouse-sizes.js';

export { MINIMUM_BILLED_MS };

/** Credits per hour per running cluster, by size: Snowflake's standard warehouses bill one credit per node (warehouse-sizes.ts). */
export const CREDITS_PER_HOUR = WAREHOUSE_SIZES;

export const MS_PER_HOUR = 3_600_000;

/** The credits per hour of `size`, in any of Snowflake's spellings ('XSMALL', 'X-Small', '4X-LARGE', 'X4LARGE'). */
export function creditsPerHour(size: string): number {
  const k = normalizeWarehouseSize(size);
  if (k === null) throw new InternalError(`no credit rate for warehouse size '${size}'`);
  return CREDITS_PER_HOUR[k];
}

/** One billed stretch of one cluster at one rate. */
export type BilledInterval = { warehouseId: number; warehouseName: string; cluster: number; creditsPerHour: number; from: number; to: number };

export type HourlyCredits = { warehouseId: number; warehouseName: string; hourStart: number; creditMs: number };

/** Every segment as billed: its own span, the last of a short run stretched to the minimum. */
export function billedIntervals(segments: readonly ClusterSegment[], nowMs: number): BilledInterval[] {
  const lastOfRun = new Map<string, number>();
  segments.forEach((s, i) => {
    const key = `${s.warehouseId}/${s.cluster}/${s.runStartedAt}`;
    const j = lastOfRun.get(key);
    if (j === undefined || segments[j].startedAt <= s.startedAt) lastOfRun.set(key, i);
  });
  const last = new Set(lastOfRun.values());
  return segments.map((s, i) => {
    let to = s.endedAt ?? Math.max(nowMs, s.startedAt);
    if (last.has(i)) to = Math.max(to, s.runStartedAt + MINIMUM_BILLED_MS);
    return { warehouseId: s.warehouseId, warehouseName: s.warehouseName, cluster: s.cluster, creditsPerHour: creditsPerHour(s.size), from: s.startedAt, to };
  });
}

/** Credit-ms per warehouse per UTC hour over `segments`, ordered by warehouse name, then hour. */
export function hourlyCredits(segments: readonly ClusterSegment[], nowMs: number): HourlyCredits[] {
  const byKey = new Map<string, HourlyCredits>();
  const names = new Map<number, { name: string; at: number }>();
  for (const s of segments) {
    const n = names.get(s.warehouseId);
    if (!n || n.at <= s.startedAt) names.set(s.warehouseId, { name: s.warehouseName, at: s.startedAt });
  }
  for (const b of billedIntervals(segments, nowMs)) {
    for (let hour = Math.floor(b.from / MS_PER_HOUR) * MS_PER_HOUR; hour < b.to; hour += MS_PER_HOUR) {
      const ms = Math.min(b.to, hour + MS_PER_HOUR) - Math.max(b.from, hour);
      if (ms <= 0) continue;
      const key = `${b.warehouseId}/${hour}`;
      let row = byKey.get(key);
      if (!row) {
        row = { warehouseId: b.warehouseId, warehouseName: names.get(b.warehouseId)!.name, hourStart: hour, creditMs: 0 };
        byKey.set(key, row);
      }
      row.creditMs += b.creditsPerHour * ms;
    }
  }
  return [...byKey.values()].sort((a, b) => (a.warehouseName < b.warehouseName ? -1 : a.warehouseName > b.warehouseName ? 1 : a.warehouseId - b.warehouseId || a.hourStart - b.hourStart));
}

/** Credits as NUMBER(38, 9)'s scaled integer (credits x 10^9), rounded half up. */
export function creditMsToScaled(creditMs: number): bigint {
  return (BigInt(creditMs) * 5000n + 9n) / 18n;
}

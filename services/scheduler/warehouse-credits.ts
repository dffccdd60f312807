/**
 * The arithmetic of metering: Snowflake's credits per hour per warehouse size, billed per
 * running cluster over the time it runs, with a 60-second minimum each time a cluster starts.
 *
 * Contract: `hourlyCredits(segments, nowMs)` turns the catalog's cluster segments (usage-store.ts:
 * one per start or resize of a cluster, at one size) into credits per warehouse per clock hour
 * (UTC), as credit-milliseconds (credits per hour x milliseconds): exact integers, so sums never
 * round; one credit is 3,600,000 credit-ms. A segment bills its size's rate from its start to its
 * end (an open one: to `nowMs`). What a cluster provisions is billed for at least
 * MINIMUM_BILLED_MS: its size when it starts, and the added rate when it is resized up (Snowflake
 * bills a resize from SMALL to MEDIUM as at least 1 minute of the 2 additional credits per hour);
 * a resize down starts no minimum (billedIntervals). The billed time is measured in
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

/**
 * Every segment as billed. A run's compute is a stack of blocks: its start provisions a block at
 * its size's rate, a resize up pushes a block of the added rate, a resize down releases the
 * newest blocks (splitting one if needed) and the run's end releases the rest. Each block is
 * billed from when it was provisioned until it was released, and at least MINIMUM_BILLED_MS:
 * Snowflake's 60 s minimum when a cluster starts, and its 60 s of the additional credits when a
 * running cluster is resized up. An open segment ends now.
 */
export function billedIntervals(segments: readonly ClusterSegment[], nowMs: number): BilledInterval[] {
  const runs = new Map<string, ClusterSegment[]>();
  for (const s of segments) {
    const key = `${s.warehouseId}/${s.cluster}/${s.runStartedAt}`;
    const run = runs.get(key);
    if (run) run.push(s);
    else runs.set(key, [s]);
  }
  const out: BilledInterval[] = [];
  for (const run of runs.values()) {
    run.sort((a, b) => a.startedAt - b.startedAt);
    const { warehouseId, warehouseName, cluster } = run[0];
    const blocks: { rate: number; from: number }[] = [];
    let total = 0;
    const release = (rate: number, from: number, at: number): void => {
      out.push({ warehouseId, warehouseName, cluster, creditsPerHour: rate, from, to: Math.max(at, from + MINIMUM_BILLED_MS) });
    };
    const setRate = (rate: number, at: number): void => {
      if (rate > total) blocks.push({ rate: rate - total, from: at });
      while (total > rate) {
        const top = blocks[blocks.length - 1];
        const drop = Math.min(top.rate, total - rate);
        release(drop, top.from, at);
        top.rate -= drop;
        if (top.rate === 0) blocks.pop();
        total -= drop;
      }
      total = rate;
    };
    let end = run[0].startedAt;
    for (const s of run) {
      setRate(creditsPerHour(s.size), s.startedAt);
      end = s.endedAt ?? Math.max(nowMs, s.startedAt);
    }
    setRate(0, end);
  }
  return out;
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

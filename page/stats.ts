/**
 * A run's statistics as the API sends them (the jsonv2 answer's `stats`; X-Firn-Stats of an
 * Arrow answer): the per-run line under a cell and the profile panel's operators.
 *
 * Contract: `statsLine` gives the figures the issue asks for (elapsed time, partitions
 * scanned/total, bytes scanned, cache hit ratio) plus queueing, spill and the warehouse;
 * `profileStages` sums each operator over its tasks (rows in/out, bytes spilled; time: the
 * slowest task, since tasks run in parallel), grouped by stage in plan order.
 */
export type OperatorProfile = { id: number; stage: number; task: number; operator: string; rowsIn: number; rowsOut: number; ms: number; bytesOut: number; bytesSpilled: number };

export type QueryStats = {
  partitionsTotal: number;
  partitionsScanned: number;
  bytesScanned: number;
  cacheHitRatio: number;
  elapsedMs: number;
  warehouse: string | null;
  bytesSpilled: number;
  profile: OperatorProfile[];
  queuedMs: number;
  cluster: number | null;
  warehouseSize: string | null;
  fromResultCache: boolean;
};

export type ProfileOperator = { id: number; operator: string; tasks: number; rowsIn: number; rowsOut: number; ms: number; bytesSpilled: number };
export type ProfileStage = { stage: number; operators: ProfileOperator[] };

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export type StatItem = { label: string; value: string };

export function statsItems(s: QueryStats): StatItem[] {
  const items: StatItem[] = [
    { label: 'Elapsed', value: formatMs(s.elapsedMs) },
    { label: 'Partitions', value: `${formatCount(s.partitionsScanned)} / ${formatCount(s.partitionsTotal)}` },
    { label: 'Scanned', value: formatBytes(s.bytesScanned) },
    { label: 'Cache hit', value: `${Math.round(s.cacheHitRatio * 100)}%` },
  ];
  if (s.queuedMs > 0) items.push({ label: 'Queued', value: formatMs(s.queuedMs) });
  if (s.bytesSpilled > 0) items.push({ label: 'Spilled', value: formatBytes(s.bytesSpilled) });
  if (s.fromResultCache) items.push({ label: 'Result cache', value: 'hit' });
  if (s.warehouse) items.push({ label: 'Warehouse', value: `${s.warehouse}${s.warehouseSize ? ` · ${s.warehouseSize}` : ''}` });
  return items;
}

export function profileStages(profile: readonly OperatorProfile[]): ProfileStage[] {
  const stages = new Map<number, Map<number, ProfileOperator>>();
  for (const p of profile) {
    let ops = stages.get(p.stage);
    if (!ops) stages.set(p.stage, (ops = new Map()));
    const op = ops.get(p.id);
    if (!op) ops.set(p.id, { id: p.id, operator: p.operator, tasks: 1, rowsIn: p.rowsIn, rowsOut: p.rowsOut, ms: p.ms, bytesSpilled: p.bytesSpilled });
    else {
      op.tasks++;
      op.rowsIn += p.rowsIn;
      op.rowsOut += p.rowsOut;
      op.ms = Math.max(op.ms, p.ms);
      op.bytesSpilled += p.bytesSpilled;
    }
  }
  return [...stages.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([stage, ops]) => ({ stage, operators: [...ops.values()].sort((a, b) => a.id - b.id) }));
}

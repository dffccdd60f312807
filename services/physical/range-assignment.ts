/**
 * Range-assigned scans, so an aggregate over a table stored in key order needs no exchange.
 *
 * When a GROUP BY key is a plain copy of a scan column (trace-scan-column.ts) and the scan's
 * partitions hold increasing ranges of that column that overlap at most in a shared bound,
 * tasks that read contiguous stretches of those partitions (in range order), cut only where
 * one partition's max is below the next one's min, see disjoint sets of groups. Each task can
 * then aggregate its groups completely ('single' phase) in the scan's stage: no partial
 * states, no hash exchange, no final phase. Tables loaded in key order (TPC-H's LINEITEM and
 * ORDERS by order key) and tables clustered by their key have such ranges.
 *
 * Contract: `rangeAssignment(root, scan, groupBy)` answers `scan` with its units (and zone
 * maps) sorted by the first GROUP BY key that qualifies and `assign`: that column, and for
 * each unit its run, where units that share a bound with the one before share its run; or
 * null. A scan assigned by ranges already (an aggregate below this one) qualifies only by
 * its column. A column qualifies when it is NUMBER, DATE or VARCHAR, no partition has a NULL in
 * it, every bound is exact, and each partition's max is at most the next partition's min. The
 * coordinator gives each task a contiguous stretch of the units in this order and never
 * splits a run (`assignRanges`). In a subset left by runtime filters two units can share a
 * value only if they share a run, so the groups stay disjoint.
 *
 * The same ranges co-locate a join (`rangeRoute`): when the probe key of a join in the scan's
 * pipeline is such a column, the planner fixes each unit's task (`assignFixed` keeps them
 * there whatever runtime filters leave) and routes the build rows by the bounds the
 * stretches start at, so each task builds only the keys its own probe rows can meet.
 */
import type { DataType } from '../../storage/types/data-type.js';
import type { ScanUnit } from '../../warehouse/fragment/fragment.js';
import { MAX_EXACT } from '../../storage/types/vector.js';
import type { ColumnZone } from '../../storage/partition/zone-map.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import type { ExecNode, StageScan } from '../../warehouse/fragment/stage-plan.js';
import { findScan } from './find-scan.js';
import { traceScanColumn } from './trace-scan-column.js';

export function rangeAssignment(root: ExecNode, scan: StageScan, groupBy: readonly BoundExpr[]): StageScan | null {
  const node = findScan(root);
  if (node === null || scan.units.length < 2) return null;
  for (const g of groupBy) {
    if (g.kind !== 'column') continue;
    const at = traceScanColumn(root, g.index);
    if (at === null) continue;
    const column = node.tableColumns[node.scanColumns[at]];
    // An aggregate below already assigned the units by ranges: only that column keeps its groups apart.
    if (scan.assign !== undefined) {
      if (scan.assign.column === column.name) return scan;
      continue;
    }
    const ranges = increasingRanges(scan.zoneMaps.map((z) => z.columns[column.name]), column.type);
    if (ranges === null) continue;
    const { order, runs } = ranges;
    return { ...scan, units: order.map((i) => scan.units[i]), zoneMaps: order.map((i) => scan.zoneMaps[i]), assign: { column: column.name, runs } };
  }
  return null;
}

/**
 * A co-located join's routing: when probe column `column` of `root` (a pipeline over `scan`)
 * is a plain copy of a NUMBER or DATE scan column whose partitions hold increasing ranges
 * (as above; a scan assigned by ranges already qualifies only by its column), `scan` with
 * each unit's task fixed (assign.tasks: the stretches assignRanges cuts for `tasks` tasks)
 * and the `bounds` those stretches start at: bounds[t - 1] is the smallest key of task t's
 * first unit (a task without units takes the next task's bound, Infinity after the last).
 * The build side routed by these bounds ('range' output) meets every probe row of its key
 * range in one task. Null when the column does not qualify or a bound is not an exact double.
 */
export function rangeRoute(root: ExecNode, scan: StageScan, column: number, tasks: number): { scan: StageScan; bounds: number[] } | null {
  const node = findScan(root);
  const at = node === null || scan.units.length < 2 ? null : traceScanColumn(root, column);
  if (node === null || at === null) return null;
  const col = node.tableColumns[node.scanColumns[at]];
  if (col.type.kind !== 'NUMBER' && col.type.kind !== 'DATE') return null;
  let ranged = scan;
  if (scan.assign === undefined) {
    const ranges = increasingRanges(scan.zoneMaps.map((z) => z.columns[col.name]), col.type);
    if (ranges === null) return null;
    const { order, runs } = ranges;
    ranged = { ...scan, units: order.map((i) => scan.units[i]), zoneMaps: order.map((i) => scan.zoneMaps[i]), assign: { column: col.name, runs } };
  } else if (scan.assign.column !== col.name) {
    return null;
  }
  const assign = ranged.assign!;
  const taskOf = assign.tasks ?? unitTasks(ranged.units, assign.runs, tasks);
  const key = boundKey(col.type)!;
  const bounds: number[] = [];
  for (let t = 1; t < tasks; t++) {
    const first = taskOf.findIndex((task) => task >= t);
    const bound = first < 0 ? Infinity : Number(key(ranged.zoneMaps[first].columns[col.name].min!));
    if (first >= 0 && !(Math.abs(bound) <= MAX_EXACT)) return null;
    bounds.push(bound);
  }
  return { scan: { ...ranged, assign: { ...assign, tasks: taskOf } }, bounds };
}

/** The task of each unit (in order) under assignRanges. */
function unitTasks(units: readonly ScanUnit[], runs: readonly number[], tasks: number): number[] {
  const stretches = assignRanges(units, new Map(units.map((u, i) => [u.partitionId, runs[i]])), tasks);
  const taskOf = new Map<number, number>();
  stretches.forEach((us, t) => us.forEach((u) => taskOf.set(u.partitionId, t)));
  return units.map((u) => taskOf.get(u.partitionId)!);
}

/**
 * The zones' order by min, when their ranges increase in it and overlap at most in a shared
 * bound (exact, no NULLs), with each one's run in that order (a new run where max < next min); else null.
 */
function increasingRanges(zones: (ColumnZone | undefined)[], type: DataType): { order: number[]; runs: number[] } | null {
  const key = boundKey(type);
  if (key === null) return null;
  const bounds: { min: bigint | number | string; max: bigint | number | string; i: number }[] = [];
  for (let i = 0; i < zones.length; i++) {
    const z = zones[i];
    if (z === undefined || !z.exact || z.nullCount > 0 || z.min === null || z.max === null) return null;
    const min = key(z.min);
    const max = key(z.max);
    if (min === null || max === null) return null;
    bounds.push({ min, max, i });
  }
  bounds.sort((a, b) => (a.min < b.min ? -1 : a.min > b.min ? 1 : a.max < b.max ? -1 : a.max > b.max ? 1 : 0));
  const runs = [0];
  for (let k = 1; k < bounds.length; k++) {
    if (bounds[k - 1].max > bounds[k].min) return null;
    runs.push(bounds[k - 1].max < bounds[k].min ? runs[k - 1] + 1 : runs[k - 1]);
  }
  if (runs[runs.length - 1] === 0) return null;
  return { order: bounds.map((b) => b.i), runs };
}

/** How a zone-map bound of `type` compares (zone-map.ts: NUMBER a scaled-integer string, DATE days, VARCHAR the string), or null when not supported. */
function boundKey(type: DataType): ((v: boolean | number | string) => bigint | number | string | null) | null {
  switch (type.kind) {
    case 'NUMBER':
      return (v) => (typeof v === 'string' && /^-?\d+$/.test(v) ? BigInt(v) : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : null);
    case 'DATE':
      return (v) => (typeof v === 'number' ? v : null);
    case 'VARCHAR':
    case 'BINARY':
      return (v) => (typeof v === 'string' ? v : null);
    default:
      return null;
  }
}

/**
 * Units per task for a range-assigned scan (range-assignment.ts): contiguous stretches of
 * the units, in their order, of near-equal rows; a unit of the same run as the one before
 * goes to the same task.
 */
export function assignRanges(units: readonly ScanUnit[], runs: Map<number, number>, tasks: number): ScanUnit[][] {
  const out: ScanUnit[][] = Array.from({ length: tasks }, () => []);
  const total = units.reduce((n, u) => n + u.rowCount, 0);
  let before = 0;
  let task = 0;
  let run = -1;
  for (const u of units) {
    const r = runs.get(u.partitionId)!;
    // The task whose share of the rows this unit's middle row falls in, unless it continues a run.
    if (r !== run) task = Math.max(task, Math.min(tasks - 1, Math.floor(((before + u.rowCount / 2) * tasks) / Math.max(1, total))));
    run = r;
    out[task].push(u);
    before += u.rowCount;
  }
  return out;
}

/** Units per task of a scan whose stretches the planner fixed (assign.tasks): past the last task, the last one. */
export function assignFixed(units: readonly ScanUnit[], scan: StageScan, tasks: number): ScanUnit[][] {
  const taskOf = new Map(scan.units.map((u, i) => [u.partitionId, scan.assign!.tasks![i]]));
  const out: ScanUnit[][] = Array.from({ length: tasks }, () => []);
  for (const u of units) out[Math.min(tasks - 1, taskOf.get(u.partitionId)!)].push(u);
  return out;
}

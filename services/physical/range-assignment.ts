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
 * splits a run (run-stage-plan.ts assignRanges). In a subset left by runtime filters two
 * units can share a value only if they share a run, so the groups stay disjoint.
 */
import type { DataType } from '../../storage/types/data-type.js';
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
      return (v) => (typeof v === 'string' ? v : null);
    default:
      return null;
  }
}

/**
 * The prune step of a query: every scan in the optimized plan gets its pruning result
 * (surviving partitions and how to scan each), computed from zone maps before dispatch.
 */
import type { LogicalPlan } from '../plan/logical-plan.js';
import { transformUp } from '../plan/transform-up.js';
import { prunePartitions } from './prune-partitions.js';
import { isShreddedName } from '../../storage/partition/shredded-path.js';

export function prunePlan(plan: LogicalPlan, enabled: boolean): LogicalPlan {
  return transformUp(plan, (p) => {
    if (p.kind !== 'scan') return p;
    // A shredded VARIANT path's column (read_shredded_paths) is found by its sub-column's field name.
    const names = p.columns.map((i) => (isShreddedName(p.table.columns[i].physicalName) ? p.table.columns[i].physicalName : p.table.columns[i].name));
    return { ...p, pruning: prunePartitions(p.partitions, p.filter, names, enabled) };
  });
}

/** Partitions total and scanned, summed over every scan of a pruned plan. */
export function pruningTotals(plan: LogicalPlan): { total: number; scanned: number } {
  let total = 0;
  let scanned = 0;
  transformUp(plan, (p) => {
    if (p.kind === 'scan' && p.pruning) {
      total += p.pruning.partitionsTotal;
      scanned += p.pruning.partitionsScanned;
    }
    return p;
  });
  return { total, scanned };
}

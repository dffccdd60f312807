/**
 * Row estimates from catalog statistics, for choosing join order and build sides: a scan's
 * live partition rows (only the surviving partitions once pruned), a quarter of them where
 * it has a filter that pruning did not prove true for the whole partition; joins as their
 * larger input; an aggregate without GROUP BY as one row; a filter as half its input, a
 * tenth when it filters groups (HAVING).
 */
import type { LogicalPlan } from './logical-plan.js';

export function estimateRows(p: LogicalPlan): number {
  switch (p.kind) {
    case 'scan': {
      // Partitions pruning proved all-true count whole; the rest still face the filter.
      if (p.pruning) return p.pruning.units.reduce((n, u) => n + (u.filterMode === 'all' ? u.partition.rowCount : u.partition.rowCount / 4), 0);
      const rows = p.partitions.reduce((n, x) => n + x.rowCount, 0);
      return p.filter ? rows / 4 : rows;
    }
    case 'values':
      return p.rows.length;
    case 'join':
      return Math.max(estimateRows(p.left), estimateRows(p.right));
    case 'set_operation':
      return estimateRows(p.left) + estimateRows(p.right);
    case 'aggregate':
      return p.groupBy.length === 0 ? 1 : estimateRows(p.input);
    case 'limit':
      return Math.min(p.limit ?? Infinity, estimateRows(p.input));
    case 'filter':
      // A HAVING condition is taken as selective (1 in 10 groups), other filters as halving.
      return estimateRows(p.input) / (p.input.kind === 'aggregate' && p.input.groupBy.length > 0 ? 10 : 2);
    default:
      return estimateRows(p.input);
  }
}

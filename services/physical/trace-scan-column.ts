/**
 * Where a column of an operator's output comes from in the stage's scan, for runtime join
 * filters: a filter on that scan column drops exactly the rows the operator would have output
 * with those values, so the coordinator may add a join's build-key range to the scan.
 *
 * Contract: answers the scan_exec output position (a scanColumns position) that output column
 * `col` of `node` is a plain copy of, within the node's stage (an exchange source ends the
 * search), or null. It passes through filters, column projections, GROUP BY keys of a partial
 * or single aggregate (dropping some groups drops those groups' input rows) and the side of a
 * join the column comes from, when filtering the join's output by it filters that input alike
 * (the rules of join-pruning.ts's addToScan): the left side of INNER, CROSS, LEFT, SEMI, ANTI
 * and NULL_AWARE_ANTI joins, the right side of INNER and CROSS joins.
 */
import type { ExecNode } from '../../warehouse/fragment/stage-plan.js';

const LEFT_FILTERABLE = new Set(['INNER', 'CROSS', 'LEFT', 'SEMI', 'ANTI', 'NULL_AWARE_ANTI']);

export function traceScanColumn(node: ExecNode, col: number): number | null {
  switch (node.kind) {
    case 'scan_exec': {
      // A scan with `every` is not the stage's scan; a rowIds scan's address columns come after its output columns.
      if (node.every) return null;
      const output = node.output ?? node.scanColumns.map((_, i) => i);
      return col < output.length ? output[col] : null;
    }
    case 'filter_exec':
      return traceScanColumn(node.input, col);
    case 'project_exec': {
      const e = node.exprs[col];
      return e.kind === 'column' ? traceScanColumn(node.input, e.index) : null;
    }
    case 'hash_aggregate_exec': {
      if (node.phase === 'final') return null;
      const g = col < node.groupBy.length ? node.groupBy[col] : null;
      return g !== null && g.kind === 'column' ? traceScanColumn(node.input, g.index) : null;
    }
    case 'hash_join_exec': {
      const leftWidth = node.spec.left.length;
      if (node.spec.outputs) return null;
      if (col < leftWidth) return LEFT_FILTERABLE.has(node.spec.type) ? traceScanColumn(node.left, col) : null;
      return node.spec.type === 'INNER' || node.spec.type === 'CROSS' ? traceScanColumn(node.right, col - leftWidth) : null;
    }
    default:
      return null;
  }
}

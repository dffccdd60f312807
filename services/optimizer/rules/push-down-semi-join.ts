/**
 * push_down_semi_join: moves a SEMI/ANTI join (what IN / EXISTS / NOT IN subqueries bind to)
 * below the inner joins under it, onto the one relation whose columns its condition reads,
 * when its subquery side is estimated smaller than that relation. TPC-H Q18 filters orders
 * by `o_orderkey IN (few keys)` above a lineitem-orders-customer join: placed on orders, the
 * filter shrinks the orders build side to a handful of rows, whose key set then prunes the
 * lineitem scan, instead of joining all of lineitem first.
 *
 * Contract: a SEMI/ANTI/NULL_AWARE_ANTI row filter over one relation R of an inner-join tree
 * commutes with the inner joins (a joined row survives exactly when its R part does), so
 * the move keeps results. It descends through Projects whose referenced outputs are plain
 * columns, Filters, and INNER/CROSS joins; it stops (leaves the plan as it was) at anything
 * else, when the condition's left columns span several relations, or when the subquery side
 * is not smaller than the relation (then the join is cheaper after the inner joins have
 * reduced the rows, as in TPC-H Q21). Runs before reorder_joins, which then sees the
 * filtered relation with its smaller estimate.
 */
import type { BoundExpr } from '../../../warehouse/fragment/bound-expr.js';
import { collectColumns, remapColumns } from '../../../warehouse/fragment/bound-expr-walk.js';
import { estimateRows } from '../../plan/estimate-rows.js';
import { planColumns, type JoinNode, type LogicalPlan } from '../../plan/logical-plan.js';
import type { OptimizerRule } from '../optimizer-rule.js';
import { transformUp } from '../../plan/transform-up.js';

const FILTER_JOINS: ReadonlySet<string> = new Set(['SEMI', 'ANTI', 'NULL_AWARE_ANTI']);

/**
 * Places `semi` (its condition over `plan`'s columns then the right side's) on the relation
 * of `plan` that owns the condition's left columns, or returns null. `underJoin` says an
 * inner join has been passed, so `plan` itself may take the join.
 */
function sink(plan: LogicalPlan, semi: JoinNode, condition: BoundExpr, underJoin: boolean, rightRows: number): LogicalPlan | null {
  const width = planColumns(plan).length;
  const rightWidth = planColumns(semi.right).length;
  const leftRefs = [...collectColumns(condition, new Set())].filter((c) => c < width);
  /** Condition with left column c moved to leftMap[c] and right columns placed after `newWidth` left ones. */
  const moved = (leftMap: (c: number) => number, newWidth: number): BoundExpr => {
    const map = new Int32Array(width + rightWidth);
    for (let c = 0; c < width; c++) map[c] = leftMap(c);
    for (let j = 0; j < rightWidth; j++) map[width + j] = newWidth + j;
    return remapColumns(condition, map);
  };
  switch (plan.kind) {
    case 'project': {
      if (!leftRefs.every((c) => plan.exprs[c].kind === 'column')) return null;
      const inputWidth = planColumns(plan.input).length;
      const input = sink(plan.input, semi, moved((c) => (plan.exprs[c].kind === 'column' ? (plan.exprs[c] as { index: number }).index : c), inputWidth), underJoin, rightRows);
      return input && { ...plan, input };
    }
    case 'filter': {
      const input = sink(plan.input, semi, condition, underJoin, rightRows);
      return input && { ...plan, input };
    }
    case 'join': {
      if (plan.joinType === 'INNER' || plan.joinType === 'CROSS') {
        const lw = planColumns(plan.left).length;
        if (leftRefs.length > 0 && leftRefs.every((c) => c < lw)) {
          const left = sink(plan.left, semi, moved((c) => c, lw), true, rightRows);
          return left && { ...plan, left };
        }
        if (leftRefs.length > 0 && leftRefs.every((c) => c >= lw)) {
          const rw = width - lw;
          const right = sink(plan.right, semi, moved((c) => c - lw, rw), true, rightRows);
          return right && { ...plan, right };
        }
        return null;
      }
      break;
    }
  }
  if (!underJoin || rightRows >= estimateRows(plan)) return null;
  return { ...semi, left: plan, condition };
}

export const pushDownSemiJoin: OptimizerRule = {
  name: 'push_down_semi_join',
  apply(plan) {
    return transformUp(plan, (p) => {
      if (p.kind !== 'join' || !FILTER_JOINS.has(p.joinType) || p.condition === null) return p;
      return sink(p.left, p, p.condition, false, estimateRows(p.right)) ?? p;
    });
  },
};

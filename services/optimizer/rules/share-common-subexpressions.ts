/**
 * share_common_subexpressions: a costly expression that a Project or an Aggregate computes
 * more than once per row (`SUM(ARRAY_SIZE(v:items)), MAX(ARRAY_SIZE(v:items))`,
 * `PARSE_JSON(s):a ... PARSE_JSON(s):b`) is computed once, by a Project inserted right below
 * the node, which then reads it as a column.
 *
 * Contract: only subtrees that touch semi-structured values (a call or cast whose type, or
 * whose argument's type, is VARIANT, OBJECT or ARRAY) are shared: that is where a repeat
 * costs a JSON parse or walk per row, while sharing cheap arithmetic would cost a column more
 * than it saves. A subtree is shared when it occurs at least twice among the node's
 * expressions outside conditional evaluation: nothing under CASE, AND, OR or a lazy call
 * (IFF, COALESCE, ...) is hoisted, since those evaluate an argument only on the rows that need
 * it and hoisting would raise errors they guard against; a subtree with a volatile call
 * (RANDOM, UUID_STRING) is never shared. The largest repeated subtrees are taken. The inserted
 * Project passes every input column through, then appends the shared values, so input column
 * indexes keep their meaning.
 */
import { isSemiStructured } from '../../../storage/types/data-type.js';
import { aggregateCallExprs, mapAggregateCall, type BoundExpr } from '../../../warehouse/fragment/bound-expr.js';
import { getFunction } from '../../../warehouse/execute/functions/function-registry.js';
import { childrenOf, exprKey, mapChildren } from '../../../warehouse/fragment/bound-expr-walk.js';
import { planColumns, type LogicalPlan } from '../../plan/logical-plan.js';
import { transformUp } from '../../plan/transform-up.js';
import type { OptimizerRule } from '../optimizer-rule.js';

/** Whether evaluation may skip rows of `e`'s arguments (so they must stay where they are). */
function conditional(e: BoundExpr): boolean {
  return e.kind === 'case' || e.kind === 'and' || e.kind === 'or' || (e.kind === 'call' && getFunction(e.fn).lazy !== undefined);
}

function volatile(e: BoundExpr): boolean {
  return e.kind === 'nextval' || (e.kind === 'call' && getFunction(e.fn).volatile === true) || childrenOf(e).some(volatile);
}

/** Whether `e` itself is a call or cast on semi-structured values. */
function touchesSemiStructured(e: BoundExpr): boolean {
  if (e.kind === 'cast') return isSemiStructured(e.type) || isSemiStructured(e.expr.type);
  if (e.kind === 'call') return isSemiStructured(e.type) || e.args.some((a) => isSemiStructured(a.type));
  return false;
}

/** Counts the unconditional call / cast subtrees of `e` by structural key. */
function count(e: BoundExpr, counts: Map<string, number>): void {
  if (e.kind === 'call' || e.kind === 'cast') {
    const k = exprKey(e);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  if (!conditional(e)) for (const c of childrenOf(e)) count(c, counts);
}

/** Whether any node of `e` outside conditional arguments touches semi-structured values. */
function worthSharing(e: BoundExpr): boolean {
  if (touchesSemiStructured(e)) return true;
  return !conditional(e) && childrenOf(e).some(worthSharing);
}

/**
 * A rewrite that replaces the largest repeated costly subtrees of `exprs` by columns `width`,
 * `width + 1`, ..., and the list of those subtrees, filled as the rewrite meets them.
 */
function sharing(exprs: readonly BoundExpr[], width: number): { rewrite: (e: BoundExpr) => BoundExpr; shared: BoundExpr[] } {
  const counts = new Map<string, number>();
  for (const e of exprs) count(e, counts);
  const shared: BoundExpr[] = [];
  const slots = new Map<string, number>();
  const rewrite = (e: BoundExpr): BoundExpr => {
    if (e.kind === 'call' || e.kind === 'cast') {
      const k = exprKey(e);
      if ((counts.get(k) ?? 0) >= 2 && worthSharing(e) && !volatile(e)) {
        let slot = slots.get(k);
        if (slot === undefined) {
          slot = shared.length;
          slots.set(k, slot);
          shared.push(e);
        }
        return { kind: 'column', index: width + slot, type: e.type };
      }
    }
    return conditional(e) ? e : mapChildren(e, rewrite);
  };
  return { rewrite, shared };
}

/** The Project below a node: every input column, then the shared values. */
function below(input: LogicalPlan, shared: BoundExpr[]): LogicalPlan {
  const cols = planColumns(input);
  return {
    kind: 'project',
    input,
    exprs: [...cols.map((c, index): BoundExpr => ({ kind: 'column', index, type: c.type })), ...shared],
    names: [...cols.map((c) => c.name), ...shared.map((_, i) => `$shared${i}`)],
  };
}

export const shareCommonSubexpressions: OptimizerRule = {
  name: 'share_common_subexpressions',
  apply(plan: LogicalPlan): LogicalPlan {
    return transformUp(plan, (p) => {
      if (p.kind === 'project') {
        const { rewrite, shared } = sharing(p.exprs, planColumns(p.input).length);
        const exprs = p.exprs.map(rewrite);
        return shared.length === 0 ? p : { ...p, input: below(p.input, shared), exprs };
      }
      if (p.kind === 'aggregate') {
        const { rewrite, shared } = sharing([...p.groupBy, ...p.aggregates.flatMap(aggregateCallExprs)], planColumns(p.input).length);
        const groupBy = p.groupBy.map(rewrite);
        const aggregates = p.aggregates.map((a) => mapAggregateCall(a, rewrite));
        return shared.length === 0 ? p : { ...p, input: below(p.input, shared), groupBy, aggregates };
      }
      return p;
    });
  },
};

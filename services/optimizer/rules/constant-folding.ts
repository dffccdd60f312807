/**
 * constant_folding: replaces every sub-expression without column references by its value,
 * computed once with the same kernels that run in the warehouse (so folding can never
 * change a result). An expression whose evaluation fails (1/0) is left in place: the error
 * is raised only if a row ever reaches it, as in Snowflake.
 */
import { scalarAt } from '../../../storage/types/scalar-at.js';
import type { BoundExpr } from '../../../warehouse/fragment/bound-expr.js';
import { evaluateExpr } from '../../../warehouse/execute/evaluate-expr.js';
import type { LogicalPlan } from '../../plan/logical-plan.js';
import { childrenOf, mapChildren } from '../../plan/bound-expr-walk.js';
import { transformUp, type OptimizerRule } from '../optimizer-rule.js';

const ONE_ROW = { length: 1, columns: [] };

export function foldConstants(e: BoundExpr): BoundExpr {
  if (e.kind === 'literal' || e.kind === 'column') return e;
  const folded = mapChildren(e, foldConstants);
  if (!isConstant(folded)) return folded;
  try {
    return { kind: 'literal', value: scalarAt(evaluateExpr(folded, ONE_ROW), 0, folded.type), type: folded.type };
  } catch {
    return folded;
  }
}

function isConstant(e: BoundExpr): boolean {
  if (e.kind === 'column') return false;
  if (e.kind === 'literal') return true;
  return childrenOf(e).every(isConstant);
}

function foldNode(p: LogicalPlan): LogicalPlan {
  switch (p.kind) {
    case 'filter':
      return { ...p, predicate: foldConstants(p.predicate) };
    case 'project':
      return { ...p, exprs: p.exprs.map(foldConstants) };
    case 'aggregate':
      return {
        ...p,
        groupBy: p.groupBy.map(foldConstants),
        aggregates: p.aggregates.map((a) => ({ ...a, arg: a.arg ? foldConstants(a.arg) : null })),
      };
    case 'scan':
      return p.filter ? { ...p, filter: foldConstants(p.filter) } : p;
    case 'values':
      return { ...p, rows: p.rows.map((r) => r.map(foldConstants)) };
    default:
      return p;
  }
}

export const constantFolding: OptimizerRule = {
  name: 'constant_folding',
  apply(plan) {
    const before = JSON.stringify(plan, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
    const after = transformUp(plan, foldNode);
    return JSON.stringify(after, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)) === before ? plan : after;
  },
};

/**
 * Constant folding of one bound expression: every sub-expression without column references
 * (or parameters) becomes its value, computed once with the same kernels that run in the
 * warehouse (so folding can never change a result). An expression whose evaluation fails
 * (1/0) is left in place: the error is raised only if a row ever reaches it, as in Snowflake.
 * Used by the constant_folding optimizer rule over whole plans and by the binder (the value a
 * correlated aggregate subquery has over no rows), so it lives here, below both.
 */
import { scalarAt } from '../../storage/types/scalar-at.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { evaluateExpr } from '../../warehouse/execute/evaluate-expr.js';
import { childrenOf, mapChildren } from './bound-expr-walk.js';

const ONE_ROW = { length: 1, columns: [] };

export function foldConstants(e: BoundExpr): BoundExpr {
  if (e.kind === 'literal' || e.kind === 'column' || e.kind === 'param') return e;
  const folded = mapChildren(e, foldConstants);
  if (!isConstant(folded)) return folded;
  try {
    return { kind: 'literal', value: scalarAt(evaluateExpr(folded, ONE_ROW), 0, folded.type), type: folded.type };
  } catch {
    return folded;
  }
}

function isConstant(e: BoundExpr): boolean {
  if (e.kind === 'column' || e.kind === 'param') return false;
  if (e.kind === 'literal') return true;
  return childrenOf(e).every(isConstant);
}

/**
 * The rows of a plan that holds nothing but literals (SELECT 1, SELECT 'a', 2 after constant
 * folding, an aggregate answered from the zone maps): a single 'result' stage whose tree is a
 * values_exec of literal cells, or a projection over a values_exec whose expressions are
 * literals or columns of literal cells. Such an answer is read from
 * the plan itself: sending it to a worker would queue it behind the warehouse's running tasks
 * (a health probe's SELECT 1 waiting seconds for a join), and there is no data to process.
 *
 * Contract: answers the rows as Scalars, or null when the plan holds anything else (a scan,
 * an exchange, any expression that is not a literal: those run in the workers). At most
 * MAX_LITERAL_ROWS rows, so this stays a constant-time answer.
 */
import type { Scalar } from '../../storage/types/scalar.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import type { StagePlan } from '../../warehouse/fragment/stage-plan.js';

export const MAX_LITERAL_ROWS = 1000;

const literal = (e: BoundExpr): e is Extract<BoundExpr, { kind: 'literal' }> => e.kind === 'literal';

export function literalRows(plan: StagePlan): Scalar[][] | null {
  if (plan.stages.length !== 1) return null;
  const stage = plan.stages[0];
  if (stage.output.kind !== 'result') return null;
  const root = stage.root;
  if (root.kind === 'values_exec') {
    if (root.rows.length > MAX_LITERAL_ROWS || !root.rows.every((r) => r.every(literal))) return null;
    return root.rows.map((r) => r.map((e) => (e as Extract<BoundExpr, { kind: 'literal' }>).value));
  }
  if (root.kind === 'project_exec' && root.input.kind === 'values_exec' && root.input.rows.length <= MAX_LITERAL_ROWS) {
    const rows = root.input.rows;
    const passes = (e: BoundExpr): boolean => literal(e) || (e.kind === 'column' && rows.every((r) => literal(r[e.index])));
    if (!root.exprs.every(passes)) return null;
    return rows.map((r) => root.exprs.map((e) => (e.kind === 'column' ? (r[e.index] as Extract<BoundExpr, { kind: 'literal' }>) : (e as Extract<BoundExpr, { kind: 'literal' }>)).value));
  }
  return null;
}

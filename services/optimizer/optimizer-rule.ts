/**
 * The optimizer-rule contract: one rule per file (services/optimizer/rules/), each with a
 * stable snake_case `name` that EXPLAIN prints. `apply` returns the same object when it
 * changed nothing, so the optimizer can report which rules fired.
 */
import type { LogicalPlan } from '../plan/logical-plan.js';

export type OptimizerRule = { name: string; apply(plan: LogicalPlan): LogicalPlan };

/** Rebuilds a plan bottom-up through `f`, keeping unchanged subtrees identical. */
export function transformUp(plan: LogicalPlan, f: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  if ('input' in plan) {
    const input = transformUp(plan.input, f);
    const next = input === plan.input ? plan : ({ ...plan, input } as LogicalPlan);
    return f(next);
  }
  if (plan.kind === 'join' || plan.kind === 'set_operation') {
    const left = transformUp(plan.left, f);
    const right = transformUp(plan.right, f);
    return f(left === plan.left && right === plan.right ? plan : ({ ...plan, left, right } as LogicalPlan));
  }
  return f(plan);
}

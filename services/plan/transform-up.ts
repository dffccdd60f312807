/**
 * The one generic rewrite of a logical plan tree: bottom-up, keeping unchanged subtrees
 * identical (by reference), so a caller can tell whether anything changed. Shared by the
 * binder, the optimizer rules and pruning, so it lives with the plan, not with any of them.
 */
import type { LogicalPlan } from './logical-plan.js';

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
  if (plan.kind === 'recursive_union') {
    const anchor = transformUp(plan.anchor, f);
    const recursive = transformUp(plan.recursive, f);
    return f(anchor === plan.anchor && recursive === plan.recursive ? plan : { ...plan, anchor, recursive });
  }
  return f(plan);
}

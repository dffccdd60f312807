/**
 * constant_folding: replaces every sub-expression without column references by its value
 * (plan/fold-constants.ts, which says how and what it leaves to the workers), throughout the plan.
 */
import { foldConstants } from '../../plan/fold-constants.js';
import { mapPlanExprs } from '../../plan/map-plan-exprs.js';
import type { OptimizerRule } from '../optimizer-rule.js';

/** The expression-level folding, re-exported for callers that know it by this rule's file. */
export { foldConstants, MAX_FOLDED_CHARS } from '../../plan/fold-constants.js';

export const constantFolding: OptimizerRule = {
  name: 'constant_folding',
  apply(plan) {
    const before = JSON.stringify(plan, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
    const after = mapPlanExprs(plan, foldConstants);
    return JSON.stringify(after, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)) === before ? plan : after;
  },
};

/**
 * constant_folding: replaces every sub-expression without column references by its value
 * (plan/fold-constants.ts, which says how and what it leaves to the workers), throughout the plan.
 */
import { foldConstants } from '../../plan/fold-constants.js';
import { mapPlanExprs } from '../../plan/map-plan-exprs.js';
import { samePlan } from '../../plan/same-plan.js';
import type { OptimizerRule } from '../optimizer-rule.js';

export const constantFolding: OptimizerRule = {
  name: 'constant_folding',
  apply(plan) {
    const after = mapPlanExprs(plan, foldConstants);
    return samePlan(after, plan) ? plan : after;
  },
};

/**
 * The optimizer: runs the rules in a fixed order and remembers which ones changed the plan,
 * for EXPLAIN. Order matters: folding first (so push-down and pruning see literals), then
 * filter push-down (which turns WHERE predicates into join conditions), the SEMI join that bounds
 * a grouped join side by the other side's keys (decorrelated subqueries), semi-join push-down
 * (so join reordering sees relations already filtered by IN/EXISTS subqueries), join reordering,
 * projection push-down, reading shredded VARIANT paths (over the final scan columns), then
 * metadata-only aggregates (which need a bare scan), and last sharing repeated semi-structured
 * subexpressions (after the shredded-path rewrite, so a path read from its sub-column is not
 * hoisted out of the COALESCE that falls back to the JSON). A recursive CTE's definition (the root
 * of its init plan) is its anchor and its recursive step, each optimized as a plan.
 */
import type { LogicalPlan } from '../plan/logical-plan.js';
import type { OptimizerRule } from './optimizer-rule.js';
import { aggregateFromZoneMaps } from './rules/aggregate-from-zone-maps.js';
import { constantFolding } from './rules/constant-folding.js';
import { pushDownFilter } from './rules/push-down-filter.js';
import { pushDownProjection } from './rules/push-down-projection.js';
import { pushDownSemiJoin } from './rules/push-down-semi-join.js';
import { readShreddedPaths } from './rules/read-shredded-paths.js';
import { reorderJoins } from './rules/reorder-joins.js';
import { semiJoinGroupedSide } from './rules/semi-join-grouped-side.js';
import { shareCommonSubexpressions } from './rules/share-common-subexpressions.js';

export const RULES: readonly OptimizerRule[] = [constantFolding, pushDownFilter, semiJoinGroupedSide, pushDownSemiJoin, reorderJoins, pushDownProjection, readShreddedPaths, aggregateFromZoneMaps, shareCommonSubexpressions];

export function optimize(plan: LogicalPlan, rules: readonly OptimizerRule[] = RULES): { plan: LogicalPlan; applied: string[] } {
  if (plan.kind === 'recursive_union') {
    // A recursive CTE's definition (an init plan's root): its anchor and its recursive step run as plans of their own.
    const anchor = optimize(plan.anchor, rules);
    const recursive = optimize(plan.recursive, rules);
    return { plan: { ...plan, anchor: anchor.plan, recursive: recursive.plan }, applied: [...new Set([...anchor.applied, ...recursive.applied])] };
  }
  const applied: string[] = [];
  for (const rule of rules) {
    const next = rule.apply(plan);
    if (next !== plan) applied.push(rule.name);
    plan = next;
  }
  return { plan, applied };
}

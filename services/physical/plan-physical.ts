/**
 * The physical planner's entry for queries: an optimized, pruned logical plan becomes a
 * StagePlan (warehouse/fragment/stage-plan.ts) whose root stage is one task streaming the
 * query's rows to the client ('result'), gathering the plan's tasks first when they are
 * several. The strategies are stage-planner.ts's.
 *
 * Contract: the plan's scans carry their pruning (prune-plan.ts); init-plan params may still
 * be in it (EXPLAIN). Stages come children first, ids are their positions, ExecNode ids are
 * unique across the plan, and the root stage's types are planColumns(plan)'s.
 */
import type { StagePlan } from '../../warehouse/fragment/stage-plan.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import { StagePlanner, type PhysicalOptions } from './stage-planner.js';

export function planPhysical(plan: LogicalPlan, opts: PhysicalOptions): StagePlan {
  const planner = new StagePlanner(opts);
  const top = planner.single(planner.open(plan));
  const root = planner.close(top, { kind: 'result' });
  return { stages: planner.stages, root: root.id };
}

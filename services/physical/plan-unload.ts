/**
 * The physical plan of an unload (COPY INTO @stage FROM (query)): the query's plan with an
 * unload_exec on top in a stage whose output is 'written' (each task answers the files it
 * wrote). Like a write (plan-write.ts) the last stage runs on every worker, its rows spread
 * round robin when the query ends in one task; with SINGLE = TRUE everything is gathered
 * into one task (in order, after an ORDER BY), which writes the one file.
 *
 * Contract: `plan` is optimized and pruned, and `columns` name and type its output columns.
 */
import type { Column } from '../../storage/types/schema.js';
import type { StagePlan, UnloadTarget } from '../../warehouse/fragment/stage-plan.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import { StagePlanner, type PhysicalOptions } from './stage-planner.js';

export function planUnload(plan: LogicalPlan, columns: Column[], target: UnloadTarget, opts: PhysicalOptions): StagePlan {
  const planner = new StagePlanner(opts);
  let top = planner.open(plan);
  if (target.singleName !== null) top = planner.single(top);
  else if (top.tasks !== opts.workers) top = planner.through(top, { kind: 'round_robin' }, opts.workers);
  top.root = planner.exec({ kind: 'unload_exec', input: top.root, columns, target, types: [] });
  const root = planner.close(top, { kind: 'written' });
  return { stages: planner.stages, root: root.id };
}

/**
 * The physical plan of a write (INSERT, CREATE TABLE AS SELECT): the query's plan with a
 * write_exec on top in a stage of `workers` tasks whose output is 'written' (each task
 * answers the micro-partitions it wrote). The query's last stage is that stage when it runs
 * on every worker already (a scan pipeline, a final aggregate, a partitioned join); otherwise
 * (one task: VALUES, a sort, a LIMIT) its rows are spread round robin to the writing tasks.
 *
 * Contract: `plan` is optimized and pruned, and its columns are the target's (the caller casts
 * them); `target.clusterBy` are positions in `target.columns`; write_exec outputs no columns.
 */
import type { Column } from '../../storage/types/schema.js';
import type { StagePlan } from '../../warehouse/fragment/stage-plan.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import { StagePlanner, type PhysicalOptions } from './stage-planner.js';

export type WriteTarget = { columns: Column[]; clusterBy: number[]; partitionRows: number; keyPrefix: string };

export function planWrite(plan: LogicalPlan, target: WriteTarget, opts: PhysicalOptions): StagePlan {
  const planner = new StagePlanner(opts);
  let top = planner.open(plan);
  if (top.tasks !== opts.workers) top = planner.through(top, { kind: 'round_robin' }, opts.workers);
  top.root = planner.exec({ kind: 'write_exec', input: top.root, columns: target.columns, clusterBy: target.clusterBy, partitionRows: target.partitionRows, keyPrefix: target.keyPrefix, types: [] });
  const root = planner.close(top, { kind: 'written' });
  return { stages: planner.stages, root: root.id };
}

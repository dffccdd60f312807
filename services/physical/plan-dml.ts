/**
 * The physical plan of UPDATE, DELETE and MERGE: the change rows' plan (services/plan/bind-dml.ts)
 * in its stages, hashed by `$partition` (a MERGE's inserts, whose `$partition` is NULL,
 * spread round robin) to a rewrite stage of `workers` tasks, each sorting its change rows by
 * ($partition, $row) and rewriting the partitions they name (rewrite_exec) into a 'written'
 * output. Only partitions with change rows are read and rewritten; every other partition of
 * the table is left as it is.
 *
 * Contract: `plan` is optimized and pruned; its columns are $partition, $row, then ($action for
 * MERGE) one new value per table column in `target.columns`' order and types (DELETE: none).
 */
import type { Column } from '../../storage/types/schema.js';
import type { BoundExpr, SortKey } from '../../warehouse/fragment/bound-expr.js';
import type { AbsentDefault, RewriteCandidate, RewriteMode, StagePlan } from '../../warehouse/fragment/stage-plan.js';
import { ROW_ID_COLUMNS, type LogicalPlan } from '../plan/logical-plan.js';
import { StagePlanner, type PhysicalOptions } from './stage-planner.js';

export type DmlTarget = {
  mode: RewriteMode;
  candidates: RewriteCandidate[];
  columns: Column[];
  clusterBy: number[];
  clusterKeyChanged: boolean;
  partitionRows: number;
  keyPrefix: string;
  /** Columns partitions written before an ADD COLUMN lack, with what they read as (stage-plan.ts). */
  absent?: AbsentDefault[];
};

export function planDml(plan: LogicalPlan, target: DmlTarget, opts: PhysicalOptions): StagePlan {
  const planner = new StagePlanner(opts);
  const changes = planner.open(plan);
  const address: BoundExpr[] = ROW_ID_COLUMNS.map((c, index) => ({ kind: 'column', index, type: c.type }));
  const rewrite = planner.through(changes, { kind: 'hash', keys: [address[0]], nullsRoundRobin: true }, opts.workers);
  const keys: SortKey[] = address.map((expr) => ({ expr, desc: false, nullsFirst: false }));
  const sorted = planner.exec({ kind: 'sort_exec', input: rewrite.root, keys, types: rewrite.root.types });
  rewrite.root = planner.exec({ kind: 'rewrite_exec', input: sorted, ...target, types: [] });
  const root = planner.close(rewrite, { kind: 'written' });
  return { stages: planner.stages, root: root.id };
}

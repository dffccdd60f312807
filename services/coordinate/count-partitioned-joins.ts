/**
 * The joins of a stage plan that run partitioned by key across the workers (QueryStats'
 * `partitionedJoins`): hash joins both of whose inputs are hash exchanges.
 */
import type { ExecNode, StagePlan } from '../../warehouse/fragment/stage-plan.js';
import { execNodes } from './map-exec-nodes.js';

export function countPartitionedJoins(plan: StagePlan): number {
  const hashed = new Set(plan.stages.filter((s) => s.output.kind === 'hash').map((s) => s.id));
  const fromHash = (n: ExecNode) => n.kind === 'exchange_source_exec' && hashed.has(n.stage);
  let count = 0;
  for (const s of plan.stages) {
    if (s.tasks < 2) continue;
    for (const n of execNodes(s.root)) if (n.kind === 'hash_join_exec' && fromHash(n.left) && fromHash(n.right)) count++;
  }
  return count;
}

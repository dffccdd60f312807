/**
 * Where join pruning may drop probe rows (the planner asks for runtime filters only there,
 * services/pruning/runtime-filter.ts applies them): rows of the probe side that match nothing
 * may be dropped only when the join never outputs them: the probe side of an INNER or SEMI
 * join, the right side of a LEFT join, the left of a RIGHT join.
 */
import type { JoinType } from '../plan/logical-plan.js';

export function canPruneProbe(type: JoinType, probeIsLeft: boolean): boolean {
  switch (type) {
    case 'INNER':
    case 'SEMI':
      return true;
    case 'LEFT':
      return !probeIsLeft;
    case 'RIGHT':
      return probeIsLeft;
    default:
      return false;
  }
}

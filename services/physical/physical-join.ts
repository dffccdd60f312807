/**
 * One join as the physical operators take it: its condition split into hash keys, the IN key
 * of the NULL-aware types and a residual (splitJoinCondition in plan-join.ts), the operator's
 * join type, and which build sides the join type allows to be broadcast.
 *
 * Contract: for NULL_AWARE_ANTI and NULL_AWARE_MARK the binder puts the IN comparison first
 * (logical-plan.ts, JoinNode); it becomes `inKey` and the remaining equalities are the
 * correlation keys. A build side may be broadcast (hashed whole in every task, the other side
 * probing it where it is) only when the join never outputs that side's unmatched rows, since
 * every task would output them again.
 */
import { InternalError } from '../../storage/errors/firn-error.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import type { HashJoinSpec, JoinKey } from '../../warehouse/execute/join/join-spec.js';
import { hasInKey, type JoinNode, type JoinType } from '../plan/logical-plan.js';
import { splitJoinCondition } from './plan-join.js';

export type PhysicalJoin = { keys: JoinKey[]; residual: BoundExpr | null; inKey: JoinKey | null };

export function physicalJoin(p: JoinNode, leftWidth: number, rightWidth: number): PhysicalJoin {
  const { keys, residual } = splitJoinCondition(p.condition, leftWidth, rightWidth);
  if (!hasInKey(p.joinType)) return { keys, residual, inKey: null };
  const inKey = keys.shift() ?? null;
  if (!inKey) throw new InternalError('IN join without a comparable key');
  return { keys, residual, inKey };
}

/** The operator's join type: both MARK kinds are its MARK (the IN key tells them apart). */
export function execJoinType(t: JoinType): HashJoinSpec['type'] {
  return t === 'NULL_AWARE_MARK' ? 'MARK' : t;
}

/** Whether the `buildLeft` side of a `t` join may be broadcast: its unmatched rows are never output. */
export function canBroadcastBuild(t: JoinType, buildLeft: boolean): boolean {
  switch (t) {
    case 'INNER':
    case 'CROSS':
      return true;
    case 'RIGHT':
      return buildLeft;
    case 'FULL':
      return false;
    default:
      // LEFT and the left-row types (SEMI, ANTI, MARK, NULL-aware): only the right side.
      return !buildLeft;
  }
}

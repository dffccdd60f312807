import { describe, expect, it } from 'vitest';
import { Types } from '../../storage/types/data-type.js';
import type { JoinNode } from '../plan/logical-plan.js';
import { col, eq, rel } from '../optimizer/rules/plan-test-kit.js';
import { canBroadcastBuild, execJoinType, physicalJoin } from './physical-join.js';

describe('physical-join', () => {
  it('broadcasts only a build side whose unmatched rows the join never outputs', () => {
    const allowed = (t: JoinNode['joinType']) => [canBroadcastBuild(t, true), canBroadcastBuild(t, false)];
    expect(allowed('INNER')).toEqual([true, true]);
    expect(allowed('CROSS')).toEqual([true, true]);
    expect(allowed('LEFT')).toEqual([false, true]);
    expect(allowed('RIGHT')).toEqual([true, false]);
    expect(allowed('FULL')).toEqual([false, false]);
    for (const t of ['SEMI', 'ANTI', 'NULL_AWARE_ANTI', 'MARK', 'NULL_AWARE_MARK'] as const) expect(allowed(t), t).toEqual([false, true]);
  });

  it('takes the first equality of a NULL-aware join as its IN key', () => {
    const join: JoinNode = { kind: 'join', joinType: 'NULL_AWARE_MARK', left: rel('A', 3), right: rel('B', 3), condition: { kind: 'and', args: [eq(0, 1), eq(0, 1)], type: Types.boolean } };
    const j = physicalJoin(join, 1, 1);
    expect(j.inKey).toEqual({ left: col(0), right: col(0) });
    expect(j.keys).toEqual([{ left: col(0), right: col(0) }]);
    expect(physicalJoin({ ...join, joinType: 'INNER' }, 1, 1).inKey).toBeNull();
    expect(() => physicalJoin({ ...join, condition: null }, 1, 1)).toThrow(/IN join without a comparable key/);
    expect(execJoinType('NULL_AWARE_MARK')).toBe('MARK');
    expect(execJoinType('NULL_AWARE_ANTI')).toBe('NULL_AWARE_ANTI');
  });
});

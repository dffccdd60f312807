import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../../warehouse/fragment/bound-expr.js';
import { planColumns, type LogicalPlan } from '../../plan/logical-plan.js';
import { reorderJoins } from './reorder-joins.js';
import { col, eq, rel } from './plan-test-kit.js';

const cross = (left: LogicalPlan, right: LogicalPlan, condition: BoundExpr | null = null): LogicalPlan => ({
  kind: 'join',
  joinType: condition ? 'INNER' : 'CROSS',
  left,
  right,
  condition,
});

function joins(p: LogicalPlan): string[] {
  if (p.kind === 'join') return [...joins(p.left), ...joins(p.right), p.joinType];
  return 'input' in p ? joins(p.input) : [];
}

describe('reorder_joins', () => {
  it('avoids a cross product between unconnected relations of a comma join', () => {
    // FROM a, b, c WHERE a = c AND b = c: FROM order would cross a with b first.
    const tree = cross(cross(rel('A', 5), rel('B', 50)), rel('C', 20), { kind: 'and', args: [eq(0, 2), eq(1, 2)], type: Types.boolean });
    const out = reorderJoins.apply(tree);
    expect(out).not.toBe(tree);
    expect(joins(out)).toEqual(['INNER', 'INNER']);
    // The output keeps the original column order.
    expect(planColumns(out).map((c) => c.name)).toEqual(['A', 'B', 'C']);
    expect(out.kind).toBe('project');
  });

  it('starts from the largest relation (the probe side) and keeps every predicate', () => {
    const tree = cross(cross(rel('BIG', 100), rel('SMALL', 2), eq(0, 1)), rel('MID', 10), eq(1, 2));
    const out = reorderJoins.apply(tree);
    const text = JSON.stringify(out, (_k, v) => (typeof v === "bigint" ? String(v) : v));
    expect((text.match(/"fn":"eq"/g) ?? []).length).toBe(2);
    let bottom: LogicalPlan = out.kind === 'project' ? out.input : out;
    while (bottom.kind === 'join') bottom = bottom.left;
    expect(planColumns(bottom)[0].name).toBe('BIG');
  });

  it('leaves two-way joins and outer joins alone', () => {
    const two = cross(rel('A', 5), rel('B', 50), eq(0, 1));
    expect(reorderJoins.apply(two)).toBe(two);
    const outer: LogicalPlan = { kind: 'join', joinType: 'LEFT', left: cross(rel('A', 5), rel('B', 6), eq(0, 1)), right: rel('C', 1), condition: eq(0, 2) };
    expect(reorderJoins.apply(outer)).toBe(outer);
  });

  it('joins a dimension chain hanging off one relation into it first, as its build side', () => {
    // FACT(0) = DIM(1), DIM(1) = SUB(2), SUB(2) = LEAF(3), FACT(0) = OTHER(4): SUB and LEAF
    // hang off DIM alone, so they join DIM before DIM meets FACT.
    const tree = cross(
      cross(cross(cross(rel('FACT', 1000), rel('DIM', 100)), rel('SUB', 10)), rel('LEAF', 2)),
      rel('OTHER', 50),
      { kind: 'and', args: [eq(0, 1), eq(1, 2), eq(2, 3), eq(0, 4)], type: Types.boolean },
    );
    const out = reorderJoins.apply(tree);
    expect(planColumns(out).map((c) => c.name)).toEqual(['FACT', 'DIM', 'SUB', 'LEAF', 'OTHER']);
    const text = JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    expect((text.match(/"fn":"eq"/g) ?? []).length).toBe(4);
    // Somewhere a join's right input is itself a join of DIM with SUB (and LEAF).
    const bushy = (p: LogicalPlan): boolean =>
      p.kind === 'join' ? (p.right.kind === 'join' && planColumns(p.right)[0].name === 'DIM' && planColumns(p.right).length === 3) || bushy(p.left) || bushy(p.right) : 'input' in p ? bushy(p.input) : false;
    expect(bushy(out)).toBe(true);
  });
});

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

/** A join, or column projections over one (a reordered build side keeps its column order that way). */
const isJoinTree = (p: LogicalPlan): boolean => p.kind === 'join' || (p.kind === 'project' && isJoinTree(p.input));

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
      p.kind === 'join' ? (isJoinTree(p.right) && planColumns(p.right)[0].name === 'DIM' && planColumns(p.right).length === 3) || bushy(p.left) || bushy(p.right) : 'input' in p ? bushy(p.input) : false;
    expect(bushy(out)).toBe(true);
  });

  it('absorbs a dimension that another non-equi predicate ties to a second dimension (TPC-H Q7)', () => {
    // FACT(0) = S(1), S(1) = N1(2), FACT(0) = O(3), O(3) = C(4), C(4) = N2(5), and an OR over
    // N1 and N2 (Q7's nation pair): N1 still hangs off S alone by equi-joins, so (S, N1) is
    // one build side; before, the OR tied N1 to N2, C and O and neither dimension was absorbed.
    const pair: BoundExpr = { kind: 'or', args: [eq(2, 5), eq(5, 2)], type: Types.boolean };
    const tree = cross(
      cross(cross(cross(cross(rel('FACT', 1000), rel('S', 100)), rel('N1', 2)), rel('O', 500)), rel('C', 50)),
      rel('N2', 2),
      { kind: 'and', args: [eq(0, 1), eq(1, 2), eq(0, 3), eq(3, 4), eq(4, 5), pair], type: Types.boolean },
    );
    const out = reorderJoins.apply(tree);
    expect(planColumns(out).map((c) => c.name)).toEqual(['FACT', 'S', 'N1', 'O', 'C', 'N2']);
    const text = JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    expect((text.match(/"kind":"or"/g) ?? []).length).toBe(1);
    const buildOf = (p: LogicalPlan, first: string, width: number): boolean =>
      p.kind === 'join'
        ? (isJoinTree(p.right) && planColumns(p.right)[0].name === first && planColumns(p.right).length === width) || buildOf(p.left, first, width) || buildOf(p.right, first, width)
        : 'input' in p
          ? buildOf(p.input, first, width)
          : false;
    expect(buildOf(out, 'S', 2)).toBe(true);
    expect(buildOf(out, 'O', 3)).toBe(true);
    // Inside that build side, C absorbs N2 before O meets C.
    expect(buildOf(out, 'C', 2)).toBe(true);
    // Each join tree is ordered once: no projection stacked on another.
    const stacked = (p: LogicalPlan): boolean =>
      p.kind === 'project' ? p.input.kind === 'project' || stacked(p.input) : p.kind === 'join' ? stacked(p.left) || stacked(p.right) : false;
    expect(stacked(out)).toBe(false);
  });
});

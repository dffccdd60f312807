import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../../warehouse/fragment/bound-expr.js';
import type { JoinType, LogicalPlan } from '../../plan/logical-plan.js';
import { execNodes, logicalPlan, starCatalog } from '../../physical/physical-test-kit.js';
import { planPhysical } from '../../physical/plan-physical.js';
import { semiJoinGroupedSide } from './semi-join-grouped-side.js';
import { col, eq, N, rel } from './plan-test-kit.js';

const join = (joinType: JoinType, left: LogicalPlan, right: LogicalPlan, condition: BoundExpr | null): LogicalPlan => ({ kind: 'join', joinType, left, right, condition });
/** `rel` filtered by `= 7`: estimated at a tenth of its rows, so it bounds keys selectively. */
const filtered = (name: string, rows: number): LogicalPlan => ({
  kind: 'filter',
  input: rel(name, rows),
  predicate: { kind: 'call', fn: 'eq', args: [col(0), { kind: 'literal', value: 7n, type: N }], type: Types.boolean },
});
/** COUNT(*) GROUP BY the only column of a relation of `rows` rows. */
const grouped = (rows: number, key: BoundExpr = col(0)): Extract<LogicalPlan, { kind: 'aggregate' }> => ({
  kind: 'aggregate',
  input: rel('G', rows),
  groupBy: [key],
  groupNames: ['G'],
  aggregates: [{ fn: 'count_star', arg: null, distinct: false, type: N }],
});

describe('semi_join_grouped_side', () => {
  // (BIG join SMALL on BIG = SMALL) LEFT JOIN (COUNT(*) GROUP BY G) ON SMALL = G: columns BIG=0, SMALL=1, G=2.
  const small = filtered('SMALL', 100);
  const outer = join('INNER', rel('BIG', 1000), small, eq(0, 1));

  it('SEMI-joins the aggregate input with the small relation that bounds the other side key (Q17 shape)', () => {
    const agg = grouped(1000);
    const plan = join('LEFT', outer, agg, eq(1, 2));
    const out = semiJoinGroupedSide.apply(plan);
    expect(out).not.toBe(plan);
    // The aggregate now reads G SEMI JOIN SMALL ON G = SMALL (G=0, SMALL=1), SMALL being the very subtree of the outer side.
    expect(out).toMatchObject({ kind: 'join', joinType: 'LEFT', right: { kind: 'aggregate', input: { kind: 'join', joinType: 'SEMI', condition: eq(0, 1) } } });
    const semi = (out as { right: { input: { left: LogicalPlan; right: LogicalPlan } } }).right.input;
    expect(semi.left).toBe(agg.input);
    expect(semi.right).toBe(small);
    // The outer side is untouched, and a second pass changes nothing.
    expect((out as { left: LogicalPlan }).left).toBe(outer);
    expect(semiJoinGroupedSide.apply(out)).toBe(out);
  });

  it('follows the equality of an inner join from the joined key to the small side', () => {
    // The condition reads BIG (column 0), which an inner join equates with SMALL.
    const out = semiJoinGroupedSide.apply(join('INNER', outer, grouped(1000), eq(0, 2)));
    expect(out).toMatchObject({ right: { input: { joinType: 'SEMI', right: small } } });
  });

  it('goes through projections and filters above the aggregate (a HAVING, the decorrelated subquery value)', () => {
    const agg = grouped(1000);
    const right: LogicalPlan = { kind: 'project', input: { kind: 'filter', input: agg, predicate: eq(1, 1) }, exprs: [col(1), col(0)], names: ['C', 'K'] };
    const out = semiJoinGroupedSide.apply(join('LEFT', outer, right, eq(1, 3)));
    expect(out).toMatchObject({ right: { kind: 'project', input: { kind: 'filter', input: { kind: 'aggregate', input: { joinType: 'SEMI', right: small } } } } });
  });

  it('stays when nothing bounds the key selectively, the key is not a group column, or the join keeps unmatched right rows', () => {
    const unfiltered = join('LEFT', join('INNER', rel('BIG', 1000), rel('SMALL', 100), eq(0, 1)), grouped(1000), eq(1, 2));
    expect(semiJoinGroupedSide.apply(unfiltered)).toBe(unfiltered);
    const computed = join('LEFT', outer, grouped(1000, { kind: 'call', fn: 'add', args: [col(0), col(0)], type: N }), eq(1, 2));
    expect(semiJoinGroupedSide.apply(computed)).toBe(computed);
    for (const t of ['RIGHT', 'FULL'] as const) {
      const outerJoin = join(t, outer, grouped(1000), eq(1, 2));
      expect(semiJoinGroupedSide.apply(outerJoin)).toBe(outerJoin);
    }
    // The aggregate's input is not much larger than the bounding relation: no gain.
    const tiny = join('LEFT', outer, grouped(20), eq(1, 2));
    expect(semiJoinGroupedSide.apply(tiny)).toBe(tiny);
    // The bounding relation is small but its table is past four times the aggregate's input: scanning it again costs more.
    const veryFiltered: LogicalPlan = { kind: 'filter', input: filtered('HUGE', 10_000), predicate: (filtered('X', 1) as { predicate: BoundExpr }).predicate };
    const fromHuge = join('LEFT', join('INNER', rel('BIG', 1000), veryFiltered, eq(0, 1)), grouped(1000), eq(1, 2));
    expect(semiJoinGroupedSide.apply(fromHuge)).toBe(fromHuge);
    expect(semiJoinGroupedSide.apply(join('LEFT', join('INNER', rel('BIG', 1000), veryFiltered, eq(0, 1)), grouped(2500), eq(1, 2)))).toMatchObject({ right: { input: { joinType: 'SEMI' } } });
  });

  it('does not take the key set of the nullable side of a LEFT join (its unmatched rows keep other keys)', () => {
    // BIG LEFT JOIN SMALL ON BIG = SMALL: BIG's keys are not bounded by SMALL's.
    const plan = join('INNER', join('LEFT', rel('BIG', 1000), small, eq(0, 1)), grouped(1000), eq(0, 2));
    expect(semiJoinGroupedSide.apply(plan)).toBe(plan);
  });

  it('plans a correlated aggregate subquery over a filtered dimension with a runtime filter into the aggregate scan', () => {
    const catalog = starCatalog();
    const sql = `SELECT SUM(f.f_amount) FROM fact f, dim WHERE d_id = f.f_dim AND d_name = 'x'
      AND f.f_amount < (SELECT 0.2 * AVG(g.f_amount) FROM fact g WHERE g.f_dim = d_id)`;
    const logical = logicalPlan(catalog, sql);
    const plan = planPhysical(logical, { workers: 2, broadcastRows: 1000, forceRepartition: false });
    // The stage that aggregates partially reads FACT through a SEMI join with DIM's broadcast rows ...
    const partial = plan.stages.find((s) => execNodes(s.root).some((n) => n.kind === 'hash_aggregate_exec' && n.phase === 'partial' && n.groupBy.length > 0))!;
    const semi = execNodes(partial.root).find((n) => n.kind === 'hash_join_exec');
    expect(semi).toMatchObject({ spec: { type: 'SEMI' } });
    expect(execNodes(partial.root).find((n) => n.kind === 'scan_exec')).toMatchObject({ table: 'FIRN.PUBLIC.FACT' });
    // ... and DIM's keys prune that scan at run time.
    const filters = plan.stages.flatMap((s) => s.runtimeFilters);
    expect(filters.some((f) => f.probeStage === partial.id)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { Types } from '../../storage/types/data-type.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import type { PartitionInfo, TableInfo } from '../catalog/catalog.js';
import { columnNdv, estimateRows } from './estimate-rows.js';
import type { LogicalPlan, ScanNode } from './logical-plan.js';

const N = Types.number(38, 0);
const B = Types.boolean;
const col = (index: number, type = N): BoundExpr => ({ kind: 'column', index, type });
const lit = (value: bigint | number | string, type = N): BoundExpr => ({ kind: 'literal', value, type });
const call = (fn: string, ...args: BoundExpr[]): BoundExpr => ({ kind: 'call', fn, args, type: B });

/** A scan of `rows` rows in 4 partitions, one NUMBER column K over [lo, hi] and one DATE column D over [0, 999]. */
function scan(name: string, rows: number, lo: number, hi: number, filter: BoundExpr | null = null): ScanNode {
  const table = {
    id: 1,
    name,
    columns: [
      { name: 'K', type: N, nullable: true },
      { name: 'D', type: Types.date, nullable: true },
    ],
  } as unknown as TableInfo;
  const partitions = [0, 1, 2, 3].map(
    (i) =>
      ({
        id: i,
        rowCount: rows / 4,
        zoneMap: {
          rowCount: rows / 4,
          byteSize: 1,
          columns: { K: { min: String(lo), max: String(hi), nullCount: 0, exact: true }, D: { min: i * 250, max: i * 250 + 249, nullCount: 0, exact: true } },
        },
      }) as unknown as PartitionInfo,
  );
  return { kind: 'scan', table, version: 1, partitions, columns: [0, 1], filter, pruning: null };
}

describe('estimateRows', () => {
  it('scales a scan by its filter: range share of the zone maps, 1/10 per equality, 1/4 otherwise', () => {
    const d = col(1, Types.date);
    expect(estimateRows(scan('T', 1000, 1, 1000, call('ge', d, lit(500, Types.date))))).toBeCloseTo(1000 * (499 / 999));
    expect(estimateRows(scan('T', 1000, 1, 1000, { kind: 'and', args: [call('ge', d, lit(100, Types.date)), call('lt', d, lit(200, Types.date))], type: B }))).toBeCloseTo(1000 * (100 / 999));
    expect(estimateRows(scan('T', 1000, 1, 1000, call('eq', col(0), lit(5n))))).toBeCloseTo(100);
    expect(estimateRows(scan('T', 1000, 1, 1000, call('ne', col(0), lit(5n))))).toBeCloseTo(250);
  });

  it('divides an equi-join by the larger key NDV, bounded by rows and the zone-map range', () => {
    const orders = scan('O', 1000, 1, 4000);
    const lines = scan('L', 4000, 1, 4000);
    const join: LogicalPlan = { kind: 'join', joinType: 'INNER', left: lines, right: orders, condition: call('eq', col(0), col(2)) };
    // NDV(L.K) = min(4000 rows, 4000 range) = 4000; 4000 x 1000 / 4000.
    expect(estimateRows(join)).toBeCloseTo(1000);
    expect(columnNdv(orders, 0)).toBe(1000);
    const nations = scan('N', 25, 0, 24);
    const fanout: LogicalPlan = { kind: 'join', joinType: 'INNER', left: lines, right: nations, condition: call('eq', col(0), col(2)) };
    expect(estimateRows(fanout)).toBeCloseTo((4000 * 25) / 4000);
    const left: LogicalPlan = { ...join, joinType: 'LEFT', right: scan('O', 10, 1, 4000) };
    expect(estimateRows(left)).toBe(4000);
  });

  it('keeps the share of left keys a SEMI join\'s right side has', () => {
    const few = scan('P', 1000, 1, 1000, call('eq', col(0), lit(3n)));
    const semi: LogicalPlan = { kind: 'join', joinType: 'SEMI', left: scan('L', 4000, 1, 1000), right: few, condition: call('eq', col(0), col(2)) };
    // 100 of 1000 keys.
    expect(estimateRows(semi)).toBeCloseTo(400);
    expect(estimateRows({ ...semi, joinType: 'ANTI' })).toBe(4000);
  });

  it('bounds a GROUP BY by its keys\' NDV and takes HAVING as keeping one group in ten', () => {
    const agg: LogicalPlan = { kind: 'aggregate', input: scan('L', 4000, 1, 50), groupBy: [col(0)], groupNames: ['K'], aggregates: [] };
    expect(estimateRows(agg)).toBe(50);
    expect(estimateRows({ kind: 'filter', input: agg, predicate: call('gt', col(0), lit(1n)) })).toBe(5);
    expect(estimateRows({ ...agg, groupBy: [] })).toBe(1);
  });

  it('takes a HAVING SUM bound that no group of average size reaches as keeping one group in 1,000', () => {
    // 4000 rows in 1000 groups (D over 0..999): 4 rows a group, each K in 1..1000 (never negative).
    const q = Types.number(15, 2);
    const sumOf = (fn = 'sum', distinct = false): LogicalPlan => ({
      kind: 'aggregate',
      input: scan('L', 4000, 1, 1000),
      groupBy: [col(1, Types.date)],
      groupNames: ['D'],
      aggregates: [{ fn: fn as 'sum', arg: { kind: 'cast', expr: col(0), type: q, try: false }, distinct, type: q }],
    });
    const having = (agg: LogicalPlan, fn: string, k: BoundExpr, flipped = false) =>
      estimateRows({ kind: 'filter', input: agg, predicate: flipped ? call(fn, k, col(1, q)) : call(fn, col(1, q), k) });
    // A group of 4 sums to at most 4 x 1000 = 4000.
    expect(having(sumOf(), 'gt', lit(4000n))).toBe(1);
    expect(having(sumOf(), 'ge', lit(400000n, q))).toBe(1);
    expect(having(sumOf(), 'lt', lit(4000n), true)).toBe(1);
    expect(having(sumOf(), 'gt', lit(3999n))).toBe(100);
    expect(having(sumOf(), 'lt', lit(4000n))).toBe(100);
    expect(having(sumOf('max'), 'gt', lit(4000n))).toBe(100);
    expect(having(sumOf('sum', true), 'gt', lit(4000n))).toBe(100);
  });
});

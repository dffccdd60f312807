import { describe, expect, it } from 'vitest';
import type { PartitionInfo, TableInfo } from '../../catalog/catalog.js';
import { Types } from '../../../storage/types/data-type.js';
import { shreddedName } from '../../../storage/partition/shredded-path.js';
import type { BoundExpr } from '../../../warehouse/fragment/bound-expr.js';
import { planColumns, type LogicalPlan, type ScanNode } from '../../plan/logical-plan.js';
import { readShreddedPaths } from './read-shredded-paths.js';

const V = Types.variant;
const table: TableInfo = {
  id: 1, schemaId: 1, database: 'D', schema: 'S', name: 'T', clusterBy: [], currentVersion: 1, createdAt: new Date(0),
  columns: [
    { id: 1, name: 'ID', physicalName: 'ID', type: Types.number(38, 0), nullable: true, default: null },
    { id: 2, name: 'V', physicalName: 'V#2', type: V, nullable: true, default: null },
  ],
};
const zone = { min: 'a', max: 'z', nullCount: 0, exact: true };
function partition(id: number, shredded: boolean): PartitionInfo {
  const name = shreddedName('V#2', ['a'], Types.varchar);
  return {
    id, tableId: 1, objectKey: `p${id}`, rowCount: 10, byteSize: 1, etag: null, addedVersion: 1, removedVersion: null,
    zoneMap: { rowCount: 10, byteSize: 1, columns: {}, ...(shredded ? { shredded: { [name]: { column: 'V#2', path: ['a'], type: Types.varchar, others: 0, zone } } } : {}) },
  };
}
const scan = (partitions: PartitionInfo[], extra: Partial<ScanNode> = {}): ScanNode => ({ kind: 'scan', table, version: 1, partitions, columns: [0, 1], filter: null, pruning: null, ...extra });
const v: BoundExpr = { kind: 'column', index: 1, type: V };
const lit = (s: string): BoundExpr => ({ kind: 'literal', value: s, type: Types.varchar });
const get = (x: BoundExpr, k: string): BoundExpr => ({ kind: 'call', fn: 'get', args: [x, lit(k)], type: V });
const cast = (x: BoundExpr, type = Types.varchar): BoundExpr => ({ kind: 'cast', expr: x, type, try: false });
const eqDe = (x: BoundExpr): BoundExpr => ({ kind: 'call', fn: 'eq', args: [x, lit('DE')], type: Types.boolean });

describe('read_shredded_paths', () => {
  it('reads CAST(v:a AS VARCHAR) from the sub-column, falling back to the JSON', () => {
    const plan: LogicalPlan = { kind: 'project', input: scan([partition(1, true), partition(2, false)]), exprs: [cast(get(v, 'a'))], names: ['A'] };
    const out = readShreddedPaths.apply(plan) as Extract<LogicalPlan, { kind: 'project' }>;
    const input = out.input as ScanNode;
    expect(input.columns).toEqual([0, 1, 2]);
    expect(input.table.columns[2]).toMatchObject({ name: 'V:a::VARCHAR(16777216)', physicalName: shreddedName('V#2', ['a'], Types.varchar), addedByAlter: true, default: null });
    expect(out.exprs[0]).toEqual({ kind: 'call', fn: 'coalesce', args: [{ kind: 'column', index: 2, type: Types.varchar }, cast(get(v, 'a'))], type: Types.varchar });
  });

  it('turns another use of the path into COALESCE(CAST(sub AS VARIANT), path); other types and deeper paths stay', () => {
    const plan: LogicalPlan = { kind: 'project', input: scan([partition(1, true)]), exprs: [get(v, 'a'), cast(get(v, 'a'), Types.number(38, 0)), get(v, 'b'), get(get(v, 'a'), 'c')], names: ['A', 'B', 'C', 'D'] };
    const out = readShreddedPaths.apply(plan) as Extract<LogicalPlan, { kind: 'project' }>;
    const sub = { kind: 'column', index: 2, type: Types.varchar };
    const asVariant = { kind: 'call', fn: 'coalesce', args: [{ kind: 'cast', expr: sub, type: V, try: false }, get(v, 'a')], type: V };
    expect(out.exprs[0]).toEqual(asVariant);
    expect(out.exprs[1]).toEqual(cast(asVariant as BoundExpr, Types.number(38, 0)));
    expect(out.exprs[2]).toEqual(get(v, 'b'));
    expect(out.exprs[3]).toEqual(get(asVariant as BoundExpr, 'c'));
  });

  it('reads through a Project of plain columns (SELECT * in a subquery) under an Aggregate', () => {
    const star: LogicalPlan = { kind: 'project', input: scan([partition(1, true)]), exprs: [{ kind: 'column', index: 1, type: V }], names: ['V'] };
    const over = { kind: 'column', index: 0, type: V } as BoundExpr;
    const plan: LogicalPlan = { kind: 'aggregate', input: star, groupBy: [cast(get(over, 'a'))], groupNames: ['A'], aggregates: [{ fn: 'count_star', arg: null, distinct: false, type: Types.number(18, 0) }] };
    const out = readShreddedPaths.apply(plan) as Extract<LogicalPlan, { kind: 'aggregate' }>;
    expect(out.input.kind).toBe('scan');
    expect(out.groupBy[0]).toEqual({ kind: 'call', fn: 'coalesce', args: [{ kind: 'column', index: 2, type: Types.varchar }, cast(get(v, 'a'))], type: Types.varchar });
    expect(out.aggregates).toEqual(plan.aggregates);
  });

  it('rewrites a scan filter under a join, keeping the scan output columns where they were', () => {
    const s = scan([partition(1, true)], { filter: eqDe(cast(get(v, 'a'))) });
    const plan: LogicalPlan = { kind: 'join', joinType: 'INNER', left: s, right: scan([]), condition: null };
    const out = readShreddedPaths.apply(plan) as Extract<LogicalPlan, { kind: 'join' }>;
    expect(planColumns(out.left).map((c) => c.name)).toEqual(['ID', 'V']);
    const inner = (out.left as Extract<LogicalPlan, { kind: 'project' }>).input as ScanNode;
    expect(inner.filter).toEqual(eqDe({ kind: 'call', fn: 'coalesce', args: [{ kind: 'column', index: 2, type: Types.varchar }, cast(get(v, 'a'))], type: Types.varchar }));
  });

  it('changes nothing without shredded partitions, for a VARCHAR length cast, or on a DML target scan', () => {
    const plain: LogicalPlan = { kind: 'project', input: scan([partition(1, false)]), exprs: [cast(get(v, 'a'))], names: ['A'] };
    expect(readShreddedPaths.apply(plain)).toBe(plain);
    const dml: LogicalPlan = { kind: 'project', input: scan([partition(1, true)], { rowIds: true }), exprs: [cast(get(v, 'a'))], names: ['A'] };
    expect(readShreddedPaths.apply(dml)).toBe(dml);
    const short: LogicalPlan = { kind: 'project', input: scan([partition(1, true)]), exprs: [cast(get(v, 'a'), { kind: 'VARCHAR', length: 2 })], names: ['A'] };
    const out = readShreddedPaths.apply(short) as Extract<LogicalPlan, { kind: 'project' }>;
    expect((out.exprs[0] as Extract<BoundExpr, { kind: 'cast' }>).expr).toMatchObject({ kind: 'call', fn: 'coalesce' });
  });
});

/**
 * aggregate_from_zone_maps: COUNT(*), COUNT(col), MIN(col) and MAX(col) over a whole table
 * (no filter, no GROUP BY) are answered from the catalog's exact zone maps, without waking a
 * warehouse. Only exact bounds are used, and never for FLOAT (NaN ordering) columns.
 */
import type { PartitionInfo } from '../../catalog/catalog.js';
import { scalarFromJson, type Scalar } from '../../../storage/types/scalar.js';
import type { AggregateCall, BoundExpr } from '../../../warehouse/fragment/bound-expr.js';
import { planColumns, type LogicalPlan } from '../../plan/logical-plan.js';
import type { OptimizerRule } from '../optimizer-rule.js';
import { transformUp } from '../../plan/transform-up.js';

export const aggregateFromZoneMaps: OptimizerRule = {
  name: 'aggregate_from_zone_maps',
  apply(plan) {
    let changed = false;
    const out = transformUp(plan, (p) => {
      if (p.kind !== 'aggregate' || p.groupBy.length > 0 || p.input.kind !== 'scan' || p.input.filter) return p;
      const scan = p.input;
      const values: BoundExpr[] = [];
      for (const a of p.aggregates) {
        const v = fromZoneMaps(a, scan.partitions, (i) => scan.table.columns[scan.columns[i]].name);
        if (v === undefined) return p;
        values.push({ kind: 'literal', value: v, type: a.type });
      }
      changed = true;
      return { kind: 'values', columns: planColumns(p), rows: [values] } as LogicalPlan;
    });
    return changed ? out : plan;
  },
};

function fromZoneMaps(a: AggregateCall, parts: readonly PartitionInfo[], columnName: (i: number) => string): Scalar | undefined {
  if (a.distinct) return undefined;
  if (a.fn === 'count_star') return BigInt(parts.reduce((n, p) => n + p.rowCount, 0));
  if (!a.arg || a.arg.kind !== 'column') return undefined;
  const type = a.arg.type;
  const name = columnName(a.arg.index);
  if (a.fn === 'count') {
    let n = 0;
    for (const p of parts) {
      const z = p.zoneMap.columns[name];
      if (!z) return undefined;
      n += p.rowCount - z.nullCount;
    }
    return BigInt(n);
  }
  if ((a.fn !== 'min' && a.fn !== 'max') || type.kind === 'FLOAT') return undefined;
  let best: Scalar = null;
  for (const p of parts) {
    const z = p.zoneMap.columns[name];
    if (!z || !z.exact) return undefined;
    const v = scalarFromJson(type, a.fn === 'min' ? z.min : z.max);
    if (v === null) continue;
    if (best === null || (a.fn === 'min' ? v < best : v > best)) best = v;
  }
  return best;
}

/**
 * Applies a function to every bound expression a plan node holds (filters, projections,
 * aggregate keys and arguments, sort keys, join conditions, VALUES rows), over the whole
 * tree. Used by constant folding and by the substitution of init-plan values.
 */
import { mapAggregateCall, type BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { transformUp } from './transform-up.js';
import type { LogicalPlan } from './logical-plan.js';

export function mapPlanExprs(plan: LogicalPlan, f: (e: BoundExpr) => BoundExpr): LogicalPlan {
  return transformUp(plan, (p) => {
    switch (p.kind) {
      case 'scan':
        return p.filter ? { ...p, filter: f(p.filter) } : p;
      case 'values':
        return { ...p, rows: p.rows.map((r) => r.map(f)) };
      case 'filter':
        return { ...p, predicate: f(p.predicate) };
      case 'project':
        return { ...p, exprs: p.exprs.map(f) };
      case 'aggregate':
        return { ...p, groupBy: p.groupBy.map(f), aggregates: p.aggregates.map((a) => mapAggregateCall(a, f)) };
      case 'sort':
        return { ...p, keys: p.keys.map((k) => ({ ...k, expr: f(k.expr) })) };
      case 'join':
        return p.condition ? { ...p, condition: f(p.condition) } : p;
      case 'window':
        return {
          ...p,
          calls: p.calls.map((c) => ({
            ...c,
            args: c.args.map(f),
            partitionBy: c.partitionBy.map(f),
            orderBy: c.orderBy.map((k) => ({ ...k, expr: f(k.expr) })),
          })),
        };
      case 'split_to_table':
        return { ...p, string: f(p.string), delimiter: f(p.delimiter) };
      case 'flatten':
        return { ...p, expr: f(p.expr) };
      case 'limit':
      case 'set_operation':
      case 'batches':
      case 'generator':
      case 'recursive_cte':
      case 'working_table':
      case 'recursive_union':
      case 'sequence':
        return p;
    }
  });
}

/**
 * push_down_projection: a Scan reads only the table columns its filter and its consumer
 * (the Project or Aggregate directly above it) use; the consumer's column references are
 * renumbered to the narrowed scan. Workers then fetch and decode only those columns.
 */
import { collectColumns, remapColumns } from '../../plan/bound-expr-walk.js';
import type { LogicalPlan, ScanNode } from '../../plan/logical-plan.js';
import { transformUp, type OptimizerRule } from '../optimizer-rule.js';

export const pushDownProjection: OptimizerRule = {
  name: 'push_down_projection',
  apply(plan) {
    let changed = false;
    const out = transformUp(plan, (p) => {
      if ((p.kind !== 'project' && p.kind !== 'aggregate') || p.input.kind !== 'scan') return p;
      const scan = p.input;
      const used = new Set<number>();
      if (scan.filter) collectColumns(scan.filter, used);
      if (p.kind === 'project') p.exprs.forEach((e) => collectColumns(e, used));
      else {
        p.groupBy.forEach((e) => collectColumns(e, used));
        p.aggregates.forEach((a) => a.arg && collectColumns(a.arg, used));
      }
      if (used.size === scan.columns.length) return p;
      const keep = [...used].sort((a, b) => a - b);
      const map = new Int32Array(scan.columns.length).fill(-1);
      keep.forEach((old, i) => (map[old] = i));
      changed = true;
      const narrowed: ScanNode = {
        ...scan,
        columns: keep.map((i) => scan.columns[i]),
        filter: scan.filter ? remapColumns(scan.filter, map) : null,
      };
      if (p.kind === 'project') return { ...p, input: narrowed, exprs: p.exprs.map((e) => remapColumns(e, map)) } as LogicalPlan;
      return {
        ...p,
        input: narrowed,
        groupBy: p.groupBy.map((e) => remapColumns(e, map)),
        aggregates: p.aggregates.map((a) => ({ ...a, arg: a.arg ? remapColumns(a.arg, map) : null })),
      } as LogicalPlan;
    });
    return changed ? out : plan;
  },
};

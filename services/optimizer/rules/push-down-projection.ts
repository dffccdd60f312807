/**
 * push_down_projection: every node keeps only the columns someone above it uses, so each
 * Scan reads and each worker decodes only those table columns, and joins carry no dead
 * columns. Top-down: a node is asked for a set of its output columns and answers with the
 * rewritten node plus where each kept output column now sits; parents renumber their
 * expressions with that map. The root keeps every output column; Values, Aggregate keys and
 * set operations keep theirs (their meaning depends on all of them). Columns a Scan reads
 * only for its filter, and columns a Join reads only for its condition, are dropped by a
 * Project right above it (in the worker).
 */
import { aggregateCallExprs, mapAggregateCall, type BoundExpr } from '../../../warehouse/fragment/bound-expr.js';
import { collectColumns, remapColumns } from '../../../warehouse/fragment/bound-expr-walk.js';
import { FLATTEN_COLUMNS, isMarkJoin, joinOutputsRight, planColumns, type LogicalPlan } from '../../plan/logical-plan.js';
import type { OptimizerRule } from '../optimizer-rule.js';
import { samePlan } from '../../plan/same-plan.js';

type Pruned = { plan: LogicalPlan; map: Int32Array };

function identity(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

function usedBy(exprs: readonly (BoundExpr | null)[], into = new Set<number>()): Set<number> {
  for (const e of exprs) if (e) collectColumns(e, into);
  return into;
}

function all(plan: LogicalPlan): Set<number> {
  return new Set(planColumns(plan).map((_, i) => i));
}

function prune(plan: LogicalPlan, required: Set<number>): Pruned {
  switch (plan.kind) {
    case 'scan': {
      // A rowIds scan's address columns (after the table columns) are always kept, last.
      const width = plan.columns.length;
      const addresses = plan.rowIds ? 2 : 0;
      const need = usedBy([plan.filter], new Set([...required].filter((i) => i < width)));
      // Row counts travel with columns: keep one even when nothing above reads any.
      if (need.size === 0 && width > 0) need.add(0);
      const keep = [...need].sort((a, b) => a - b);
      const map = new Int32Array(width + addresses).fill(-1);
      keep.forEach((old, i) => (map[old] = i));
      for (let a = 0; a < addresses; a++) map[width + a] = keep.length + a;
      const scan: LogicalPlan = keep.length === width ? plan : { ...plan, columns: keep.map((i) => plan.columns[i]), filter: plan.filter ? remapColumns(plan.filter, map) : null };
      // Columns read only for the filter are dropped right after it, in the worker.
      const out = keep.filter((i) => required.has(i) || required.size === 0);
      if (out.length === keep.length) return { plan: scan, map: keep.length === width ? identity(width + addresses) : map };
      const outMap = new Int32Array(width + addresses).fill(-1);
      out.forEach((old, i) => (outMap[old] = i));
      for (let a = 0; a < addresses; a++) outMap[width + a] = out.length + a;
      const cols = planColumns(scan);
      const picked = [...out.map((old) => map[old]), ...Array.from({ length: addresses }, (_, a) => keep.length + a)];
      return {
        plan: { kind: 'project', input: scan, exprs: picked.map((i) => ({ kind: 'column', index: i, type: cols[i].type })), names: picked.map((i) => cols[i].name) },
        map: outMap,
      };
    }
    case 'values':
    case 'batches':
    case 'generator':
    case 'recursive_cte':
    case 'working_table':
    case 'recursive_union':
      return { plan, map: identity(plan.columns.length) };
    case 'filter': {
      const child = prune(plan.input, usedBy([plan.predicate], new Set(required)));
      return { plan: { ...plan, input: child.plan, predicate: remapColumns(plan.predicate, child.map) }, map: child.map };
    }
    case 'sort': {
      const child = prune(plan.input, usedBy(plan.keys.map((k) => k.expr), new Set(required)));
      return { plan: { ...plan, input: child.plan, keys: plan.keys.map((k) => ({ ...k, expr: remapColumns(k.expr, child.map) })) }, map: child.map };
    }
    case 'limit': {
      const child = prune(plan.input, required);
      return { plan: { ...plan, input: child.plan }, map: child.map };
    }
    case 'project': {
      const keep = plan.exprs.map((_, i) => i).filter((i) => required.has(i) || (required.size === 0 && i === 0));
      const child = prune(plan.input, usedBy(keep.map((i) => plan.exprs[i])));
      const map = new Int32Array(plan.exprs.length).fill(-1);
      keep.forEach((old, i) => (map[old] = i));
      return {
        plan: { ...plan, input: child.plan, exprs: keep.map((i) => remapColumns(plan.exprs[i], child.map)), names: keep.map((i) => plan.names[i]) },
        map,
      };
    }
    case 'aggregate': {
      const child = prune(plan.input, usedBy([...plan.groupBy, ...plan.aggregates.flatMap(aggregateCallExprs)]));
      return {
        plan: {
          ...plan,
          input: child.plan,
          groupBy: plan.groupBy.map((g) => remapColumns(g, child.map)),
          aggregates: plan.aggregates.map((a) => mapAggregateCall(a, (e) => remapColumns(e, child.map))),
        },
        map: identity(plan.groupBy.length + plan.aggregates.length),
      };
    }
    case 'join': {
      const leftWidth = planColumns(plan.left).length;
      const mark = isMarkJoin(plan.joinType);
      // A MARK join's output column leftWidth is its mark, not a right column.
      const need = usedBy([plan.condition], new Set(mark ? [...required].filter((i) => i < leftWidth) : required));
      const left = prune(plan.left, new Set([...need].filter((i) => i < leftWidth)));
      const right = prune(plan.right, new Set([...need].filter((i) => i >= leftWidth).map((i) => i - leftWidth)));
      const newLeftWidth = planColumns(left.plan).length;
      const map = new Int32Array(leftWidth + right.map.length).fill(-1);
      left.map.forEach((v, i) => (map[i] = v));
      right.map.forEach((v, i) => (map[leftWidth + i] = v < 0 ? -1 : newLeftWidth + v));
      const condition = plan.condition ? remapColumns(plan.condition, map) : null;
      const joined: LogicalPlan = { ...plan, left: left.plan, right: right.plan, condition };
      // A MARK join outputs the left columns and then its mark.
      const outMap = mark ? Int32Array.from([...left.map, newLeftWidth]) : joinOutputsRight(plan.joinType) ? map : left.map;
      // Columns kept only for the join condition are dropped right above it (the workers
      // fuse such a Project into the join, which then never gathers them).
      const keep = [...required].filter((i) => outMap[i] >= 0).sort((a, b) => a - b);
      const width = planColumns(joined).length;
      if (required.size === 0 || keep.length === width) return { plan: joined, map: outMap };
      const cols = planColumns(joined);
      const dropMap = new Int32Array(outMap.length).fill(-1);
      keep.forEach((old, i) => (dropMap[old] = i));
      return {
        plan: { kind: 'project', input: joined, exprs: keep.map((old) => ({ kind: 'column', index: outMap[old], type: cols[outMap[old]].type })), names: keep.map((old) => cols[outMap[old]].name) },
        map: dropMap,
      };
    }
    case 'split_to_table': {
      const width = planColumns(plan.input).length;
      const child = prune(plan.input, usedBy([plan.string, plan.delimiter], new Set([...required].filter((i) => i < width))));
      const newWidth = planColumns(child.plan).length;
      const map = new Int32Array(width + 3);
      child.map.forEach((v, i) => (map[i] = v));
      for (let k = 0; k < 3; k++) map[width + k] = newWidth + k;
      return { plan: { ...plan, input: child.plan, string: remapColumns(plan.string, child.map), delimiter: remapColumns(plan.delimiter, child.map) }, map };
    }
    case 'flatten': {
      const width = planColumns(plan.input).length;
      const child = prune(plan.input, usedBy([plan.expr], new Set([...required].filter((i) => i < width))));
      const newWidth = planColumns(child.plan).length;
      const map = new Int32Array(width + FLATTEN_COLUMNS.length);
      child.map.forEach((v, i) => (map[i] = v));
      for (let k = 0; k < FLATTEN_COLUMNS.length; k++) map[width + k] = newWidth + k;
      return { plan: { ...plan, input: child.plan, expr: remapColumns(plan.expr, child.map) }, map };
    }
    case 'sequence': {
      // Only the NEXTVAL columns someone reads are filled (gaps in a sequence are allowed); none: no node.
      const width = planColumns(plan.input).length;
      const child = prune(plan.input, new Set([...required].filter((i) => i < width)));
      const newWidth = planColumns(child.plan).length;
      const kept = plan.sequences.map((_, k) => k).filter((k) => required.has(width + k));
      const map = new Int32Array(width + plan.sequences.length).fill(-1);
      child.map.forEach((v, i) => (map[i] = v));
      kept.forEach((k, j) => (map[width + k] = newWidth + j));
      if (kept.length === 0) return { plan: child.plan, map };
      return { plan: { ...plan, input: child.plan, sequences: kept.map((k) => plan.sequences[k]) }, map };
    }
    case 'window': {
      const width = planColumns(plan.input).length;
      const exprs = plan.calls.flatMap((c) => [...c.args, ...c.partitionBy, ...c.orderBy.map((k) => k.expr)]);
      const child = prune(plan.input, usedBy(exprs, new Set([...required].filter((i) => i < width))));
      const newWidth = planColumns(child.plan).length;
      const map = new Int32Array(width + plan.calls.length);
      child.map.forEach((v, i) => (map[i] = v));
      plan.calls.forEach((_, k) => (map[width + k] = newWidth + k));
      const r = (e: BoundExpr) => remapColumns(e, child.map);
      const calls = plan.calls.map((c) => ({ ...c, args: c.args.map(r), partitionBy: c.partitionBy.map(r), orderBy: c.orderBy.map((k) => ({ ...k, expr: r(k.expr) })) }));
      return { plan: { ...plan, input: child.plan, calls }, map };
    }
    case 'set_operation': {
      const left = prune(plan.left, all(plan.left));
      const right = prune(plan.right, all(plan.right));
      return { plan: { ...plan, left: left.plan, right: right.plan }, map: identity(plan.columns.length) };
    }
  }
}

export const pushDownProjection: OptimizerRule = {
  name: 'push_down_projection',
  apply(plan) {
    const out = prune(plan, all(plan)).plan;
    return samePlan(out, plan) ? plan : out;
  },
};

/**
 * Join pruning, as Snowflake does it: once the build side of a join is known, the range of
 * each build key (and, when it has at most KEY_SET_LIMIT distinct values, that exact set)
 * becomes a predicate on the probe side's scan, and that scan is pruned again over its zone maps before any of its
 * partitions is dispatched. Workers also apply the predicate while scanning.
 *
 * Contract: only where dropping probe rows without a match cannot change the result: the
 * probe side of an INNER or SEMI join, the right side of a LEFT join, the left of a RIGHT
 * join. The key must reach a scan column through filters, plain column projections, GROUP
 * BY keys (a decorrelated subquery's aggregate then only aggregates the groups the join
 * can use) and the inputs of joins that produce the column.
 */
import { computeZoneMap } from '../../storage/partition/compute-zone-map.js';
import { scalarFromJson, type Scalar } from '../../storage/types/scalar.js';
import { scalarAt } from '../../storage/types/scalar-at.js';
import type { Batch, Vector } from '../../storage/types/vector.js';
import { Types, type DataType } from '../../storage/types/data-type.js';
import { mapChildren } from '../plan/bound-expr-walk.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { evaluateExpr } from '../../warehouse/execute/evaluate-expr.js';
import type { JoinKey } from '../../warehouse/execute/join/join-spec.js';
import { planColumns, type JoinType, type LogicalPlan, type ScanNode } from '../plan/logical-plan.js';
import { prunePartitions } from '../pruning/prune-partitions.js';

/** Whether rows of the probe side that match nothing may be dropped. */
export function canPruneProbe(type: JoinType, probeIsLeft: boolean): boolean {
  switch (type) {
    case 'INNER':
    case 'SEMI':
      return true;
    case 'LEFT':
      return !probeIsLeft;
    case 'RIGHT':
      return probeIsLeft;
    default:
      return false;
  }
}

/**
 * The probe plan with each key's build-side range added to the scan it reads, re-pruned;
 * the same plan when nothing applies.
 */
export function pruneProbe(probe: LogicalPlan, keys: JoinKey[], probeIsLeft: boolean, build: Batch, pruning: boolean): LogicalPlan {
  let plan = probe;
  for (const key of keys) {
    const probeKey = probeIsLeft ? key.left : key.right;
    const buildKey = probeIsLeft ? key.right : key.left;
    if (probeKey.kind !== 'column') continue;
    const values = evaluateExpr(buildKey, build);
    const zone = computeZoneMap([{ name: 'K', type: buildKey.type, nullable: true }], { length: build.length, columns: [values] }, 0).columns.K;
    const type = probeKey.type;
    const range: BoundExpr =
      zone.min === null || zone.max === null
        ? { kind: 'literal', value: false, type: Types.boolean }
        : {
            kind: 'and',
            type: Types.boolean,
            args: [
              { kind: 'call', fn: 'ge', args: [probeKey, { kind: 'literal', value: scalarFromJson(type, zone.min), type }], type: Types.boolean },
              { kind: 'call', fn: 'le', args: [probeKey, { kind: 'literal', value: scalarFromJson(type, zone.max), type }], type: Types.boolean },
            ],
          };
    if (!zone.exact && zone.min !== null) continue;
    const set = keySet(values, type);
    const pred: BoundExpr = set ? { kind: 'in_list', expr: probeKey, list: set.map((value) => ({ kind: 'literal', value, type })), negated: false, type: Types.boolean } : range;
    plan = addToScan(plan, probeKey.index, set && set.length === 0 ? range : pred, pruning) ?? plan;
  }
  return plan;
}

/** Most distinct build keys pushed to the probe side as an IN list. */
export const KEY_SET_LIMIT = 10_000;

/** The distinct non-NULL values of a build key, or null when there are more than KEY_SET_LIMIT. */
function keySet(v: Vector, type: DataType): Scalar[] | null {
  const seen = new Set<string | number>();
  const out: Scalar[] = [];
  for (let i = 0; i < v.length; i++) {
    if (v.nulls && v.nulls[i]) continue;
    const s = scalarAt(v, i, type);
    const k = typeof s === 'bigint' ? `n${s}` : (s as string | number);
    if (seen.has(k)) continue;
    if (seen.size === KEY_SET_LIMIT) return null;
    seen.add(k);
    out.push(s);
  }
  return out;
}

/** Adds `pred` (over output column `col` of `plan`) to the scan under it, or null if unreachable. */
function addToScan(plan: LogicalPlan, col: number, pred: BoundExpr, pruning: boolean): LogicalPlan | null {
  switch (plan.kind) {
    case 'filter': {
      const input = addToScan(plan.input, col, pred, pruning);
      return input ? { ...plan, input } : null;
    }
    case 'project': {
      const e = plan.exprs[col];
      if (e.kind !== 'column') return null;
      const input = addToScan(plan.input, e.index, retarget(pred, e.index), pruning);
      return input ? { ...plan, input } : null;
    }
    case 'aggregate': {
      // Keeping only some groups is keeping only the input rows of those groups.
      const g = col < plan.groupBy.length ? plan.groupBy[col] : null;
      if (g === null || g.kind !== 'column') return null;
      const input = addToScan(plan.input, g.index, retarget(pred, g.index), pruning);
      return input ? { ...plan, input } : null;
    }
    case 'join': {
      // A column of an inner join's output comes from one input; filtering the output by it
      // filters that input (for outer, semi and anti joins only the left, preserved, input).
      const leftWidth = planColumns(plan.left).length;
      const inner = plan.joinType === 'INNER' || plan.joinType === 'CROSS';
      if (col < leftWidth && (inner || plan.joinType === 'LEFT' || plan.joinType === 'SEMI' || plan.joinType === 'ANTI' || plan.joinType === 'NULL_AWARE_ANTI')) {
        const left = addToScan(plan.left, col, pred, pruning);
        return left ? { ...plan, left } : null;
      }
      if (col >= leftWidth && inner) {
        const right = addToScan(plan.right, col - leftWidth, retarget(pred, col - leftWidth), pruning);
        return right ? { ...plan, right } : null;
      }
      return null;
    }
    case 'scan': {
      const filter: BoundExpr = plan.filter ? { kind: 'and', args: [plan.filter, pred], type: Types.boolean } : pred;
      const names = plan.columns.map((i) => plan.table.columns[i].name);
      const scan: ScanNode = { ...plan, filter, pruning: prunePartitions(plan.partitions, filter, names, pruning) };
      return scan;
    }
    default:
      return null;
  }
}

/** The predicate with its (single) column reference moved to position `index`. */
function retarget(pred: BoundExpr, index: number): BoundExpr {
  if (pred.kind === 'column') return { ...pred, index };
  return mapChildren(pred, (c) => retarget(c, index));
}

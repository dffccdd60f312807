/**
 * Join pruning, as Snowflake does it: once the build side of a join is known, the range of
 * each build key (and, when small, its exact set of values) becomes a predicate on the
 * probe side's scan, and that scan is pruned again over its zone maps before any of its
 * partitions is dispatched. Workers also apply the predicate while scanning.
 *
 * Contract: only where dropping probe rows without a match cannot change the result: the
 * probe side of an INNER or SEMI join, the right side of a LEFT join, the left of a RIGHT
 * join. The key must reach a scan column through filters and plain column projections.
 */
import { computeZoneMap } from '../../storage/partition/compute-zone-map.js';
import { scalarFromJson } from '../../storage/types/scalar.js';
import type { Batch } from '../../storage/types/vector.js';
import { Types } from '../../storage/types/data-type.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { evaluateExpr } from '../../warehouse/execute/evaluate-expr.js';
import type { JoinKey } from '../../warehouse/execute/join/join-spec.js';
import type { JoinType, LogicalPlan, ScanNode } from '../plan/logical-plan.js';
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
    plan = addToScan(plan, probeKey.index, range, pruning) ?? plan;
  }
  return plan;
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

/** The range predicate with its column reference moved to position `index`. */
function retarget(pred: BoundExpr, index: number): BoundExpr {
  if (pred.kind === 'column') return { ...pred, index };
  if (pred.kind === 'and') return { ...pred, args: pred.args.map((a) => retarget(a, index)) };
  if (pred.kind === 'call') return { ...pred, args: pred.args.map((a) => retarget(a, index)) };
  return pred;
}

/**
 * Executes an optimized, pruned logical plan. The bottom of each plan (a scan with its
 * pushed filter and the project or partial aggregate directly above it, plus a top-N when a
 * Sort+Limit sits on that project) runs in the warehouse's workers; services finishes the
 * rest over the (small) merged results with the same vectorized kernels: final aggregate,
 * HAVING, projection, sort, limit.
 *
 * Contract: returns the plan's output columns and one Batch with every result row, plus
 * the scan statistics summed over every remote scan.
 */
import type { Column } from '../../storage/types/schema.js';
import type { Batch, BoolVector } from '../../storage/types/vector.js';
import { InternalError } from '../../storage/errors/firn-error.js';
import type { BoundExpr, SortKey } from '../../warehouse/fragment/bound-expr.js';
import type { FragmentOutput, ScanFragment, ScanStats } from '../../warehouse/fragment/fragment.js';
import { evaluateExpr } from '../../warehouse/execute/evaluate-expr.js';
import { concatBatches } from '../../warehouse/execute/batch/concat-batches.js';
import { filterBatch } from '../../warehouse/execute/batch/filter-batch.js';
import { sliceBatch } from '../../warehouse/execute/batch/slice-batch.js';
import { sortBatch } from '../../warehouse/execute/sort/sort-batch.js';
import { aggregateBatches, finalAggregate } from '../../warehouse/execute/aggregate/hash-aggregate.js';
import type { WarehousePool } from '../../warehouse/pool/warehouse-pool.js';
import { planColumns, type JoinNode, type LogicalPlan, type ScanNode } from '../plan/logical-plan.js';
import { hashJoin } from '../../warehouse/execute/join/hash-join.js';
import { SetOp, setOperation } from '../../warehouse/execute/setop/set-operation.js';
import { splitJoinCondition } from './plan-join.js';
import { dispatchScan } from '../scheduler/dispatch-scan.js';

export type PlanResult = { columns: Column[]; batch: Batch; stats: ScanStats };

export async function executePlan(plan: LogicalPlan, pool: () => WarehousePool): Promise<PlanResult> {
  const stats: ScanStats = { rowsScanned: 0, bytesScanned: 0, cacheHits: 0, cacheMisses: 0 };
  const batch = await run(plan, { pool, stats });
  return { columns: planColumns(plan), batch, stats };
}

type RunContext = { pool: () => WarehousePool; stats: ScanStats };

async function run(p: LogicalPlan, ctx: RunContext): Promise<Batch> {
  switch (p.kind) {
    case 'scan': {
      const cols = planColumns(p);
      const exprs: BoundExpr[] = cols.map((c, i) => ({ kind: 'column', index: i, type: c.type }));
      return remote(p, { kind: 'project', exprs, topN: null, limit: null }, ctx);
    }
    case 'values': {
      const one: Batch = { length: 1, columns: [] };
      const rows = p.rows.map((r) => ({ length: 1, columns: r.map((e) => evaluateExpr(e, one)) }));
      return concatBatches(p.columns.map((c) => c.type), rows);
    }
    case 'filter': {
      const input = await run(p.input, ctx);
      return filterBatch(input, evaluateExpr(p.predicate, input) as BoolVector);
    }
    case 'project': {
      if (p.input.kind === 'scan') return remote(p.input, { kind: 'project', exprs: p.exprs, topN: null, limit: null }, ctx);
      const input = await run(p.input, ctx);
      return { length: input.length, columns: p.exprs.map((e) => evaluateExpr(e, input)) };
    }
    case 'aggregate': {
      const groupTypes = p.groupBy.map((g) => g.type);
      if (p.input.kind === 'scan') {
        const parts = await remoteParts(p.input, { kind: 'aggregate', groupBy: p.groupBy, aggregates: p.aggregates }, ctx);
        return finalAggregate(groupTypes, p.aggregates, parts);
      }
      const input = await run(p.input, ctx);
      return aggregateBatches(p.groupBy, p.aggregates, [input]);
    }
    case 'sort':
      return sortBatch(await run(p.input, ctx), p.keys);
    case 'join':
      return runJoin(p, ctx);
    case 'set_operation': {
      const [left, right] = await Promise.all([run(p.left, ctx), run(p.right, ctx)]);
      const op = p.op === 'UNION' ? SetOp.UNION : p.op === 'INTERSECT' ? SetOp.INTERSECT : SetOp.EXCEPT;
      return setOperation(op, p.all, [left], [right], p.columns.map((c) => c.type));
    }
    case 'limit': {
      const end = p.limit === null ? Number.MAX_SAFE_INTEGER : p.offset + p.limit;
      const pushed = pushableTopN(p.input);
      let input: Batch;
      if (pushed) {
        const { scan, exprs, keys } = pushed;
        const topN = keys ? { keys, limit: end } : null;
        input = await remote(scan, { kind: 'project', exprs, topN, limit: keys ? null : end }, ctx);
        if (keys) input = sortBatch(input, keys);
      } else {
        input = await run(p.input, ctx);
      }
      return sliceBatch(input, Math.min(p.offset, input.length), Math.min(end, input.length));
    }
  }
}

/**
 * A join in services: both inputs run (their scans in the workers), then one hash join
 * builds on the smaller input and probes with the other.
 */
async function runJoin(p: JoinNode, ctx: RunContext): Promise<Batch> {
  const [left, right] = await Promise.all([run(p.left, ctx), run(p.right, ctx)]);
  const leftTypes = planColumns(p.left).map((c) => c.type);
  const rightTypes = planColumns(p.right).map((c) => c.type);
  const { keys, residual } = splitJoinCondition(p.condition, leftTypes.length, rightTypes.length);
  let inKey = null;
  if (p.joinType === 'NULL_AWARE_ANTI') {
    inKey = keys.shift() ?? null;
    if (!inKey) throw new InternalError('NOT IN join without a comparable key');
  }
  const out = hashJoin(
    {
      type: p.joinType,
      left: leftTypes,
      right: rightTypes,
      keys,
      inKey,
      residual,
      buildSide: right.length <= left.length ? 'right' : 'left',
    },
    [left],
    [right],
  );
  return concatBatches(planColumns(p).map((c) => c.type), out);
}

/** Limit over [Sort over] Project over Scan: the workers can cut their output early. */
function pushableTopN(p: LogicalPlan): { scan: ScanNode; exprs: BoundExpr[]; keys: SortKey[] | null } | null {
  if (p.kind === 'sort' && p.input.kind === 'project' && p.input.input.kind === 'scan') {
    return { scan: p.input.input, exprs: p.input.exprs, keys: p.keys };
  }
  if (p.kind === 'project' && p.input.kind === 'scan') return { scan: p.input, exprs: p.exprs, keys: null };
  return null;
}

async function remoteParts(scan: ScanNode, output: FragmentOutput, ctx: RunContext): Promise<Batch[]> {
  if (!scan.pruning) throw new InternalError('scan was not pruned before execution');
  if (scan.pruning.units.length === 0) return [];
  const fragment: ScanFragment = {
    tableColumns: scan.table.columns,
    scanColumns: scan.columns,
    filter: scan.filter,
    output,
  };
  const { parts, stats } = await dispatchScan(ctx.pool(), fragment, scan.pruning.units);
  ctx.stats.rowsScanned += stats.rowsScanned;
  ctx.stats.bytesScanned += stats.bytesScanned;
  ctx.stats.cacheHits += stats.cacheHits;
  ctx.stats.cacheMisses += stats.cacheMisses;
  return parts.map((x) => x.batch);
}

async function remote(scan: ScanNode, output: Extract<FragmentOutput, { kind: 'project' }>, ctx: RunContext): Promise<Batch> {
  const parts = await remoteParts(scan, output, ctx);
  return concatBatches(output.exprs.map((e) => e.type), parts);
}

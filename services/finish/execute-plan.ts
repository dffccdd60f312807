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
import { InternalError, ResourceError } from '../../storage/errors/firn-error.js';
import { batchBytes } from '../../storage/types/vector-bytes.js';
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
import { estimateRows } from '../plan/estimate-rows.js';
import { evaluateWindows } from '../../warehouse/execute/window/evaluate-windows.js';
import { canPruneProbe, pruneProbe } from './join-pruning.js';
import { dispatchScan } from '../scheduler/dispatch-scan.js';

/** Scan statistics of a whole plan, with the partitions each scan had and read (after join pruning). */
export type PlanStats = ScanStats & { partitionsTotal: number; partitionsScanned: number };

export type PlanResult = { columns: Column[]; batch: Batch; stats: PlanStats };

export type ExecuteOptions = { pruning: boolean; memoryBytes: number };

export async function executePlan(
  plan: LogicalPlan,
  pool: () => WarehousePool,
  opts: ExecuteOptions = { pruning: true, memoryBytes: Number.MAX_SAFE_INTEGER },
): Promise<PlanResult> {
  const stats: PlanStats = { rowsScanned: 0, bytesScanned: 0, cacheHits: 0, cacheMisses: 0, partitionsTotal: 0, partitionsScanned: 0 };
  const batch = await run(plan, { pool, stats, ...opts });
  return { columns: planColumns(plan), batch, stats };
}

type RunContext = ExecuteOptions & { pool: () => WarehousePool; stats: PlanStats };

/** Sorting holds its whole input plus a permutation: refuse inputs past the query's memory budget. */
function checkSortMemory(batch: Batch, ctx: RunContext): Batch {
  const bytes = batchBytes(batch) + batch.length * 4;
  if (bytes > ctx.memoryBytes) {
    throw new ResourceError('RESOURCE_EXHAUSTED', `Sort of ${batch.length} rows needs about ${bytes} bytes, more than the query memory budget of ${ctx.memoryBytes} bytes (FIRN_QUERY_MEMORY_BYTES)`);
  }
  return batch;
}

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
      return sortBatch(checkSortMemory(await run(p.input, ctx), ctx), p.keys);
    case 'window': {
      const input = await run(p.input, ctx);
      return { length: input.length, columns: [...input.columns, ...evaluateWindows(input, p.calls)] };
    }
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
        if (keys) input = sortBatch(checkSortMemory(input, ctx), keys);
      } else {
        input = await run(p.input, ctx);
      }
      return sliceBatch(input, Math.min(p.offset, input.length), Math.min(end, input.length));
    }
  }
}

/**
 * A join in services: the smaller input by catalog statistics is the build side and runs
 * first; its key ranges prune the probe side's scan (join-pruning.ts); then the probe side
 * runs (its scans in the workers) and one hash join builds and probes.
 */
async function runJoin(p: JoinNode, ctx: RunContext): Promise<Batch> {
  const leftTypes = planColumns(p.left).map((c) => c.type);
  const rightTypes = planColumns(p.right).map((c) => c.type);
  const { keys, residual } = splitJoinCondition(p.condition, leftTypes.length, rightTypes.length);
  let inKey = null;
  if (p.joinType === 'NULL_AWARE_ANTI') {
    inKey = keys.shift() ?? null;
    if (!inKey) throw new InternalError('NOT IN join without a comparable key');
  }
  const buildLeft = estimateRows(p.left) < estimateRows(p.right);
  const build = await run(buildLeft ? p.left : p.right, ctx);
  let probePlan = buildLeft ? p.right : p.left;
  if (ctx.pruning && canPruneProbe(p.joinType, !buildLeft)) probePlan = pruneProbe(probePlan, keys, !buildLeft, build, true);
  const probe = await run(probePlan, ctx);
  const [left, right] = buildLeft ? [build, probe] : [probe, build];
  const out = hashJoin(
    { type: p.joinType, left: leftTypes, right: rightTypes, keys, inKey, residual, buildSide: buildLeft ? 'left' : 'right', memoryBudget: ctx.memoryBytes },
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
  ctx.stats.partitionsTotal += scan.pruning.partitionsTotal;
  ctx.stats.partitionsScanned += scan.pruning.partitionsScanned;
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

/**
 * Executes an optimized, pruned logical plan. The bottom of each plan runs in the
 * warehouse's workers as one pipeline per worker: a scan with its pushed filter, then
 * filters, projections and hash-join probes (left-deep joins whose build sides services
 * runs first and broadcasts to every worker, after using their key ranges to prune the
 * probe scan), then the projection with a partial top-N, or a partial aggregate (per
 * partition when a group key is clustered by partition: services then finalizes most groups
 * without merging). Services
 * finishes the rest over the (small) merged results with the same vectorized kernels:
 * final aggregate, HAVING, windows, joins that cannot be pipelined, sort, limit.
 *
 * Contract: returns the plan's output columns and one Batch with every result row, plus
 * the scan statistics summed over every remote scan.
 */
import type { Column } from '../../storage/types/schema.js';
import type { Batch, BoolVector } from '../../storage/types/vector.js';
import { InternalError, ResourceError } from '../../storage/errors/firn-error.js';
import { batchBytes } from '../../storage/types/vector-bytes.js';
import { encodeBatchIpc } from '../../storage/arrow/batch-ipc.js';
import type { BoundExpr, SortKey } from '../../warehouse/fragment/bound-expr.js';
import type { FragmentOutput, PipelineStep, ScanFragment, ScanStats } from '../../warehouse/fragment/fragment.js';
import { evaluateExpr } from '../../warehouse/execute/evaluate-expr.js';
import { concatBatches } from '../../warehouse/execute/batch/concat-batches.js';
import { MemoryMeter } from '../../warehouse/execute/batch/memory-meter.js';
import { filterBatch } from '../../warehouse/execute/batch/filter-batch.js';
import { sliceBatch } from '../../warehouse/execute/batch/slice-batch.js';
import { sortBatch } from '../../warehouse/execute/sort/sort-batch.js';
import { mergeTopN } from '../../warehouse/execute/sort/merge-sorted.js';
import { aggregateBatches, finalAggregate, finalizeDistinctGroups, hasRowStates } from '../../warehouse/execute/aggregate/hash-aggregate.js';
import type { HashJoinSpec, JoinKey } from '../../warehouse/execute/join/join-spec.js';
import type { DataType } from '../../storage/types/data-type.js';
import type { WarehousePool } from '../../warehouse/pool/warehouse-pool.js';
import { isMarkJoin, planColumns, type JoinNode, type LogicalPlan, type ScanNode } from '../plan/logical-plan.js';
import { HashJoinExec } from '../../warehouse/execute/join/hash-join-exec.js';
import { topN } from '../../warehouse/execute/sort/top-n.js';
import { SetOp, setOperation } from '../../warehouse/execute/setop/set-operation.js';
import { execJoinType, physicalJoin } from '../physical/physical-join.js';
import { estimateRows } from '../plan/estimate-rows.js';
import { evaluateWindows } from '../../warehouse/execute/window/evaluate-windows.js';
import { canPruneProbe, pruneProbe } from './join-pruning.js';
import { inOverlaps, partitionOverlaps, type KeyRanges } from './partition-overlaps.js';
import { dispatchScan } from '../scheduler/dispatch-scan.js';
import { dispatchPartitionedJoin } from '../scheduler/dispatch-join.js';
import { DEFAULT_BROADCAST_ROWS } from '../config.js';
import type { Deadline } from '../session/deadline.js';
import { CancelFlag } from '../../warehouse/cancel/cancel-flag.js';

/** Scan statistics of a whole plan, with the partitions each scan had and read (after join pruning). */
/** Scan statistics of a whole plan, plus how many joins ran partitioned by key across the workers. */
export type PlanStats = ScanStats & { partitionsTotal: number; partitionsScanned: number; partitionedJoins: number };

export type PlanResult = { columns: Column[]; batch: Batch; stats: PlanStats };

/**
 * `broadcastRows`: the largest join build side sent whole to every worker (config.broadcastRows);
 * `deadline`: the statement's cancellation (timeout, client gone): checked before each operator runs
 * and once the plan is done; it also stops the statement's worker tasks and main-thread kernels.
 */
export type ExecuteOptions = { pruning: boolean; memoryBytes: number; broadcastRows: number; deadline?: Deadline | null };

export async function executePlan(
  plan: LogicalPlan,
  pool: () => WarehousePool,
  opts: ExecuteOptions = { pruning: true, memoryBytes: Number.MAX_SAFE_INTEGER, broadcastRows: DEFAULT_BROADCAST_ROWS },
): Promise<PlanResult> {
  const stats: PlanStats = { rowsScanned: 0, bytesScanned: 0, cacheHits: 0, cacheMisses: 0, partitionsTotal: 0, partitionsScanned: 0, partitionedJoins: 0 };
  const batch = await run(plan, { pool, stats, ...opts });
  opts.deadline?.check();
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

/**
 * Runs a synchronous kernel on this (main) thread with the statement's CancelFlag active, so
 * its per-batch checkpoints (join probe blocks, aggregate batches) stop it once the statement
 * is past its timeout; nothing else can run on this thread meanwhile.
 */
function inline<T>(ctx: RunContext, kernel: () => T): T {
  return CancelFlag.within(ctx.deadline?.flag ?? null, kernel);
}

/** Runs one plan node; what it materializes must fit the query memory budget (53200 past it). */
async function run(p: LogicalPlan, ctx: RunContext): Promise<Batch> {
  const batch = await runNode(p, ctx);
  new MemoryMeter(ctx.memoryBytes, `The result of ${p.kind === 'join' ? `a ${p.joinType} join` : `a ${p.kind}`}`).add(batch);
  return batch;
}

async function runNode(p: LogicalPlan, ctx: RunContext): Promise<Batch> {
  ctx.deadline?.check();
  const pipeline = asPipeline(p, ctx.broadcastRows);
  if (pipeline) {
    const cols = planColumns(p);
    const exprs: BoundExpr[] = cols.map((c, i) => ({ kind: 'column', index: i, type: c.type }));
    return remote(pipeline, { kind: 'project', exprs, topN: null, limit: null }, ctx);
  }
  switch (p.kind) {
    case 'scan':
      throw new InternalError('a scan is always a pipeline');
    case 'values': {
      const one: Batch = { length: 1, columns: [] };
      const meter = new MemoryMeter(ctx.memoryBytes, 'VALUES');
      const rows = p.rows.map((r) => {
        const row = { length: 1, columns: r.map((e) => evaluateExpr(e, one)) };
        meter.add(row);
        return row;
      });
      return concatBatches(p.columns.map((c) => c.type), rows);
    }
    case 'filter': {
      const input = await run(p.input, ctx);
      return filterBatch(input, evaluateExpr(p.predicate, input) as BoolVector);
    }
    case 'project': {
      const input = await run(p.input, ctx);
      return { length: input.length, columns: p.exprs.map((e) => evaluateExpr(e, input)) };
    }
    case 'aggregate': {
      const groupTypes = p.groupBy.map((g) => g.type);
      const below = asPipeline(p.input, ctx.broadcastRows);
      if (below) {
        const clustered = hasRowStates(p.aggregates) ? clusteredGroupKey(below, p.groupBy) : null;
        const parts = await remoteParts(below, { kind: 'aggregate', groupBy: p.groupBy, aggregates: p.aggregates, perPartition: clustered !== null, memoryBudget: ctx.memoryBytes }, ctx);
        if (clustered === null) return inline(ctx, () => finalAggregate(groupTypes, p.aggregates, parts, ctx.memoryBytes));
        // Groups whose key no other partition can hold are final already; merge the rest.
        const finished: Batch[] = [];
        const shared: Batch[] = [];
        for (const part of parts) {
          const inside = inOverlaps(part.columns[clustered.key], clustered.ranges);
          shared.push(filterBatch(part, { kind: 'bool', length: part.length, values: inside, nulls: null }));
          finished.push(finalizeDistinctGroups(groupTypes.length, p.aggregates, filterBatch(part, { kind: 'bool', length: part.length, values: inside.map((x) => 1 - x), nulls: null })));
        }
        finished.push(finalAggregate(groupTypes, p.aggregates, shared, ctx.memoryBytes));
        return concatBatches([...groupTypes, ...p.aggregates.map((a) => a.type)], finished);
      }
      const input = await run(p.input, ctx);
      return inline(ctx, () => aggregateBatches(p.groupBy, p.aggregates, [input], evaluateExpr, ctx.memoryBytes));
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
      const pushed = pushableTopN(p.input, ctx.broadcastRows);
      let input: Batch;
      if (pushed) {
        const { pipeline: below, exprs, keys } = pushed;
        const types = exprs.map((e) => e.type);
        if (keys) {
          // Each worker answers its own sorted top-N; a k-way merge keeps the first `end` rows.
          const parts = await remoteParts(below, { kind: 'project', exprs, topN: { keys, limit: end }, limit: null }, ctx);
          input = mergeTopN(parts, types, keys, end);
        } else {
          input = await remote(below, { kind: 'project', exprs, topN: null, limit: end }, ctx);
        }
      } else {
        const streamed = joinTopN(p.input);
        input = streamed && p.limit !== null ? await runJoinTopN(streamed, end, ctx) : await run(p.input, ctx);
      }
      return sliceBatch(input, Math.min(p.offset, input.length), Math.min(end, input.length));
    }
  }
}

/**
 * A scan and the operators the workers can run over its rows one partition at a time:
 * filters, projections, and joins whose probe side is the pipeline (INNER, LEFT, SEMI, ANTI,
 * NOT IN, MARK) and whose build side is the smaller input.
 */
type Pipeline = { scan: ScanNode; steps: PlannedStep[] };
type PlannedStep = { kind: 'filter'; predicate: BoundExpr } | { kind: 'project'; exprs: BoundExpr[] } | { kind: 'join'; node: JoinNode };

const PIPELINE_JOINS = new Set(['INNER', 'CROSS', 'LEFT', 'SEMI', 'ANTI', 'NULL_AWARE_ANTI', 'MARK', 'NULL_AWARE_MARK']);

function asPipeline(p: LogicalPlan, broadcastRows: number): Pipeline | null {
  switch (p.kind) {
    case 'scan':
      return { scan: p, steps: [] };
    case 'filter':
    case 'project': {
      const below = asPipeline(p.input, broadcastRows);
      if (!below) return null;
      const step: PlannedStep = p.kind === 'filter' ? { kind: 'filter', predicate: p.predicate } : { kind: 'project', exprs: p.exprs };
      return { scan: below.scan, steps: [...below.steps, step] };
    }
    case 'join': {
      // The build side is broadcast to every worker: only the smaller input, and not a huge one.
      const buildRows = estimateRows(p.right);
      if (!PIPELINE_JOINS.has(p.joinType) || buildRows > estimateRows(p.left) || buildRows > broadcastRows) return null;
      const below = asPipeline(p.left, broadcastRows);
      return below ? { scan: below.scan, steps: [...below.steps, { kind: 'join', node: p }] } : null;
    }
    default:
      return null;
  }
}

/**
 * A GROUP BY key that is a column the pipeline passes through unchanged from its scan
 * (through filters, column projections and the probe side of joins) and whose values the
 * scan's partitions share only in a few key ranges (partition-overlaps.ts), or null.
 */
function clusteredGroupKey(pipeline: Pipeline, groupBy: readonly BoundExpr[]): { key: number; ranges: KeyRanges } | null {
  const units = pipeline.scan.pruning?.units;
  if (!units || units.length < 2) return null;
  const partitions = units.map((u) => u.partition);
  for (let k = 0; k < groupBy.length; k++) {
    const g = groupBy[k];
    if (g.kind !== 'column') continue;
    let index: number | null = g.index;
    for (let s = pipeline.steps.length - 1; s >= 0 && index !== null; s--) {
      const step = pipeline.steps[s];
      if (step.kind === 'project') {
        const e: BoundExpr = step.exprs[index];
        index = e.kind === 'column' ? e.index : null;
      } else if (step.kind === 'join' && index >= planColumns(step.node.left).length) {
        index = null;
      }
    }
    if (index === null) continue;
    const ranges = partitionOverlaps(partitions, pipeline.scan.table.columns[pipeline.scan.columns[index]]);
    if (ranges) return { key: k, ranges };
  }
  return null;
}

/**
 * A join in services: the smaller input by catalog statistics is the build side and runs
 * first; its key ranges prune the probe side's scan (join-pruning.ts); then the probe side
 * runs (its scans in the workers) and one hash join builds and probes. The output it keeps
 * counts against the query memory budget block by block (53200 past it).
 */
async function runJoin(p: JoinNode, ctx: RunContext): Promise<Batch> {
  const meter = new MemoryMeter(ctx.memoryBytes, `${p.joinType} join result`);
  const out: Batch[] = [];
  const blocks = await joinBlocks(p, ctx);
  inline(ctx, () => {
    for (const block of blocks) {
      meter.add(block);
      out.push(block);
    }
  });
  return concatBatches(planColumns(p).map((c) => c.type), out);
}

/**
 * A join's output as blocks of at most DEFAULT_JOIN_BATCH_SIZE rows, produced as the caller
 * reads them (a top-N over a CROSS join keeps only its N rows); a join partitioned across
 * the workers or streamed as a MARK pipeline answers its materialized parts.
 */
async function joinBlocks(p: JoinNode, ctx: RunContext): Promise<Iterable<Batch>> {
  const leftTypes = planColumns(p.left).map((c) => c.type);
  const rightTypes = planColumns(p.right).map((c) => c.type);
  const { keys, residual, inKey } = physicalJoin(p, leftTypes.length, rightTypes.length);
  const buildLeft = estimateRows(p.left) < estimateRows(p.right);
  const streamed = buildLeft && MARK_JOINS.has(p.joinType) ? asPipeline(p.right, ctx.broadcastRows) : null;
  if (streamed) return [await runMarkJoin(p, streamed, { keys, inKey, residual, leftTypes, rightTypes }, ctx)];
  const build = await run(buildLeft ? p.left : p.right, ctx);
  let probePlan = buildLeft ? p.right : p.left;
  if (ctx.pruning && canPruneProbe(p.joinType, !buildLeft)) probePlan = pruneProbe(probePlan, keys, !buildLeft, build, true);
  const probe = await run(probePlan, ctx);
  const [left, right] = buildLeft ? [build, probe] : [probe, build];
  const spec: HashJoinSpec = { type: execJoinType(p.joinType), left: leftTypes, right: rightTypes, keys, inKey, residual, buildSide: buildLeft ? 'left' : 'right', memoryBudget: ctx.memoryBytes };
  if (build.length > ctx.broadcastRows && keys.length > 0 && inKey === null && ctx.pool().workers > 1) {
    // Too large to hash in one place: every worker joins one key partition of both sides.
    ctx.stats.partitionedJoins++;
    return dispatchPartitionedJoin(ctx.pool(), spec, { columns: planColumns(p.left), batch: left }, { columns: planColumns(p.right), batch: right }, ctx.deadline ?? null);
  }
  const exec = new HashJoinExec(spec);
  exec.build(build);
  exec.finishBuild();
  return (function* () {
    yield* exec.probe(probe);
    yield* exec.finish();
  })();
}

/**
 * ORDER BY ... LIMIT over a join that runs in services (not a worker pipeline), with an
 * optional projection between: the join's blocks are projected and folded into a running
 * top-N one by one, so memory stays at the N rows plus one block, never the join's output.
 */
function joinTopN(p: LogicalPlan): { join: JoinNode; exprs: BoundExpr[] | null; keys: SortKey[] } | null {
  if (p.kind !== 'sort') return null;
  const below = p.input.kind === 'project' ? p.input.input : p.input;
  if (below.kind !== 'join') return null;
  return { join: below, exprs: p.input.kind === 'project' ? p.input.exprs : null, keys: p.keys };
}

async function runJoinTopN(t: { join: JoinNode; exprs: BoundExpr[] | null; keys: SortKey[] }, n: number, ctx: RunContext): Promise<Batch> {
  const types = t.exprs ? t.exprs.map((e) => e.type) : planColumns(t.join).map((c) => c.type);
  const blocks = await joinBlocks(t.join, ctx);
  return inline(ctx, () => {
    let kept: Batch | null = null;
    for (const block of blocks) {
      ctx.deadline?.check();
      const projected: Batch = t.exprs ? { length: block.length, columns: t.exprs.map((e) => evaluateExpr(e, block)) } : block;
      kept = topN(kept ? [kept, projected] : [projected], types, t.keys, n);
    }
    return kept ?? topN([], types, t.keys, n);
  });
}

const MARK_JOINS = new Set(['SEMI', 'ANTI', 'NULL_AWARE_ANTI', 'MARK', 'NULL_AWARE_MARK']);

/**
 * A SEMI/ANTI/MARK join whose left input is the small one and whose right input is a
 * pipeline: the left rows are broadcast, every worker marks which of them its right rows
 * match (a MARK join built on the left), and services ORs the marks (three-valued OR: any
 * TRUE wins, then any NULL) and keeps the left rows by them: TRUE for SEMI, FALSE for ANTI
 * and NOT IN; a MARK join keeps every row and appends the ORed mark.
 */
async function runMarkJoin(
  p: JoinNode,
  right: Pipeline,
  j: { keys: JoinKey[]; inKey: JoinKey | null; residual: BoundExpr | null; leftTypes: DataType[]; rightTypes: DataType[] },
  ctx: RunContext,
): Promise<Batch> {
  const left = await run(p.left, ctx);
  if (left.length === 0) return isMarkJoin(p.joinType) ? { length: 0, columns: [...left.columns, { kind: 'bool', length: 0, values: new Uint8Array(0), nulls: null }] } : left;
  const spec: HashJoinSpec = { type: 'MARK', left: j.leftTypes, right: j.rightTypes, keys: j.keys, inKey: j.inKey, residual: j.residual, buildSide: 'left', memoryBudget: ctx.memoryBytes };
  const parts = await remoteParts(right, { kind: 'mark', spec, build: encodeBatchIpc(planColumns(p.left), left) }, ctx);
  const MATCH = 2;
  const UNKNOWN = 1;
  const state = new Uint8Array(left.length);
  for (const part of parts) {
    const m = part.columns[0] as BoolVector;
    for (let i = 0; i < left.length; i++) {
      const s = m.nulls && m.nulls[i] ? UNKNOWN : m.values[i] ? MATCH : 0;
      if (s > state[i]) state[i] = s;
    }
  }
  if (isMarkJoin(p.joinType)) {
    const mark: BoolVector = {
      kind: 'bool',
      length: left.length,
      values: Uint8Array.from(state, (s) => (s === MATCH ? 1 : 0)),
      nulls: state.includes(UNKNOWN) ? Uint8Array.from(state, (s) => (s === UNKNOWN ? 1 : 0)) : null,
    };
    return { length: left.length, columns: [...left.columns, mark] };
  }
  const want = p.joinType === 'SEMI' ? MATCH : 0;
  const keep: BoolVector = { kind: 'bool', length: left.length, values: Uint8Array.from(state, (s) => (s === want ? 1 : 0)), nulls: null };
  return filterBatch(left, keep);
}

/** Limit over [Sort over] [Project over] a pipeline: the workers can cut their output early. */
function pushableTopN(p: LogicalPlan, broadcastRows: number): { pipeline: Pipeline; exprs: BoundExpr[]; keys: SortKey[] | null } | null {
  const project = p.kind === 'sort' ? p.input : p;
  const below = asPipeline(project.kind === 'project' ? project.input : project, broadcastRows);
  if (!below) return null;
  // Without a projection the workers answer the pipeline's own columns.
  const exprs: BoundExpr[] = project.kind === 'project' ? project.exprs : planColumns(project).map((c, i) => ({ kind: 'column', index: i, type: c.type }));
  return { pipeline: below, exprs, keys: p.kind === 'sort' ? p.keys : null };
}

/**
 * Runs a pipeline's join build sides in services (each pruning the probe scan by its key
 * ranges while only filters precede it), then dispatches the scan fragment to the workers.
 */
async function remoteParts(pipeline: Pipeline, output: FragmentOutput, ctx: RunContext): Promise<Batch[]> {
  let scan = pipeline.scan;
  const steps: PipelineStep[] = [];
  let layoutIsScan = true;
  for (const step of pipeline.steps) {
    if (step.kind !== 'join') {
      steps.push(step);
      if (step.kind === 'project') layoutIsScan = false;
      continue;
    }
    const node = step.node;
    const leftTypes = planColumns(node.left).map((c) => c.type);
    const rightTypes = planColumns(node.right).map((c) => c.type);
    const { keys, residual, inKey } = physicalJoin(node, leftTypes.length, rightTypes.length);
    const build = await run(node.right, ctx);
    if (layoutIsScan && ctx.pruning && canPruneProbe(node.joinType, true)) scan = pruneProbe(scan, keys, true, build, true) as ScanNode;
    const spec: HashJoinSpec = { type: execJoinType(node.joinType), left: leftTypes, right: rightTypes, keys, inKey, residual, buildSide: 'right', memoryBudget: ctx.memoryBytes };
    steps.push({ kind: 'join', spec, build: encodeBatchIpc(planColumns(node.right), build) });
    layoutIsScan = false;
  }
  if (!scan.pruning) throw new InternalError('scan was not pruned before execution');
  ctx.stats.partitionsTotal += scan.pruning.partitionsTotal;
  ctx.stats.partitionsScanned += scan.pruning.partitionsScanned;
  if (scan.pruning.units.length === 0) return [];
  const fragment: ScanFragment = { tableColumns: scan.table.columns, scanColumns: scan.columns, filter: scan.filter, steps, output, memoryBudget: ctx.memoryBytes };
  const { parts, stats } = await dispatchScan(ctx.pool(), fragment, scan.pruning.units, ctx.deadline ?? null);
  ctx.stats.rowsScanned += stats.rowsScanned;
  ctx.stats.bytesScanned += stats.bytesScanned;
  ctx.stats.cacheHits += stats.cacheHits;
  ctx.stats.cacheMisses += stats.cacheMisses;
  return parts.map((x) => x.batch);
}

async function remote(pipeline: Pipeline, output: Extract<FragmentOutput, { kind: 'project' }>, ctx: RunContext): Promise<Batch> {
  const parts = await remoteParts(pipeline, output, ctx);
  return concatWithin(output.exprs.map((e) => e.type), parts, ctx, 'Scan result');
}

/** Concatenates batches after counting them against the query's memory budget (53200 past it). */
function concatWithin(types: readonly DataType[], parts: readonly Batch[], ctx: RunContext, what: string): Batch {
  if (parts.length > 1) {
    const meter = new MemoryMeter(ctx.memoryBytes, what);
    for (const b of parts) meter.add(b);
  }
  return concatBatches(types, parts);
}

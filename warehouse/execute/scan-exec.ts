/**
 * ScanExec: the pipeline a worker runs for one plan fragment over its scan units:
 * read the needed columns (column cache -> object store) -> filter -> pipeline steps
 * (filters, projections, hash-join probes against broadcast build sides) -> project with an
 * optional partial top-N or limit, or -> partial hash aggregate (one table for all units,
 * or one per partition when the fragment says the group keys are clustered by partition). One partition at a time,
 * so memory stays bounded by a partition plus the operator state and the join builds. A join
 * step emits its output in blocks of at most PIPELINE_JOIN_BATCH rows that flow through the
 * later steps into the output one by one, so a CROSS join feeding a top-N or an aggregate
 * never holds its product; projected rows that are kept count against the fragment's
 * memoryBudget (53200 past it).
 *
 * Contract: returns the output columns and batch described in fragment.ts, and the scan
 * statistics (rows and bytes read, column-cache hits and misses). Checks the statement's
 * CancelFlag before and after reading each unit (join probes and aggregates check per batch).
 */
import { InternalError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch, BoolVector } from '../../storage/types/vector.js';
import type { ColumnCache } from '../cache/column-cache.js';
import type { PipelineStep, ScanFragment, ScanStats, ScanUnit } from '../fragment/fragment.js';
import { decodeBatchIpc } from '../../storage/arrow/batch-ipc.js';
import { HashJoinExec } from './join/hash-join-exec.js';
import { PartialAggregateExec } from './aggregate/partial-aggregate-exec.js';
import { concatBatches } from './batch/concat-batches.js';
import { filterBatch } from './batch/filter-batch.js';
import { MemoryMeter } from './batch/memory-meter.js';
import { sliceBatch } from './batch/slice-batch.js';
import { evaluateExpr } from './evaluate-expr.js';
import { topN } from './sort/top-n.js';
import { CancelFlag } from '../cancel/cancel-flag.js';
import { topPermutation } from './sort/sort-permutation.js';
import { gatherBatch } from './batch/gather-batch.js';
import type { BoundExpr } from '../fragment/bound-expr.js';

/** Rows per join output block: large enough to keep the per-block kernels efficient, small enough to bound memory. */
const PIPELINE_JOIN_BATCH = 1 << 16;

type Step = (b: Batch) => Iterable<Batch>;

/** A step as a function from a batch to its output blocks; a join's build side is decoded and hashed once here. */
function prepareStep(step: PipelineStep): Step {
  switch (step.kind) {
    case 'filter':
      return (b) => [filterBatch(b, evaluateExpr(step.predicate, b) as BoolVector)];
    case 'project':
      return (b) => [{ length: b.length, columns: step.exprs.map((e) => evaluateExpr(e, b)) }];
    case 'join': {
      const join = new HashJoinExec({ ...step.spec, batchSize: PIPELINE_JOIN_BATCH });
      join.build(decodeBatchIpc(step.build).batch);
      join.finishBuild();
      return (b) => join.probe(b);
    }
  }
}

/**
 * The non-empty blocks that come out of `steps[from..]` for one input batch, depth first: a
 * join's probe output is read to its end before that join probes again (HashJoinExec's contract).
 */
function* runSteps(batch: Batch, steps: readonly Step[], from: number): Generator<Batch> {
  if (batch.length === 0) return;
  if (from === steps.length) {
    yield batch;
    return;
  }
  for (const out of steps[from](batch)) yield* runSteps(out, steps, from + 1);
}

/** `expr` with every column reference replaced by the expression that computes that column. */
function inlineColumns(expr: BoundExpr, columns: readonly BoundExpr[]): BoundExpr {
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const obj = node as Record<string, unknown>;
    if (obj.kind === 'column' && typeof obj.index === 'number') return columns[obj.index];
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(obj)) copy[key] = key === 'type' ? obj[key] : visit(obj[key]);
    return copy;
  };
  return visit(expr) as BoundExpr;
}

/**
 * A join step followed by a projection of plain columns (what projection push-down puts
 * above a join whose key columns nobody reads later) becomes one join that gathers only
 * those columns, instead of gathering every column and dropping some.
 */
function fuseJoinProjections(steps: readonly PipelineStep[]): PipelineStep[] {
  const out: PipelineStep[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const next = steps[i + 1];
    if (step.kind === 'join' && !step.spec.outputs && next?.kind === 'project' && next.exprs.every((e) => e.kind === 'column')) {
      out.push({ ...step, spec: { ...step.spec, outputs: next.exprs.map((e) => (e as { index: number }).index) } });
      i++;
      continue;
    }
    out.push(step);
  }
  return out;
}

export async function runScanFragment(
  fragment: ScanFragment,
  units: ScanUnit[],
  cache: ColumnCache,
): Promise<{ columns: Column[]; batch: Batch; stats: ScanStats }> {
  const stats: ScanStats = { rowsScanned: 0, bytesScanned: 0, cacheHits: 0, cacheMisses: 0 };
  const out = fragment.output;
  const aggregate = out.kind === 'aggregate' && !out.perPartition ? new PartialAggregateExec(out.groupBy, out.aggregates, out.memoryBudget) : null;
  // Per-partition aggregation: one small (cache-resident) hash table per partition, for
  // group keys that services found clustered by partition, so partials rarely repeat a key.
  const perPartition = out.kind === 'aggregate' && out.perPartition ? out : null;
  let partialColumns: Column[] = [];
  const mark = out.kind === 'mark' ? new HashJoinExec(out.spec) : null;
  if (mark && out.kind === 'mark') {
    mark.build(decodeBatchIpc(out.build).batch);
    mark.finishBuild();
  }
  const projected: Batch[] = [];
  let rows = 0;
  const steps = fuseJoinProjections(fragment.steps).map(prepareStep);
  const meter = new MemoryMeter(fragment.memoryBudget ?? Number.POSITIVE_INFINITY, 'Scan result');
  // A top-N's sort keys over the pipeline's rows (the projection inlined), so each block is
  // cut to its top rows before the projection runs (a CROSS join's string columns are built
  // for N rows per block, not for every pair).
  const blockKeys = out.kind === 'project' && out.topN ? out.topN.keys.map((k) => ({ ...k, expr: inlineColumns(k.expr, out.exprs) })) : null;

  for (const unit of units) {
    if (out.kind === 'project' && out.limit !== null && rows >= out.limit) break;
    CancelFlag.checkpoint();
    const read = await cache.getColumns(unit.objectKey, fragment.tableColumns, fragment.scanColumns, unit.rowCount);
    CancelFlag.checkpoint();
    stats.rowsScanned += read.batch.length;
    stats.bytesScanned += read.stats.bytesScanned;
    stats.cacheHits += read.stats.hits;
    stats.cacheMisses += read.stats.misses;
    let batch = read.batch;
    if (fragment.filter && unit.filterMode === 'filter') {
      batch = filterBatch(batch, evaluateExpr(fragment.filter, batch) as BoolVector);
    }
    const partition = perPartition ? new PartialAggregateExec(perPartition.groupBy, perPartition.aggregates, perPartition.memoryBudget) : null;
    let partitionRows = 0;
    for (const block of runSteps(batch, steps, 0)) {
      // A join step can turn one partition into many blocks (a CROSS join): check each one.
      CancelFlag.checkpoint();
      if (aggregate) {
        aggregate.push(block);
        continue;
      }
      if (partition) {
        partition.push(block);
        partitionRows += block.length;
        continue;
      }
      if (mark) {
        // The probe yields nothing here: a MARK join built on the left answers in finish().
        for (const _ of mark.probe(block));
        continue;
      }
      if (out.kind !== 'project') continue;
      if (out.topN && blockKeys) {
        // Keep at most `limit` rows between blocks: the block's own top rows by its sort keys
        // (evaluated over the block), projected, then top-N of (kept so far + those).
        const keyVectors = blockKeys.map((k) => evaluateExpr(k.expr, block));
        const winners = gatherBatch(block, topPermutation(keyVectors, blockKeys, block.length, out.topN.limit));
        projected.push({ length: winners.length, columns: out.exprs.map((e) => evaluateExpr(e, winners)) });
        projected.push(topN(projected.splice(0), out.exprs.map((e) => e.type), out.topN.keys, out.topN.limit));
        continue;
      }
      let result: Batch = { length: block.length, columns: out.exprs.map((e) => evaluateExpr(e, block)) };
      if (out.limit !== null && rows + result.length > out.limit) result = sliceBatch(result, 0, out.limit - rows);
      meter.add(result);
      projected.push(result);
      rows += result.length;
      if (out.limit !== null && rows >= out.limit) break;
    }
    if (partition && partitionRows > 0) {
      const partial = partition.finish();
      partialColumns = partial.columns;
      projected.push(partial.batch);
    }
  }

  if (aggregate) {
    const partial = aggregate.finish();
    return { columns: partial.columns, batch: partial.batch, stats };
  }
  if (perPartition) {
    if (projected.length === 0) return { ...new PartialAggregateExec(perPartition.groupBy, perPartition.aggregates).finish(), stats };
    return { columns: partialColumns, batch: concatBatches(partialColumns.map((c) => c.type), projected), stats };
  }
  if (mark) {
    const rows = concatBatches(mark.outputTypes, [...mark.finish()]);
    const flags = rows.columns[rows.columns.length - 1];
    return { columns: [{ name: 'mark', type: Types.boolean, nullable: true }], batch: { length: rows.length, columns: [flags] }, stats };
  }
  if (out.kind !== 'project') throw new InternalError(`unknown fragment output ${(out as { kind: string }).kind}`);
  const columns = out.exprs.map((e, i) => ({ name: `c${i}`, type: e.type, nullable: true }));
  let batch = concatBatches(columns.map((c) => c.type), projected);
  if (out.limit !== null && batch.length > out.limit) batch = sliceBatch(batch, 0, out.limit);
  return { columns, batch, stats };
}

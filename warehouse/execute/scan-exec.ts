/**
 * ScanExec: the pipeline a worker runs for one plan fragment over its scan units:
 * read the needed columns (column cache -> object store) -> filter -> pipeline steps
 * (filters, projections, hash-join probes against broadcast build sides) -> project with an
 * optional partial top-N or limit, or -> partial hash aggregate (one table for all units,
 * or one per partition when the fragment says the group keys are clustered by partition). One partition at a time,
 * so memory stays bounded by a partition plus the operator state and the join builds.
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
import { sliceBatch } from './batch/slice-batch.js';
import { evaluateExpr } from './evaluate-expr.js';
import { topN } from './sort/top-n.js';
import { CancelFlag } from '../cancel/cancel-flag.js';

const PIPELINE_JOIN_BATCH = 1 << 18;

/** A step as a function from batch to batch; a join's build side is decoded and hashed once here. */
function prepareStep(step: PipelineStep): (b: Batch) => Batch {
  switch (step.kind) {
    case 'filter':
      return (b) => filterBatch(b, evaluateExpr(step.predicate, b) as BoolVector);
    case 'project':
      return (b) => ({ length: b.length, columns: step.exprs.map((e) => evaluateExpr(e, b)) });
    case 'join': {
      // Output blocks as large as a partition's batch: the blocks are concatenated right
      // away, so smaller ones would only add a copy of every joined row.
      const join = new HashJoinExec({ ...step.spec, batchSize: PIPELINE_JOIN_BATCH });
      join.build(decodeBatchIpc(step.build).batch);
      join.finishBuild();
      const types = join.outputTypes;
      return (b) => concatBatches(types, [...join.probe(b)]);
    }
  }
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
    for (const step of steps) {
      if (batch.length === 0) break;
      batch = step(batch);
    }
    if (batch.length === 0) continue;
    if (aggregate) {
      aggregate.push(batch);
      continue;
    }
    if (perPartition) {
      const exec = new PartialAggregateExec(perPartition.groupBy, perPartition.aggregates, perPartition.memoryBudget);
      exec.push(batch);
      const partial = exec.finish();
      partialColumns = partial.columns;
      projected.push(partial.batch);
      continue;
    }
    if (mark) {
      // The probe yields nothing here: a MARK join built on the left answers in finish().
      for (const _ of mark.probe(batch));
      continue;
    }
    if (out.kind !== 'project') continue;
    let result: Batch = { length: batch.length, columns: out.exprs.map((e) => evaluateExpr(e, batch)) };
    if (out.topN) {
      // Keep at most `limit` rows between partitions: top-N of (kept so far + this one).
      projected.push(result);
      result = topN(projected.splice(0), out.exprs.map((e) => e.type), out.topN.keys, out.topN.limit);
      projected.push(result);
      continue;
    }
    projected.push(result);
    rows += result.length;
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

/**
 * scan_exec: reads `scanColumns` of the task's scan units one unit (micro-partition) at a
 * time through the column cache, filters them by the pushed-down predicate unless pruning
 * proved it true for the whole unit (filterMode 'all'), and passes the rows on in bounded
 * batches. With `limit`, it stops reading further units once that many rows passed (and
 * cuts the last batch), so a LIMIT over a huge scan stops early; a parent that stops
 * pulling stops it as well. Adds what it read to the task's scan statistics.
 */
import type { Batch, BoolVector } from '../../../../storage/types/vector.js';
import { CancelFlag } from '../../../cancel/cancel-flag.js';
import type { ExecNode } from '../../../fragment/stage-plan.js';
import { filterBatch } from '../../batch/filter-batch.js';
import { sliceBatch } from '../../batch/slice-batch.js';
import { evaluateExpr } from '../../evaluate-expr.js';
import { bounded } from '../bounded.js';
import type { OperatorBody, TaskContext } from '../operator.js';

export function scanExec(node: Extract<ExecNode, { kind: 'scan_exec' }>, ctx: TaskContext): OperatorBody {
  return {
    async *run() {
      let rows = 0;
      const limit = node.limit ?? Infinity;
      for (const unit of ctx.task.units) {
        if (rows >= limit) return;
        CancelFlag.checkpoint();
        const read = await ctx.cache.getColumns(unit.objectKey, node.tableColumns, node.scanColumns, unit.rowCount);
        ctx.cancel?.check();
        ctx.stats.rowsScanned += read.batch.length;
        ctx.stats.bytesScanned += read.stats.bytesScanned;
        ctx.stats.cacheHits += read.stats.hits;
        ctx.stats.cacheMisses += read.stats.misses;
        let batch: Batch = read.batch;
        if (node.filter && unit.filterMode === 'filter') batch = filterBatch(batch, evaluateExpr(node.filter, batch) as BoolVector);
        if (rows + batch.length > limit) batch = sliceBatch(batch, 0, limit - rows);
        rows += batch.length;
        yield* bounded(batch);
      }
    },
  };
}

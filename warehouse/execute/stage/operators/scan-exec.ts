/**
 * scan_exec: reads `scanColumns` of the task's scan units one unit (micro-partition) at a
 * time through the column cache, filters them by the pushed-down predicate unless pruning
 * proved it true for the whole unit (filterMode 'all'), and passes the rows on in bounded
 * batches of its `output` columns (only those are copied for the kept rows). With `limit`,
 * it stops reading further units once that many rows passed (and cuts the last batch), so
 * a LIMIT over a huge scan stops early; a parent that stops pulling stops it as well. Adds what it read to the task's scan statistics.
 */
import { markTransient, recycleUnshared } from '../../batch/array-pool.js';
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
      const output = node.output ?? null;
      for (const unit of ctx.task.units) {
        if (rows >= limit) return;
        CancelFlag.checkpoint();
        const read = await ctx.cache.getColumns(unit.objectKey, node.tableColumns, node.scanColumns, unit.rowCount);
        ctx.cancel?.check();
        ctx.stats.rowsScanned += read.batch.length;
        ctx.stats.bytesScanned += read.stats.bytesScanned;
        ctx.stats.cacheHits += read.stats.hits;
        ctx.stats.cacheMisses += read.stats.misses;
        for (let slice of bounded(read.batch)) {
          if (node.filter && unit.filterMode === 'filter') {
            const mask = evaluateExpr(node.filter, slice) as BoolVector;
            const kept = filterBatch(output === null ? slice : pick(slice, output), mask);
            recycleUnshared(mask, slice);
            // Gathered rows are this operator's own: its consumer may recycle them.
            slice = kept.length === slice.length ? kept : markTransient(kept);
          } else if (output !== null) {
            slice = pick(slice, output);
          }
          if (rows + slice.length > limit) slice = sliceBatch(slice, 0, limit - rows);
          rows += slice.length;
          if (slice.length > 0) yield slice;
          if (rows >= limit) return;
        }
      }
    },
  };
}

/** The columns at `positions` of a batch. */
function pick(batch: Batch, positions: readonly number[]): Batch {
  return { length: batch.length, columns: positions.map((i) => batch.columns[i]) };
}

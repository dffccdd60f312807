/**
 * scan_exec: reads `scanColumns` of the task's scan units one unit (micro-partition) at a
 * time through the column cache, filters them by the pushed-down predicate unless pruning
 * proved it true for the whole unit (filterMode 'all'), and passes the rows on in bounded
 * batches of its `output` columns (only those are copied for the kept rows). With `limit`,
 * it stops reading further units once that many rows passed (and cuts the last batch), so
 * a LIMIT over a huge scan stops early; a parent that stops pulling stops it as well. Adds what it read to the task's scan statistics.
 * Runtime key filters (`keyFilters`: bitmaps of a join's build keys) drop rows of every unit.
 * Before filtering a unit, the scan passes over its zones (zone-skip.ts) where no row can pass
 * the predicate or the key filters, unread. In a unit it filters, the cached dictionaries of
 * the string columns it only outputs are unpacked after the filter, and only the entries the
 * kept rows use (lazy-strings.ts).
 * With `rowIds`, each batch also carries its rows' addresses after the output columns,
 * `$partition` (the unit's partitionId) and `$row` (the ordinal within the unit, numbered
 * before the filters, which then drop addresses along with their rows).
 * Partitions are read by the columns' physical names (`physicalNames`), and a column `absent`
 * allows a partition to lack reads as its default (stage-plan.ts AbsentDefault).
 * A scan with `every` reads those units, whatever its task, and only task 0 counts them.
 * When the stage's tasks share their units (StageTask.claims), the task reads its own units
 * and then those its siblings have not reached (claimed-units.ts), the latter as borrowed
 * reads that leave them cached in their owner's slot only (column-cache.ts).
 */
import { allocF64, allocU8, markTransient, recycle, recycleArray, recycleUnshared } from '../../batch/array-pool.js';
import type { Batch, BoolVector, F64Vector, Vector } from '../../../../storage/types/vector.js';
import { CancelFlag } from '../../../cancel/cancel-flag.js';
import type { ExecNode, ScanKeyFilter } from '../../../fragment/stage-plan.js';
import { absentColumns } from '../absent-columns.js';
import { filterBatch } from '../../batch/filter-batch.js';
import { sliceBatch } from '../../batch/slice-batch.js';
import { evaluateExpr } from '../../evaluate-expr.js';
import { collectColumns } from '../../../fragment/bound-expr-walk.js';
import { matchKeyBits } from '../key-bits.js';
import { candidateRanges } from '../zone-skip.js';
import { bounded } from '../bounded.js';
import { claimedUnits } from '../claimed-units.js';
import { LazyStrings } from '../lazy-strings.js';
import type { OperatorBody, TaskContext } from '../operator.js';

export function scanExec(node: Extract<ExecNode, { kind: 'scan_exec' }>, ctx: TaskContext): OperatorBody {
  return {
    async *run() {
      let rows = 0;
      const limit = node.limit ?? Infinity;
      const output = node.output ?? null;
      const keyFilters = node.keyFilters ?? [];
      const names = node.physicalNames;
      const columns = names ? node.tableColumns.map((c, i) => ({ name: names[i], type: c.type, nullable: c.nullable })) : node.tableColumns;
      const absent = node.absent ? absentColumns(node.absent, node.tableColumns) : undefined;
      const counted = node.every === undefined || ctx.task.task === 0;
      // Units taken over from a sibling task stay cached in the sibling's slot only.
      const own = node.every === undefined && ctx.task.claims ? new Set(ctx.task.units.map((u) => u.partitionId)) : null;
      const outputs = output ?? node.scanColumns.map((_, p) => p);
      const deferrable = deferrableStrings(node, outputs);
      for (const unit of node.every?.units ?? claimedUnits(ctx.task)) {
        if (rows >= limit) return;
        CancelFlag.checkpoint();
        const filtered = node.filter !== null && unit.filterMode === 'filter';
        const defer = filtered || keyFilters.length > 0 ? deferrable : null;
        const read = await ctx.cache.getColumns(unit, columns, node.scanColumns, unit.rowCount, absent, own !== null && !own.has(unit.partitionId), defer);
        const deferred = read.deferred;
        const lazy = deferred === null ? null : new LazyStrings(outputs.map((p) => deferred[p]));
        ctx.cancel?.check();
        if (counted) {
          ctx.stats.rowsScanned += read.batch.length;
          ctx.stats.bytesScanned += read.stats.bytesScanned;
          ctx.stats.cacheHits += read.stats.hits;
          ctx.stats.cacheMisses += read.stats.misses;
        }
        const ranges = filtered || keyFilters.length > 0 ? candidateRanges(read.batch, filtered ? node.filter : null, keyFilters) : null;
        for (let { slice, first } of readSlices(read.batch, ranges)) {
          const ids = node.rowIds ? rowIds(unit.partitionId, first, slice.length) : null;
          if (filtered || keyFilters.length > 0) {
            const mask = filtered ? (evaluateExpr(node.filter!, slice) as BoolVector) : null;
            const keep = keyFilters.length > 0 ? keyMask(slice, keyFilters, mask) : mask!;
            const kept = filterBatch(withIds(output === null ? slice : pick(slice, output), ids), keep);
            if (mask) recycleUnshared(mask, slice);
            if (keep !== mask) recycle(keep);
            const gathered = kept.length !== slice.length;
            if (ids && gathered) for (const v of ids) recycleArray(v.values);
            const resolved = lazy === null ? kept : lazy.resolve(kept, gathered);
            // Gathered rows are this operator's own: its consumer may recycle them.
            slice = gathered ? markTransient(resolved) : resolved;
          } else if (output !== null || ids) {
            slice = withIds(output === null ? slice : pick(slice, output), ids);
          }
          if (rows + slice.length > limit) slice = sliceBatch(slice, 0, limit - rows);
          rows += slice.length;
          if (slice.length > 0) yield slice;
          if (rows >= limit) return;
        }
        lazy?.release();
      }
    },
  };
}

/**
 * Table columns whose cached dictionaries a filtered unit's read may defer (LazyStrings): those
 * the scan outputs and neither its filter nor a key filter reads, as the filter runs first.
 */
function deferrableStrings(node: Extract<ExecNode, { kind: 'scan_exec' }>, outputs: readonly number[]): ReadonlySet<number> | null {
  const read = node.filter === null ? new Set<number>() : collectColumns(node.filter, new Set<number>());
  for (const f of node.keyFilters ?? []) read.add(f.column);
  const eager = new Set([...read].map((p) => node.scanColumns[p]));
  const deferrable = new Set(outputs.map((p) => node.scanColumns[p]).filter((c) => !eager.has(c)));
  return deferrable.size > 0 ? deferrable : null;
}

/**
 * The unit's rows as bounded batches, each with the ordinal of its first row in the unit: every
 * row, or only those of `ranges` (candidateRanges' [start, end) pairs).
 */
function* readSlices(batch: Batch, ranges: Int32Array | null): Generator<{ slice: Batch; first: number }> {
  const spans = ranges ?? [0, batch.length];
  for (let r = 0; r < spans.length; r += 2) {
    const whole = spans[r] === 0 && spans[r + 1] === batch.length;
    let first = spans[r];
    for (const slice of bounded(whole ? batch : sliceBatch(batch, spans[r], spans[r + 1]))) {
      yield { slice, first };
      first += slice.length;
    }
  }
}

/** The rows `mask` keeps (every row without one) whose key columns hold keys of their bitmaps. */
function keyMask(batch: Batch, filters: readonly ScanKeyFilter[], mask: BoolVector | null): BoolVector {
  const n = batch.length;
  const out = allocU8(n);
  if (mask === null) out.fill(1);
  else if (mask.nulls === null) out.set(mask.values.subarray(0, n));
  else for (let i = 0; i < n; i++) out[i] = mask.values[i] & (mask.nulls[i] ^ 1);
  for (const f of filters) matchKeyBits(batch.columns[f.column], f.bits, out);
  return { kind: 'bool', length: n, values: out, nulls: null };
}

/** The columns at `positions` of a batch. */
function pick(batch: Batch, positions: readonly number[]): Batch {
  return { length: batch.length, columns: positions.map((i) => batch.columns[i]) };
}

/** The `$partition` and `$row` vectors of rows first .. first + n - 1 of a partition. */
function rowIds(partitionId: number, first: number, n: number): [F64Vector, F64Vector] {
  const part = allocF64(n).fill(partitionId);
  const row = allocF64(n);
  for (let i = 0; i < n; i++) row[i] = first + i;
  return [
    { kind: 'f64', length: n, values: part, nulls: null },
    { kind: 'f64', length: n, values: row, nulls: null },
  ];
}

/** `batch` with the address columns appended (as is without them). */
function withIds(batch: Batch, ids: readonly Vector[] | null): Batch {
  return ids === null ? batch : { length: batch.length, columns: [...batch.columns, ...ids] };
}

/**
 * rewrite_exec: the warehouse half of copy-on-write UPDATE, DELETE and MERGE. Micro-partitions
 * are immutable, so a DML replaces each partition holding changed rows with a new one and
 * leaves every other partition (object and catalog row) exactly as it is.
 *
 * Contract (stage-plan.ts has the node): the input is change rows sorted by ($partition ASC
 * NULLS LAST, $row ASC), as a rowIds scan addressed them. For each run of one $partition the
 * operator reads that candidate partition whole through the column cache and builds its new
 * rows in the partition's order:
 *  - delete: the addressed rows are dropped (one selection vector);
 *  - update: the addressed rows take their change row's values (one gather from the
 *    partition's rows followed by the change rows, by an index vector); a row addressed
 *    several times (UPDATE … FROM matching several rows) takes the first and counts as
 *    multi-joined, as in Snowflake with ERROR_ON_NONDETERMINISTIC_UPDATE = FALSE;
 *  - merge: each change row's `$action` says UPDATE or DELETE; a target row addressed more
 *    than once with an UPDATE among its actions fails the statement with 100090 (Snowflake's
 *    ERROR_ON_NONDETERMINISTIC_MERGE = TRUE), several DELETEs delete it once.
 * With `clusterKeyChanged` the new rows are re-sorted (stable) by `clusterBy`; otherwise the
 * untouched rows keep their exact order. The rows are written as ONE new partition under
 * `${keyPrefix}-t<task>-p<partitionId>` (nothing when every row was deleted) and the old
 * partition id is reported as removed either way. MERGE's INSERT rows (NULL $partition, so
 * last in every task) stream into new partitions of at most `partitionRows` rows sorted by
 * `clusterBy`, under `${keyPrefix}-t<task>-i`. Every write goes through writeMicroPartitions,
 * so every key is reserved through the task's `reservations` port before its object is put.
 * Counts go to the task's `dml`: distinct target rows updated and deleted, rows inserted,
 * and updated rows addressed more than once. One partition's change rows are held at a time,
 * within the operator's memory share (53200 past it); inserts are sorted by writeMicroPartitions,
 * which spills.
 * `columns` carry the table's physical names (what partitions hold); a partition written before
 * an ADD COLUMN reads that column as its default (`absent`), which its rewrite then writes.
 */
import { DataError, InternalError } from '../../../../storage/errors/firn-error.js';
import type { AbsentColumn } from '../../../../storage/partition/partition-reader.js';
import { absentColumns } from '../absent-columns.js';
import { clipValue } from '../../../../storage/errors/clip-value.js';
import type { DataType } from '../../../../storage/types/data-type.js';
import type { Column } from '../../../../storage/types/schema.js';
import { formatDate, formatDecimal, formatTime, formatTimestamp } from '../../../../storage/types/value-text.js';
import type { Batch, Vector } from '../../../../storage/types/vector.js';
import { reserveKeysThrough, type ReserveKeys } from '../../../fragment/key-reservation.js';
import { MergeAction, type ExecNode, type RewriteCandidate } from '../../../fragment/stage-plan.js';
import { clusterKeys, writeMicroPartitions } from '../../../load/write-micro-partitions.js';
import { borrowI32, recycleArray } from '../../batch/array-pool.js';
import { concatBatches } from '../../batch/concat-batches.js';
import { gatherBatch } from '../../batch/gather-batch.js';
import { MemoryMeter } from '../../batch/memory-meter.js';
import { sliceBatch } from '../../batch/slice-batch.js';
import { sortBatch } from '../../sort/sort-batch.js';
import type { Operator, OperatorBody, TaskContext } from '../operator.js';

type RewriteNode = Extract<ExecNode, { kind: 'rewrite_exec' }>;

/** fate[i] of a partition row: KEEP, DELETE, or (>= 0) the change row whose values replace it. */
const KEEP = -1;
const DELETE = -2;

export function rewriteExec(node: RewriteNode, input: Operator, ctx: TaskContext): OperatorBody {
  return {
    async *run() {
      const port = ctx.task.reservations;
      if (!port) throw new InternalError('a rewrite_exec task needs its reservations port');
      await new PartitionRewriter(node, ctx, reserveKeysThrough(port)).run(input.batches());
    },
  };
}

class PartitionRewriter {
  private readonly candidates = new Map<number, RewriteCandidate>();
  private readonly inputTypes: DataType[];
  private readonly types: DataType[];
  /** The first new-value column of a change row. */
  private readonly valuesAt: number;
  private readonly prefix: string;
  /** The change rows of the partition being collected, and its id (-1: none yet). */
  private pending: Batch[] = [];
  private runId = -1;
  /** Counts the pending change rows against the operator's memory share (53200 past it). */
  private meter: MemoryMeter;
  private readonly absent: (AbsentColumn | null)[] | undefined;

  constructor(
    private readonly node: RewriteNode,
    private readonly ctx: TaskContext,
    private readonly reserve: ReserveKeys,
  ) {
    for (const c of node.candidates) this.candidates.set(c.partitionId, c);
    this.inputTypes = node.input.types;
    this.types = node.columns.map((c) => c.type);
    this.absent = node.absent ? absentColumns(node.absent, node.columns) : undefined;
    this.valuesAt = node.mode === 'merge' ? 3 : 2;
    this.prefix = `${node.keyPrefix}-t${ctx.task.task}`;
    this.meter = this.newMeter();
    if (node.mode !== 'delete' && this.inputTypes.length < this.valuesAt + this.types.length) {
      throw new InternalError(`rewrite_exec ${node.mode}: ${this.inputTypes.length} input columns, expected ${this.valuesAt + this.types.length}`);
    }
  }

  async run(batches: AsyncGenerator<Batch>): Promise<void> {
    try {
      for (;;) {
        const r = await batches.next();
        if (r.done) break;
        const b = r.value;
        const ids = numbers(b.columns[0], b.length);
        const nulls = b.columns[0].nulls;
        let at = 0;
        while (at < b.length) {
          if (nulls !== null && nulls[at] !== 0) {
            // Inserts sort last: the rest of the input is inserts only.
            await this.flush();
            await this.insert(at === 0 ? b : sliceBatch(b, at, b.length), batches);
            return;
          }
          const id = ids[at];
          let end = at + 1;
          while (end < b.length && ids[end] === id && (nulls === null || nulls[end] === 0)) end++;
          if (id !== this.runId) {
            // A partition seen again later would be rewritten twice from its old rows.
            if (id < this.runId) throw new InternalError(`rewrite_exec: change rows are not sorted by $partition (${id} after ${this.runId})`);
            await this.flush();
            this.runId = id;
          }
          const part = at === 0 && end === b.length ? b : sliceBatch(b, at, end);
          this.meter.add(part);
          this.pending.push(part);
          at = end;
        }
      }
      await this.flush();
    } finally {
      await batches.return(undefined);
    }
  }

  private newMeter(): MemoryMeter {
    return new MemoryMeter(this.ctx.memory.share, 'the change rows of one partition of a DML');
  }

  /** Rewrites the partition whose change rows were collected. */
  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const id = this.runId;
    const changes = concatBatches(this.inputTypes, this.pending);
    this.pending = [];
    this.meter = this.newMeter();
    const cand = this.candidates.get(id);
    if (!cand) throw new InternalError(`rewrite_exec: change rows address partition ${id}, which is not a candidate`);
    const ctx = this.ctx;
    ctx.cancel?.check();
    const wanted = this.types.map((_, i) => i);
    const read = await ctx.cache.getColumns(cand, this.node.columns, wanted, cand.rowCount, this.absent);
    ctx.stats.rowsScanned += read.batch.length;
    ctx.stats.bytesScanned += read.stats.bytesScanned;
    ctx.stats.cacheHits += read.stats.hits;
    ctx.stats.cacheMisses += read.stats.misses;
    const old = read.batch;
    const fate = borrowI32(old.length).fill(KEEP);
    try {
      this.decide(id, old, changes, fate);
      let rows = this.newRows(old, changes, fate);
      if (this.node.clusterKeyChanged && this.node.clusterBy.length > 0) rows = sortBatch(rows, clusterKeys(this.node.columns, this.node.clusterBy));
      if (rows.length > 0) await this.write(oneBatch(rows), `${this.prefix}-p${id}`, [], Math.max(this.node.partitionRows, rows.length));
    } finally {
      recycleArray(fate);
    }
    ctx.removed.push(id);
  }

  /** Sets each addressed row's fate from its change rows (sorted by $row), and counts them. */
  private decide(id: number, old: Batch, changes: Batch, fate: Int32Array): void {
    const n = old.length;
    const m = changes.length;
    const rowCol = changes.columns[1];
    if (rowCol.nulls !== null && rowCol.nulls.indexOf(1) >= 0) throw new InternalError(`rewrite_exec: a change row of partition ${id} has a NULL $row`);
    const rows = numbers(rowCol, m);
    const merge = this.node.mode === 'merge';
    const actions = merge ? actionCodes(changes.columns[2], this.inputTypes[2], m) : null;
    const dml = this.ctx.dml;
    let prev = -1;
    let k = 0;
    while (k < m) {
      const r = rows[k];
      if (!(r > prev && r < n && Number.isInteger(r))) {
        throw new InternalError(`rewrite_exec: $row ${r} of partition ${id} (${n} rows) is out of range or not in ascending order`);
      }
      prev = r;
      let end = k + 1;
      while (end < m && rows[end] === r) end++;
      if (this.node.mode === 'delete') {
        fate[r] = DELETE;
        dml.deleted++;
      } else if (!merge) {
        fate[r] = k;
        dml.updated++;
        if (end - k > 1) dml.multiJoined++;
      } else {
        let updates = 0;
        for (let j = k; j < end; j++) {
          const a = actions![j];
          if (a === MergeAction.UPDATE) updates++;
          else if (a !== MergeAction.DELETE) throw new InternalError(`rewrite_exec: MERGE action ${a} on a row of partition ${id}`);
        }
        if (updates > 0 && end - k > 1) throw duplicateRow(this.node.columns, old, r);
        if (updates === 1) {
          fate[r] = k;
          dml.updated++;
        } else {
          fate[r] = DELETE;
          dml.deleted++;
        }
      }
      k = end;
    }
  }

  /** The partition's rows with the fates applied, in partition order. */
  private newRows(old: Batch, changes: Batch, fate: Int32Array): Batch {
    const n = old.length;
    let count = 0;
    let replaced = false;
    for (let i = 0; i < n; i++) {
      const f = fate[i];
      if (f !== DELETE) count++;
      if (f >= 0) replaced = true;
    }
    // Row k of the output: the partition's row i (kept) or, replaced, change row fate[i]
    // placed after the partition's n rows.
    const sel = borrowI32(count);
    let k = 0;
    for (let i = 0; i < n; i++) {
      const f = fate[i];
      if (f === DELETE) continue;
      sel[k++] = f === KEEP ? i : n + f;
    }
    const from = replaced ? concatBatches(this.types, [old, this.values(changes)]) : old;
    const out = gatherBatch(from, sel, count);
    recycleArray(sel);
    return out;
  }

  /** Writes MERGE's INSERT rows: `first`, then the rest of the input. */
  private async insert(first: Batch, rest: AsyncGenerator<Batch>): Promise<void> {
    if (this.node.mode !== 'merge') throw new InternalError(`rewrite_exec ${this.node.mode}: a change row has a NULL $partition`);
    const self = this;
    async function* rows(): AsyncGenerator<Batch> {
      for (let b: Batch | null = first; b !== null; ) {
        yield self.insertValues(b);
        const r = await rest.next();
        b = r.done ? null : r.value;
      }
    }
    await this.write(rows(), `${this.prefix}-i`, this.node.clusterBy, this.node.partitionRows);
  }

  /** The new values of INSERT change rows (every one must be an INSERT with a NULL $partition). */
  private insertValues(b: Batch): Batch {
    const part = b.columns[0];
    const actions = actionCodes(b.columns[2], this.inputTypes[2], b.length);
    for (let i = 0; i < b.length; i++) {
      if (part.nulls === null || part.nulls[i] === 0 || actions[i] !== MergeAction.INSERT) {
        throw new InternalError('rewrite_exec: change rows are not sorted NULLS LAST by $partition, or a row without a partition is no INSERT');
      }
    }
    this.ctx.dml.inserted += b.length;
    return this.values(b);
  }

  /** The new-value columns of change rows. */
  private values(changes: Batch): Batch {
    return { length: changes.length, columns: changes.columns.slice(this.valuesAt, this.valuesAt + this.types.length) };
  }

  private async write(rows: AsyncIterable<Batch>, keyPrefix: string, clusterBy: number[], partitionRows: number): Promise<void> {
    const written = await writeMicroPartitions(rows, {
      store: this.ctx.store,
      columns: this.node.columns,
      clusterBy,
      partitionRows,
      keyPrefix,
      reserve: this.reserve,
      cancel: this.ctx.cancel,
      memoryBytes: this.ctx.memory.share,
      spill: this.ctx.spill,
    });
    this.ctx.written.push(...written);
  }
}

async function* oneBatch(b: Batch): AsyncGenerator<Batch> {
  yield b;
}

/** A scale-0 NUMBER column's values as doubles (partition ids, ordinals and action codes fit). */
function numbers(v: Vector, n: number): Float64Array | Int32Array {
  if (v.kind === 'f64' || v.kind === 'i32') return v.values;
  if (v.kind === 'dec') return Float64Array.from(v.values.slice(0, n), Number);
  throw new InternalError(`rewrite_exec: a row address column is a ${v.kind} vector`);
}

/** The MergeAction codes of a `$action` column (a NUMBER of any scale; NULL reads as 0, no action). */
function actionCodes(v: Vector, type: DataType, n: number): Int32Array {
  const vals = numbers(v, n);
  const div = type.kind === 'NUMBER' ? 10 ** type.scale : 1;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = v.nulls !== null && v.nulls[i] !== 0 ? 0 : vals[i] / div;
  return out;
}

/**
 * Snowflake's nondeterministic-merge error, quoting the target row: strings (and dates,
 * timestamps) in double quotes, numbers and booleans bare, values separated by ", ".
 */
function duplicateRow(columns: readonly Column[], old: Batch, r: number): DataError {
  const values = columns.map((c, i) => valueText(old.columns[i], r, c.type));
  return new DataError('NONDETERMINISTIC_MERGE', `Duplicate row detected during DML action\nRow Values: [${values.join(', ')}]`);
}

function valueText(v: Vector, i: number, type: DataType): string {
  if (v.nulls !== null && v.nulls[i] !== 0) return 'NULL';
  switch (v.kind) {
    case 'bool':
      return v.values[i] !== 0 ? 'true' : 'false';
    case 'f64':
      if (type.kind === 'TIME') return JSON.stringify(formatTime(v.values[i]));
      return type.kind === 'NUMBER' ? formatDecimal(v.values[i], type.scale) : String(v.values[i]);
    case 'dec':
      return formatDecimal(v.values[i], type.kind === 'NUMBER' ? type.scale : 0);
    case 'i32':
      return type.kind === 'DATE' ? JSON.stringify(formatDate(v.values[i])) : String(v.values[i]);
    case 'ts':
      return JSON.stringify(formatTimestamp(v.secs[i], v.nanos[i]));
    case 'str':
      return JSON.stringify(clipValue(v.dict[v.codes[i]]));
  }
}

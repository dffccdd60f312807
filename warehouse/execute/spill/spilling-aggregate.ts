/**
 * Hash aggregation within a memory budget, around HashAggregateExec.
 *
 * Contract (phase as in stage-plan.ts's AggregatePhase; output layout as HashAggregateExec:
 * 'partial' gives group keys then states, 'final' and 'single' group keys then values):
 *  - 'partial' never needs to hold more than its budget: when its group table passes
 *    `memoryBytes` it flushes the table's partial states and starts an empty one, so a group
 *    may appear in several flushed batches (the final phase merges them). `takeFlushed()`
 *    hands the flushed batches downstream as they come; what nobody took comes out of
 *    `finish()` first (when more than `memoryBytes` of it piles up, it waits in a spill file).
 *  - 'final' and 'single' aggregate in memory while the table fits `memoryBytes` (then the
 *    output is exactly HashAggregateExec's). Past it they switch to a partitioned (grace)
 *    strategy: the table's groups, as partial states (HashAggregateExec.finishStates), are
 *    hash-partitioned by group key into SPILL_PARTITIONS spill runs, and the rest of the input
 *    is aggregated into fresh tables that are partitioned the same way whenever they fill. At
 *    the end each run is merged on its own (a final aggregation over states); a run still too
 *    big is re-partitioned with the next level's hash seed. It fails with 53200 only past the
 *    disk budget, or when a run is still too big after MAX_LEVELS of re-partitioning.
 * One group is never split (its state does not grow with its rows), so without GROUP BY an
 * aggregation never spills. Memory is HashAggregateExec's estimate (groups times the bytes per group); the
 * values a MEDIAN or COUNT(DISTINCT) holds per group are not in it. The cancel flag is
 * checked per batch.
 */
import { ResourceError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { batchBytes } from '../../../storage/types/vector-bytes.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { AggregateCall, BoundExpr } from '../../fragment/bound-expr.js';
import { gatherBatch } from '../batch/gather-batch.js';
import { sliceBatch } from '../batch/slice-batch.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { HashAggregateExec, type AggregateMode } from '../aggregate/hash-aggregate-exec.js';
import { partialStateTypes } from '../aggregate/partial-state-types.js';
import { partitionRows, SPILL_PARTITIONS } from './partition-rows.js';
import { PartitionWriters } from './partition-writers.js';
import { readSpillRun, type SpillRun } from './spill-file.js';
import type { SpillOptions } from './spill-options.js';

const BATCH_ROWS = 8192;
/** Re-partitioning levels before a run that still does not fit is given up on. */
export const MAX_LEVELS = 6;

export class SpillingAggregate {
  /** Types of the output batches. */
  readonly outputTypes: DataType[];
  /** Types of partial-state batches (the input of 'final', the output of 'partial'). */
  readonly stateTypes: DataType[];
  private readonly mode: AggregateMode;
  /** Group key columns of a partial-state batch. */
  private readonly stateKeys: BoundExpr[];
  private exec: HashAggregateExec;
  /** Grace strategy: the writers of the top-level partitions (null while in memory). */
  private writers: PartitionWriters | null = null;
  private flushed: Batch[] = [];
  private flushedBytes = 0;
  private flushedRuns: SpillRun[] = [];
  private spilled = 0;
  private didPartition = false;

  constructor(
    readonly phase: 'partial' | 'final' | 'single',
    readonly groupBy: BoundExpr[],
    readonly aggregates: AggregateCall[],
    readonly inputTypes: DataType[],
    private readonly opts: SpillOptions,
  ) {
    this.mode = phase === 'single' ? 'complete' : phase;
    this.stateTypes = partialStateTypes(groupBy, aggregates);
    this.stateKeys = groupBy.map((g, index) => ({ kind: 'column', index, type: g.type }));
    this.exec = this.newExec(this.mode);
    this.outputTypes = this.exec.outputTypes;
  }

  /** Bytes this aggregation wrote to spill files. */
  get bytesSpilled(): number {
    return this.spilled;
  }

  /** True once it switched to the partitioned strategy ('final'/'single'). */
  get partitioned(): boolean {
    return this.didPartition;
  }

  async add(batch: Batch): Promise<void> {
    this.opts.cancel?.check();
    if (batch.length === 0) return;
    this.exec.consume(batch);
    if (this.exec.groups <= 1 || this.exec.memoryBytes <= this.opts.memoryBytes) return;
    if (this.phase === 'partial') {
      await this.flushPartial();
      return;
    }
    this.writers ??= this.newWriters(0);
    this.didPartition = true;
    this.partitionInto(this.writers, this.exec.finishStates().batch, 0);
    this.exec = this.newExec(this.mode);
  }

  /** 'partial': the states flushed since the last call (each group's states as HashAggregateExec.finish emits them). */
  takeFlushed(): Batch[] {
    const out = this.flushed;
    this.flushed = [];
    this.flushedBytes = 0;
    return out;
  }

  async *finish(): AsyncGenerator<Batch> {
    for (const run of this.flushedRuns) yield* readSpillRun(run, BATCH_ROWS);
    for (const b of this.takeFlushed()) yield* slices(b);
    if (this.writers === null) {
      yield* slices(this.exec.finish().batch);
      return;
    }
    this.partitionInto(this.writers, this.exec.finishStates().batch, 0);
    const runs = this.finishWriters(this.writers);
    this.writers = null;
    for (const run of runs) yield* this.mergeRun(run, 1);
  }

  private newExec(mode: AggregateMode): HashAggregateExec {
    return mode === 'final'
      ? new HashAggregateExec(this.stateKeys, this.aggregates, 'final')
      : new HashAggregateExec(this.groupBy, this.aggregates, mode, evaluateExpr);
  }

  private async flushPartial(): Promise<void> {
    const states = this.exec.finish().batch;
    this.exec = this.newExec('partial');
    if (this.flushed.length > 0 && this.flushedBytes + batchBytes(states) > this.opts.memoryBytes) {
      // Nobody took the earlier flushes downstream: they wait on disk.
      const w = this.opts.spill.writer('aggregate-flush');
      for (const b of this.takeFlushed()) for (const s of slices(b)) await w.write(s, this.stateTypes);
      const run = await w.finish(this.stateTypes);
      this.spilled += run.bytes;
      this.flushedRuns.push(run);
    }
    this.flushed.push(states);
    this.flushedBytes += batchBytes(states);
  }

  /** The results of one partition's states, re-partitioning at `level` when they do not fit. */
  private async *mergeRun(run: SpillRun, level: number): AsyncGenerator<Batch> {
    let exec = new HashAggregateExec(this.stateKeys, this.aggregates, 'final');
    let writers: PartitionWriters | null = null;
    for await (const b of readSpillRun(run, BATCH_ROWS)) {
      this.opts.cancel?.check();
      exec.consume(b);
      // One group cannot be split; its state does not grow with its rows.
      if (exec.memoryBytes <= this.opts.memoryBytes || exec.groups <= 1) continue;
      if (level >= MAX_LEVELS) {
        throw new ResourceError(
          'RESOURCE_EXHAUSTED',
          `Aggregation exceeded its memory budget of ${this.opts.memoryBytes} bytes (FIRN_QUERY_MEMORY_BYTES) in a spilled partition that ` +
            `did not split further (${exec.groups} group(s) need about ${exec.memoryBytes} bytes after ${level} re-partitioning level(s)). Use a larger warehouse.`,
        );
      }
      writers ??= this.newWriters(level);
      this.partitionInto(writers, exec.finishStates().batch, level);
      exec = new HashAggregateExec(this.stateKeys, this.aggregates, 'final');
    }
    if (writers === null) {
      yield* slices(exec.finish().batch);
      return;
    }
    this.partitionInto(writers, exec.finishStates().batch, level);
    for (const sub of this.finishWriters(writers)) yield* this.mergeRun(sub, level + 1);
  }

  private newWriters(level: number): PartitionWriters {
    const frameBytes = Math.max(16384, Math.min(1 << 20, this.opts.memoryBytes / (2 * SPILL_PARTITIONS)));
    return new PartitionWriters(this.opts.spill, `aggregate-l${level}`, this.stateTypes, SPILL_PARTITIONS, frameBytes);
  }

  /** Routes each row of a partial-state batch to its partition. */
  private partitionInto(writers: PartitionWriters, states: Batch, level: number): void {
    const n = states.length;
    if (n === 0) return;
    this.opts.cancel?.check();
    const { order, starts } = partitionRows(states.columns.slice(0, this.groupBy.length), n, level, 'value');
    for (let p = 0; p < SPILL_PARTITIONS; p++) {
      const count = starts[p + 1] - starts[p];
      if (count > 0) writers.add(p, gatherBatch(states, order.subarray(starts[p], starts[p + 1]), count));
    }
  }

  private finishWriters(writers: PartitionWriters): SpillRun[] {
    const runs = writers.finish();
    for (const r of runs) this.spilled += r.bytes;
    return runs.filter((r) => r.rows > 0);
  }
}

function* slices(batch: Batch): Generator<Batch> {
  if (batch.length <= BATCH_ROWS) {
    if (batch.length > 0) yield batch;
    return;
  }
  for (let at = 0; at < batch.length; at += BATCH_ROWS) yield sliceBatch(batch, at, Math.min(batch.length, at + BATCH_ROWS));
}

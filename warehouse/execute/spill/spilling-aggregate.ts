/**
 * STAND-IN for i8/spill's SpillingAggregate (merge: take i8/spill's version of this file):
 * one in-memory HashAggregateExec with the same interface, bounded by `opts.memoryBytes`
 * (53200 past it) instead of spilling.
 *
 * Contract: `add(batch)` per input batch, then `finish()` yields the result in batches:
 * PARTIAL answers partial states, FINAL merges partial states (input: groupBy.length key
 * columns then the states) into results, SINGLE raw rows into results.
 */
import type { DataType } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { AggregateCall, BoundExpr } from '../../fragment/bound-expr.js';
import type { AggregatePhase } from '../../fragment/stage-plan.js';
import { HashAggregateExec } from '../aggregate/hash-aggregate-exec.js';
import { sliceBatch } from '../batch/slice-batch.js';
import { evaluateExpr } from '../evaluate-expr.js';
import type { SpillOptions } from './spill-space.js';

const OUT_ROWS = 1 << 16;

export class SpillingAggregate {
  readonly bytesSpilled = 0;
  private readonly exec: HashAggregateExec;

  constructor(phase: AggregatePhase, groupBy: readonly BoundExpr[], aggregates: readonly AggregateCall[], _inputTypes: readonly DataType[], opts: SpillOptions) {
    const keys: BoundExpr[] = phase === 'final' ? groupBy.map((g, index) => ({ kind: 'column', index, type: g.type })) : [...groupBy];
    const mode = phase === 'single' ? 'complete' : phase;
    this.exec = new HashAggregateExec(keys, aggregates, mode, evaluateExpr, opts.memoryBytes);
  }

  async add(batch: Batch): Promise<void> {
    this.exec.consume(batch);
  }

  async *finish(): AsyncGenerator<Batch> {
    const { batch } = this.exec.finish();
    if (batch.length === 0) return;
    for (let at = 0; at < batch.length; at += OUT_ROWS) yield sliceBatch(batch, at, at + OUT_ROWS);
  }
}

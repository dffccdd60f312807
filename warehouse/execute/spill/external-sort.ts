/**
 * STAND-IN for i8/spill's ExternalSort (merge: take i8/spill's version of this file): an
 * in-memory sort with the same interface. It holds its input within `opts.memoryBytes`
 * (ResourceError RESOURCE_EXHAUSTED, 53200, past it) instead of spilling.
 *
 * Contract: `add(batch)` per input batch, then `finish()` yields the rows sorted by `keys`
 * (stable), in batches of at most STAGE_BATCH_ROWS rows.
 */
import type { DataType } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { SortKey } from '../../fragment/bound-expr.js';
import { concatBatches } from '../batch/concat-batches.js';
import { MemoryMeter } from '../batch/memory-meter.js';
import { sliceBatch } from '../batch/slice-batch.js';
import { sortBatch } from '../sort/sort-batch.js';
import type { SpillOptions } from './spill-space.js';

const OUT_ROWS = 1 << 16;

export class ExternalSort {
  readonly bytesSpilled = 0;
  private readonly batches: Batch[] = [];
  private readonly meter: MemoryMeter;

  constructor(
    private readonly types: readonly DataType[],
    private readonly keys: readonly SortKey[],
    opts: SpillOptions,
  ) {
    this.meter = new MemoryMeter(opts.memoryBytes, 'Sort');
  }

  async add(batch: Batch): Promise<void> {
    if (batch.length === 0) return;
    this.meter.add(batch);
    this.batches.push(batch);
  }

  async *finish(): AsyncGenerator<Batch> {
    const sorted = sortBatch(concatBatches(this.types, this.batches.splice(0)), this.keys);
    for (let at = 0; at < sorted.length; at += OUT_ROWS) yield sliceBatch(sorted, at, at + OUT_ROWS);
  }
}

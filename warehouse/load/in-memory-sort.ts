/**
 * The sort a clustered write uses when it is not given a spilling one: it keeps every added
 * batch and sorts them once at the end. It has the shape of the external sort
 * (warehouse/execute/spill/external-sort.ts: `add(batch)`, then `finish()` yields sorted
 * batches), so writeMicroPartitions takes either.
 *
 * Contract: `finish()` yields the added rows stably sorted by `keys`, in batches of at most
 * BATCH_ROWS rows; `add` after `finish` is an error of the caller.
 */
import type { DataType } from '../../storage/types/data-type.js';
import type { Batch } from '../../storage/types/vector.js';
import type { SortKey } from '../fragment/bound-expr.js';
import { concatBatches } from '../execute/batch/concat-batches.js';
import { sliceBatch } from '../execute/batch/slice-batch.js';
import { sortBatch } from '../execute/sort/sort-batch.js';

export interface BatchSorter {
  add(batch: Batch): Promise<void>;
  finish(): AsyncGenerator<Batch>;
}

const BATCH_ROWS = 65_536;

export class InMemorySort implements BatchSorter {
  private batches: Batch[] = [];

  constructor(
    private readonly types: DataType[],
    private readonly keys: SortKey[],
  ) {}

  add(batch: Batch): Promise<void> {
    if (batch.length > 0) this.batches.push(batch);
    return Promise.resolve();
  }

  async *finish(): AsyncGenerator<Batch> {
    const all = concatBatches(this.types, this.batches);
    this.batches = [];
    if (all.length === 0) return;
    const sorted = sortBatch(all, this.keys);
    for (let at = 0; at < sorted.length; at += BATCH_ROWS) yield sliceBatch(sorted, at, Math.min(sorted.length, at + BATCH_ROWS));
  }
}

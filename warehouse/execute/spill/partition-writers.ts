/**
 * The spill files of one level of hash partitions: rows routed to partition p are buffered
 * and written to p's file in frames of about `frameBytes`, so partitioning many small
 * batches does not write many tiny frames (each frame repeats its Arrow schema).
 *
 * Contract: `add(p, batch)` takes rows of partition p (columns as `types`); `bytesBuffered`
 * is what waits in memory (at most about parts × frameBytes); `finish()` writes what is left
 * and answers one SpillRun per partition, in partition order (empty partitions have rows 0).
 */
import type { DataType } from '../../../storage/types/data-type.js';
import { batchBytes } from '../../../storage/types/vector-bytes.js';
import type { Batch } from '../../../storage/types/vector.js';
import { concatBatches } from '../batch/concat-batches.js';
import type { SpillRun, SpillWriter } from './spill-file.js';
import type { SpillSpace } from './spill-space.js';

export class PartitionWriters {
  private readonly writers: SpillWriter[];
  private readonly pending: Batch[][];
  private readonly pendingBytes: Float64Array;
  private buffered = 0;

  constructor(
    space: SpillSpace,
    name: string,
    readonly types: DataType[],
    parts: number,
    private readonly frameBytes: number,
  ) {
    this.writers = Array.from({ length: parts }, (_, p) => space.writer(`${name}-p${p}`));
    this.pending = Array.from({ length: parts }, () => []);
    this.pendingBytes = new Float64Array(parts);
  }

  get bytesBuffered(): number {
    return this.buffered;
  }

  add(p: number, batch: Batch): void {
    if (batch.length === 0) return;
    const bytes = batchBytes(batch);
    this.pending[p].push(batch);
    this.pendingBytes[p] += bytes;
    this.buffered += bytes;
    if (this.pendingBytes[p] >= this.frameBytes) this.flush(p);
  }

  finish(): SpillRun[] {
    return this.writers.map((w, p) => {
      this.flush(p);
      return w.finishSync(this.types);
    });
  }

  private flush(p: number): void {
    if (this.pending[p].length === 0) return;
    const batch = concatBatches(this.types, this.pending[p]);
    this.pending[p] = [];
    this.buffered -= this.pendingBytes[p];
    this.pendingBytes[p] = 0;
    this.writers[p].writeSync(batch, this.types);
  }
}

/**
 * MemoryMeter: counts the bytes of batches an operator keeps (join output, concatenated
 * worker results, a worker's projected rows) against the query's memory budget
 * (FIRN_QUERY_MEMORY_BYTES), so a statement that would materialize more fails with
 * ResourceError RESOURCE_EXHAUSTED (SQLSTATE 53200) as soon as it passes the budget, not
 * after it has allocated its whole output.
 *
 * Contract: `add(batch)` before keeping a batch (or `addBytes` for a known size); a string
 * dictionary shared by several batches (join output gathers the build side's) counts once.
 * Throws past `budget`; never frees (a meter lives as long as what it counts).
 */
import { ResourceError } from '../../../storage/errors/firn-error.js';
import { batchBytes } from '../../../storage/types/vector-bytes.js';
import type { Batch } from '../../../storage/types/vector.js';

export class MemoryMeter {
  private used = 0;
  private readonly seenDicts = new Set<readonly string[]>();

  /** `what` names the operator in the error ("CROSS join output", "query result"). */
  constructor(
    readonly budget: number,
    private readonly what: string,
  ) {}

  get bytes(): number {
    return this.used;
  }

  add(batch: Batch): void {
    this.addBytes(batchBytes(batch, this.seenDicts));
  }

  addBytes(bytes: number): void {
    this.used += bytes;
    if (this.used > this.budget) {
      throw new ResourceError(
        'RESOURCE_EXHAUSTED',
        `${this.what} exceeded the query memory budget of ${this.budget} bytes (FIRN_QUERY_MEMORY_BYTES): it holds more than ${this.used} bytes`,
      );
    }
  }
}

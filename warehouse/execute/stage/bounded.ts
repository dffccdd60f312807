/**
 * Helpers the stage operators share: cut a materialized batch into bounded batches, and
 * collect an input whole within a memory share (53200 past it).
 */
import type { DataType } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import { concatBatches } from '../batch/concat-batches.js';
import { MemoryMeter } from '../batch/memory-meter.js';
import { sliceBatch } from '../batch/slice-batch.js';
import { STAGE_BATCH_ROWS, type Operator } from './operator.js';

/** `batch` as views of at most STAGE_BATCH_ROWS rows each (none when empty). */
export function* bounded(batch: Batch): Generator<Batch> {
  for (let at = 0; at < batch.length; at += STAGE_BATCH_ROWS) yield sliceBatch(batch, at, at + STAGE_BATCH_ROWS);
}

/** Every row of `input` as one batch, counted against `budget` bytes as it arrives. */
export async function collect(input: Operator, types: readonly DataType[], budget: number, what: string): Promise<Batch> {
  const meter = new MemoryMeter(budget, what);
  const parts: Batch[] = [];
  for await (const b of input.batches()) {
    meter.add(b);
    parts.push(b);
  }
  return concatBatches(types, parts);
}

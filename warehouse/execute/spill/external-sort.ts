/**
 * External sort: a full ORDER BY of one task's input within a memory budget. Batches are
 * buffered while they fit; past `memoryBytes` the buffer is sorted and written as one sorted
 * run to the task's spill space, and at the end the runs (and the last in-memory buffer) are
 * k-way merged as streams.
 *
 * Contract: `add(batch)` for each input batch (columns as `types`), then `finish(batchRows)`
 * once: the rows in the order of a stable sort of the whole input by `keys` (equal keys keep
 * input order: runs are cut in input order and the merge takes ties run by run), in batches
 * of at most `batchRows` rows. Without a spill it is exactly sortBatch over the concatenated
 * input. Buffered bytes are measured with batchBytes (a dictionary shared by several batches
 * counts once). More than MAX_FAN_IN runs are first merged in consecutive groups into longer
 * runs, so a merge holds at most MAX_FAN_IN batches. The cancel flag is checked per batch;
 * past the disk budget the spill space throws 53200.
 */
import type { DataType } from '../../../storage/types/data-type.js';
import { batchBytes } from '../../../storage/types/vector-bytes.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { SortKey } from '../../fragment/bound-expr.js';
import { concatBatches } from '../batch/concat-batches.js';
import { sliceBatch } from '../batch/slice-batch.js';
import { sortBatch } from '../sort/sort-batch.js';
import { mergeSortedStreams } from './merge-sorted-streams.js';
import { readSpillRun, type SpillRun } from './spill-file.js';
import type { SpillOptions } from './spill-options.js';

const DEFAULT_BATCH_ROWS = 8192;
/** Most runs merged at once. */
export const MAX_FAN_IN = 64;

export class ExternalSort {
  private buffer: Batch[] = [];
  private bufferBytes = 0;
  private seenDicts = new Set<readonly string[]>();
  private runs: SpillRun[] = [];
  private spilled = 0;

  constructor(
    readonly types: DataType[],
    readonly keys: SortKey[],
    private readonly opts: SpillOptions,
  ) {}

  /** Bytes this sort wrote to spill files. */
  get bytesSpilled(): number {
    return this.spilled;
  }

  /** Sorted runs written so far. */
  get runCount(): number {
    return this.runs.length;
  }

  async add(batch: Batch): Promise<void> {
    this.opts.cancel?.check();
    if (batch.length === 0) return;
    this.buffer.push(batch);
    this.bufferBytes += batchBytes(batch, this.seenDicts);
    if (this.bufferBytes > this.opts.memoryBytes) await this.spillBuffer();
  }

  async *finish(batchRows = DEFAULT_BATCH_ROWS): AsyncGenerator<Batch> {
    const last = this.sortBuffer();
    if (this.runs.length === 0) {
      for (let start = 0; start < last.length; start += batchRows) {
        this.opts.cancel?.check();
        yield sliceBatch(last, start, Math.min(last.length, start + batchRows));
      }
      return;
    }
    while (this.runs.length + 1 > MAX_FAN_IN) await this.mergeRuns(batchRows);
    const sources: AsyncIterable<Batch>[] = this.runs.map((r) => readSpillRun(r, batchRows));
    if (last.length > 0) sources.push(slices(last, batchRows));
    yield* mergeSortedStreams(sources, this.types, this.keys, batchRows, this.opts.cancel);
  }

  private sortBuffer(): Batch {
    const all = concatBatches(this.types, this.buffer);
    this.buffer = [];
    this.bufferBytes = 0;
    this.seenDicts = new Set();
    return sortBatch(all, this.keys);
  }

  /** Sorts the buffer and writes it as one run, in chunks sized so a merge of MAX_FAN_IN runs holds about memoryBytes. */
  private async spillBuffer(): Promise<void> {
    const bytes = this.bufferBytes;
    const sorted = this.sortBuffer();
    const perRow = Math.max(1, bytes / Math.max(1, sorted.length));
    const chunk = Math.max(64, Math.min(DEFAULT_BATCH_ROWS, Math.floor(this.opts.memoryBytes / MAX_FAN_IN / perRow)));
    const w = this.opts.spill.writer('sort');
    for (let start = 0; start < sorted.length; start += chunk) {
      this.opts.cancel?.check();
      await w.write(sliceBatch(sorted, start, Math.min(sorted.length, start + chunk)), this.types);
    }
    const run = await w.finish(this.types);
    this.spilled += run.bytes;
    this.runs.push(run);
  }

  /** Merges the first MAX_FAN_IN runs (consecutive, so ties keep input order) into one. */
  private async mergeRuns(batchRows: number): Promise<void> {
    const group = this.runs.slice(0, MAX_FAN_IN);
    const w = this.opts.spill.writer('sort-merge');
    const merged = mergeSortedStreams(group.map((r) => readSpillRun(r, batchRows)), this.types, this.keys, batchRows, this.opts.cancel);
    for await (const b of merged) await w.write(b, this.types);
    const run = await w.finish(this.types);
    this.spilled += run.bytes;
    this.runs = [run, ...this.runs.slice(MAX_FAN_IN)];
  }
}

async function* slices(batch: Batch, rows: number): AsyncGenerator<Batch> {
  for (let start = 0; start < batch.length; start += rows) yield sliceBatch(batch, start, Math.min(batch.length, start + rows));
}

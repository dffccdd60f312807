/**
 * Writes a stream of new table rows as immutable micro-partitions, in a warehouse worker:
 * called by the write_exec stage operator (INSERT, CTAS) and by COPY's load and merge tasks.
 *
 * Contract:
 * - Unclustered (`clusterBy` empty): partitions of exactly `partitionRows` rows (the last one
 *   fewer) are cut in arrival order as rows come and each is written as soon as it is full,
 *   so at most one partition's rows are held.
 * - Clustered: the rows come out sorted by `clusterBy` (column positions, ASC NULLS LAST, the
 *   order zone maps want), then are cut the same way. The sort is `sorter` when given, else
 *   the external sort (warehouse/execute/spill/external-sort.ts) over `spill` when given,
 *   which holds `memoryBytes` and spills the rest, else an in-memory sort.
 * - Write-ahead: partition n goes to `partitionKey(keyPrefix, n)`, and its key is passed to
 *   `reserve` (and the returned promise awaited) before its object is put; the caller
 *   records it as its statement's pending object there (directly in services, through
 *   key-reservation.ts in a worker). Keys are unique as long as `keyPrefix` is unique within
 *   the statement.
 * - Every batch is checked against the columns' NOT NULL and VARCHAR(n) constraints as it
 *   arrives (check-write-constraints.ts), before any partition holding it is written.
 * - `cancel` is checked before each partition; what was written before is the caller's to
 *   delete (it reserved every key). Nothing is committed here.
 * - A partition's put runs while the next partition is encoded (at most one put in flight, so
 *   the worker's CPU does not wait on the disk's sync); a failed put fails the write at the
 *   next partition or at the end. Whatever way the write ends, it answers or throws only once
 *   no put is in flight, so the caller never deletes under a put still running.
 * - VARIANT and OBJECT columns get typed sub-columns of their common paths (shred-variant-paths.ts).
 * The answer lists the partitions in key order, each with the ETag its put answered (the
 * catalog records it, so a read can tell the object is still the version committed).
 */
import type { ObjectStore } from '../../storage/object-store/object-store.js';
import { writePartition } from '../../storage/partition/partition-writer.js';
import { shredVariantPaths } from './shred-variant-paths.js';
import type { DataType } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import type { WrittenPartition } from '../fragment/fragment.js';
import type { SortKey } from '../fragment/bound-expr.js';
import { concatBatches } from '../execute/batch/concat-batches.js';
import { sliceBatch } from '../execute/batch/slice-batch.js';
import type { CancelFlag } from '../cancel/cancel-flag.js';
import { InMemorySort, type BatchSorter } from './in-memory-sort.js';
import { ExternalSort } from '../execute/spill/external-sort.js';
import type { SpillSpace } from '../execute/spill/spill-space.js';
import { checkWriteConstraints } from './check-write-constraints.js';
import { CRASH_POINTS, crashPoint } from '../../storage/fault/crash-point.js';

export type WriteMicroPartitionsOptions = {
  store: ObjectStore;
  columns: Column[];
  /** Column positions of the clustering key; empty: rows keep their arrival order. */
  clusterBy: number[];
  partitionRows: number;
  keyPrefix: string;
  reserve: (keys: string[]) => Promise<void> | void;
  cancel: CancelFlag | null;
  /** Bytes the clustered sort may hold before it spills. */
  memoryBytes: number;
  /** The task's spill space: a clustered write sorts with ExternalSort over it (the caller closes it). */
  spill?: SpillSpace | null;
  /** Makes the clustered sort instead (tests); default as above. */
  sorter?: (types: DataType[], keys: SortKey[], memoryBytes: number) => BatchSorter;
};

export async function writeMicroPartitions(input: AsyncIterable<Batch>, opts: WriteMicroPartitionsOptions): Promise<WrittenPartition[]> {
  const cutter = new PartitionCutter(opts);
  try {
    return await cutAndWrite(input, opts, cutter);
  } catch (err) {
    await cutter.settle();
    throw err;
  }
}

async function cutAndWrite(input: AsyncIterable<Batch>, opts: WriteMicroPartitionsOptions, cutter: PartitionCutter): Promise<WrittenPartition[]> {
  if (opts.clusterBy.length === 0) {
    for await (const batch of input) {
      checkWriteConstraints(opts.columns, batch);
      await cutter.add(batch);
    }
    return cutter.finish();
  }
  const types = opts.columns.map((c) => c.type);
  const keys = clusterKeys(opts.columns, opts.clusterBy);
  const spill = opts.spill ?? null;
  const makeSorter =
    opts.sorter ?? ((t: DataType[], k: SortKey[], memoryBytes: number) => (spill ? new ExternalSort(t, k, { memoryBytes, spill, cancel: opts.cancel }) : new InMemorySort(t, k)));
  const sorter = makeSorter(types, keys, opts.memoryBytes);
  for await (const batch of input) {
    opts.cancel?.check();
    checkWriteConstraints(opts.columns, batch);
    await sorter.add(batch);
  }
  for await (const batch of sorter.finish()) await cutter.add(batch);
  return cutter.finish();
}

/** ORDER BY the clustering key, as loads sort: ASC, NULLS LAST. */
export function clusterKeys(columns: Column[], clusterBy: number[]): SortKey[] {
  return clusterBy.map((i) => ({ expr: { kind: 'column', index: i, type: columns[i].type }, desc: false, nullsFirst: false }));
}

/** Cuts arriving rows into partitions of `partitionRows` and writes each once full. */
class PartitionCutter {
  private readonly size: number;
  private readonly types: DataType[];
  private pending: Batch[] = [];
  private pendingRows = 0;
  private readonly written: WrittenPartition[] = [];
  /** The put in flight: resolves to its error, or null once the object is written. */
  private putting: Promise<unknown> | null = null;

  constructor(private readonly opts: WriteMicroPartitionsOptions) {
    this.size = Math.max(1, opts.partitionRows);
    this.types = opts.columns.map((c) => c.type);
  }

  async add(batch: Batch): Promise<void> {
    let at = 0;
    while (at < batch.length) {
      const take = Math.min(batch.length - at, this.size - this.pendingRows);
      this.pending.push(at === 0 && take === batch.length ? batch : sliceBatch(batch, at, at + take));
      this.pendingRows += take;
      at += take;
      if (this.pendingRows === this.size) await this.flush();
    }
  }

  async finish(): Promise<WrittenPartition[]> {
    if (this.pendingRows > 0) await this.flush();
    await this.awaitPut();
    return this.written;
  }

  /** Waits for the put in flight, ignoring its outcome (the write is failing anyway). */
  async settle(): Promise<void> {
    await this.putting;
    this.putting = null;
  }

  private async awaitPut(): Promise<void> {
    const err = await this.putting;
    this.putting = null;
    if (err !== null && err !== undefined) throw err;
  }

  private async flush(): Promise<void> {
    this.opts.cancel?.check();
    const rows = this.pending.length === 1 ? this.pending[0] : concatBatches(this.types, this.pending);
    this.pending = [];
    this.pendingRows = 0;
    const objectKey = partitionKey(this.opts.keyPrefix, this.written.length);
    const { bytes, zoneMap } = writePartition(this.opts.columns, rows, { shredded: shredVariantPaths(this.opts.columns, rows) });
    await this.awaitPut();
    await this.opts.reserve([objectKey]);
    this.opts.cancel?.check();
    const written: WrittenPartition = { objectKey, rowCount: rows.length, byteSize: bytes.length, etag: null, zoneMap };
    // Handled at once (it resolves to the error), so a failure is never an unhandled rejection.
    this.putting = this.opts.store.put(objectKey, bytes).then(
      (put) => {
        written.etag = put.etag;
        crashPoint(CRASH_POINTS.afterPut);
        return null;
      },
      (err: unknown) => err ?? new Error(`put of ${objectKey} failed`),
    );
    this.written.push(written);
  }
}

/** The key of the n-th partition written under `keyPrefix`. */
export function partitionKey(keyPrefix: string, n: number): string {
  return `${keyPrefix}-${String(n).padStart(5, '0')}.parquet`;
}

/**
 * Writes a batch of new table rows as immutable micro-partitions: sorted by the clustering
 * key when the table has one (so zone maps stay selective), cut into partitions of at most
 * `partitionRows` rows, each one Parquet object put durably to the table store before its
 * metadata is returned. Committing them is the caller's job (one catalog transaction).
 *
 * Write-ahead: the keys are `${keyPrefix}-00000.parquet`, `-00001`, ... and all of them are
 * passed to `opts.reserve` (one call) before the first object is put; the caller records
 * them as its statement's pending objects there (directly in services, through
 * key-reservation.ts in a worker), so a crash never leaves an object nothing records.
 *
 * `cancel`: the statement's CancelFlag, checked before each partition (what was written
 * before is the caller's to delete).
 */
import type { ObjectStore } from '../../storage/object-store/object-store.js';
import { writePartition } from '../../storage/partition/partition-writer.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import type { WrittenPartition } from '../fragment/fragment.js';
import { sliceBatch } from '../execute/batch/slice-batch.js';
import { sortBatch } from '../execute/sort/sort-batch.js';
import type { CancelFlag } from '../cancel/cancel-flag.js';

export async function writePartitions(
  store: ObjectStore,
  columns: Column[],
  batch: Batch,
  opts: { clusterBy: number[]; partitionRows: number; keyPrefix: string; reserve: (keys: string[]) => Promise<void> | void; cancel?: CancelFlag | null },
): Promise<WrittenPartition[]> {
  if (batch.length === 0) return [];
  const sorted =
    opts.clusterBy.length > 0
      ? sortBatch(
          batch,
          opts.clusterBy.map((i) => ({ expr: { kind: 'column', index: i, type: columns[i].type }, desc: false, nullsFirst: false })),
        )
      : batch;
  const size = Math.max(1, opts.partitionRows);
  const keys: string[] = [];
  for (let n = 0; n * size < sorted.length; n++) keys.push(partitionKey(opts.keyPrefix, n));
  await opts.reserve(keys);
  const written: WrittenPartition[] = [];
  for (let start = 0, n = 0; start < sorted.length; start += size, n++) {
    opts.cancel?.check();
    const slice = sliceBatch(sorted, start, Math.min(sorted.length, start + size));
    const { bytes, zoneMap } = writePartition(columns, slice);
    const objectKey = keys[n];
    await store.put(objectKey, bytes);
    written.push({ objectKey, rowCount: slice.length, byteSize: bytes.length, zoneMap });
  }
  return written;
}

/** The key of the n-th partition written under `keyPrefix`. */
export function partitionKey(keyPrefix: string, n: number): string {
  return `${keyPrefix}-${String(n).padStart(5, '0')}.parquet`;
}

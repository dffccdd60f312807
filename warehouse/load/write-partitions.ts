/**
 * Writes a batch of new table rows as immutable micro-partitions: sorted by the clustering
 * key when the table has one (so zone maps stay selective), cut into partitions of at most
 * `partitionRows` rows, each one Parquet object put durably to the table store before its
 * metadata is returned. Committing them is the caller's job (one catalog transaction).
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
  opts: { clusterBy: number[]; partitionRows: number; keyPrefix: string; cancel?: CancelFlag | null },
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
  const written: WrittenPartition[] = [];
  for (let start = 0, n = 0; start < sorted.length; start += size, n++) {
    opts.cancel?.check();
    const slice = sliceBatch(sorted, start, Math.min(sorted.length, start + size));
    const { bytes, zoneMap } = writePartition(columns, slice);
    const objectKey = `${opts.keyPrefix}-${String(n).padStart(5, '0')}.parquet`;
    await store.put(objectKey, bytes);
    written.push({ objectKey, rowCount: slice.length, byteSize: bytes.length, zoneMap });
  }
  return written;
}

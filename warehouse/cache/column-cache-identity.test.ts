/**
 * The column cache over real object stores (local files and S3 on s3rver): a partition
 * object replaced behind Firn's back with different bytes of the same size is never served
 * as the recorded version, from the cache or from the store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3rver, type S3rverHandle } from '../../test/support/s3rver-harness.js';
import { LocalObjectStore } from '../../storage/object-store/local-object-store.js';
import type { ObjectStore } from '../../storage/object-store/object-store.js';
import { S3ObjectStore } from '../../storage/object-store/s3-object-store.js';
import { writePartition } from '../../storage/partition/partition-writer.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { ColumnCache, type CachedObject } from './column-cache.js';

const columns: Column[] = [{ name: 'X', type: { kind: 'FLOAT' }, nullable: false }];
const ROWS = 100;

/** A partition of the values base .. base+ROWS-1. */
function partition(base: number): Uint8Array {
  const values = new Float64Array(ROWS).map((_, i) => base + i);
  const batch: Batch = { length: ROWS, columns: [{ kind: 'f64', length: ROWS, values, nulls: null }] };
  return writePartition(columns, batch).bytes;
}

/** The first base after `base` whose partition has the same size as base's (compression makes sizes vary). */
function sameSizeBase(base: number): number {
  const size = partition(base).byteLength;
  for (let b = base + 1; b < base + 100_000; b++) if (partition(b).byteLength === size) return b;
  throw new Error(`no partition of the size of ${base}'s`);
}

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'firn-cache-identity-'));
  dirs.push(d);
  return d;
}

let s3: S3rverHandle;
const s3Stores: S3ObjectStore[] = [];
beforeAll(async () => {
  s3 = await startS3rver();
});
afterAll(async () => {
  for (const s of s3Stores) s.close();
  await s3?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const backends: [string, () => ObjectStore][] = [
  ['local store', () => new LocalObjectStore(tempDir())],
  [
    'S3 on s3rver',
    () => {
      const store = new S3ObjectStore(s3.bucket, `identity-${s3Stores.length}`, { env: s3.env });
      s3Stores.push(store);
      return store;
    },
  ],
];

describe.each(backends)('ColumnCache object identity over the %s', (_name, makeStore) => {
  const cacheOver = (store: ObjectStore, diskDir: string | null) =>
    new ColumnCache({ memoryBytes: 1 << 24, diskDir, diskBytes: 1 << 24, fetchObject: (key, ifMatch) => store.get(key, ifMatch) });
  const first = (r: { batch: Batch }) => (r.batch.columns[0] as { values: Float64Array }).values[0];

  it('an object overwritten with different bytes of the same size is not served from the cache as another version', async () => {
    const store = makeStore();
    const v1Bytes = partition(1000);
    const base2 = sameSizeBase(1000);
    const v2Bytes = partition(base2);
    expect(v2Bytes.byteLength).toBe(v1Bytes.byteLength);
    const put1 = await store.put('t/p0.parquet', v1Bytes);
    expect(put1.etag).toMatch(/^"[0-9a-f]{32}"$/);
    const v1: CachedObject = { objectKey: 't/p0.parquet', byteSize: v1Bytes.byteLength, etag: put1.etag };
    const diskDir = tempDir();
    const warm = cacheOver(store, diskDir);
    expect(first(await warm.getColumns(v1, columns, [0]))).toBe(1000);
    await warm.flush();

    // Behind Firn's back: same key, same size, other bytes.
    const put2 = await store.put('t/p0.parquet', v2Bytes);
    expect(put2.etag).not.toBe(put1.etag);
    const v2: CachedObject = { ...v1, etag: put2.etag };

    // The catalog's record of the replacement is never answered with the cached v1 columns.
    const r = await warm.getColumns(v2, columns, [0]);
    expect(r.stats.sources).toEqual(['object']);
    expect(first(r)).toBe(base2);
    await warm.flush();
    const fromDisk = await cacheOver(store, diskDir).getColumns(v2, columns, [0]);
    expect(fromDisk.stats.sources).toEqual(['disk']);
    expect(first(fromDisk)).toBe(base2);

    // A read of the recorded v1 that must go to the store finds v2 there and fails clearly, caching nothing.
    const cold = cacheOver(store, null);
    const err = await cold.getColumns(v1, columns, [0]).catch((e: unknown) => e);
    expect(err).toMatchObject({ codeName: 'OBJECT_CHANGED', code: '390104', sqlState: 'XX001' });
    expect(cold.info().memoryEntries).toBe(0);
    await expect(cold.getColumns(v1, columns, [0])).rejects.toMatchObject({ codeName: 'OBJECT_CHANGED' });
  });

  it('a deleted object fails with FILE_NOT_FOUND on a cold read', async () => {
    const store = makeStore();
    const bytes = partition(5);
    const { etag } = await store.put('t/gone.parquet', bytes);
    await store.delete('t/gone.parquet');
    await expect(cacheOver(store, null).getColumns({ objectKey: 't/gone.parquet', byteSize: bytes.byteLength, etag }, columns, [0])).rejects.toMatchObject({ codeName: 'FILE_NOT_FOUND' });
  });
});

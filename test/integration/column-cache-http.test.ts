/**
 * The warehouse column cache end to end, over HTTP against the real server (local store):
 * stats.cacheHitRatio is exact (hits / distinct column lookups of the statement's partition
 * reads), the disk cache survives a server restart (the second run after it is answered from
 * the disk tier, read from stats), and a partition object replaced behind Firn's back with
 * different bytes of the same size is never answered as the committed partition: a read that
 * must go to the store fails with OBJECT_CHANGED (390104, XX001), on the local store and on S3
 * (s3rver).
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement, StatementFailure } from '../support/post-statement.js';
import { startS3rver, type S3rverHandle } from '../support/s3rver-harness.js';

function filesUnder(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p, suffix));
    else if (e.name.endsWith(suffix)) out.push(p);
  }
  return out.sort();
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(check()).toBe(true);
}

describe('column cache over HTTP', () => {
  let dir: string;
  let home: string;
  let server: FirnProcess;
  const start = async () => {
    server = await startFirnProcess({ home, env: { FIRN_PARTITION_ROWS: '2' } });
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-cache-http-'));
    home = path.join(dir, 'home');
    await start();
    await postStatement(server.url, 'CREATE TABLE t (id INT, name VARCHAR, w INT)');
    // Three partitions of two rows each.
    await postStatement(server.url, "INSERT INTO t VALUES (1, 'aa', 10), (2, 'bb', 20), (3, 'cc', 30), (4, 'dd', 40), (5, 'ee', 50), (6, 'ff', 60)");
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts hits exactly: cold 0, warm memory 1, and after a restart the disk tier answers', async () => {
    const cold = await postStatement(server.url, 'SELECT id, name FROM t WHERE id > 0 ORDER BY id');
    expect(cold.data).toEqual([['1', 'aa'], ['2', 'bb'], ['3', 'cc'], ['4', 'dd'], ['5', 'ee'], ['6', 'ff']]);
    expect(cold.stats.partitionsScanned).toBe(3);
    expect(cold.stats.cacheHitRatio).toBe(0);
    // Another text, so no result cache can answer it: the same 6 column chunks from memory.
    const warm = await postStatement(server.url, 'SELECT id, name FROM t WHERE id > -1 ORDER BY id');
    expect(warm.data).toEqual(cold.data);
    expect(warm.stats.cacheHitRatio).toBe(1);
    // Each decoded chunk lands on the SSD tier in the background; wait for all 6 files.
    const cacheRoot = path.join(home, 'cache');
    await until(() => filesUnder(cacheRoot, '.arrow').length === 6);

    await server.stop();
    await start();
    const restarted = await postStatement(server.url, 'SELECT id, name FROM t WHERE id > -2 ORDER BY id');
    expect(restarted.data).toEqual(cold.data);
    expect(restarted.stats.cacheHitRatio).toBe(1);
    // 6 of the 9 chunk lookups (id, name) hit the disk tier, w misses in all 3 partitions.
    const partly = await postStatement(server.url, 'SELECT id, name, w FROM t WHERE id > -3 ORDER BY id');
    expect(partly.data[5]).toEqual(['6', 'ff', '60']);
    expect(partly.stats.cacheHitRatio).toBe(6 / 9);
  });

  it('never answers a partition replaced behind its back as the committed one: a store read fails with OBJECT_CHANGED', async () => {
    const objects = filesUnder(path.join(home, 'data'), '.parquet');
    expect(objects).toHaveLength(3);
    // Two partitions of the same size (compression makes the sizes differ a little).
    const [a, b] = objects.flatMap((x, i) => objects.slice(i + 1).filter((y) => statSync(y).size === statSync(x).size).map((y) => [x, y]))[0];
    await until(() => filesUnder(path.join(home, 'cache'), '.arrow').length === 9);
    await server.stop();
    // Behind Firn's back: one partition's object now holds another's bytes (same size).
    copyFileSync(a, b);

    // The cache holds the committed version of every chunk (keyed by size and ETag): still the committed rows.
    await start();
    const cached = await postStatement(server.url, 'SELECT id, name, w FROM t WHERE id > -4 ORDER BY id');
    expect(cached.data.map((r) => r[0])).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(cached.stats.cacheHitRatio).toBe(1);
    await server.stop();

    // Without the cache, the read goes to the store, which no longer has the committed bytes.
    rmSync(path.join(home, 'cache'), { recursive: true, force: true });
    await start();
    const err = await postStatement(server.url, 'SELECT id, name, w FROM t WHERE id > -5 ORDER BY id').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatementFailure);
    expect(err).toMatchObject({ code: '390104', sqlState: 'XX001' });
    expect((err as StatementFailure).message).toMatch(/was replaced/);
    // Nothing of the replaced object was cached: the next read fails the same way.
    await expect(postStatement(server.url, 'SELECT id FROM t WHERE id > -6')).rejects.toMatchObject({ code: '390104' });
  });
});

describe('column cache over HTTP with the S3 backend (s3rver)', () => {
  let dir: string;
  let s3: S3rverHandle;
  let server: FirnProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-cache-s3-'));
    s3 = await startS3rver('firn-cache');
    env = { ...s3.env, FIRN_STORAGE_URL: 's3://firn-cache/wh', FIRN_PARTITION_ROWS: '2' };
    server = await startFirnProcess({ home: path.join(dir, 'home'), env });
  });

  afterAll(async () => {
    await server?.stop();
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a partition object overwritten in the bucket with other bytes of the same size fails the read with OBJECT_CHANGED', async () => {
    await postStatement(server.url, 'CREATE TABLE t (id INT, name VARCHAR)');
    await postStatement(server.url, "INSERT INTO t VALUES (1, 'aa'), (2, 'bb'), (3, 'cc'), (4, 'dd'), (5, 'ee'), (6, 'ff')");
    const first = await postStatement(server.url, 'SELECT id, name FROM t WHERE id > 0 ORDER BY id');
    expect(first.data.map((r) => r[0])).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(first.stats.cacheHitRatio).toBe(0);
    await server.stop();

    const bucket = openObjectStore('s3://firn-cache/wh', { env: s3.env });
    const objects = (await bucket.list('')).filter((o) => o.key.endsWith('.parquet'));
    expect(objects).toHaveLength(3);
    const [a, b] = objects.flatMap((x, i) => objects.slice(i + 1).filter((y) => y.size === x.size).map((y) => [x, y]))[0];
    const committed = await bucket.get(b.key);
    // Behind Firn's back: b's key now holds a's bytes (same size, another ETag).
    await bucket.put(b.key, await bucket.get(a.key));
    rmSync(path.join(dir, 'home', 'cache'), { recursive: true, force: true });

    server = await startFirnProcess({ home: path.join(dir, 'home'), env });
    const err = await postStatement(server.url, 'SELECT id, name FROM t WHERE id > -1 ORDER BY id').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatementFailure);
    expect(err).toMatchObject({ code: '390104', sqlState: 'XX001' });
    expect((err as StatementFailure).message).toContain(b.key);
    // The committed bytes put back have the recorded ETag again (S3's is the content MD5): the table reads as committed.
    await bucket.put(b.key, committed);
    const again = await postStatement(server.url, 'SELECT id, name FROM t WHERE id > -2 ORDER BY id');
    expect(again.data).toEqual(first.data);
  });
});

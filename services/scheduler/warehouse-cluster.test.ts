/**
 * One cluster's pools over real XSMALL/SMALL WarehousePools: a resize gives new statements a
 * new pool while holders of the old one keep it, and the old pool closes with its last holder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WarehousePool } from '../../warehouse/pool/warehouse-pool.js';
import type { WarehouseSize } from '../../warehouse/pool/warehouse-sizes.js';
import { WarehouseCluster } from './warehouse-cluster.js';

describe('WarehouseCluster', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firn-cluster-'));
  const made: WarehousePool[] = [];
  const makePool = (size: WarehouseSize) => {
    const p = new WarehousePool('C', size, {
      storageUrl: pathToFileURL(path.join(dir, 'data')).href,
      home: dir,
      cacheDir: path.join(dir, 'cache'),
      memoryCacheBytes: 1 << 24,
      diskCacheBytes: 1 << 24,
      workerHeapBytes: 1 << 28,
      workers: size === 'XSMALL' ? 1 : 2,
    });
    made.push(p);
    return p;
  };
  afterAll(async () => {
    await Promise.all(made.map((p) => p.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a holder\'s pool through a resize and closes it when the last holder gives it back', async () => {
    const c = new WarehouseCluster(1, 'XSMALL', makePool);
    await c.ready;
    const a = c.take();
    const b = c.take();
    expect([c.running, c.workers, c.resizing]).toEqual([2, 1, false]);
    const resized = c.resize('SMALL');
    expect([c.resizing, c.size]).toEqual([true, 'SMALL']);
    await resized;
    expect([c.resizing, c.workers]).toEqual([false, 2]);
    const n = c.take();
    expect(n).not.toBe(a);
    expect(n.workers).toBe(2);
    c.give(a);
    expect(a.closed).toBe(false);
    await a.ready();
    c.give(b);
    expect(a.closed).toBe(true);
    c.give(n);
    expect([c.running, n.closed]).toEqual([0, false]);
    await n.ready();
    await c.close();
    expect(n.closed).toBe(true);
  });

  it('closes an idle pool at once on resize', async () => {
    const c = new WarehouseCluster(2, 'XSMALL', makePool);
    const first = c.take();
    c.give(first);
    const resized = c.resize('SMALL');
    expect(first.closed).toBe(true);
    await resized;
    await c.close();
  });
});

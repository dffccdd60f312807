import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import { writePartition } from '../../storage/partition/partition-writer.js';
import type { Column } from '../../storage/types/schema.js';
import type { ScanUnit } from '../fragment/fragment.js';
import type { StageTask, StageTaskReply } from '../fragment/stage-plan.js';
import { vectorBytes } from '../../storage/types/vector-bytes.js';
import { CacheBudget, readCacheShare } from './cache-budget.js';
import { WarehousePool } from './warehouse-pool.js';

describe('CacheBudget', () => {
  it('gives every running slot an equal share and re-announces it as pools join, resize and leave', () => {
    const budget = new CacheBudget(1200, 6000);
    const a = budget.join(1);
    expect(a.perSlot).toEqual({ memoryBytes: 1200, diskBytes: 6000 });
    const b = budget.join(2);
    // Announced to the pool already running, in the buffer its workers read.
    expect(readCacheShare(a.buffer)).toEqual({ memoryBytes: 400, diskBytes: 2000 });
    expect(b.perSlot).toEqual({ memoryBytes: 400, diskBytes: 2000 });
    b.resize(5);
    expect(a.perSlot).toEqual({ memoryBytes: 200, diskBytes: 1000 });
    expect(b.perSlot).toEqual({ memoryBytes: 200, diskBytes: 1000 });
    expect(budget.slots).toBe(6);
    a.leave();
    a.leave();
    expect(b.perSlot).toEqual({ memoryBytes: 240, diskBytes: 1200 });
    b.leave();
    expect(budget.slots).toBe(0);
  });

  it('splits max-min fairly: a capped pool gets its cap and the others share what it leaves', () => {
    const budget = new CacheBudget(1000, 1000);
    const maintenance = budget.join(1, { memoryBytes: 64, diskBytes: 0 });
    const wh = budget.join(2, { memoryBytes: 10_000, diskBytes: 10_000 });
    expect(maintenance.perSlot).toEqual({ memoryBytes: 64, diskBytes: 0 });
    expect(wh.perSlot).toEqual({ memoryBytes: 468, diskBytes: 500 });
    // A cap above the fair level does not bind.
    const small = budget.join(1, { memoryBytes: 400, diskBytes: 400 });
    expect(small.perSlot).toEqual({ memoryBytes: 312, diskBytes: 333 });
    expect(wh.perSlot).toEqual({ memoryBytes: 312, diskBytes: 333 });
  });

  it('never hands out more than the budget, and shares it all but rounding among uncapped slots', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let trial = 0; trial < 300; trial++) {
      const total = 1 + rand(1_000_000);
      const budget = new CacheBudget(total, total);
      const shares = Array.from({ length: 1 + rand(6) }, () => {
        const capped = rand(3) === 0;
        return budget.join(1 + rand(8), capped ? { memoryBytes: rand(total), diskBytes: rand(total) } : undefined);
      });
      const used = shares.reduce((n, s) => n + s.perSlot.memoryBytes * s.slots, 0);
      expect(used).toBeLessThanOrEqual(total);
      const uncapped = shares.filter((s) => s.caps.memoryBytes === Infinity);
      if (uncapped.length > 0) {
        // Uncapped slots all get the same share, and less than one byte per slot is left over.
        expect(new Set(uncapped.map((s) => s.perSlot.memoryBytes)).size).toBe(1);
        expect(total - used).toBeLessThan(budget.slots);
      }
    }
  });
});

describe('CacheBudget with resting disk caches', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'firn-budget-rest-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** A warehouse cache directory with 100-byte chunk files in w0 and w1, the first ones oldest. */
  function cacheDir(name: string, files: number): string {
    const dir = path.join(root, name);
    for (let i = 0; i < files; i++) {
      const slot = path.join(dir, `w${i % 2}`);
      mkdirSync(slot, { recursive: true });
      const file = path.join(slot, `c${String(i).padStart(2, '0')}.arrow`);
      writeFileSync(file, new Uint8Array(100));
      utimesSync(file, 1_000_000 + i, 1_000_000 + i);
    }
    return dir;
  }
  const chunks = (dir: string) => ['w0', 'w1'].flatMap((w) => readdirSync(path.join(dir, w)).map((f) => `${w}/${f}`)).sort();

  it('runs one trim of a directory at a time, and none for a share no smaller than the last it reached', async () => {
    const budget = new CacheBudget(1000, 1000);
    const aDir = cacheDir('t', 8);
    budget.join(2, undefined, aDir).rest();
    await budget.settled();
    const passes = budget.trimPasses;
    // Ten warehouses start one by one (a server start): A's share shrinks ten times while its first trim runs.
    const others = Array.from({ length: 10 }, () => budget.join(1));
    await budget.settled();
    expect(budget.trimPasses - passes).toBeLessThanOrEqual(2);
    // 2 of 12 slots: 166 bytes, one chunk of 100.
    expect(chunks(aDir)).toHaveLength(1);
    // A share that grows again trims nothing (11 slots: 181 bytes).
    const after = budget.trimPasses;
    others[0].leave();
    await budget.settled();
    expect(budget.trimPasses).toBe(after);
    // Once A ran again, its directory is trimmed again when it rests.
    const a = budget.join(2, undefined, aDir);
    writeFileSync(path.join(aDir, 'w0', 'c99.arrow'), Buffer.alloc(100));
    writeFileSync(path.join(aDir, 'w1', 'c98.arrow'), Buffer.alloc(100));
    a.rest();
    await budget.settled();
    expect(budget.trimPasses).toBe(after + 1);
    expect(chunks(aDir)).toHaveLength(1);
  });

  it("keeps a stopped pool's disk cache counted, trims it least recently used first as its share shrinks, and gives it back when it is gone", async () => {
    const budget = new CacheBudget(1000, 1000);
    const aDir = cacheDir('a', 8);
    const a = budget.join(2, undefined, aDir);
    expect(a.perSlot).toEqual({ memoryBytes: 500, diskBytes: 500 });
    a.rest();
    // Resting: no memory, its disk share kept; nothing to trim (800 bytes <= 1000).
    expect(a.perSlot).toEqual({ memoryBytes: 0, diskBytes: 500 });
    await budget.settled();
    expect(chunks(aDir)).toHaveLength(8);

    // Another warehouse (2 slots) starts: every slot's disk share is 250, so A keeps 500 bytes: its 5 newest chunks.
    const b = budget.join(2, undefined, path.join(root, 'b'));
    expect(b.perSlot).toEqual({ memoryBytes: 500, diskBytes: 250 });
    expect(a.perSlot).toEqual({ memoryBytes: 0, diskBytes: 250 });
    await budget.settled();
    expect(chunks(aDir)).toEqual(['w0/c04.arrow', 'w0/c06.arrow', 'w1/c03.arrow', 'w1/c05.arrow', 'w1/c07.arrow']);

    // A runs again (1 slot now): it takes its resting place.
    const a2 = budget.join(1, undefined, aDir);
    expect(budget.slots).toBe(3);
    expect(a2.perSlot).toEqual({ memoryBytes: 333, diskBytes: 333 });
    // A resize that starts the new pool before the old one stops: the old one just leaves.
    const a3 = budget.join(2, undefined, aDir);
    expect(budget.slots).toBe(5);
    a2.rest();
    expect(budget.slots).toBe(4);
    expect(a3.perSlot).toEqual({ memoryBytes: 250, diskBytes: 250 });
    a3.rest();
    expect(a3.perSlot).toEqual({ memoryBytes: 0, diskBytes: 250 });

    // A directory known already is not counted twice; one left by an earlier process is.
    await budget.restDir(aDir);
    expect(budget.slots).toBe(4);
    const cDir = cacheDir('c', 4);
    await budget.restDir(cDir);
    await budget.restDir(path.join(root, 'none'));
    expect(budget.slots).toBe(6);
    expect(b.perSlot).toEqual({ memoryBytes: 500, diskBytes: 166 });
    await budget.settled();
    expect(chunks(cDir)).toEqual(['w0/c02.arrow', 'w1/c01.arrow', 'w1/c03.arrow']);
    rmSync(cDir, { recursive: true, force: true });

    // A dropped warehouse's directory is deleted: its share goes back at the next change.
    rmSync(aDir, { recursive: true, force: true });
    budget.rebalance();
    expect(budget.slots).toBe(2);
    expect(b.perSlot).toEqual({ memoryBytes: 500, diskBytes: 500 });
    await budget.settled();
  });
});

/** A 'stage' task scanning every column of `units` into a gather output. */
function scanTask(dir: string, tableColumns: Column[], units: ScanUnit[]): StageTask {
  const root = { kind: 'scan_exec' as const, id: 0, types: tableColumns.map((c) => c.type), table: 'T', tableColumns, scanColumns: tableColumns.map((_, i) => i), filter: null, limit: null };
  return {
    kind: 'stage',
    queryId: 'q',
    stage: { id: 0, tasks: 1, root, output: { kind: 'gather' }, inputs: [], estimatedRows: 0, runtimeFilters: [] },
    task: 0,
    consumerTasks: 1,
    units,
    inputs: {},
    memoryBytes: 1 << 24,
    spillDir: path.join(dir, 'spill'),
    spillBytes: 1 << 24,
  };
}

// Real worker threads (the compiled worker in dist/).
describe('WarehousePool with a shared CacheBudget', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firn-budget-'));
  const pools: WarehousePool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("bounds a running worker's cache by its share, which shrinks while another warehouse runs and grows back when it stops", async () => {
    const ROWS = 4096;
    const columns: Column[] = [{ name: 'X', type: { kind: 'FLOAT' }, nullable: false }];
    const storageUrl = pathToFileURL(path.join(dir, 'data')).href;
    const store = openObjectStore(storageUrl);
    const units: ScanUnit[] = [];
    for (let p = 0; p < 4; p++) {
      const values = new Float64Array(ROWS).map((_, i) => p * ROWS + i);
      const { bytes } = writePartition(columns, { length: ROWS, columns: [{ kind: 'f64', length: ROWS, values, nulls: null }] });
      const { etag } = await store.put(`t/p${p}.parquet`, bytes);
      units.push({ partitionId: p + 1, objectKey: `t/p${p}.parquet`, rowCount: ROWS, byteSize: bytes.byteLength, etag, filterMode: 'all' });
    }
    const chunk = vectorBytes({ kind: 'f64', length: ROWS, values: new Float64Array(ROWS), nulls: null });
    // Room for all 4 chunks in one slot's memory, none on disk: alone, A caches everything.
    const budget = new CacheBudget(4 * chunk + 1000, 0);
    const options = (name: string) => ({ storageUrl, home: dir, cacheDir: path.join(dir, 'cache', name), memoryCacheBytes: 1 << 30, diskCacheBytes: 1 << 30, workerHeapBytes: 1 << 29, cacheBudget: budget });
    const a = new WarehousePool('A', 'XSMALL', options('a'));
    pools.push(a);
    const scan = async () => (await a.run<StageTaskReply>(0, scanTask(dir, columns, units))).stats;
    expect(await scan()).toMatchObject({ cacheHits: 0, cacheMisses: 4 });
    expect(await scan()).toMatchObject({ cacheHits: 4, cacheMisses: 0 });

    // B (MEDIUM: 4 slots) starts: A's one slot now has a fifth of the budget, less than one chunk.
    const b = new WarehousePool('B', 'MEDIUM', { ...options('b'), memoryCacheBytes: 1 << 30 });
    pools.push(b);
    expect(a.cacheShare!.perSlot.memoryBytes).toBe(Math.floor((4 * chunk + 1000) / 5));
    await scan();
    // Nothing stays in A's memory from one scan to the next.
    expect(await scan()).toMatchObject({ cacheHits: 0, cacheMisses: 4 });

    // B stops: A's share is the whole budget again.
    await b.close();
    expect(a.cacheShare!.perSlot.memoryBytes).toBe(4 * chunk + 1000);
    await scan();
    expect(await scan()).toMatchObject({ cacheHits: 4, cacheMisses: 0 });
  });
});

/**
 * A warehouse's SSD cache across resizes, over real worker threads: partitions go to slots by
 * rendezvous hashing, so after a resize from n to m slots most stay where their chunks are,
 * and those that move find their chunks in another slot's directory (adopted as disk hits).
 * Every read after the resize is a cache hit, growing and shrinking.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import { writePartition } from '../../storage/partition/partition-writer.js';
import type { Column } from '../../storage/types/schema.js';
import type { ScanUnit } from '../../warehouse/fragment/fragment.js';
import type { StageTask, StageTaskReply } from '../../warehouse/fragment/stage-plan.js';
import { WarehousePool } from '../../warehouse/pool/warehouse-pool.js';
import type { WarehouseSize } from '../../warehouse/pool/warehouse-sizes.js';
import { assignUnits } from './rendezvous-assignment.js';

const columns: Column[] = [
  { name: 'X', type: { kind: 'FLOAT' }, nullable: false },
  { name: 'Y', type: { kind: 'FLOAT' }, nullable: false },
];
const ROWS = 500;
const PARTITIONS = 24;

function scanTask(dir: string, units: ScanUnit[]): StageTask {
  const root = { kind: 'scan_exec' as const, id: 0, types: columns.map((c) => c.type), table: 'T', tableColumns: columns, scanColumns: [0, 1], filter: null, limit: null };
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

function chunkFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? chunkFiles(path.join(dir, e.name)) : e.name.endsWith('.arrow') ? 1 : 0), 0);
}

describe('the SSD cache across warehouse resizes', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firn-resize-cache-'));
  const storageUrl = pathToFileURL(path.join(dir, 'data')).href;
  const cacheDir = path.join(dir, 'cache', 'warehouse-1');
  let pool: WarehousePool | null = null;
  afterAll(async () => {
    await pool?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Scans every partition once on a fresh pool of `size` (as the coordinator assigns them); summed hits and misses. */
  async function scanOn(size: WarehouseSize, units: ScanUnit[]): Promise<{ hits: number; misses: number; rows: number }> {
    await pool?.close();
    pool = new WarehousePool('W', size, { storageUrl, home: dir, cacheDir, memoryCacheBytes: 1 << 26, diskCacheBytes: 1 << 26, workerHeapBytes: 1 << 30 });
    const p = pool;
    const replies = await Promise.all(assignUnits(units, p.workers).map((mine, slot) => p.run<StageTaskReply>(slot, scanTask(dir, mine))));
    return replies.reduce((s, r) => ({ hits: s.hits + r.stats.cacheHits, misses: s.misses + r.stats.cacheMisses, rows: s.rows + r.stats.rowsScanned }), { hits: 0, misses: 0, rows: 0 });
  }

  async function allOnDisk(): Promise<void> {
    for (let i = 0; i < 500 && chunkFiles(cacheDir) < PARTITIONS * 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(chunkFiles(cacheDir)).toBe(PARTITIONS * 2);
  }

  it('serves every chunk from the SSD after SMALL -> MEDIUM -> XSMALL -> SMALL', async () => {
    const store = openObjectStore(storageUrl);
    const units: ScanUnit[] = [];
    for (let p = 0; p < PARTITIONS; p++) {
      const col = (k: number) => ({ kind: 'f64' as const, length: ROWS, values: new Float64Array(ROWS).map((_, i) => p * ROWS + i + k), nulls: null });
      const { bytes } = writePartition(columns, { length: ROWS, columns: [col(0), col(0.5)] });
      const { etag } = await store.put(`t/p${p}.parquet`, bytes);
      units.push({ partitionId: 100 + p, objectKey: `t/p${p}.parquet`, rowCount: ROWS, byteSize: bytes.byteLength, etag, filterMode: 'all' });
    }
    expect(await scanOn('SMALL', units)).toEqual({ hits: 0, misses: PARTITIONS * 2, rows: PARTITIONS * ROWS });
    await allOnDisk();
    for (const size of ['MEDIUM', 'XSMALL', 'SMALL'] as const) {
      // A fresh pool (new threads, empty memory): every chunk is found on the SSD.
      expect(await scanOn(size, units)).toEqual({ hits: PARTITIONS * 2, misses: 0, rows: PARTITIONS * ROWS });
      await allOnDisk();
    }
  });
});

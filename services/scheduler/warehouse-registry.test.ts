import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteCatalog } from '../catalog/sqlite-catalog.js';
import { loadConfig } from '../config.js';
import { WarehouseMetering } from './warehouse-metering.js';
import { WarehouseRegistry } from './warehouse-registry.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), 'firn-registry-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('WarehouseRegistry metering events', () => {
  it('meters a pool as cluster 1: started on first use, resized when its size changes, stopped by stop() and close()', async () => {
    let now = T0;
    const catalog = new SqliteCatalog(home);
    const meter = WarehouseMetering.open(catalog.usage, () => now, 0);
    const config = loadConfig({ FIRN_HOME: home, FIRN_CACHE_MEMORY_BYTES: String(16 << 20), FIRN_WORKER_HEAP_BYTES: String(256 << 20) });
    const registry = new WarehouseRegistry(catalog, config, meter, () => now);
    const id = catalog.createWarehouse('W', 'XSMALL').id;
    registry.get('W');
    now = T0 + 10_000;
    registry.get('W');
    catalog.updateWarehouse('W', { size: 'SMALL' });
    now = T0 + 30_000;
    registry.get('W');
    now = T0 + 100_000;
    await registry.stop('W');
    const seg = (size: string, run: number, from: number, to: number) => ({ warehouseId: id, warehouseName: 'W', cluster: 1, size, runStartedAt: T0 + run, startedAt: T0 + from, endedAt: T0 + to });
    expect(catalog.usage.segments(0, T0 + 1_000_000)).toEqual([seg('XSMALL', 0, 0, 30_000), seg('SMALL', 0, 30_000, 100_000)]);

    now = T0 + 200_000;
    registry.get('W');
    now = T0 + 230_000;
    await registry.close();
    expect(catalog.usage.segments(T0 + 150_000, T0 + 1_000_000)).toEqual([seg('SMALL', 200_000, 200_000, 230_000)]);
    // 30 s XSMALL + 70 s SMALL, then a 30 s start billed its 60 s minimum at SMALL.
    expect(meter.hourly().map((h) => h.creditMs)).toEqual([1000 * (30 * 1 + 70 * 2 + 60 * 2)]);
    meter.close();
    catalog.close();
  });
});

import { describe, expect, it } from 'vitest';
import { formatBytes, profileStages, statsItems, type QueryStats } from './stats.js';

describe('stats', () => {
  it('lists elapsed, partitions, bytes and cache hit, then what applies', () => {
    const s: QueryStats = { partitionsTotal: 12, partitionsScanned: 3, bytesScanned: 5 * 1024 * 1024, cacheHitRatio: 0.5, elapsedMs: 1234, warehouse: 'WH', bytesSpilled: 0, profile: [], queuedMs: 0, cluster: 1, warehouseSize: 'SMALL', fromResultCache: false };
    expect(statsItems(s).map((i) => `${i.label}: ${i.value}`)).toEqual(['Elapsed: 1.23 s', 'Partitions: 3 / 12', 'Scanned: 5.0 MiB', 'Cache hit: 50%', 'Warehouse: WH · SMALL']);
    expect(formatBytes(512)).toBe('512 B');
  });

  it('sums each operator over its tasks, by stage, time as the slowest task', () => {
    const op = (stage: number, id: number, task: number, operator: string, rowsOut: number, ms: number) => ({ id, stage, task, operator, rowsIn: rowsOut * 2, rowsOut, ms, bytesOut: 0, bytesSpilled: task });
    expect(profileStages([op(1, 3, 0, 'hash_aggregate_exec', 5, 7), op(0, 1, 0, 'scan_exec', 10, 4), op(0, 1, 1, 'scan_exec', 20, 9), op(0, 2, 1, 'filter_exec', 3, 1)])).toEqual([
      { stage: 0, operators: [{ id: 1, operator: 'scan_exec', tasks: 2, rowsIn: 60, rowsOut: 30, ms: 9, bytesSpilled: 1 }, { id: 2, operator: 'filter_exec', tasks: 1, rowsIn: 6, rowsOut: 3, ms: 1, bytesSpilled: 1 }] },
      { stage: 1, operators: [{ id: 3, operator: 'hash_aggregate_exec', tasks: 1, rowsIn: 10, rowsOut: 5, ms: 7, bytesSpilled: 0 }] },
    ]);
  });
});

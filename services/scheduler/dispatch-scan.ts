/**
 * Dispatch: turns the partitions that survived pruning into scan units and sends each
 * worker of the warehouse its share, one task per worker. Assignment is stable (partition
 * id modulo worker count), so a partition meets the same worker's warm cache every time.
 * `cancel`: the statement's cancellation; a canceled statement's tasks stop (worker-slot.ts).
 */
import type { PartitionInfo } from '../catalog/catalog.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { decodeBatchIpc } from '../../storage/arrow/batch-ipc.js';
import type { FilterMode, ScanFragment, ScanStats, ScanUnit, WorkerTask } from '../../warehouse/fragment/fragment.js';
import { throwIfFailure, unpackReply, type WorkerFailure } from '../../warehouse/fragment/worker-reply.js';
import type { WarehousePool } from '../../warehouse/pool/warehouse-pool.js';
import type { TaskCancel } from '../../warehouse/pool/worker-slot.js';

export type ScanPart = { columns: Column[]; batch: Batch };

export async function dispatchScan(
  pool: WarehousePool,
  fragment: ScanFragment,
  units: { partition: PartitionInfo; filterMode: FilterMode }[],
  cancel: TaskCancel | null = null,
): Promise<{ parts: ScanPart[]; stats: ScanStats }> {
  const perSlot: ScanUnit[][] = Array.from({ length: pool.workers }, () => []);
  for (const u of units) {
    perSlot[u.partition.id % pool.workers].push({
      partitionId: u.partition.id,
      objectKey: u.partition.objectKey,
      rowCount: u.partition.rowCount,
      filterMode: u.filterMode,
    });
  }
  const tasks = perSlot
    .map((slotUnits, slot) => ({ slot, slotUnits }))
    .filter((t) => t.slotUnits.length > 0)
    .map(async ({ slot, slotUnits }) => {
      const task: WorkerTask = { kind: 'scan', fragment, units: slotUnits };
      const reply = throwIfFailure(await pool.run<Uint8Array | WorkerFailure>(slot, task, [], cancel));
      const { meta: stats, ipc } = unpackReply<ScanStats>(reply);
      return { stats, part: decodeBatchIpc(ipc) };
    });
  const results = await Promise.all(tasks);
  const stats: ScanStats = { rowsScanned: 0, bytesScanned: 0, cacheHits: 0, cacheMisses: 0 };
  for (const r of results) {
    stats.rowsScanned += r.stats.rowsScanned;
    stats.bytesScanned += r.stats.bytesScanned;
    stats.cacheHits += r.stats.cacheHits;
    stats.cacheMisses += r.stats.cacheMisses;
  }
  return { parts: results.map((r) => r.part), stats };
}

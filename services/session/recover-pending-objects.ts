/**
 * Startup recovery of interrupted writes. Keys are recorded in `pending_objects` before
 * their objects are written and cleared by the commit that references them (or by the
 * failed statement after it deleted them), so a pending row left in the catalog belongs to
 * a statement that was running when the process died. The embedded SQLite catalog is owned
 * by one services process, so when that process starts nothing is running: EVERY pending
 * row is dead and its object (if it was written at all) is referenced by no partition.
 *
 * Contract: deletes every pending object (a missing one is fine: it may never have been
 * written), then clears that statement's rows; a statement whose deletes did not all succeed
 * keeps its rows for the next start. Returns how many keys were deleted. Must run before the
 * engine accepts statements. A catalog shared by several services processes (PostgreSQL,
 * later) would need a liveness check per statement instead.
 */
import type { ObjectStore } from '../../storage/object-store/object-store.js';
import type { Catalog } from '../catalog/catalog.js';

/** Deletes run this many at a time. */
const PARALLEL_DELETES = 32;

export async function recoverPendingObjects(catalog: Catalog, store: ObjectStore): Promise<number> {
  const byQuery = new Map<string, string[]>();
  for (const p of catalog.listPendingObjects()) {
    let keys = byQuery.get(p.queryId);
    if (!keys) byQuery.set(p.queryId, (keys = []));
    keys.push(p.objectKey);
  }
  let deleted = 0;
  for (const [queryId, keys] of byQuery) {
    let ok = true;
    for (let i = 0; i < keys.length; i += PARALLEL_DELETES) {
      const settled = await Promise.allSettled(keys.slice(i, i + PARALLEL_DELETES).map((k) => store.delete(k)));
      for (const s of settled) {
        if (s.status === 'fulfilled') deleted++;
        else ok = false;
      }
    }
    if (ok) catalog.clearPendingObjects(queryId);
  }
  return deleted;
}

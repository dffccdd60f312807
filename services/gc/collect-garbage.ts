/**
 * One garbage collection: mark and sweep over the catalog and the table object store.
 *
 * Contract, in order:
 * 1. Clones whose EXPIRES_AFTER passed (before `nowMs`) are dropped (catalog.dropExpiredClones),
 *    so this same run reclaims the objects only they held.
 * 2. Mark (catalog.gcMark): the objects no table version inside its retention references
 *    (dropped tables within retention and clones count) and no statement has pending; the
 *    tables running statements read are protected down to the version they read
 *    (`protect`, from running-statements.ts).
 *    The mark counts a table dropped past its retention as holding nothing, even while a
 *    statement still reads it: the keys of every version running statements read are
 *    therefore taken out of the sweep (their rows are purged all the same; the objects are then
 *    unknown ones, kept for the grace period of step 5).
 * 3. Sweep: exactly the remaining keys are deleted, PARALLEL_DELETES at a time (never by prefix).
 *    A key whose delete fails is left to a later run.
 * 4. Purge (catalog.gcPurge): the catalog rows of expired partitions, versions and tables.
 *    It re-checks the deleted keys first. A crash between 3 and 4 leaves rows below the
 *    floors pointing to missing objects: no readable version reaches them, and the next run
 *    purges them.
 * 5. Unknown objects: a key under the table prefixes (`t`, `ctas/`) that no partition row and
 *    no pending statement knows, last modified more than `graceSeconds` before `nowMs`, is
 *    deleted. Younger ones may belong to a write whose reservation is still in flight.
 * Runs must not overlap (gc-loop.ts serializes them). The clock is `nowMs`, so tests inject it.
 */
import type { ObjectStore } from '../../storage/object-store/object-store.js';
import type { Catalog } from '../catalog/catalog.js';
import { catalogVersionTime, type RunningStatements } from '../session/running-statements.js';

/** What one run did; SYSTEM$COLLECT_GARBAGE() answers it as JSON. */
export type GcResult = {
  objectsDeleted: number;
  bytesFreed: number;
  catalogRowsPurged: number;
  unknownObjectsDeleted: number;
};

export type GcOptions = {
  nowMs: number;
  /** FIRN_DATA_RETENTION_DAYS: the retention of objects that set none. */
  defaultRetentionDays: number;
  /** FIRN_GC_GRACE_SECONDS. */
  graceSeconds: number;
};

/** Deletes run this many at a time. */
const PARALLEL_DELETES = 32;
/** Where table objects live: `t<table id>/…` (writes into a table) and `ctas/<query id>/…` (CREATE TABLE AS). */
const TABLE_PREFIXES = ['t', 'ctas/'];

export async function collectGarbage(
  deps: { catalog: Catalog; store: ObjectStore; running: RunningStatements },
  opts: GcOptions,
): Promise<GcResult> {
  const { catalog, store } = deps;
  // Dropped 1 ms before `nowMs`: with their retention of 0 they are then past it in this mark.
  catalog.dropExpiredClones(opts.nowMs - 1);
  const protect = deps.running.protect(catalogVersionTime(catalog));
  const marked = catalog.gcMark(opts.nowMs, protect, opts.defaultRetentionDays).deletable;
  const read = keysRead(catalog, deps.running);
  const deletable = marked.filter((d) => !read.has(d.objectKey));
  const deleted = await deleteAll(store, deletable.map((d) => d.objectKey));
  const sizes = new Map(deletable.map((d) => [d.objectKey, d.byteSize]));
  let bytesFreed = 0;
  for (const k of deleted) bytesFreed += sizes.get(k)!;
  const catalogRowsPurged = catalog.gcPurge(deleted, opts.nowMs, opts.defaultRetentionDays);

  const cutoff = opts.nowMs - opts.graceSeconds * 1000;
  const unknown: string[] = [];
  for (const prefix of TABLE_PREFIXES) {
    for (const o of await store.list(prefix)) {
      if (o.lastModified.getTime() < cutoff && !catalog.isKnownObject(o.key)) unknown.push(o.key);
    }
  }
  // Checked after each listing, synchronously: a write reserves its keys (fresh ones, carrying
  // its query id) before its puts, so no key listed here can become known later.
  const unknownDeleted = await deleteAll(store, unknown);
  return { objectsDeleted: deleted.length, bytesFreed, catalogRowsPurged, unknownObjectsDeleted: unknownDeleted.length };
}

/** The object keys of every table version running statements read (a version the catalog no longer has: none). */
function keysRead(catalog: Catalog, running: RunningStatements): Set<string> {
  const keys = new Set<string>();
  for (const [tableId, versions] of running.readVersions()) {
    if (catalog.getTableById(tableId) === null) continue;
    const known = new Set(catalog.tableVersions(tableId).map((x) => x.version));
    for (const v of versions) {
      if (known.has(v)) for (const p of catalog.livePartitions(tableId, v)) keys.add(p.objectKey);
    }
  }
  return keys;
}

/** Deletes `keys`, PARALLEL_DELETES at a time; returns the keys whose delete succeeded. */
async function deleteAll(store: ObjectStore, keys: string[]): Promise<string[]> {
  const done: string[] = [];
  for (let i = 0; i < keys.length; i += PARALLEL_DELETES) {
    const batch = keys.slice(i, i + PARALLEL_DELETES);
    const settled = await Promise.allSettled(batch.map((k) => store.delete(k)));
    settled.forEach((s, j) => {
      if (s.status === 'fulfilled') done.push(batch[j]);
    });
  }
  return done;
}

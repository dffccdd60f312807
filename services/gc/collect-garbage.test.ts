import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../storage/object-store/local-object-store.js';
import { Types } from '../../storage/types/data-type.js';
import type { NewPartition, TableInfo } from '../catalog/catalog.js';
import { SqliteCatalog } from '../catalog/sqlite-catalog.js';
import { RunningStatements } from '../session/running-statements.js';
import { collectGarbage, type GcResult } from './collect-garbage.js';

const DAY_MS = 86_400_000;
const GRACE_SECONDS = 3600;

let dir: string;
let catalog: SqliteCatalog;
let store: LocalObjectStore;
let running: RunningStatements;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'firn-gc-'));
  catalog = new SqliteCatalog(path.join(dir, 'catalog.db'));
  store = new LocalObjectStore(path.join(dir, 'data'));
  running = new RunningStatements();
  catalog.createDatabase('DB', { schema: 'S' });
});

afterEach(() => {
  catalog.close();
  rmSync(dir, { recursive: true, force: true });
});

function gc(nowMs: number, defaultRetentionDays = 1): Promise<GcResult> {
  return collectGarbage({ catalog, store, running }, { nowMs, defaultRetentionDays, graceSeconds: GRACE_SECONDS });
}

function makeTable(name: string): TableInfo {
  return catalog.createTable('DB', 'S', name, [{ name: 'A', type: Types.number(38, 0), nullable: true }], { queryId: `q-create-${name}` });
}

/** Puts an object of `bytes` bytes into the store and describes it as a partition. */
async function object(key: string, bytes: number): Promise<NewPartition> {
  await store.put(key, new Uint8Array(bytes).fill(7));
  return { objectKey: key, rowCount: 1, byteSize: bytes, zoneMap: { rowCount: 1, byteSize: bytes, columns: {} } };
}

async function keys(): Promise<string[]> {
  return [...(await store.list('')).map((o) => o.key)].sort();
}

/** T: version 1 (INSERT) writes A and B; version 2 (UPDATE) rewrites A into C. Returns T and version 2's commit time. */
async function updatedTable(name = 'T'): Promise<{ t: TableInfo; updatedAt: number }> {
  const t = makeTable(name);
  const [a, b, c] = [await object(`t${t.id}/q1/a`, 100), await object(`t${t.id}/q1/b`, 200), await object(`t${t.id}/q2/c`, 300)];
  catalog.commitTable(t.id, { baseVersion: 0, queryId: `${name}-q1`, operation: 'INSERT', added: [a, b], removedIds: [] });
  const removed = catalog.livePartitions(t.id).find((p) => p.objectKey === a.objectKey)!;
  const v2 = catalog.commitTable(t.id, { baseVersion: 1, queryId: `${name}-q2`, operation: 'UPDATE', added: [c], removedIds: [removed.id] });
  return { t, updatedAt: v2.committedAt.getTime() };
}

describe('collectGarbage', () => {
  it('keeps a partition an UPDATE removed within retention and deletes its object after it', async () => {
    const { t, updatedAt } = await updatedTable();
    // Version 0 (CREATE TABLE) and its statement id are below the floor and hold nothing: purged.
    expect(await gc(updatedAt + DAY_MS - 1)).toEqual({ objectsDeleted: 0, bytesFreed: 0, catalogRowsPurged: 2, unknownObjectsDeleted: 0 });
    expect(await keys()).toEqual([`t${t.id}/q1/a`, `t${t.id}/q1/b`, `t${t.id}/q2/c`]);
    const after = await gc(updatedAt + DAY_MS + 1);
    // A's partition row is purged.
    expect(after).toEqual({ objectsDeleted: 1, bytesFreed: 100, catalogRowsPurged: 1, unknownObjectsDeleted: 0 });
    expect(await keys()).toEqual([`t${t.id}/q1/b`, `t${t.id}/q2/c`]);
    expect(catalog.livePartitions(t.id).map((p) => p.objectKey)).toEqual([`t${t.id}/q1/b`, `t${t.id}/q2/c`]);
    // Retention 0 on the table: the next removal goes at once.
    catalog.setRetention({ kind: 'table', tableId: t.id }, 0);
    const c = catalog.livePartitions(t.id).find((p) => p.objectKey.endsWith('/c'))!;
    catalog.commitTable(t.id, { baseVersion: 2, queryId: 'T-q3', operation: 'DELETE', added: [], removedIds: [c.id] });
    expect((await gc(Date.now() + 1)).objectsDeleted).toBe(1);
    expect(await keys()).toEqual([`t${t.id}/q1/b`]);
  });

  it('keeps the keys a clone shares after the source is dropped, deleting only what nobody holds', async () => {
    const { t } = await updatedTable();
    const u = catalog.cloneTable({ tableId: t.id, version: 1 }, { database: 'DB', schema: 'S', name: 'U' }, { queryId: 'q-clone' });
    catalog.dropTable('DB', 'S', 'T');
    const later = Date.now() + 2 * DAY_MS;
    const r = await gc(later);
    // T is past retention; its clone U (of version 1) still holds A and B, so only C goes.
    expect([r.objectsDeleted, r.bytesFreed]).toEqual([1, 300]);
    expect(await keys()).toEqual([`t${t.id}/q1/a`, `t${t.id}/q1/b`]);
    expect(catalog.getTableById(t.id)).toBeNull();
    expect(catalog.livePartitions(u.id).map((p) => p.objectKey)).toEqual([`t${t.id}/q1/a`, `t${t.id}/q1/b`]);
    catalog.dropTable('DB', 'S', 'U');
    expect((await gc(Date.now() + 2 * DAY_MS)).objectsDeleted).toBe(2);
    expect(await keys()).toEqual([]);
  });

  it('never deletes a pending key, however old', async () => {
    const { t, updatedAt } = await updatedTable();
    // A running statement has reserved the removed partition's key and a key it is writing.
    catalog.registerPendingObjects('q-running', [`t${t.id}/q1/a`, `t${t.id}/q-running/n`]);
    await object(`t${t.id}/q-running/n`, 10);
    const far = updatedAt + 30 * DAY_MS;
    expect(await gc(far)).toMatchObject({ objectsDeleted: 0, unknownObjectsDeleted: 0 });
    expect(await keys()).toEqual([`t${t.id}/q-running/n`, `t${t.id}/q1/a`, `t${t.id}/q1/b`, `t${t.id}/q2/c`]);
    // The mark passed A over, but its expired row is purged: once the statement is gone, A and N
    // are objects nobody knows, long past the grace period.
    expect(catalog.isKnownObject(`t${t.id}/q1/a`)).toBe(true);
    catalog.clearPendingObjects('q-running');
    expect(await gc(far)).toEqual({ objectsDeleted: 0, bytesFreed: 0, catalogRowsPurged: 0, unknownObjectsDeleted: 2 });
    expect(await keys()).toEqual([`t${t.id}/q1/b`, `t${t.id}/q2/c`]);
  });

  it('deletes an object the catalog never knew only once it is older than the grace period', async () => {
    const t = makeTable('T');
    const live = await object(`t${t.id}/q1/live`, 10);
    catalog.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [live], removedIds: [] });
    await object(`t${t.id}/q-crashed/orphan`, 20);
    await object('ctas/q-crashed/orphan', 30);
    // Not under a table prefix: never GC's to delete.
    await store.put('elsewhere/x', new Uint8Array(1));
    const written = Date.now();
    expect((await gc(written + GRACE_SECONDS * 1000 - 5_000)).unknownObjectsDeleted).toBe(0);
    expect(await keys()).toEqual(['ctas/q-crashed/orphan', 'elsewhere/x', `t${t.id}/q-crashed/orphan`, `t${t.id}/q1/live`]);
    expect(await gc(written + GRACE_SECONDS * 1000 + 5_000)).toEqual({ objectsDeleted: 0, bytesFreed: 0, catalogRowsPurged: 0, unknownObjectsDeleted: 2 });
    expect(await keys()).toEqual(['elsewhere/x', `t${t.id}/q1/live`]);
  });

  it('purges the catalog rows of expired versions and of tables dropped past retention', async () => {
    const { t, updatedAt } = await updatedTable();
    const keep = makeTable('KEEP');
    catalog.commitTable(keep.id, { baseVersion: 0, queryId: 'qk', operation: 'INSERT', added: [await object(`t${keep.id}/qk/k`, 5)], removedIds: [] });
    expect(catalog.tableVersions(t.id).map((v) => v.version)).toEqual([0, 1, 2]);
    catalog.dropTable('DB', 'S', 'T');
    expect((await gc(updatedAt + DAY_MS / 2)).catalogRowsPurged).toBe(0);
    expect(catalog.getTableById(t.id)).not.toBeNull();
    const r = await gc(Date.now() + 2 * DAY_MS);
    // T: 3 partitions, 3 statement ids, 3 versions, 1 column, the table row; KEEP: version 0 and its statement id.
    expect(r).toEqual({ objectsDeleted: 3, bytesFreed: 600, catalogRowsPurged: 3 + 3 + 3 + 1 + 1 + 2, unknownObjectsDeleted: 0 });
    expect(catalog.getTableById(t.id)).toBeNull();
    expect(catalog.tableVersions(keep.id).map((v) => v.version)).toEqual([1]);
    expect(await keys()).toEqual([`t${keep.id}/qk/k`]);
    expect((await gc(Date.now() + 2 * DAY_MS)).catalogRowsPurged).toBe(0);
  });

  it('drops a clone past its EXPIRES_AFTER and deletes only the objects it owned', async () => {
    const { t } = await updatedTable();
    const now = Date.now();
    const u = catalog.cloneTable({ tableId: t.id, version: 2 }, { database: 'DB', schema: 'S', name: 'U' }, { queryId: 'qc', expiresAt: new Date(now + 60_000) });
    catalog.commitTable(u.id, { baseVersion: 1, queryId: 'qu', operation: 'INSERT', added: [await object(`t${u.id}/qu/own`, 40)], removedIds: [] });
    expect((await gc(now + 60_000)).objectsDeleted).toBe(0);
    expect(catalog.getTable('DB', 'S', 'U')).not.toBeNull();
    // Past its lifetime: dropped, and what only it held goes in the same run.
    const r = await gc(now + 60_001);
    expect([r.objectsDeleted, r.bytesFreed]).toEqual([1, 40]);
    expect(catalog.getTable('DB', 'S', 'U')).toBeNull();
    expect(await keys()).toEqual([`t${t.id}/q1/a`, `t${t.id}/q1/b`, `t${t.id}/q2/c`]);
  });

  it('keeps what a running statement reads: the versions it registered are protected until it ends', async () => {
    const { t, updatedAt } = await updatedTable();
    // A statement bound T at version 1 (which holds A) and is still reading it.
    const reads = running.begin();
    reads.read(t.id, 1);
    const far = updatedAt + 30 * DAY_MS;
    expect((await gc(far)).objectsDeleted).toBe(0);
    expect(await keys()).toEqual([`t${t.id}/q1/a`, `t${t.id}/q1/b`, `t${t.id}/q2/c`]);
    expect(catalog.livePartitions(t.id, 1).map((p) => p.objectKey)).toEqual([`t${t.id}/q1/a`, `t${t.id}/q1/b`]);
    // A statement reading version 2 protects from 1 ms before version 2's commit: what version 2
    // itself removed is kept too (a commit in the same millisecond must not be missed).
    const current = running.begin();
    current.read(t.id, 2);
    reads.end();
    expect((await gc(far)).objectsDeleted).toBe(0);
    current.end();
    expect(running.size).toBe(0);
    expect((await gc(far)).objectsDeleted).toBe(1);
    expect(await keys()).toEqual([`t${t.id}/q1/b`, `t${t.id}/q2/c`]);
  });

  it('keeps the objects a running statement reads of a table dropped past its retention meanwhile', async () => {
    const { t } = await updatedTable();
    const reads = running.begin();
    reads.read(t.id, 2);
    catalog.setRetention({ kind: 'table', tableId: t.id }, 0);
    catalog.dropTable('DB', 'S', 'T');
    const now = Date.now() + 1;
    // A (not in version 2) goes; B and C, which the statement reads, stay although T's rows are purged.
    expect(await gc(now)).toMatchObject({ objectsDeleted: 1, bytesFreed: 100, unknownObjectsDeleted: 0 });
    expect(catalog.getTableById(t.id)).toBeNull();
    expect(await keys()).toEqual([`t${t.id}/q1/b`, `t${t.id}/q2/c`]);
    // Unknown objects now: deleted once the grace period has passed.
    reads.end();
    expect(await gc(now + GRACE_SECONDS * 1000 + 5_000)).toEqual({ objectsDeleted: 0, bytesFreed: 0, catalogRowsPurged: 0, unknownObjectsDeleted: 2 });
    expect(await keys()).toEqual([]);
  });

  it('repairs a run interrupted between its deletes and its purge: the next run purges, nothing readable is lost', async () => {
    const { t, updatedAt } = await updatedTable();
    const later = updatedAt + DAY_MS + 1;
    // What the interrupted run did: marked, deleted A's object, never purged.
    const { deletable } = catalog.gcMark(later, new Map(), 1);
    expect(deletable.map((d) => d.objectKey)).toEqual([`t${t.id}/q1/a`]);
    await store.delete(`t${t.id}/q1/a`);
    expect(await gc(later)).toEqual({ objectsDeleted: 1, bytesFreed: 100, catalogRowsPurged: 3, unknownObjectsDeleted: 0 });
    for (const p of catalog.livePartitions(t.id)) expect((await store.get(p.objectKey)).length).toBe(p.byteSize);
  });
});

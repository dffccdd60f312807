/**
 * kill -9 in the middle of writes leaves no orphan objects (issue 7, point 16), on the real
 * server: object keys are recorded in `pending_objects` before their objects are written
 * (write-ahead), so at the moment of the kill every object in the store is referenced by a
 * partition or recorded as pending; the next start deletes the pending objects of the
 * statements that never committed, and the committed data is intact.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteDatabase } from '../../services/catalog/open-sqlite-database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import { TEMP_PREFIX } from '../../storage/object-store/local-object-store.js';
import { TRIPS_DDL, writeTripsCsv } from '../support/trips-data.js';

const BASE = Array.from({ length: 1_200 }, (_, i) => i + 1);

describe('kill -9 during COPY INTO and an INSERT stream', () => {
  let dir: string;
  let server: FirnProcess | null = null;
  const home = () => path.join(dir, 'home');
  const env = { FIRN_PARTITION_ROWS: '500' };

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-crash-'));
    writeTripsCsv(path.join(dir, 'big'), 3, 10_000, 5);
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** What the catalog file says right now: keys referenced by any partition, and pending keys. */
  function catalogKeys(): { referenced: Set<string>; pending: Set<string> } {
    const db = openSqliteDatabase(path.join(home(), 'catalog.sqlite'));
    try {
      const referenced = new Set((db.prepare('SELECT object_key AS k FROM partitions').all() as { k: string }[]).map((r) => r.k));
      const pending = new Set((db.prepare('SELECT object_key AS k FROM pending_objects').all() as { k: string }[]).map((r) => r.k));
      return { referenced, pending };
    } finally {
      db.close();
    }
  }

  async function storeKeys(): Promise<string[]> {
    return (await openObjectStore(`file://${path.join(home(), 'data')}`).list('')).map((o) => o.key);
  }

  /**
   * One crash: an INSERT stream and a COPY run until the process is killed the moment the store
   * holds an object that no partition references. Returns the store and catalog as the kill left
   * them. The COPY may still commit between that observation and the kill, so a crash can leave
   * no orphan at all; the caller then crashes again.
   */
  async function crashMidWrite(acked: number[], table: string): Promise<{ orphans: string[]; pending: Set<string> }> {
    server = await startFirnProcess({ home: home(), env: { ...env, FIRN_LOAD_ROOTS: dir } });
    const url = server.url;
    let stop = false;
    const stream = (async () => {
      for (;;) {
        if (stop) return;
        const next = (acked.at(-1) ?? 0) + 1;
        try {
          await postStatement(url, `INSERT INTO stream VALUES (${next})`);
          acked.push(next);
        } catch {
          return;
        }
      }
    })();
    const copy = postStatement(
      url,
      `COPY INTO ${table} FROM 'file://${dir}/big/trips_*.csv' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1) FORCE = TRUE`,
    ).catch(() => null);

    const deadline = Date.now() + 20_000;
    for (;;) {
      const objects = await storeKeys();
      const { referenced } = catalogKeys();
      if (objects.some((k) => !referenced.has(k))) break;
      if (Date.now() > deadline) throw new Error('the COPY never had an uncommitted object in the store');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    server.child.kill('SIGKILL');
    await new Promise((resolve) => server!.child.once('exit', resolve));
    server = null;
    stop = true;
    await Promise.all([stream, copy]);
    const { referenced, pending } = catalogKeys();
    return { orphans: (await storeKeys()).filter((k) => !referenced.has(k)), pending };
  }

  it.each([
    ['trips', 'without a clustering key'],
    ['trips_sorted', 'into a clustered table (sorted runs on the spill directory, then range merges)'],
  ])('records every object before writing it, and reclaims the uncommitted ones at restart: COPY INTO %s %s', async (table) => {
    server = await startFirnProcess({ home: home(), env: { ...env, FIRN_LOAD_ROOTS: dir } });
    if (table === 'trips') await postStatement(server.url, TRIPS_DDL);
    else await postStatement(server.url, `${TRIPS_DDL.replace('CREATE TABLE trips', `CREATE TABLE ${table}`)} CLUSTER BY (city, day)`);
    await postStatement(server.url, 'CREATE OR REPLACE TABLE base (id INTEGER)');
    await postStatement(server.url, `INSERT INTO base VALUES ${BASE.map((i) => `(${i})`).join(', ')}`);
    await postStatement(server.url, 'CREATE OR REPLACE TABLE stream (x INTEGER)');
    await server.stop();
    server = null;

    // (a) At the kill, every object no partition references was recorded as pending. Crash until
    // one kill lands while such an object exists (the first almost always does).
    const acked: number[] = [];
    let crashes = 0;
    let landed = false;
    while (!landed && crashes < 5) {
      const { orphans, pending } = await crashMidWrite(acked, table);
      crashes++;
      expect(orphans.filter((k) => !pending.has(k))).toEqual([]);
      landed = orphans.length > 0;
    }
    expect(landed).toBe(true);

    // (b) After a restart, nothing in the store is unreferenced and nothing is pending.
    server = await startFirnProcess({ home: home(), env: { ...env, FIRN_LOAD_ROOTS: dir } });
    const after = catalogKeys();
    expect((await storeKeys()).filter((k) => !after.referenced.has(k))).toEqual([]);
    expect(after.pending.size).toBe(0);
    // Nor any temp file an interrupted put left (the store never lists those).
    const files = readdirSync(path.join(home(), 'data'), { recursive: true }) as string[];
    expect(files.filter((f) => path.basename(f).startsWith(TEMP_PREFIX))).toEqual([]);
    // Nor any spill file (a clustered COPY's sorted runs) of the killed statements.
    expect(existsSync(path.join(home(), 'spill')) ? readdirSync(path.join(home(), 'spill'), { recursive: true }) : []).toEqual([]);

    // The committed data is intact and readable.
    expect((await postStatement(server.url, 'SELECT COUNT(*), SUM(id) FROM base')).data).toEqual([
      [String(BASE.length), String((BASE.length * (BASE.length + 1)) / 2)],
    ]);
    // Every acknowledged INSERT is there, in order; at most one unacknowledged one per crash committed.
    const streamed = (await postStatement(server.url, 'SELECT x FROM stream ORDER BY x')).data.map((r) => Number(r[0]));
    for (const x of acked) expect(streamed).toContain(x);
    expect(streamed.length - acked.length).toBeLessThanOrEqual(crashes);
    // Each COPY committed all 30,000 rows or nothing.
    const trips = Number((await postStatement(server.url, `SELECT COUNT(*) FROM ${table}`)).data[0][0]);
    expect(trips % 30_000).toBe(0);
    expect(trips).toBeLessThanOrEqual(30_000 * crashes);
    await server.stop();
    server = null;
  }, 120_000);
});

/**
 * kill -9 during garbage collection, between its deletes and its catalog purge: the partition
 * rows of the deleted objects are still there, but no readable version references them, so
 * every table still reads completely after the restart, and the next collection purges them
 * and leaves exactly the objects the live partitions reference.
 */
describe('kill -9 during garbage collection', () => {
  let dir: string;
  let server: FirnProcess | null = null;
  const home = () => path.join(dir, 'home');
  const env = { FIRN_PARTITION_ROWS: '1', FIRN_DATA_RETENTION_DAYS: '0', FIRN_GC_INTERVAL_SECONDS: '0' };
  const ROWS = 200;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-crash-gc-'));
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function partitionRows(): { key: string; removed: boolean }[] {
    const db = openSqliteDatabase(path.join(home(), 'catalog.sqlite'), { readonly: true });
    try {
      return (db.prepare('SELECT object_key AS k, removed_version IS NOT NULL AS r FROM partitions ORDER BY object_key').all() as { k: string; r: number }[]).map((x) => ({ key: x.k, removed: x.r === 1 }));
    } finally {
      db.close();
    }
  }

  const objectPath = (key: string) => path.join(home(), 'data', ...key.split('/'));

  it('leaves every table readable, and the next run purges what the killed one deleted', async () => {
    server = await startFirnProcess({ home: home(), env: { ...env, FIRN_LOAD_ROOTS: dir } });
    await postStatement(server.url, 'CREATE TABLE t (id INTEGER, v INTEGER)');
    await postStatement(server.url, `INSERT INTO t SELECT * FROM VALUES ${Array.from({ length: ROWS }, (_, i) => `(${i}, 1)`).join(', ')}`);
    // Every one-row partition rewritten: ROWS objects to delete.
    await postStatement(server.url, 'UPDATE t SET v = 2');
    const removed = partitionRows().filter((p) => p.removed).map((p) => p.key);
    expect(removed).toHaveLength(ROWS);
    // GC deletes in key order: the first key goes in its first batch of deletes, the purge comes after the last.
    const first = objectPath(removed[0]);
    const gc = postStatement(server.url, 'SELECT SYSTEM$COLLECT_GARBAGE()').catch(() => null);
    const deadline = Date.now() + 30_000;
    while (existsSync(first)) {
      if (Date.now() > deadline) throw new Error('GC never deleted anything');
      await new Promise((resolve) => setImmediate(resolve));
    }
    server.child.kill('SIGKILL');
    await new Promise((resolve) => server!.child.once('exit', resolve));
    server = null;
    expect(await gc).toBeNull();
    // Killed between the deletes and the purge: removed rows whose objects are gone.
    const rows = partitionRows();
    const gone = rows.filter((p) => !existsSync(objectPath(p.key)));
    expect(gone.length).toBeGreaterThan(0);
    expect(gone.every((p) => p.removed)).toBe(true);

    server = await startFirnProcess({ home: home(), env: { ...env, FIRN_LOAD_ROOTS: dir } });
    expect((await postStatement(server.url, 'SELECT count(*), sum(id), sum(v) FROM t')).data).toEqual([[String(ROWS), String((ROWS * (ROWS - 1)) / 2), String(2 * ROWS)]]);
    const r = JSON.parse((await postStatement(server.url, 'SELECT SYSTEM$COLLECT_GARBAGE()')).data[0][0]!);
    // The killed run's deletes are done again (deleting a missing object succeeds), then purged.
    expect(r).toMatchObject({ objectsDeleted: ROWS, unknownObjectsDeleted: 0 });
    expect(r.catalogRowsPurged).toBeGreaterThanOrEqual(ROWS);
    const live = partitionRows();
    expect(live.every((p) => !p.removed)).toBe(true);
    expect((await storeKeysOf(home())).sort()).toEqual(live.map((p) => p.key).sort());
    expect((await postStatement(server.url, 'SELECT count(*), sum(v) FROM t')).data).toEqual([[String(ROWS), String(2 * ROWS)]]);
    await server.stop();
    server = null;
  }, 120_000);
});

async function storeKeysOf(home: string): Promise<string[]> {
  return (await openObjectStore(`file://${path.join(home, 'data')}`).list('')).map((o) => o.key);
}

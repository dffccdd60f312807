/**
 * kill -9 at each step of a transaction's COMMIT (issue 12): the server kills itself at a named
 * crash point (storage/fault/crash-point.ts) while one request runs BEGIN; INSERT into t; INSERT
 * into u; DELETE from t; COMMIT. The statements inside the transaction commit nothing, so the
 * first catalog commit is COMMIT's one transaction over both tables. After a restart both tables
 * hold exactly their old rows (killed before or inside that commit) or both their new ones
 * (after it), nothing is pending, and once GC ran with no retention the store holds exactly the
 * objects of the live partitions. Real server, real SQLite catalog, real local object store.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteDatabase } from '../../services/catalog/open-sqlite-database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import { CRASH_POINTS, type CrashPoint } from '../../storage/fault/crash-point.js';

/** No background GC or compaction: the test runs GC itself, and nothing else may commit. */
const QUIET = { FIRN_PARTITION_ROWS: '10', FIRN_GC_INTERVAL_SECONDS: '0', FIRN_COMPACT_INTERVAL_SECONDS: '0' };

const TRANSACTION = 'BEGIN; INSERT INTO t SELECT id + 100 FROM t; INSERT INTO u VALUES (7), (8); DELETE FROM t WHERE id < 5; COMMIT';
const OLD = { t: Array.from({ length: 20 }, (_, i) => i), u: [1] };
const NEW = { t: [...OLD.t.filter((id) => id >= 5), ...OLD.t.map((id) => id + 100)], u: [1, 7, 8] };

const POINTS: CrashPoint[] = [CRASH_POINTS.afterPut, CRASH_POINTS.beforeCommit, CRASH_POINTS.inCommit, CRASH_POINTS.afterCommit];

describe('kill -9 at each step of a transaction\'s COMMIT', () => {
  let dir: string;
  let template: string;
  let server: FirnProcess | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-crash-txn-'));
    template = path.join(dir, 'template');
    server = await startFirnProcess({ home: template, env: QUIET });
    await postStatement(server.url, 'CREATE TABLE t (id INTEGER); CREATE TABLE u (id INTEGER)');
    await postStatement(server.url, `INSERT INTO t VALUES ${OLD.t.slice(0, 10).map((id) => `(${id})`).join(', ')}`);
    await postStatement(server.url, `INSERT INTO t VALUES ${OLD.t.slice(10).map((id) => `(${id})`).join(', ')}`);
    await postStatement(server.url, 'INSERT INTO u VALUES (1)');
    await server.stop();
    server = null;
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function catalogKeys(home: string): { live: string[]; pending: number; versions: number } {
    const db = openSqliteDatabase(path.join(home, 'catalog.sqlite'), { readonly: true });
    try {
      return {
        live: (db.prepare('SELECT object_key AS k FROM partitions WHERE removed_version IS NULL').all() as { k: string }[]).map((r) => r.k).sort(),
        pending: (db.prepare('SELECT count(*) AS n FROM pending_objects').get() as { n: number }).n,
        versions: (db.prepare('SELECT count(*) AS n FROM table_versions').get() as { n: number }).n,
      };
    } finally {
      db.close();
    }
  }

  const storeKeys = async (home: string) => (await openObjectStore(`file://${path.join(home, 'data')}`).list('')).map((o) => o.key).sort();
  const ids = async (url: string, table: string) => (await postStatement(url, `SELECT id FROM ${table} ORDER BY id`)).data.map((r) => Number(r[0]));

  it.each(POINTS)('killed at %s leaves both tables old or both new, and no orphan after GC', async (point) => {
    const home = path.join(dir, point);
    cpSync(template, home, { recursive: true });
    const before = catalogKeys(home);
    const committed = point === CRASH_POINTS.afterCommit;

    server = await startFirnProcess({ home, env: { ...QUIET, FIRN_TEST_CRASH_AT: point } });
    const child = server.child;
    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await expect(postStatement(server.url, TRANSACTION)).rejects.toThrow();
    expect(await exited).toBe('SIGKILL');
    server = null;
    // One commit for the whole transaction: two new versions (t and u) or none.
    expect(catalogKeys(home).versions).toBe(before.versions + (committed ? 2 : 0));

    server = await startFirnProcess({ home, env: { ...QUIET, FIRN_DATA_RETENTION_DAYS: '0' } });
    const expected = committed ? NEW : OLD;
    expect(await ids(server.url, 't')).toEqual([...expected.t].sort((a, b) => a - b));
    expect(await ids(server.url, 'u')).toEqual(expected.u);
    expect(catalogKeys(home).pending).toBe(0);
    await postStatement(server.url, 'SELECT SYSTEM$COLLECT_GARBAGE()');
    expect(await storeKeys(home)).toEqual(catalogKeys(home).live);
    await server.stop();
    server = null;
    rmSync(home, { recursive: true, force: true });
  }, 60_000);
});

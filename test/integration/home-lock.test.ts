/**
 * One Firn process per FIRN_HOME, on real server processes. Startup recovery deletes every
 * pending object, which is only right when no other process is writing: a second server
 * started on a home in use must refuse to start (HOME_IN_USE) and leave the running server's
 * in-flight objects alone; once the first process is gone (even by kill -9) the home can be
 * opened again and recovery reclaims what it left.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteDatabase } from '../../services/catalog/open-sqlite-database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';

const INFLIGHT = 't999/00000000-0000-4000-8000-000000000000/w-00000.parquet';

describe('FIRN_HOME is held by one process', () => {
  let dir: string;
  const servers: FirnProcess[] = [];
  const home = () => path.join(dir, 'home');
  const store = () => openObjectStore(`file://${path.join(home(), 'data')}`);

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-home-lock-'));
  });

  afterAll(async () => {
    for (const s of servers) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function pendingKeys(): string[] {
    const db = openSqliteDatabase(path.join(home(), 'catalog.sqlite'));
    try {
      return (db.prepare('SELECT object_key AS k FROM pending_objects ORDER BY k').all() as { k: string }[]).map((r) => r.k);
    } finally {
      db.close();
    }
  }

  it('refuses a second server on a home in use, which keeps the first one\'s in-flight objects', async () => {
    const first = await startFirnProcess({ home: home() });
    servers.push(first);
    await postStatement(first.url, 'CREATE TABLE t (x INTEGER)');
    await postStatement(first.url, 'INSERT INTO t VALUES (1), (2)');
    // What the first server's running write looks like: a key recorded as pending, its object written.
    const db = openSqliteDatabase(path.join(home(), 'catalog.sqlite'));
    db.prepare('INSERT INTO pending_objects (object_key, query_id, created_at) VALUES (?, ?, ?)').run(INFLIGHT, 'q-inflight', Date.now());
    db.close();
    await store().put(INFLIGHT, new Uint8Array([1, 2, 3]));

    const refused = await startFirnProcess({ home: home() }).then(
      (s) => {
        servers.push(s);
        return null;
      },
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    expect(refused).toMatch(/Firn failed to start: FIRN_HOME .* is in use by another Firn process/);
    expect(await store().head(INFLIGHT)).not.toBeNull();
    expect(pendingKeys()).toEqual([INFLIGHT]);
    expect((await postStatement(first.url, 'SELECT x FROM t ORDER BY x')).data).toEqual([['1'], ['2']]);

    // kill -9 leaves no stale lock: the next server opens the home and reclaims the dead write.
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    servers.splice(servers.indexOf(first), 1);
    const next = await startFirnProcess({ home: home() });
    servers.push(next);
    expect(await store().head(INFLIGHT)).toBeNull();
    expect(pendingKeys()).toEqual([]);
    expect((await postStatement(next.url, 'SELECT x FROM t ORDER BY x')).data).toEqual([['1'], ['2']]);
  }, 60_000);
});

/**
 * Zero-copy clones over the real server (from dist/): CREATE TABLE | SCHEMA | DATABASE ...
 * CLONE of a table with many micro-partitions writes nothing to the object store (the data
 * directory lists the same files, sizes and times before and after). The clone gets the
 * catalog's clone convention, version 0 (created) and version 1 (its partition rows, sharing
 * the source's object keys), in one transaction; the source gets no new version.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { openSqliteDatabase } from '../../services/catalog/open-sqlite-database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';

const PARTITIONS = 60;

/** Every file under `dir` with its size and modification time. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const s = statSync(p);
        out.push(`${path.relative(dir, p)} ${s.size} ${s.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out.sort();
}

type CatalogCounts = { versions: number; partitions: number; tables: number };

describe('zero-copy CLONE', () => {
  let dir: string;
  let server: FirnProcess;
  const home = () => path.join(dir, 'home');
  const data = () => path.join(home(), 'data');

  function catalog<T>(f: (db: Database) => T): T {
    const db = openSqliteDatabase(path.join(home(), 'catalog.sqlite'), { readonly: true });
    try {
      return f(db);
    } finally {
      db.close();
    }
  }

  const counts = (): CatalogCounts =>
    catalog((db) => ({
      versions: (db.prepare('SELECT COUNT(*) AS n FROM table_versions').get() as { n: number }).n,
      partitions: (db.prepare('SELECT COUNT(*) AS n FROM partitions').get() as { n: number }).n,
      tables: (db.prepare('SELECT COUNT(*) AS n FROM tables').get() as { n: number }).n,
    }));

  const tableId = (name: string): number =>
    catalog((db) => (db.prepare('SELECT id FROM tables WHERE name = ? AND dropped_at IS NULL').get(name) as { id: number }).id);

  const keys = (id: number): string[] =>
    catalog((db) => (db.prepare('SELECT object_key FROM partitions WHERE table_id = ? AND removed_version IS NULL ORDER BY object_key').all(id) as { object_key: string }[]).map((r) => r.object_key));

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-clone-'));
    server = await startFirnProcess({ home: home(), env: { FIRN_PARTITION_ROWS: '10' } });
    await postStatement(server.url, 'CREATE TABLE src (id INTEGER, v VARCHAR) CLUSTER BY (id)');
    const rows = Array.from({ length: PARTITIONS * 10 }, (_, i) => `(${i}, 'v${i % 13}')`);
    await postStatement(server.url, `INSERT INTO src SELECT * FROM VALUES ${rows.join(', ')}`);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`clones a ${PARTITIONS}-partition table without writing to the store, as one version`, async () => {
    const src = tableId('SRC');
    expect(keys(src)).toHaveLength(PARTITIONS);
    const files = listing(data());
    expect(files.length).toBeGreaterThanOrEqual(PARTITIONS);
    const before = counts();
    const body = await postStatement(server.url, 'CREATE TABLE dst CLONE src');
    expect(body.data).toEqual([['Table DST successfully created.']]);
    expect(listing(data())).toEqual(files);
    const after = counts();
    // One new table, sharing every object key of the source through its own partition rows.
    expect(after.tables).toBe(before.tables + 1);
    expect(after.partitions).toBe(before.partitions + PARTITIONS);
    const dst = tableId('DST');
    expect(keys(dst)).toEqual(keys(src));
    // The clone's versions: 0 (created) and 1 (the clone's partitions), made in one catalog
    // transaction; the source has no new version.
    expect(after.versions).toBe(before.versions + 2);
    const versions = await postStatement(server.url, 'SHOW VERSIONS IN TABLE dst');
    expect(versions.data.map((r) => [r[0], r[2], r[4], r[5], r[6], r[7]])).toEqual([
      ['0', body.statementHandle, '0', '0', '0', '0'],
      ['1', body.statementHandle, String(PARTITIONS * 10), '0', String(PARTITIONS), '0'],
    ]);
    const srcVersions = await postStatement(server.url, 'SHOW VERSIONS IN TABLE src');
    expect(srcVersions.data.map((r) => r[0])).toEqual(['0', '1']);
    const read = await postStatement(server.url, 'SELECT COUNT(*), SUM(id), COUNT(DISTINCT v) FROM dst');
    expect(read.data).toEqual([[String(PARTITIONS * 10), String((PARTITIONS * 10 * (PARTITIONS * 10 - 1)) / 2), '13']]);
    expect(read.stats?.partitionsTotal).toBe(PARTITIONS);
  });

  it('clones a schema and a database without writing to the store', async () => {
    const files = listing(data());
    await postStatement(server.url, 'CREATE SCHEMA firn.copy CLONE firn.public');
    await postStatement(server.url, 'CREATE DATABASE firn2 CLONE firn');
    expect(listing(data())).toEqual(files);
    const read = await postStatement(server.url, 'SELECT (SELECT COUNT(*) FROM firn.copy.src), (SELECT COUNT(*) FROM firn2.copy.dst), (SELECT COUNT(*) FROM firn2.public.src)');
    expect(read.data).toEqual([[String(PARTITIONS * 10), String(PARTITIONS * 10), String(PARTITIONS * 10)]]);
  });

  it('writes only the rewritten partitions when the clone then diverges', async () => {
    const files = listing(data());
    await postStatement(server.url, 'DELETE FROM dst WHERE id = 5');
    const added = listing(data()).filter((f) => !files.includes(f));
    expect(added).toHaveLength(1);
    expect(listing(data()).filter((f) => files.includes(f))).toEqual(files);
    const counts = await postStatement(server.url, 'SELECT (SELECT COUNT(*) FROM src), (SELECT COUNT(*) FROM dst)');
    expect(counts.data).toEqual([[String(PARTITIONS * 10), String(PARTITIONS * 10 - 1)]]);
  });

  it('records EXPIRES_AFTER as the clone\'s expiry time, none without it', async () => {
    const before = Date.now();
    await postStatement(server.url, 'CREATE TABLE branch CLONE src EXPIRES_AFTER = 3600');
    const after = Date.now();
    const expires = (name: string) => catalog((db) => (db.prepare('SELECT expires_at FROM tables WHERE name = ? AND dropped_at IS NULL').get(name) as { expires_at: number | null }).expires_at);
    expect(expires('BRANCH')).toBeGreaterThanOrEqual(before + 3_600_000 - 1000);
    expect(expires('BRANCH')).toBeLessThanOrEqual(after + 3_600_000);
    expect(expires('DST')).toBeNull();
  });
});

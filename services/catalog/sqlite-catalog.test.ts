import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConcurrencyError, FirnError, NotSupportedError, StorageError } from '../../storage/errors/firn-error.js';
import { describeCatalogConformance, type CatalogStore } from './catalog.conformance.js';
import { CATALOG_SCHEMA_VERSION, catalogMigrations, migrateCatalog } from './migrations.js';
import { openSqliteDatabase } from './open-sqlite-database.js';
import { CATALOG_FILE_NAME, SqliteCatalog } from './sqlite-catalog.js';

let triggerCount = 0;

const ZONE_A = '{"rowCount":10,"byteSize":100,"columns":{"A":{"min":"1","max":"10","nullCount":0,"exact":true}}}';
const ZONE_B = '{"rowCount":5,"byteSize":50,"columns":{"A":{"min":"11","max":"15","nullCount":0,"exact":true}}}';
const ZONE_C = '{"rowCount":7,"byteSize":70,"columns":{"A":{"min":"3","max":"9","nullCount":0,"exact":true},"B":{"min":"x","max":"y","nullCount":2,"exact":false}}}';

/**
 * Rows as the schema 2 and 3 SQL wrote them: DB.S.T made by a CTAS (versions 0 and 1, one
 * query id), then a DELETE (version 2, one partition removed, one added); a dropped DB.S.OLD;
 * a pending object; with `loads` (schema 3) the load history of the DELETE's version.
 */
function writeOldRows(raw: Database, loads: boolean): void {
  raw.exec(`
    INSERT INTO databases (id, name, created_at) VALUES (1, 'DB', 1000);
    INSERT INTO schemas (id, database_id, name, created_at) VALUES (1, 1, 'S', 1000);
    INSERT INTO tables (id, schema_id, name, cluster_by, current_version, created_at) VALUES (1, 1, 'T', '["B"]', 2, 1100);
    INSERT INTO tables (id, schema_id, name, cluster_by, current_version, created_at, dropped_at)
      VALUES (2, 1, 'OLD', '[]', 0, 1050, 1090);
    INSERT INTO columns (table_id, ordinal, name, type, nullable) VALUES
      (1, 1, 'A', '{"kind":"NUMBER","precision":38,"scale":0}', 0),
      (1, 2, 'B', '{"kind":"VARCHAR","length":8}', 1),
      (2, 1, 'X', '{"kind":"FLOAT"}', 1);
    INSERT INTO table_versions (table_id, version, committed_at, query_id, operation) VALUES
      (1, 0, 1100, 'q-ctas', 'CREATE TABLE'),
      (1, 1, 1100, 'q-ctas', 'CREATE TABLE AS SELECT'),
      (1, 2, 1200, 'q-del', 'DELETE'),
      (2, 0, 1050, 'q-old', 'CREATE TABLE');
    INSERT INTO partitions (id, table_id, object_key, row_count, byte_size, zone_map, added_version, removed_version) VALUES
      (1, 1, 'ctas/q-ctas/a.parquet', 10, 100, '${ZONE_A}', 1, 2),
      (2, 1, 'ctas/q-ctas/b.parquet', 5, 50, '${ZONE_B}', 1, NULL),
      (3, 1, 't1/q-del/c.parquet', 7, 70, '${ZONE_C}', 2, NULL);
    INSERT INTO pending_objects (object_key, query_id, created_at) VALUES ('t1/q-run/d.parquet', 'q-run', 1300);
  `);
  if (loads) {
    raw.exec(`
      INSERT INTO load_history (table_id, table_version, query_id, loaded_at, file_name, file_size, file_etag,
        file_modified_at, status, rows_parsed, rows_loaded, error_count, error_limit)
      VALUES (1, 2, 'q-del', 1200, 'file:///src/c.csv', 70, NULL, 900, 'LOADED', 7, 7, 0, 1);
    `);
  }
}

/** Every row of every table of a SQLite file, as sorted JSON lines per table. */
function dumpRows(file: string): Record<string, string[]> {
  const raw = openSqliteDatabase(file, { readonly: true });
  try {
    const names = raw
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[];
    const out: Record<string, string[]> = {};
    for (const n of names) out[n] = raw.prepare(`SELECT * FROM "${n}"`).all().map((r) => JSON.stringify(r)).sort();
    return out;
  } finally {
    raw.close();
  }
}

function sqliteStore(): CatalogStore {
  const home = mkdtempSync(path.join(tmpdir(), 'firn-catalog-'));
  const file = path.join(home, CATALOG_FILE_NAME);
  return {
    open: () => new SqliteCatalog(home),
    pendingObjects: () => {
      const k = new SqliteCatalog(home);
      try {
        return k.listPendingObjects().map(({ queryId, objectKey }) => ({ queryId, objectKey }));
      } finally {
        k.close();
      }
    },
    failPartitionInsert: (objectKey) => {
      const raw = openSqliteDatabase(file);
      try {
        raw.exec(`CREATE TRIGGER fail_partition_insert_${++triggerCount} BEFORE INSERT ON partitions
          WHEN NEW.object_key = '${objectKey.replaceAll("'", "''")}'
          BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
      } finally {
        raw.close();
      }
    },
    partitionKeyCounts: () => {
      const raw = openSqliteDatabase(file, { readonly: true });
      try {
        return raw.prepare('SELECT count(*) AS rows, count(DISTINCT object_key) AS distinctKeys FROM partitions').get() as {
          rows: number;
          distinctKeys: number;
        };
      } finally {
        raw.close();
      }
    },
    setHistoryFloor: (tableId, floorMs) => {
      const raw = openSqliteDatabase(file);
      try {
        raw.prepare('UPDATE tables SET history_floor = ? WHERE id = ?').run(floorMs, tableId);
      } finally {
        raw.close();
      }
    },
    destroy: () => rmSync(home, { recursive: true, force: true }),
  };
}

describeCatalogConformance('SqliteCatalog', sqliteStore);

describe('SqliteCatalog', () => {
  let dir: string;
  const toClose: { close(): unknown }[] = [];
  const track = <T extends { close(): unknown }>(x: T): T => {
    toClose.push(x);
    return x;
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'firn-catalog-'));
  });
  afterEach(() => {
    while (toClose.length > 0) toClose.pop()!.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('location', () => {
    it('keeps its data in ${home}/catalog.sqlite, creating the home directory', () => {
      const home = path.join(dir, 'a', 'home');
      expect(SqliteCatalog.filePath(home)).toBe(path.join(home, 'catalog.sqlite'));
      const k = track(new SqliteCatalog(home));
      expect(k.file).toBe(path.join(home, 'catalog.sqlite'));
      k.createDatabase('DB');
      expect(existsSync(path.join(home, 'catalog.sqlite'))).toBe(true);
      expect(SqliteCatalog.filePath(home)).toBe(path.join(home, 'catalog.sqlite'));
    });

    it('accepts an explicit file path', () => {
      const file = path.join(dir, 'nested', 'meta.db');
      const k = track(new SqliteCatalog(file));
      expect(k.file).toBe(file);
      k.createWarehouse('WH', 'XSMALL');
      k.close();
      expect(existsSync(file)).toBe(true);
      expect(track(new SqliteCatalog(file)).getWarehouse('WH')?.size).toBe('XSMALL');
    });

    it('runs in memory, one private catalog per instance', () => {
      const a = track(new SqliteCatalog(':memory:'));
      const b = track(new SqliteCatalog(':memory:'));
      a.createDatabase('DB');
      expect(a.getDatabase('DB')?.name).toBe('DB');
      expect(b.getDatabase('DB')).toBeNull();
      expect(a.connectionSettings().foreignKeys).toBe(true);
    });

    it('refuses a file that is not a catalog as a storage error, and stays closed', () => {
      const file = path.join(dir, 'garbage.sqlite');
      writeFileSync(file, 'this is not a database, just some text that is long enough '.repeat(20));
      let thrown: unknown;
      try {
        track(new SqliteCatalog(file));
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(StorageError);
      expect((thrown as StorageError).codeName).toBe('STORAGE_IO');
    });
  });

  it('opens the connection with WAL, synchronous=FULL, foreign keys and a busy timeout', () => {
    const k = track(new SqliteCatalog(dir));
    expect(k.connectionSettings()).toEqual({
      file: path.join(dir, 'catalog.sqlite'),
      journalMode: 'wal',
      synchronous: 2,
      foreignKeys: true,
      busyTimeoutMs: 5000,
    });
    const quick = track(new SqliteCatalog(dir, { busyTimeoutMs: 250 }));
    expect(quick.connectionSettings().busyTimeoutMs).toBe(250);
  });

  it('reports a write lock held past the busy timeout as a concurrent modification, changing nothing', () => {
    const k = track(new SqliteCatalog(dir, { busyTimeoutMs: 20 }));
    k.createDatabase('DB');
    const raw = track(openSqliteDatabase(path.join(dir, CATALOG_FILE_NAME)));
    raw.exec('BEGIN IMMEDIATE');
    let thrown: unknown;
    try {
      k.createDatabase('LOCKED');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConcurrencyError);
    expect((thrown as ConcurrencyError).codeName).toBe('CONCURRENT_MODIFICATION');
    // Readers are never blocked by a writer.
    expect(k.listDatabases().map((d) => d.name)).toEqual(['DB']);
    raw.exec('COMMIT');
    k.createDatabase('LOCKED');
    expect(k.listDatabases().map((d) => d.name)).toEqual(['DB', 'LOCKED']);
  });

  it('turns any other failure into a FirnError', () => {
    const k = new SqliteCatalog(':memory:');
    k.close();
    k.close();
    expect(() => k.listDatabases()).toThrow(FirnError);
  });

  describe('schema', () => {
    it('records applied migrations in schema_version once', () => {
      new SqliteCatalog(dir).close();
      new SqliteCatalog(dir).close();
      const raw = track(openSqliteDatabase(path.join(dir, CATALOG_FILE_NAME)));
      expect(raw.prepare('SELECT version FROM schema_version ORDER BY version').pluck().all()).toEqual(
        catalogMigrations.map((m) => m.version),
      );
      expect(CATALOG_SCHEMA_VERSION).toBe(catalogMigrations.length);
    });

    it('refuses a catalog written by a newer Firn', () => {
      new SqliteCatalog(dir).close();
      const raw = openSqliteDatabase(path.join(dir, CATALOG_FILE_NAME));
      raw.prepare('INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)').run(
        CATALOG_SCHEMA_VERSION + 1,
        'from the future',
        Date.now(),
      );
      raw.close();
      expect(() => track(new SqliteCatalog(dir))).toThrow(NotSupportedError);
    });

    it('applies only the migrations newer than the file, in order', () => {
      const raw = track(openSqliteDatabase(':memory:'));
      const one = { version: 1, description: 'a', sql: 'CREATE TABLE a (x INTEGER)' };
      const two = { version: 2, description: 'b', sql: 'ALTER TABLE a ADD COLUMN y INTEGER' };
      expect(migrateCatalog(raw, [one])).toBe(1);
      raw.prepare('INSERT INTO a (x) VALUES (1)').run();
      expect(migrateCatalog(raw, [one, two])).toBe(2);
      expect(migrateCatalog(raw, [one, two])).toBe(2);
      expect(raw.prepare('SELECT x, y FROM a').all()).toEqual([{ x: 1, y: null }]);
      expect(() => migrateCatalog(raw, [two])).toThrow(FirnError);
      expect(raw.prepare('SELECT count(*) FROM schema_version').pluck().get()).toBe(2);
    });

    it('gives the warehouses of a version 1 catalog ids in creation order when upgrading', () => {
      const file = path.join(dir, CATALOG_FILE_NAME);
      const raw = openSqliteDatabase(file);
      migrateCatalog(raw, catalogMigrations.slice(0, 1));
      const insert = raw.prepare('INSERT INTO warehouses (name, size, state, created_at) VALUES (?, ?, ?, ?)');
      insert.run('../../escaped', 'SMALL', 'STARTED', 2000);
      insert.run('COMPUTE_WH', 'XSMALL', 'SUSPENDED', 1000);
      raw.close();
      const k = track(new SqliteCatalog(dir));
      expect(k.listWarehouses()).toEqual([
        { id: 2, name: '../../escaped', size: 'SMALL', state: 'STARTED', createdAt: new Date(2000), properties: null, updatedAt: new Date(2000) },
        { id: 1, name: 'COMPUTE_WH', size: 'XSMALL', state: 'SUSPENDED', createdAt: new Date(1000), properties: null, updatedAt: new Date(1000) },
      ]);
      expect(k.createWarehouse('NEW', 'XSMALL').id).toBe(3);
    });

    it('upgrades a catalog written before the load history (schema 2) in place, keeping its tables', () => {
      const file = path.join(dir, CATALOG_FILE_NAME);
      // A table written by the schema 2 SQL (no load history).
      const old = openSqliteDatabase(file);
      migrateCatalog(old, catalogMigrations.slice(0, 2));
      writeOldRows(old, false);
      old.close();
      const k = track(new SqliteCatalog(dir));
      const t = k.getTable('DB', 'S', 'T')!;
      const f = { fileName: 'file:///a.csv', fileSize: 3, fileEtag: null, fileModifiedAt: new Date(5) };
      k.commitTable(t.id, {
        baseVersion: t.currentVersion, queryId: 'q1', operation: 'COPY', added: [], removedIds: [],
        loads: { files: [{ ...f, status: 'LOADED', rowsParsed: 1, rowsLoaded: 1, errorCount: 0, errorLimit: 1, firstErrorMessage: null, firstErrorLineNumber: null, firstErrorCharacterPosition: null, firstErrorColumnName: null }], force: false },
      });
      expect(k.loadedFiles(t.id, [f])).toEqual([f]);
      expect(k.getTable('DB', 'S', 'T')!.currentVersion).toBe(3);
    });

    it('upgrades a schema 3 catalog to versioned columns and statement ids, reading everything back as before', () => {
      const file = path.join(dir, CATALOG_FILE_NAME);
      const old = openSqliteDatabase(file);
      migrateCatalog(old, catalogMigrations.slice(0, 3));
      writeOldRows(old, true);
      old.close();
      const k = track(new SqliteCatalog(dir));
      const num = { kind: 'NUMBER', precision: 38, scale: 0 } as const;
      const t = {
        id: 1,
        schemaId: 1,
        database: 'DB',
        schema: 'S',
        name: 'T',
        columns: [
          { id: 1, name: 'A', physicalName: 'A', type: num, nullable: false, default: null },
          { id: 2, name: 'B', physicalName: 'B', type: { kind: 'VARCHAR', length: 8 }, nullable: true, default: null },
        ],
        clusterBy: ['B'],
        currentVersion: 2,
        createdAt: new Date(1100),
      };
      expect(k.getTable('DB', 'S', 'T')).toEqual(t);
      expect(k.listTables('DB', 'S')).toEqual([t]);
      expect(k.tableVersions(1)).toEqual([
        { version: 0, committedAt: new Date(1100), queryId: 'q-ctas', operation: 'CREATE TABLE' },
        { version: 1, committedAt: new Date(1100), queryId: 'q-ctas', operation: 'CREATE TABLE AS SELECT' },
        { version: 2, committedAt: new Date(1200), queryId: 'q-del', operation: 'DELETE' },
      ]);
      const partition = (id: number, objectKey: string, rowCount: number, zone: string, added: number, removed: number | null) => ({
        // Rows written before schema 5 have no ETag: they are validated by size alone.
        id, tableId: 1, objectKey, rowCount, byteSize: rowCount * 10, etag: null, zoneMap: JSON.parse(zone), addedVersion: added, removedVersion: removed,
      });
      expect(k.livePartitions(1, 0)).toEqual([]);
      expect(k.livePartitions(1, 1)).toEqual([
        partition(1, 'ctas/q-ctas/a.parquet', 10, ZONE_A, 1, 2),
        partition(2, 'ctas/q-ctas/b.parquet', 5, ZONE_B, 1, null),
      ]);
      expect(k.livePartitions(1)).toEqual([
        partition(2, 'ctas/q-ctas/b.parquet', 5, ZONE_B, 1, null),
        partition(3, 't1/q-del/c.parquet', 7, ZONE_C, 2, null),
      ]);
      expect(k.livePartitions(2)).toEqual([]);
      expect(k.tableVersions(2).map((v) => v.queryId)).toEqual(['q-old']);
      expect(k.loadHistory('DB').map((r) => [r.fileName, r.tableVersion, r.queryId, r.rowsLoaded])).toEqual([
        ['file:///src/c.csv', 2, 'q-del', 7],
      ]);
      expect(k.listPendingObjects()).toEqual([{ objectKey: 't1/q-run/d.parquet', queryId: 'q-run', createdAt: new Date(1300) }]);
      k.close();

      const raw = openSqliteDatabase(file, { readonly: true });
      try {
        // The CTAS's id resolves to its last version; the old, unversioned columns table is gone.
        expect(raw.prepare('SELECT table_id, version, query_id FROM version_statements ORDER BY table_id, version').all()).toEqual([
          { table_id: 1, version: 1, query_id: 'q-ctas' },
          { table_id: 1, version: 2, query_id: 'q-del' },
          { table_id: 2, version: 0, query_id: 'q-old' },
        ]);
        expect(raw.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'columns'").pluck().get()).toBe(0);
        expect(raw.prepare('SELECT retention_days, expires_at, history_floor, cloned_from FROM tables WHERE id = 1').get()).toEqual({
          retention_days: null, expires_at: null, history_floor: 0, cloned_from: null,
        });
      } finally {
        raw.close();
      }

      // A second open changes nothing.
      const before = dumpRows(file);
      expect(before.schema_version.length).toBe(CATALOG_SCHEMA_VERSION);
      new SqliteCatalog(dir).close();
      expect(dumpRows(file)).toEqual(before);
    });

    it('indexes partitions by (table_id, added_version, removed_version) and uses it for live sets', () => {
      new SqliteCatalog(dir).close();
      const raw = track(openSqliteDatabase(path.join(dir, CATALOG_FILE_NAME)));
      const cols = raw.prepare("SELECT name FROM pragma_index_info('partitions_live') ORDER BY seqno").pluck().all();
      expect(cols).toEqual(['table_id', 'added_version', 'removed_version']);
      const plan = raw
        .prepare(
          `EXPLAIN QUERY PLAN SELECT id FROM partitions
           WHERE table_id = 1 AND added_version <= 3 AND (removed_version IS NULL OR removed_version > 3)`,
        )
        .all() as { detail: string }[];
      expect(plan.map((p) => p.detail).join('\n')).toContain('partitions_live');
    });

    it('keeps a dropped table and its recreated namesake as separate rows', () => {
      const k = track(new SqliteCatalog(dir));
      k.createDatabase('DB');
      k.createSchema('DB', 'S');
      const col = { name: 'A', type: { kind: 'FLOAT' as const }, nullable: true };
      const first = k.createTable('DB', 'S', 'T', [col], { queryId: 'q1' });
      k.dropTable('DB', 'S', 'T');
      const second = k.createTable('DB', 'S', 'T', [col], { queryId: 'q2' });
      const raw = track(openSqliteDatabase(path.join(dir, CATALOG_FILE_NAME)));
      const rows = raw.prepare("SELECT id, dropped_at IS NOT NULL AS dropped FROM tables WHERE name = 'T' ORDER BY id").all();
      expect(rows).toEqual([
        { id: first.id, dropped: 1 },
        { id: second.id, dropped: 0 },
      ]);
    });
  });

  it('refuses column names holding U+001F, which names shredded VARIANT sub-columns in partitions', () => {
    const k = track(new SqliteCatalog(dir));
    k.createDatabase('DB', { schema: 'S' });
    const bad = { name: 'V\u001f["a"]', type: { kind: 'VARCHAR' as const }, nullable: true };
    expect(() => k.createTable('DB', 'S', 'T', [bad], { queryId: 'q0' })).toThrow(/U\+001F/);
    const t = k.createTable('DB', 'S', 'T', [{ name: 'A', type: { kind: 'FLOAT' }, nullable: true }], { queryId: 'q1' });
    expect(() => k.alterTable(t.id, { kind: 'add_column', column: bad }, 'q2')).toThrow(/U\+001F/);
  });

  it('records where a clone came from and when it expires', () => {
    const k = track(new SqliteCatalog(dir));
    k.createDatabase('DB', { schema: 'S' });
    const t = k.createTable('DB', 'S', 'T', [{ name: 'A', type: { kind: 'FLOAT' }, nullable: true }], { queryId: 'q0' });
    const u = k.cloneTable({ tableId: t.id, version: 0 }, { database: 'DB', schema: 'S', name: 'U' }, { queryId: 'q1', expiresAt: new Date(5_000) });
    const raw = track(openSqliteDatabase(path.join(dir, CATALOG_FILE_NAME), { readonly: true }));
    expect(raw.prepare('SELECT expires_at, cloned_from, retention_days FROM tables WHERE id = ?').get(u.id)).toEqual({
      expires_at: 5_000,
      cloned_from: JSON.stringify({ tableId: t.id, version: 0 }),
      retention_days: null,
    });
  });

  describe('live partitions of the current version', () => {
    const zone = (lo: number) => ({ rowCount: 1, byteSize: 10, columns: { A: { min: lo, max: lo, nullCount: 0, exact: true } } });
    const part = (objectKey: string, lo: number) => ({ objectKey, rowCount: 1, byteSize: 10, zoneMap: zone(lo) });
    const setup = (k: SqliteCatalog) => {
      k.createDatabase('DB', { schema: 'S' });
      const t = k.createTable('DB', 'S', 'T', [{ name: 'A', type: { kind: 'FLOAT' }, nullable: true }], { queryId: 'q0' });
      k.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [part('a', 1)], removedIds: [] });
      return t;
    };

    it('answers the same parsed partitions while their version is current, and reads anew once a commit made another current', () => {
      const k = track(new SqliteCatalog(':memory:'));
      const t = setup(k);
      const first = k.livePartitions(t.id);
      expect(k.livePartitions(t.id)).toBe(first);
      expect(k.livePartitions(t.id, 1)).toBe(first);
      k.commitTable(t.id, { baseVersion: 1, queryId: 'q2', operation: 'DELETE', added: [part('b', 2)], removedIds: [first[0].id] });
      expect(k.livePartitions(t.id).map((p) => p.objectKey)).toEqual(['b']);
      // The old version, no longer current, shows its partition's whole lifetime.
      expect(k.livePartitions(t.id, 1).map((p) => [p.objectKey, p.removedVersion])).toEqual([['a', 2]]);
      // A renamed column is a new version: its zones come re-keyed.
      k.alterTable(t.id, { kind: 'rename_column', from: 'A', to: 'B' }, 'q3');
      expect(k.livePartitions(t.id).map((p) => Object.keys(p.zoneMap.columns))).toEqual([['B']]);
    });

    it('sees another connection\'s commit at once', () => {
      const k = track(new SqliteCatalog(dir));
      const t = setup(k);
      expect(k.livePartitions(t.id).map((p) => p.objectKey)).toEqual(['a']);
      const other = track(new SqliteCatalog(dir));
      other.commitTable(t.id, { baseVersion: 1, queryId: 'q2', operation: 'INSERT', added: [part('b', 2)], removedIds: [] });
      expect(k.livePartitions(t.id).map((p) => p.objectKey)).toEqual(['a', 'b']);
    });

    it('keeps nothing read inside a transaction that rolls back', () => {
      const k = track(new SqliteCatalog(':memory:'));
      const t = setup(k);
      const db = (k as unknown as { db: Database }).db;
      // A version committed and read inside a transaction that then rolls back never existed.
      expect(() =>
        db.transaction(() => {
          k.commitTable(t.id, { baseVersion: 1, queryId: 'q2', operation: 'INSERT', added: [part('gone', 9)], removedIds: [] });
          expect(k.livePartitions(t.id).map((p) => p.objectKey)).toEqual(['a', 'gone']);
          throw new Error('roll back');
        })(),
      ).toThrow('roll back');
      k.commitTable(t.id, { baseVersion: 1, queryId: 'q3', operation: 'INSERT', added: [part('c', 3)], removedIds: [] });
      expect(k.livePartitions(t.id).map((p) => p.objectKey)).toEqual(['a', 'c']);
    });
  });

  it('lists pending objects with their registration time', () => {
    const k = track(new SqliteCatalog(':memory:'));
    const before = Date.now();
    k.registerPendingObjects('q1', ['a', 'b']);
    const pending = k.listPendingObjects();
    expect(pending.map((p) => [p.queryId, p.objectKey])).toEqual([
      ['q1', 'a'],
      ['q1', 'b'],
    ]);
    expect(pending[0].createdAt).toBeInstanceOf(Date);
    expect(pending[0].createdAt.getTime()).toBeGreaterThanOrEqual(before);
  });
});

describe('SqliteCatalog: clones of now within one millisecond', () => {
  afterEach(() => vi.useRealTimers());

  it('clone a schema and a database at their current versions, though a commit in the same millisecond is stamped a millisecond later', () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1), toFake: ['Date'] });
    const k = new SqliteCatalog(':memory:');
    k.createDatabase('DB', { schema: 'S' });
    const t = k.createTable('DB', 'S', 'T', [{ name: 'A', type: { kind: 'NUMBER', precision: 38, scale: 0 }, nullable: true }], { queryId: 'q0' });
    const z = { rowCount: 1, byteSize: 10, columns: {} };
    k.commitTable(t.id, { baseVersion: 0, queryId: 'q1', operation: 'INSERT', added: [{ objectKey: 'A', rowCount: 1, byteSize: 10, zoneMap: z }], removedIds: [] });
    k.commitTable(t.id, { baseVersion: 1, queryId: 'q2', operation: 'INSERT', added: [{ objectKey: 'B', rowCount: 1, byteSize: 10, zoneMap: z }], removedIds: [] });
    const keys = (db: string, schema: string) => k.livePartitions(k.getTable(db, schema, 'T')!.id).map((p) => p.objectKey).sort();
    k.cloneSchema({ database: 'DB', schema: 'S' }, { database: 'DB', name: 'S2' }, { queryId: 'q3' });
    k.cloneDatabase({ database: 'DB' }, 'DB2', { queryId: 'q4' });
    expect([keys('DB', 'S2'), keys('DB2', 'S')]).toEqual([['A', 'B'], ['A', 'B']]);
    k.close();
  });
});

/**
 * ALTER over the real server, checked against what it leaves in the catalog file (read-only)
 * and the store: schema changes write no data (a rename keeps every object and the Parquet
 * field names), a column added later reads its default in older partitions and prunes them by
 * their synthesized zones, a column re-added after DROP is written under a fresh physical name
 * (by INSERT, UPDATE and COPY, clustered or not),
 * CLUSTER BY shows in SHOW TABLES, and DATA_RETENTION_TIME_IN_DAYS set / unset on databases,
 * schemas and tables lands in the catalog (inherited through retentionDaysOf).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteDatabase } from '../../services/catalog/open-sqlite-database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readParquetFile } from '../../storage/partition/partition-reader.js';
import { SqliteCatalog } from '../../services/catalog/sqlite-catalog.js';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';

describe('ALTER TABLE, DATABASE and SCHEMA over the server', () => {
  let dir: string;
  let server: FirnProcess;
  const home = () => path.join(dir, 'home');
  const sql = (text: string) => postStatement(server.url, text);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-alter-'));
    server = await startFirnProcess({ home: home(), env: { FIRN_LOAD_ROOTS: dir, FIRN_PARTITION_ROWS: '5' } });
    await sql('CREATE TABLE m (id INTEGER, name VARCHAR)');
    // Three partitions of five rows, written before any ALTER.
    await sql(`INSERT INTO m SELECT * FROM VALUES ${Array.from({ length: 15 }, (_, i) => `(${i}, 'n${i}')`).join(', ')}`);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function query<T>(text: string, ...args: unknown[]): T[] {
    const db = openSqliteDatabase(path.join(home(), 'catalog.sqlite'), { readonly: true });
    try {
      return db.prepare(text).all(...args) as T[];
    } finally {
      db.close();
    }
  }

  const liveKeys = () =>
    query<{ k: string }>("SELECT p.object_key AS k FROM partitions p JOIN tables t ON t.id = p.table_id WHERE t.name = 'M' AND t.dropped_at IS NULL AND p.removed_version IS NULL ORDER BY p.id").map((r) => r.k);
  const fields = (key: string) => readParquetFile(readFileSync(path.join(home(), 'data', key))).columns.map((c) => c.name);

  it('renames and adds columns without writing data; old partitions read the default and are pruned by it', async () => {
    const before = liveKeys();
    expect(before).toHaveLength(3);
    await sql('ALTER TABLE m RENAME COLUMN name TO label');
    await sql('ALTER TABLE m ADD COLUMN qty INTEGER DEFAULT 7');
    expect(liveKeys()).toEqual(before);
    expect(fields(before[0])).toEqual(['ID', 'NAME']);

    await sql("INSERT INTO m VALUES (100, 'x', 70), (101, 'y', 71)");
    const after = liveKeys();
    expect(after).toHaveLength(4);
    expect(fields(after[3])).toEqual(['ID', 'NAME', 'QTY']);

    const big = await sql('SELECT id, label, qty FROM m WHERE qty > 7 ORDER BY id');
    expect(big.data).toEqual([['100', 'x', '70'], ['101', 'y', '71']]);
    expect(big.stats).toMatchObject({ partitionsScanned: 1, partitionsTotal: 4 });
    const old = await sql('SELECT count(*), min(label), max(label) FROM m WHERE qty = 7');
    expect(old.data).toEqual([['15', 'n0', 'n9']]);
    expect(old.stats).toMatchObject({ partitionsScanned: 3, partitionsTotal: 4 });
  });

  it('writes a column re-added after DROP under a fresh physical name, and never reads the dropped data', async () => {
    await sql('ALTER TABLE m DROP COLUMN qty');
    await sql('ALTER TABLE m ADD COLUMN qty VARCHAR');
    const columns = query<{ name: string; physical_name: string; removed_version: number | null }>(
      "SELECT c.name, c.physical_name, c.removed_version FROM table_columns c JOIN tables t ON t.id = c.table_id WHERE t.name = 'M' AND c.removed_version IS NULL ORDER BY c.ordinal",
    );
    expect(columns.map((c) => [c.name, c.physical_name])).toEqual([['ID', 'ID'], ['LABEL', 'NAME'], ['QTY', 'QTY#4']]);
    const rows = await sql('SELECT count(*), count(qty) FROM m');
    expect(rows.data).toEqual([['17', '0']]);
    await sql("UPDATE m SET qty = 'q' WHERE id = 100");
    const keys = liveKeys();
    expect(fields(keys[keys.length - 1])).toEqual(['ID', 'NAME', 'QTY#4']);
    expect((await sql('SELECT id, label, qty FROM m WHERE qty IS NOT NULL')).data).toEqual([['100', 'x', 'q']]);
    const described = await sql('DESCRIBE TABLE m');
    expect(described.data!.map((r) => [r[0], r[1], r[4]])).toEqual([['ID', 'NUMBER(38,0)', null], ['LABEL', 'VARCHAR(16777216)', null], ['QTY', 'VARCHAR(16777216)', null]]);
  });

  it('COPY writes physical names, unclustered and clustered', async () => {
    writeFileSync(path.join(dir, 'a.csv'), '200,c1,cq\n201,c2,\n');
    await sql(`COPY INTO m FROM 'file://${dir}/a.csv'`);
    let keys = liveKeys();
    expect(fields(keys[keys.length - 1])).toEqual(['ID', 'NAME', 'QTY#4']);
    await sql('ALTER TABLE m CLUSTER BY (label, id)');
    const shown = await sql("SHOW TABLES LIKE 'M'");
    const at = shown.resultSetMetaData.rowType.findIndex((c) => c.name === 'cluster_by');
    expect(shown.data!.map((r) => r[at])).toEqual(['LINEAR(LABEL, ID)']);
    writeFileSync(path.join(dir, 'b.csv'), '203,c4,x\n202,c3,y\n');
    await sql(`COPY INTO m FROM 'file://${dir}/b.csv'`);
    keys = liveKeys();
    expect(fields(keys[keys.length - 1])).toEqual(['ID', 'NAME', 'QTY#4']);
    expect((await sql('SELECT id, label, qty FROM m WHERE id >= 200 ORDER BY id')).data).toEqual([
      ['200', 'c1', 'cq'],
      ['201', 'c2', null],
      ['202', 'c3', 'y'],
      ['203', 'c4', 'x'],
    ]);
    await sql('DELETE FROM m WHERE id >= 200');
  });

  it('sets and unsets DATA_RETENTION_TIME_IN_DAYS on databases, schemas and tables', async () => {
    await sql('CREATE DATABASE keep');
    await sql('CREATE SCHEMA keep.s');
    await sql('CREATE TABLE keep.s.t (a INTEGER)');
    await sql('CREATE TABLE keep.s.u (a INTEGER)');
    await sql('ALTER DATABASE keep SET DATA_RETENTION_TIME_IN_DAYS = 9');
    await sql('ALTER SCHEMA keep.s SET DATA_RETENTION_TIME_IN_DAYS = 5');
    await sql('ALTER TABLE keep.s.t SET DATA_RETENTION_TIME_IN_DAYS = 0');
    await sql('ALTER SCHEMA keep.public SET DATA_RETENTION_TIME_IN_DAYS = 2');
    await sql('ALTER SCHEMA keep.public UNSET DATA_RETENTION_TIME_IN_DAYS');
    expect(query("SELECT name, retention_days AS days FROM databases WHERE name = 'KEEP'")).toEqual([{ name: 'KEEP', days: 9 }]);
    expect(query("SELECT s.name, s.retention_days AS days FROM schemas s JOIN databases d ON d.id = s.database_id WHERE d.name = 'KEEP' ORDER BY s.name")).toEqual([
      { name: 'PUBLIC', days: null },
      { name: 'S', days: 5 },
    ]);
    expect(query("SELECT name, retention_days AS days FROM tables WHERE name IN ('T', 'U') ORDER BY name")).toEqual([
      { name: 'T', days: 0 },
      { name: 'U', days: null },
    ]);
    // The effective retention, read through the catalog itself: the table's, else its schema's, else its database's.
    const ids = query<{ id: number; name: string }>("SELECT id, name FROM tables WHERE name IN ('T', 'U') ORDER BY name");
    await server.stop();
    const catalog = new SqliteCatalog(path.join(home(), 'catalog.sqlite'));
    try {
      expect(ids.map((t) => catalog.retentionDaysOf(t.id, 1))).toEqual([0, 5]);
    } finally {
      catalog.close();
    }
    server = await startFirnProcess({ home: home(), env: { FIRN_LOAD_ROOTS: dir, FIRN_PARTITION_ROWS: '5' } });
    await sql('ALTER TABLE keep.s.t UNSET DATA_RETENTION_TIME_IN_DAYS');
    await sql('ALTER SCHEMA keep.s UNSET DATA_RETENTION_TIME_IN_DAYS');
    expect(query("SELECT retention_days AS days FROM tables WHERE name = 'T'")).toEqual([{ days: null }]);
    expect(query("SELECT retention_days AS days FROM schemas WHERE name = 'S'")).toEqual([{ days: null }]);
    await expect(sql('ALTER DATABASE gone SET DATA_RETENTION_TIME_IN_DAYS = 1')).rejects.toMatchObject({ code: '002003' });
    expect((await sql('SELECT count(*) FROM m')).data).toEqual([['17']]);
  }, 60_000);
});

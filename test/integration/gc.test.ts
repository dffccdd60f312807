/**
 * Garbage collection on a real server. With FIRN_DATA_RETENTION_DAYS=0 nothing is kept for
 * time travel, so after UPDATEs, DELETEs and a DROP, SELECT SYSTEM$COLLECT_GARBAGE() deletes
 * exactly the objects no live table version references (the data directory is listed before
 * and after), plus an orphan older than the grace period, and purges their catalog rows; every
 * table then still reads completely. On a server with the default retention of 1 day, an UPDATE's
 * old partitions are time-travel bytes in INFORMATION_SCHEMA.TABLE_STORAGE_METRICS, and GC keeps
 * them. Background runs are off (FIRN_GC_INTERVAL_SECONDS=0) so only the on-demand ones run.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteDatabase } from '../../services/catalog/open-sqlite-database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';

type PartitionRow = { object_key: string; byte_size: number; removed_version: number | null; dropped: number };

describe('garbage collection', () => {
  let dir: string;
  let server: FirnProcess | undefined;
  let homeName = 'home';
  const home = () => path.join(dir, homeName);
  const dataDir = () => path.join(home(), 'data');
  const sql = async (text: string) => (await postStatement(server!.url, text)).data!;

  /** Every object file under the data directory, as store keys, sorted. */
  function objectFiles(): string[] {
    const out: string[] = [];
    for (const rel of readdirSync(dataDir(), { recursive: true, encoding: 'utf8' })) {
      if (statSync(path.join(dataDir(), rel)).isFile()) out.push(rel.split(path.sep).join('/'));
    }
    return out.sort();
  }

  function catalogQuery<T>(query: string): T[] {
    const db = openSqliteDatabase(path.join(home(), 'catalog.sqlite'), { readonly: true });
    try {
      return db.prepare(query).all() as T[];
    } finally {
      db.close();
    }
  }

  const partitions = () =>
    catalogQuery<PartitionRow>('SELECT p.object_key, p.byte_size, p.removed_version, t.dropped_at IS NOT NULL AS dropped FROM partitions p JOIN tables t ON t.id = p.table_id');

  /** Rows of the tables GC purges from. */
  function catalogRows(): number {
    const tables = ['partitions', 'table_versions', 'version_statements', 'table_columns', 'tables', 'load_history'];
    return tables.reduce((n, t) => n + catalogQuery<{ n: number }>(`SELECT count(*) AS n FROM ${t}`)[0].n, 0);
  }

  async function collect(): Promise<{ objectsDeleted: number; bytesFreed: number; catalogRowsPurged: number; unknownObjectsDeleted: number }> {
    const body = await postStatement(server!.url, 'SELECT SYSTEM$COLLECT_GARBAGE()');
    expect(body.resultSetMetaData.rowType.map((c) => [c.name, c.type])).toEqual([['SYSTEM$COLLECT_GARBAGE()', 'text']]);
    expect(body.data).toHaveLength(1);
    return JSON.parse(body.data![0][0]!);
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-gc-it-'));
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('with retention 0, deletes exactly the unreachable objects and purges their rows; every table reads completely after', async () => {
    server = await startFirnProcess({ home: home(), env: { FIRN_PARTITION_ROWS: '10', FIRN_DATA_RETENTION_DAYS: '0', FIRN_GC_INTERVAL_SECONDS: '0' } });
    await sql('CREATE TABLE a (id INTEGER, v INTEGER)');
    await sql(`INSERT INTO a SELECT * FROM VALUES ${Array.from({ length: 100 }, (_, i) => `(${i}, ${i % 10})`).join(', ')}`);
    await sql('CREATE TABLE b AS SELECT id, v * 2 AS w FROM a');
    await sql('CREATE TABLE gone AS SELECT id FROM a WHERE id < 50');
    await sql('UPDATE a SET v = v + 100 WHERE id < 15');
    await sql('DELETE FROM a WHERE id >= 90');
    await sql('UPDATE a SET v = v + 1000 WHERE id = 3');
    await sql('DELETE FROM b WHERE id BETWEEN 20 AND 39');
    await sql('DROP TABLE gone');
    // A crashed write's object the catalog never knew, two hours old, and one just written.
    mkdirSync(path.join(dataDir(), 't999', 'q-crashed'), { recursive: true });
    const old = path.join(dataDir(), 't999', 'q-crashed', 'old.parquet');
    writeFileSync(old, 'orphan');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(old, twoHoursAgo, twoHoursAgo);
    writeFileSync(path.join(dataDir(), 't999', 'q-crashed', 'young.parquet'), 'orphan');

    const rows = partitions();
    const live = rows.filter((p) => p.removed_version === null && p.dropped === 0);
    const liveKeys = [...new Set(live.map((p) => p.object_key))].sort();
    const unreachable = [...new Set(rows.map((p) => p.object_key))].filter((k) => !liveKeys.includes(k)).sort();
    // Removed by the UPDATEs and DELETEs, and every partition of the dropped table.
    const dropped = rows.filter((p) => p.dropped === 1).map((p) => p.object_key);
    expect(dropped.length).toBe(5);
    expect(unreachable.length).toBeGreaterThan(dropped.length);
    for (const k of dropped) expect(unreachable).toContain(k);
    const before = objectFiles();
    expect(before).toEqual([...liveKeys, ...unreachable, 't999/q-crashed/old.parquet', 't999/q-crashed/young.parquet'].sort());
    const rowsBefore = catalogRows();

    const r = await collect();
    const bytes = unreachable.reduce((n, k) => n + rows.find((p) => p.object_key === k)!.byte_size, 0);
    expect(r).toEqual({ objectsDeleted: unreachable.length, bytesFreed: bytes, catalogRowsPurged: rowsBefore - catalogRows(), unknownObjectsDeleted: 1 });
    expect(r.catalogRowsPurged).toBeGreaterThanOrEqual(unreachable.length);
    expect(objectFiles()).toEqual([...liveKeys, 't999/q-crashed/young.parquet'].sort());
    // No partition row is left for a deleted object; the dropped table is gone from the catalog.
    expect(partitions().map((p) => p.object_key).sort()).toEqual(liveKeys);
    expect(catalogQuery<{ n: number }>("SELECT count(*) AS n FROM tables WHERE name = 'GONE'")[0].n).toBe(0);

    // Every table reads completely.
    const sumA = Array.from({ length: 90 }, (_, i) => (i < 15 ? (i % 10) + 100 : i % 10) + (i === 3 ? 1000 : 0)).reduce((x, y) => x + y, 0);
    expect(await sql('SELECT count(*), sum(id), sum(v) FROM a')).toEqual([['90', String((89 * 90) / 2), String(sumA)]]);
    const idsB = Array.from({ length: 100 }, (_, i) => i).filter((i) => i < 20 || i > 39);
    expect(await sql('SELECT count(*), sum(id), sum(w) FROM b')).toEqual([[String(idsB.length), String(idsB.reduce((x, y) => x + y, 0)), String(idsB.reduce((x, i) => x + (i % 10) * 2, 0))]]);

    // Nothing more to collect; the young orphan waits for its grace period.
    expect(await collect()).toEqual({ objectsDeleted: 0, bytesFreed: 0, catalogRowsPurged: 0, unknownObjectsDeleted: 0 });
    expect(objectFiles()).toEqual([...liveKeys, 't999/q-crashed/young.parquet'].sort());
  }, 120_000);

  it('with the default retention, TABLE_STORAGE_METRICS shows active and time-travel bytes, and GC keeps the history', async () => {
    await server?.stop();
    homeName = 'home-retained';
    server = await startFirnProcess({ home: home(), env: { FIRN_PARTITION_ROWS: '10', FIRN_GC_INTERVAL_SECONDS: '0' } });
    await sql('CREATE TABLE c (id INTEGER, v INTEGER)');
    await sql(`INSERT INTO c SELECT * FROM VALUES ${Array.from({ length: 40 }, (_, i) => `(${i}, ${i})`).join(', ')}`);
    await sql('UPDATE c SET v = -v WHERE id < 10');
    await sql('CREATE TABLE d AS SELECT * FROM c');
    await sql('DROP TABLE d');
    const byTable = (name: string, removed: boolean) =>
      catalogQuery<{ b: number | null }>(
        `SELECT sum(p.byte_size) AS b FROM partitions p JOIN tables t ON t.id = p.table_id WHERE t.name = '${name}' AND p.removed_version IS ${removed ? 'NOT ' : ''}NULL`,
      )[0].b ?? 0;
    const metrics = () =>
      sql(
        "SELECT table_catalog, table_schema, table_name, active_bytes, time_travel_bytes, failsafe_bytes, retained_for_clone_bytes, is_transient, table_dropped IS NOT NULL, id = clone_group_id, table_created IS NOT NULL FROM firn.information_schema.table_storage_metrics ORDER BY table_name",
      );
    const row = (name: string, active: number, timeTravel: number, dropped: boolean) => ['FIRN', 'PUBLIC', name, String(active), String(timeTravel), '0', '0', 'NO', String(dropped), 'true', 'true'];
    const expected = [
      row('C', byTable('C', false), byTable('C', true), false),
      row('D', 0, byTable('D', false), true),
    ];
    expect(byTable('C', true)).toBeGreaterThan(0);
    expect(byTable('D', false)).toBeGreaterThan(0);
    expect(await metrics()).toEqual(expected);
    const files = objectFiles();
    // Within retention: nothing goes.
    expect(await collect()).toEqual({ objectsDeleted: 0, bytesFreed: 0, catalogRowsPurged: 0, unknownObjectsDeleted: 0 });
    expect(objectFiles()).toEqual(files);
    expect(await metrics()).toEqual(expected);
    expect(await sql('SELECT count(*), sum(v) FROM c')).toEqual([['40', String(Array.from({ length: 40 }, (_, i) => (i < 10 ? -i : i)).reduce((x, y) => x + y, 0))]]);
  }, 120_000);
});

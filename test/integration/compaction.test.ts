/**
 * Compaction and clustering information on a real server over HTTP: sequential single-row
 * INSERTs (one object each) are merged by the background compactor (a short
 * FIRN_COMPACT_INTERVAL_SECONDS and a small FIRN_PARTITION_ROWS) into about
 * ⌈rows/partitionRows⌉ partitions, which is all a scan then reads; SYSTEM$CLUSTERING_INFORMATION
 * answers Snowflake's JSON, and Snowflake's 000005 for a table without CLUSTER BY.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteDatabase } from '../../services/catalog/open-sqlite-database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { expectFailure } from '../support/statement-http.js';

const PARTITION_ROWS = 20;
const ROWS = 300;

describe('compaction and SYSTEM$CLUSTERING_INFORMATION over HTTP', () => {
  let dir: string;
  let server: FirnProcess;
  const home = () => path.join(dir, 'home');

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-compaction-'));
    server = await startFirnProcess({ home: home(), env: { FIRN_PARTITION_ROWS: String(PARTITION_ROWS), FIRN_COMPACT_INTERVAL_SECONDS: '1' } });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Live partitions of table `name` and their rows, from the catalog file. */
  function live(name: string): { partitions: number; rows: number; versions: string[] } {
    const db = openSqliteDatabase(path.join(home(), 'catalog.sqlite'), { readonly: true });
    try {
      const t = db.prepare('SELECT id, current_version AS v FROM tables WHERE name = ? AND dropped_at IS NULL').get(name) as { id: number; v: number };
      const p = db
        .prepare('SELECT COUNT(*) AS n, COALESCE(SUM(row_count), 0) AS r FROM partitions WHERE table_id = ? AND added_version <= ? AND (removed_version IS NULL OR removed_version > ?)')
        .get(t.id, t.v, t.v) as { n: number; r: number };
      const versions = (db.prepare('SELECT operation AS o FROM table_versions WHERE table_id = ? ORDER BY version').all(t.id) as { o: string }[]).map((r) => r.o);
      return { partitions: p.n, rows: p.r, versions };
    } finally {
      db.close();
    }
  }

  it(`${ROWS} sequential single-row INSERTs are compacted to about ⌈rows/partitionRows⌉ partitions, and a scan reads only those`, async () => {
    await postStatement(server.url, 'CREATE TABLE ev (id INTEGER, note VARCHAR)');
    for (let i = 1; i <= ROWS; i++) await postStatement(server.url, `INSERT INTO ev VALUES (${i}, 'n${i}')`);
    const target = Math.ceil(ROWS / PARTITION_ROWS) + 1;
    const deadline = Date.now() + 30_000;
    while (live('EV').partitions > target && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const after = live('EV');
    expect(after.partitions).toBeLessThanOrEqual(target);
    expect(after.rows).toBe(ROWS);
    expect(after.versions).toContain('COMPACT');
    const r = await postStatement(server.url, 'SELECT COUNT(*), COUNT(DISTINCT id), SUM(id), MIN(note), MAX(note) FROM ev WHERE note IS NOT NULL');
    expect(r.data).toEqual([[String(ROWS), String(ROWS), String((ROWS * (ROWS + 1)) / 2), 'n1', 'n99']]);
    expect(r.stats.partitionsScanned).toBeLessThanOrEqual(target);
  }, 180_000);

  it('SYSTEM$CLUSTERING_INFORMATION: a CLUSTER BY table, a column list, and 000005 for a table without CLUSTER BY', async () => {
    await postStatement(server.url, 'CREATE TABLE ck (k INTEGER, v VARCHAR) CLUSTER BY (k)');
    // Two full partitions with disjoint key ranges.
    for (const base of [0, 100]) {
      const values = Array.from({ length: PARTITION_ROWS }, (_, i) => `(${base + i}, 'x')`).join(', ');
      await postStatement(server.url, `INSERT INTO ck VALUES ${values}`);
    }
    const r = await postStatement(server.url, "SELECT SYSTEM$CLUSTERING_INFORMATION('ck')");
    expect(r.resultSetMetaData.rowType.map((c) => [c.name, c.type])).toEqual([["SYSTEM$CLUSTERING_INFORMATION('ck')", 'text']]);
    const histogram: Record<string, number> = {};
    for (let d = 0; d <= 16; d++) histogram[String(d).padStart(5, '0')] = d === 1 ? 2 : 0;
    expect(JSON.parse(r.data[0][0]!)).toEqual({
      cluster_by_keys: 'LINEAR(K)',
      total_partition_count: 2,
      total_constant_partition_count: 0,
      average_overlaps: 0,
      average_depth: 1,
      partition_depth_histogram: histogram,
      clustering_errors: [],
    });
    // v is 'x' everywhere: both partitions are constant and overlap on it.
    const byV = JSON.parse((await postStatement(server.url, "SELECT SYSTEM$CLUSTERING_INFORMATION('PUBLIC.ck', '(v)') AS info")).data[0][0]!);
    expect(byV).toMatchObject({ cluster_by_keys: 'LINEAR(V)', total_partition_count: 2, total_constant_partition_count: 2, average_overlaps: 1, average_depth: 2 });

    await postStatement(server.url, 'CREATE TABLE plain (a INTEGER)');
    const f = await expectFailure(server.url, "SELECT SYSTEM$CLUSTERING_INFORMATION('plain')");
    expect([f.code, f.sqlState, f.message]).toEqual(['000005', 'XX000', 'Invalid clustering keys or table PLAIN is not clustered']);
    const missing = await expectFailure(server.url, "SELECT SYSTEM$CLUSTERING_INFORMATION('nope')");
    expect([missing.code, missing.sqlState]).toEqual(['002003', '02000']);
  }, 60_000);
});

/**
 * Copy-on-write DML on a real server: a table clustered by DAY, written in 10-row
 * micro-partitions of two days each. A 10-day UPDATE reads only the partitions whose zone maps
 * may hold those days and rewrites only those: every other partition keeps its catalog row and
 * its object, untouched. A rewritten partition keeps the clustering order, also when the
 * UPDATE moves rows along the cluster key. stats report the partitions added and removed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteDatabase } from '../../services/catalog/open-sqlite-database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from '../../storage/types/data-type.js';
import { readPartitionColumns } from '../../storage/partition/partition-reader.js';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';

type PartitionRow = { id: number; object_key: string; removed_version: number | null; zone_map: string };

describe('copy-on-write UPDATE and DELETE', () => {
  let dir: string;
  let server: FirnProcess;
  const home = () => path.join(dir, 'home');

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-cow-'));
    server = await startFirnProcess({ home: home(), env: { FIRN_PARTITION_ROWS: '10' } });
    await postStatement(server.url, 'CREATE TABLE ev (day DATE, id INTEGER, v INTEGER) CLUSTER BY (day)');
    // 300 rows, 5 per day over 60 days: 30 partitions of two days each once sorted by DAY.
    const rows = Array.from({ length: 300 }, (_, i) => `(DATEADD(day, ${Math.floor(i / 5)}, '2024-01-01'::DATE), ${i}, ${i % 7})`);
    await postStatement(server.url, `INSERT INTO ev SELECT * FROM VALUES ${rows.reverse().join(', ')}`);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function partitions(): PartitionRow[] {
    const db = openSqliteDatabase(path.join(home(), 'catalog.sqlite'), { readonly: true });
    try {
      return db.prepare("SELECT p.id, p.object_key, p.removed_version, p.zone_map FROM partitions p JOIN tables t ON t.id = p.table_id WHERE t.name = 'EV' ORDER BY p.id").all() as PartitionRow[];
    } finally {
      db.close();
    }
  }

  /** The DAY values of a partition's object, in stored order (days since 1970-01-01). */
  function storedDays(objectKey: string): number[] {
    const bytes = readFileSync(path.join(home(), 'data', objectKey));
    const batch = readPartitionColumns(bytes, [{ name: 'DAY', type: Types.date, nullable: true }], [0], objectKey);
    const day = batch.columns[0];
    if (day.kind !== 'i32') throw new Error(`DAY read as ${day.kind}`);
    return Array.from(day.values);
  }

  it('a 10-day UPDATE rewrites only the partitions holding those days, the others left exactly as they are', async () => {
    const before = partitions().filter((p) => p.removed_version === null);
    expect(before).toHaveLength(30);
    const sql = "UPDATE ev SET v = v + 100 WHERE day BETWEEN '2024-01-21' AND '2024-01-30'";
    const plan = (await postStatement(server.url, `EXPLAIN ${sql}`)).data!.map((r) => r[0]).join('\n');
    expect(plan).toContain('RewriteExec update candidates=5 clusterBy=[DAY]');
    expect(plan).toMatch(/ScanExec FIRN\.PUBLIC\.EV .* with row ids/);
    // Days 20..29 (2024-01-21 .. 2024-01-30) are partitions 10..14 of the 30, in day order.
    const body = await postStatement(server.url, sql);
    expect(body.data).toEqual([['50', '0']]);
    expect(body.stats).toMatchObject({ partitionsRemoved: 5, partitionsAdded: 5, partitionsScanned: 5, partitionsTotal: 30 });
    const after = partitions();
    const live = after.filter((p) => p.removed_version === null);
    const removed = after.filter((p) => p.removed_version !== null);
    expect(removed).toHaveLength(5);
    const kept = live.filter((p) => before.some((b) => b.id === p.id));
    expect(kept).toHaveLength(25);
    for (const p of kept) expect(before.find((b) => b.id === p.id)).toEqual(p);
    const days = (z: string) => JSON.parse(z).columns.DAY as { min: number; max: number };
    const jan1 = Date.UTC(2024, 0, 1) / 86_400_000;
    expect(removed.map((p) => [days(p.zone_map).min - jan1, days(p.zone_map).max - jan1])).toEqual([[20, 21], [22, 23], [24, 25], [26, 27], [28, 29]]);
    const sums = await postStatement(server.url, "SELECT COUNT(*), SUM(v) FROM ev WHERE v >= 100");
    expect(sums.data).toEqual([['50', String(Array.from({ length: 50 }, (_, k) => ((100 + k) % 7) + 100).reduce((a, b) => a + b, 0))]]);
  });

  it('an UPDATE of the cluster key keeps each rewritten partition sorted by it', async () => {
    const body = await postStatement(server.url, "UPDATE ev SET day = DATEADD(day, MOD(id, 3), day) WHERE day BETWEEN '2024-02-10' AND '2024-02-13'");
    expect(body.data).toEqual([['20', '0']]);
    expect(body.stats.partitionsRemoved).toBe(2);
    const fresh = partitions().filter((p) => p.removed_version === null).slice(-2);
    for (const p of fresh) {
      const stored = storedDays(p.object_key);
      expect(stored.length).toBe(10);
      expect(stored).toEqual([...stored].sort((a, b) => a - b));
    }
  });

  it('a DELETE of whole partitions and of some rows removes only those partitions', async () => {
    const before = partitions().filter((p) => p.removed_version === null);
    const body = await postStatement(server.url, "DELETE FROM ev WHERE day < '2024-01-05' OR id = 299");
    expect(body.data).toEqual([['21']]);
    expect(body.stats).toMatchObject({ partitionsRemoved: 3, partitionsAdded: 1 });
    const live = partitions().filter((p) => p.removed_version === null);
    expect(live.length).toBe(before.length - 2);
    expect((await postStatement(server.url, 'SELECT COUNT(*) FROM ev')).data).toEqual([['279']]);
  });
});

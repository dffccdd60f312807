/**
 * The compactor on an in-process engine (real SQLite catalog, real worker threads, local
 * store): small partitions merged, old versions intact, a concurrent DML wins over it, it
 * yields to a running user write, and a CLUSTER BY table's overlapping partitions come out
 * sorted and disjoint.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteDatabase } from '../catalog/open-sqlite-database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteCatalog } from '../catalog/sqlite-catalog.js';
import { loadConfig } from '../config.js';
import { DEFAULT_CONTEXT, FirnEngine } from '../session/firn-engine.js';
import { SYSTEM_IDENTITY } from '../access/identity.js';
import { SMALL_TRIGGER, type CompactorHooks } from './compactor.js';
import { scalarAt } from '../../storage/types/scalar-at.js';
import type { Batch } from '../../storage/types/vector.js';

const PARTITION_ROWS = 50;

describe('compactor', () => {
  let dir: string;
  let engine: FirnEngine;
  let catalog: SqliteCatalog;
  /** Set by a test: runs at the compactor's commit point. */
  let atCommit: CompactorHooks['beforeCommit'] | undefined;
  /** Set by a test: run when a user DML binds, and right before it commits. */
  let dmlAtBind: ((queryId: string) => Promise<void>) | undefined;
  let dmlAtCommit: ((queryId: string) => Promise<void>) | undefined;
  const home = () => path.join(dir, 'home');

  const run = (sql: string) => engine.execute({ sql, context: DEFAULT_CONTEXT, identity: SYSTEM_IDENTITY, queryId: randomUUID() });
  async function rows(sql: string): Promise<string[]> {
    const r = await run(sql);
    const out: string[] = [];
    const read = (batch: Batch) => {
      for (let i = 0; i < batch.length; i++) out.push(batch.columns.map((c, k) => String(scalarAt(c, i, r.columns[k].type))).join('|'));
    };
    if (r.stream) for await (const b of r.stream) read(b);
    else read(r.batch);
    return out;
  }
  const table = (name: string) => catalog.getTable('FIRN', 'PUBLIC', name)!;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-compactor-'));
    // The timer and the after-commit trigger are off: each test runs the compactor itself.
    engine = await FirnEngine.open(loadConfig({ FIRN_HOME: home(), FIRN_PARTITION_ROWS: String(PARTITION_ROWS), FIRN_COMPACT_INTERVAL_SECONDS: '0' }), {
      compactorHooks: { beforeCommit: (t, ids) => atCommit?.(t, ids) ?? Promise.resolve() },
      hooks: { beforeBind: (q) => dmlAtBind?.(q) ?? Promise.resolve(), beforeCommit: (q) => dmlAtCommit?.(q) ?? Promise.resolve() },
    });
    catalog = new SqliteCatalog(path.join(home(), 'catalog.sqlite'));
  }, 60_000);

  afterAll(async () => {
    catalog?.close();
    await engine?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Nothing pending, and every object in the store is named by some partition row. */
  function noOrphans(): void {
    const db = openSqliteDatabase(path.join(home(), 'catalog.sqlite'), { readonly: true });
    try {
      const named = new Set((db.prepare('SELECT object_key AS k FROM partitions').all() as { k: string }[]).map((r) => r.k));
      expect(db.prepare('SELECT COUNT(*) AS n FROM pending_objects').get()).toEqual({ n: 0 });
      const data = path.join(home(), 'data');
      const stored = (readdirSync(data, { recursive: true, withFileTypes: true }) as { isFile(): boolean; name: string; parentPath: string }[])
        .filter((e) => e.isFile())
        .map((e) => path.relative(data, path.join(e.parentPath, e.name)));
      for (const key of stored) expect(named.has(key), key).toBe(true);
    } finally {
      db.close();
    }
  }

  it('200 single-row commits become ⌈200/partitionRows⌉ (+1) partitions with the same rows; the old version still reads', async () => {
    await run('CREATE TABLE s (id INTEGER, note VARCHAR)');
    for (let i = 1; i <= 200; i++) await run(`INSERT INTO s VALUES (${i}, 'n${i}')`);
    const before = table('S');
    const old = catalog.livePartitions(before.id, before.currentVersion);
    expect(old.length).toBe(200);
    const expected = await rows('SELECT id, note FROM s ORDER BY id');
    expect(expected.length).toBe(200);

    const results = await engine.compact([before.id]);
    expect(results.map((r) => r.outcome)).toEqual(['compacted']);
    expect(results[0]).toMatchObject({ removed: 200, conflicts: 0 });

    const after = table('S');
    expect(after.currentVersion).toBe(before.currentVersion + 1);
    expect(catalog.versionLog(after.id).at(-1)).toMatchObject({ version: after.currentVersion, operation: 'COMPACT' });
    const live = catalog.livePartitions(after.id);
    expect(live.length).toBeLessThanOrEqual(Math.ceil(200 / PARTITION_ROWS) + 1);
    expect(live.reduce((n, p) => n + p.rowCount, 0)).toBe(200);
    expect(await rows('SELECT id, note FROM s ORDER BY id')).toEqual(expected);
    // A scan now reads that few partitions.
    const scan = await run('SELECT COUNT(*) FROM s WHERE note IS NOT NULL');
    if (scan.stream) for await (const _ of scan.stream);
    expect(scan.stats.partitionsScanned).toBe(live.length);

    // The version before the compaction still has its 200 partitions, and their objects.
    const then = catalog.livePartitions(after.id, before.currentVersion);
    expect(then.map((p) => p.id)).toEqual(old.map((p) => p.id));
    for (const p of then) expect(existsSync(path.join(home(), 'data', p.objectKey)), p.objectKey).toBe(true);
    // Nothing left to do: a second run changes nothing.
    expect(await engine.compact([after.id])).toEqual([]);
    noOrphans();
  }, 180_000);

  it('compacts a table whose columns were renamed and added, keeping each column under its own field', async () => {
    await run('CREATE TABLE r (id INTEGER, note VARCHAR)');
    for (let i = 1; i <= 20; i++) await run(`INSERT INTO r VALUES (${i}, 'n${i}')`);
    await run('ALTER TABLE r RENAME COLUMN note TO label');
    await run('ALTER TABLE r ADD COLUMN qty INTEGER DEFAULT 5');
    for (let i = 21; i <= 40; i++) await run(`INSERT INTO r VALUES (${i}, 'n${i}', ${i})`);
    const expected = await rows('SELECT id, label, qty FROM r ORDER BY id');
    expect(expected[0]).toBe('1|n1|5');
    const results = await engine.compact([table('R').id]);
    expect(results.map((x) => x.outcome)).toEqual(['compacted']);
    expect(await rows('SELECT id, label, qty FROM r ORDER BY id')).toEqual(expected);
    noOrphans();
  }, 180_000);

  it('a DML that rewrote one of its inputs wins: the compactor is refused, deletes its objects and tries again', async () => {
    await run('CREATE TABLE c (id INTEGER, x INTEGER)');
    for (let i = 1; i <= 20; i++) await run(`INSERT INTO c VALUES (${i}, 0)`);
    const t = table('C');
    const dml: unknown[] = [];
    let conflicts = 0;
    // At each of the compactor's commit points, a user UPDATE of one of its inputs commits first.
    atCommit = async (tableId, ids) => {
      expect(tableId).toBe(t.id);
      expect(ids.length).toBeGreaterThanOrEqual(2);
      conflicts++;
      const r = await run(`UPDATE c SET x = x + 1 WHERE id = ${conflicts}`);
      dml.push(scalarAt(r.batch.columns[0], 0, r.columns[0].type));
    };
    try {
      const results = await engine.compact([t.id]);
      // Refused three times, then skipped until the next run; each UPDATE succeeded.
      expect(results).toEqual([{ tableId: t.id, outcome: 'skipped', version: null, removed: 0, added: 0, conflicts: 3 }]);
      expect(dml).toEqual([1n, 1n, 1n]);
      expect(catalog.versionLog(t.id).map((v) => v.operation).filter((o) => o === 'COMPACT')).toEqual([]);
      noOrphans();

      // Refused once, then it compacts on the new snapshot.
      atCommit = async () => {
        atCommit = undefined;
        await run('UPDATE c SET x = x + 10 WHERE id = 20');
      };
      const again = await engine.compact([t.id]);
      expect(again.map((r) => [r.outcome, r.conflicts])).toEqual([['compacted', 1]]);
    } finally {
      atCommit = undefined;
    }
    expect(await rows('SELECT id, x FROM c WHERE x > 0 ORDER BY id')).toEqual(['1|1', '2|1', '3|1', '20|10']);
    expect(await rows('SELECT COUNT(*) FROM c')).toEqual(['20']);
    expect(catalog.livePartitions(t.id).length).toBe(1);
    noOrphans();
  }, 180_000);

  it('yields to a user UPDATE that read its snapshot first: the UPDATE commits on its first attempt, the compactor skips the table', async () => {
    await run('CREATE TABLE y (id INTEGER, x INTEGER)');
    for (let i = 1; i <= 20; i++) await run(`INSERT INTO y VALUES (${i}, 0)`);
    const t = table('Y');
    const binds: string[] = [];
    let reachedCommit!: () => void;
    const dmlWaiting = new Promise<void>((r) => (reachedCommit = r));
    let letCommit!: () => void;
    const gate = new Promise<void>((r) => (letCommit = r));
    let update: Promise<unknown> | undefined;
    dmlAtBind = async (q) => void binds.push(q);
    dmlAtCommit = async () => {
      reachedCommit();
      await gate;
    };
    // At the compactor's commit point, a user UPDATE of every row has read its snapshot and written its rewrite.
    atCommit = async () => {
      atCommit = undefined;
      update = run('UPDATE y SET x = x + 1');
      await dmlWaiting;
    };
    try {
      const results = await engine.compact([t.id]);
      expect(results).toEqual([{ tableId: t.id, outcome: 'skipped', version: null, removed: 0, added: 0, conflicts: 1 }]);
      letCommit();
      await update;
    } finally {
      atCommit = dmlAtBind = dmlAtCommit = undefined;
    }
    // One attempt: the compactor removed nothing from under it.
    expect(binds).toHaveLength(1);
    expect(catalog.versionLog(t.id).map((v) => v.operation).filter((o) => o === 'COMPACT' || o === 'UPDATE')).toEqual(['UPDATE']);
    noOrphans();
    // The table free again, the next run compacts it.
    expect((await engine.compact([t.id])).map((r) => r.outcome)).toEqual(['compacted']);
    expect(await rows('SELECT COUNT(*), SUM(x) FROM y')).toEqual(['20|20']);
  }, 180_000);

  it('a CLUSTER BY table with overlapping partitions comes out sorted by the key and non-overlapping', async () => {
    await run('CREATE TABLE k (id INTEGER, v VARCHAR) CLUSTER BY (id)');
    // Four full partitions, each spanning the whole key range: every id ≡ j (mod 4) in the j-th.
    for (let j = 0; j < 4; j++) {
      const values = Array.from({ length: PARTITION_ROWS }, (_, i) => `(${4 * i + j + 1}, 'v${4 * i + j + 1}')`).join(', ');
      await run(`INSERT INTO k VALUES ${values}`);
    }
    const t = table('K');
    const before = catalog.livePartitions(t.id);
    expect(before.map((p) => [p.rowCount, p.zoneMap.columns.ID.min, p.zoneMap.columns.ID.max])).toEqual([
      [50, '1', '197'],
      [50, '2', '198'],
      [50, '3', '199'],
      [50, '4', '200'],
    ]);
    const info = async () => JSON.parse((await rows("SELECT SYSTEM$CLUSTERING_INFORMATION('k')"))[0]) as Record<string, unknown>;
    expect(await info()).toMatchObject({ cluster_by_keys: 'LINEAR(ID)', total_partition_count: 4, average_overlaps: 3, average_depth: 4 });

    const results = await engine.compact([t.id]);
    expect(results.map((r) => [r.outcome, r.removed, r.added])).toEqual([['compacted', 4, 4]]);
    const after = [...catalog.livePartitions(t.id)].sort((a, b) => Number(a.zoneMap.columns.ID.min) - Number(b.zoneMap.columns.ID.min));
    expect(after.map((p) => [p.rowCount, p.zoneMap.columns.ID.min, p.zoneMap.columns.ID.max])).toEqual([
      [50, '1', '50'],
      [50, '51', '100'],
      [50, '101', '150'],
      [50, '151', '200'],
    ]);
    expect(await info()).toMatchObject({ total_partition_count: 4, total_constant_partition_count: 0, average_overlaps: 0, average_depth: 1 });
    expect(await rows('SELECT COUNT(*), COUNT(DISTINCT id), MIN(v), MAX(id) FROM k')).toEqual(['200|200|v1|200']);
    // Sorted and disjoint: nothing more to do.
    expect(await engine.compact([t.id])).toEqual([]);
    noOrphans();
  }, 180_000);
});

describe('compactor after commits', () => {
  it(`more than SMALL_TRIGGER small partitions added by INSERTs start a compaction without waiting for the timer`, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'firn-compactor-trigger-'));
    const home = path.join(dir, 'home');
    // The timer would first fire in an hour: only the after-commit trigger can compact here.
    const engine = await FirnEngine.open(loadConfig({ FIRN_HOME: home, FIRN_PARTITION_ROWS: String(PARTITION_ROWS), FIRN_COMPACT_INTERVAL_SECONDS: '3600' }));
    const catalog = new SqliteCatalog(path.join(home, 'catalog.sqlite'));
    try {
      const run = (sql: string) => engine.execute({ sql, context: DEFAULT_CONTEXT, identity: SYSTEM_IDENTITY, queryId: randomUUID() });
      await run('CREATE TABLE tr (id INTEGER)');
      const n = SMALL_TRIGGER + 8;
      for (let i = 1; i <= n; i++) await run(`INSERT INTO tr VALUES (${i})`);
      const id = catalog.getTable('FIRN', 'PUBLIC', 'TR')!.id;
      const deadline = Date.now() + 30_000;
      while (!catalog.versionLog(id).some((v) => v.operation === 'COMPACT') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(catalog.versionLog(id).filter((v) => v.operation === 'COMPACT').length).toBeGreaterThanOrEqual(1);
      // Waits for the triggered run to end; rows committed after its last snapshot stay as they were.
      await engine.compact([]);
      const live = catalog.livePartitions(id);
      expect(live.reduce((s, p) => s + p.rowCount, 0)).toBe(n);
      expect(live.length).toBeLessThan(n - SMALL_TRIGGER);
    } finally {
      catalog.close();
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

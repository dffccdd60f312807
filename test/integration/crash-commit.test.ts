/**
 * kill -9 at each step of a commit (issue 9): the server kills itself with SIGKILL at a named
 * crash point (storage/fault/crash-point.ts) while one write statement runs: after its first
 * object put, just before the catalog commit, inside the commit's transaction, or just after
 * it. After a restart the table holds exactly the old rows (any point before the commit) or
 * exactly the new ones (after it); the statement's uncommitted objects are gone; and once
 * garbage collection ran with no retention, the store holds exactly the objects of the live
 * partitions. Real server, real SQLite catalog, real local object store.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteDatabase } from '../../services/catalog/open-sqlite-database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import { TEMP_PREFIX } from '../../storage/object-store/local-object-store.js';
import { CRASH_POINTS, type CrashPoint } from '../../storage/fault/crash-point.js';

type Row = [id: number, v: number];

/** 60 rows in six 10-row partitions; the MERGE source overlaps the last ten ids and adds ten. */
const ROWS: Row[] = Array.from({ length: 60 }, (_, i) => [i, i * 10]);
const SOURCE: Row[] = Array.from({ length: 20 }, (_, i) => [50 + i, -(50 + i)]);

/** Each write statement, with what it makes of ROWS, and whether it writes objects (TRUNCATE only removes). */
const STATEMENTS: { name: string; sql: string; puts: boolean; apply(rows: Row[]): Row[] }[] = [
  { name: 'INSERT', sql: 'INSERT INTO t SELECT id + 100, v FROM t', puts: true, apply: (r) => [...r, ...r.map(([id, v]): Row => [id + 100, v])] },
  { name: 'UPDATE', sql: 'UPDATE t SET v = v + 1000 WHERE id % 2 = 0', puts: true, apply: (r) => r.map(([id, v]): Row => [id, id % 2 === 0 ? v + 1000 : v]) },
  { name: 'DELETE', sql: 'DELETE FROM t WHERE id >= 25', puts: true, apply: (r) => r.filter(([id]) => id < 25) },
  {
    name: 'MERGE',
    sql: 'MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT (id, v) VALUES (s.id, s.v)',
    puts: true,
    apply: (r) => {
      const bySource = new Map(SOURCE);
      return [...r.map(([id, v]): Row => [id, bySource.get(id) ?? v]), ...SOURCE.filter(([id]) => id >= 60)];
    },
  },
  { name: 'CREATE OR REPLACE … AS SELECT', sql: 'CREATE OR REPLACE TABLE t AS SELECT id, v * 2 AS v FROM t', puts: true, apply: (r) => r.map(([id, v]): Row => [id, v * 2]) },
  { name: 'TRUNCATE', sql: 'TRUNCATE TABLE t', puts: false, apply: () => [] },
];

const POINTS: CrashPoint[] = [CRASH_POINTS.afterPut, CRASH_POINTS.beforeCommit, CRASH_POINTS.inCommit, CRASH_POINTS.afterCommit];

/** No background GC or compaction: the test runs GC itself, and nothing else may commit. */
const QUIET = { FIRN_PARTITION_ROWS: '10', FIRN_GC_INTERVAL_SECONDS: '0', FIRN_COMPACT_INTERVAL_SECONDS: '0' };

const sortRows = (rows: Row[]) => [...rows].sort((a, b) => a[0] - b[0]);
const asData = (rows: Row[]) => sortRows(rows).map(([id, v]) => [String(id), String(v)]);

describe('kill -9 at each step of a commit', () => {
  let dir: string;
  let template: string;
  let server: FirnProcess | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-crash-commit-'));
    template = path.join(dir, 'template');
    server = await startFirnProcess({ home: template, env: QUIET });
    await postStatement(server.url, 'CREATE TABLE t (id INTEGER, v INTEGER)');
    for (let i = 0; i < ROWS.length; i += 10) {
      await postStatement(server.url, `INSERT INTO t VALUES ${ROWS.slice(i, i + 10).map(([id, v]) => `(${id}, ${v})`).join(', ')}`);
    }
    await postStatement(server.url, 'CREATE TABLE s (id INTEGER, v INTEGER)');
    await postStatement(server.url, `INSERT INTO s VALUES ${SOURCE.map(([id, v]) => `(${id}, ${v})`).join(', ')}`);
    await server.stop();
    server = null;
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Partition keys of the catalog file: of live rows (current versions), of every row, and pending. */
  function catalogKeys(home: string): { live: string[]; all: Set<string>; pending: Set<string>; versions: number } {
    const db = openSqliteDatabase(path.join(home, 'catalog.sqlite'), { readonly: true });
    try {
      const keys = (sql: string) => (db.prepare(sql).all() as { k: string }[]).map((r) => r.k);
      return {
        live: keys('SELECT object_key AS k FROM partitions WHERE removed_version IS NULL').sort(),
        all: new Set(keys('SELECT object_key AS k FROM partitions')),
        pending: new Set(keys('SELECT object_key AS k FROM pending_objects')),
        versions: (db.prepare('SELECT count(*) AS n FROM table_versions').get() as { n: number }).n,
      };
    } finally {
      db.close();
    }
  }

  const storeKeys = async (home: string) => (await openObjectStore(`file://${path.join(home, 'data')}`).list('')).map((o) => o.key).sort();
  const readT = async (url: string, at = '') => (await postStatement(url, `SELECT id, v FROM t ${at} ORDER BY id`)).data;

  const cases = STATEMENTS.flatMap((st) => POINTS.filter((p) => st.puts || p !== CRASH_POINTS.afterPut).map((point) => ({ st, point })));

  it.each(cases.map((c) => [c.st.name, c.point, c] as const))('%s killed at %s leaves the old rows or the new ones, and no orphan after GC', async (_name, point, { st }) => {
    const home = path.join(dir, `${st.name.replace(/\W+/g, '-')}-${point}`);
    cpSync(template, home, { recursive: true });
    const before = catalogKeys(home);
    const committed = point === CRASH_POINTS.afterCommit;

    // The statement dies with the server: the client gets no answer.
    server = await startFirnProcess({ home, env: { ...QUIET, FIRN_TEST_CRASH_AT: point } });
    const child = server.child;
    const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await expect(postStatement(server.url, st.sql)).rejects.toThrow();
    expect(await exited).toBe('SIGKILL');
    server = null;

    // As the kill left it: every object in the store is a partition's or recorded as pending
    // (write-ahead); before the commit the version log is as it was.
    const killed = catalogKeys(home);
    const unreferenced = (await storeKeys(home)).filter((k) => !killed.all.has(k));
    expect(unreferenced.filter((k) => !killed.pending.has(k))).toEqual([]);
    if (point === CRASH_POINTS.afterPut) expect(unreferenced.length).toBeGreaterThan(0);
    if (committed) expect(killed.versions).toBeGreaterThan(before.versions);
    else expect(killed.versions).toBe(before.versions);

    // Restarted: exactly the old rows or exactly the new ones, and nothing pending.
    const expected = asData(committed ? st.apply(ROWS) : ROWS);
    server = await startFirnProcess({ home, env: QUIET });
    expect(await readT(server.url)).toEqual(expected);
    expect(catalogKeys(home).pending.size).toBe(0);
    // A committed change to the same table keeps its previous version readable by time travel.
    if (committed && !st.sql.startsWith('CREATE')) {
      const log = (await postStatement(server.url, 'SHOW VERSIONS IN TABLE t')).data;
      expect(await readT(server.url, `BEFORE(STATEMENT => '${log.at(-1)![2]}')`)).toEqual(asData(ROWS));
    }
    // GC reclaims what the killed statement left. Uncommitted, nothing was removed from any
    // table, so the store then holds exactly the live partitions' objects.
    await postStatement(server.url, 'SELECT SYSTEM$COLLECT_GARBAGE()');
    const files = readdirSync(path.join(home, 'data'), { recursive: true }) as string[];
    expect(files.filter((f) => path.basename(f).startsWith(TEMP_PREFIX))).toEqual([]);
    if (!committed) expect(await storeKeys(home)).toEqual(catalogKeys(home).live);
    await server.stop();
    server = null;

    // Committed: once retention is off, GC leaves exactly the live partitions' objects too, and every table reads completely.
    if (committed) {
      server = await startFirnProcess({ home, env: { ...QUIET, FIRN_DATA_RETENTION_DAYS: '0' } });
      await postStatement(server.url, 'SELECT SYSTEM$COLLECT_GARBAGE()');
      expect(await storeKeys(home)).toEqual(catalogKeys(home).live);
      expect(await readT(server.url)).toEqual(expected);
      expect((await postStatement(server.url, 'SELECT count(*), sum(v) FROM s')).data).toEqual([[String(SOURCE.length), String(SOURCE.reduce((a, [, v]) => a + v, 0))]]);
      await server.stop();
      server = null;
    }
    rmSync(home, { recursive: true, force: true });
  }, 60_000);
});

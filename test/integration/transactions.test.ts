/**
 * Explicit transactions in the engine (issue 12): BEGIN ... COMMIT | ROLLBACK within one request
 * and across the requests of one session (a SessionTransaction passed with each, as a driver
 * session does), on a real engine (SQLite catalog, warehouse workers, file object store).
 * Checked: writes visible to others only at COMMIT, in one version per table; the session reads
 * its own writes; ROLLBACK and a request ending open leave no object and no pending row behind;
 * DDL commits first; a conflicting COMMIT is 40001 and commits nothing, on any table; a failing
 * statement of a multi-statement request says which statements ran and where their writes are.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { openSqliteDatabase } from '../../services/catalog/open-sqlite-database.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MultiStatementError } from '../../storage/errors/firn-error.js';
import { SYSTEM_IDENTITY } from '../../services/access/identity.js';
import { SessionTransaction } from '../../services/session/session-transaction.js';
import { EngineAs, outcome } from '../support/engine-as.js';

describe('explicit transactions (engine)', () => {
  let e: EngineAs;
  let files: string;
  let n = 0;
  let t: string;
  let u: string;

  beforeAll(async () => {
    // Small partitions: every INSERT row batch and rewrite is its own object, so removals are partition-exact.
    // Retention and grace 0: SYSTEM$COLLECT_GARBAGE deletes whatever no one protects.
    files = mkdtempSync(path.join(os.tmpdir(), 'firn-txn-files-'));
    e = await EngineAs.open({
      FIRN_PARTITION_ROWS: '2',
      FIRN_GC_INTERVAL_SECONDS: '0',
      FIRN_COMPACT_INTERVAL_SECONDS: '0',
      FIRN_DATA_RETENTION_DAYS: '0',
      FIRN_GC_GRACE_SECONDS: '0',
      FIRN_LOAD_ROOTS: files,
    });
  });

  afterAll(async () => {
    await e?.close();
    rmSync(files, { recursive: true, force: true });
  });

  beforeEach(async () => {
    n++;
    t = `T${n}`;
    u = `U${n}`;
    await e.run(`CREATE TABLE ${t} (x INTEGER); CREATE TABLE ${u} (x INTEGER)`);
  });

  let sessions = 0;
  /** A driver-like session's transaction state, named S<n> in SHOW TRANSACTIONS. */
  const newSession = () => new SessionTransaction(`S${++sessions}`);

  const values = async (table: string, transaction?: SessionTransaction): Promise<string[]> =>
    (await e.run(`SELECT x FROM ${table} ORDER BY x`, undefined, { transaction })).rows.map((r) => r[0]!);

  function catalog<T>(fn: (db: Database) => T): T {
    const db = openSqliteDatabase(path.join(e.home, 'home', 'catalog.sqlite'), { readonly: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  }

  /** The table's version log: [version, operation, every statement id recorded for it]. */
  const versions = (table: string): [number, string, string[]][] =>
    catalog((db) => {
      const rows = db
        .prepare(
          `SELECT v.version, v.operation, v.query_id FROM table_versions v JOIN tables t ON t.id = v.table_id
           WHERE t.name = ? AND t.dropped_at IS NULL ORDER BY v.version`,
        )
        .all(table) as { version: number; operation: string; query_id: string }[];
      const ids = (version: number) =>
        (db
          .prepare(
            `SELECT q.query_id FROM version_statements q JOIN tables t ON t.id = q.table_id WHERE t.name = ? AND t.dropped_at IS NULL AND q.version = ? ORDER BY q.query_id`,
          )
          .all(table, version) as { query_id: string }[]).map((r) => r.query_id);
      return rows.map((r) => [r.version, r.operation, ids(r.version)]);
    });

  const pendingRows = (): number => catalog((db) => (db.prepare('SELECT COUNT(*) AS n FROM pending_objects').get() as { n: number }).n);

  /** Objects in the store that no partition row of any table references (left over, or for GC). */
  function unreferencedObjects(): string[] {
    const data = path.join(e.home, 'home', 'data');
    const files = readdirSync(data, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => path.relative(data, path.join(d.parentPath, d.name)));
    const known = new Set(catalog((db) => (db.prepare('SELECT object_key FROM partitions').all() as { object_key: string }[]).map((r) => r.object_key)));
    return files.filter((f) => !known.has(f));
  }

  it('makes a session\'s writes visible only at COMMIT, each table in one version, read by the session meanwhile', async () => {
    const session = newSession();
    await e.run(`INSERT INTO ${t} VALUES (1)`);
    await e.run('BEGIN TRANSACTION', undefined, { transaction: session });
    expect(session.id).toMatch(/^\d{19,}$/);
    await e.run(`INSERT INTO ${t} VALUES (2), (3)`, undefined, { transaction: session });
    await e.run(`INSERT INTO ${u} VALUES (10)`, undefined, { transaction: session });
    await e.run(`DELETE FROM ${t} WHERE x = 1`, undefined, { transaction: session });
    // The session reads its own writes; everybody else reads the committed table.
    expect(await values(t, session)).toEqual(['2', '3']);
    expect(await values(u, session)).toEqual(['10']);
    expect(await values(t)).toEqual(['1']);
    expect(await values(u)).toEqual([]);
    expect(pendingRows()).toBe(2);

    await e.run('COMMIT', undefined, { transaction: session });
    expect(session.id).toBeNull();
    expect(await values(t)).toEqual(['2', '3']);
    expect(await values(u)).toEqual(['10']);
    const log = versions(t);
    expect(log).toHaveLength(3);
    const [create, insert1, txnVersion] = log;
    expect(create.slice(0, 2)).toEqual([0, 'CREATE TABLE']);
    expect(insert1.slice(0, 2)).toEqual([1, 'INSERT']);
    expect(txnVersion.slice(0, 2)).toEqual([2, 'INSERT, DELETE']);
    expect(txnVersion[2]).toHaveLength(2);
    expect(versions(u).map((v) => v.slice(0, 2))).toEqual([
      [0, 'CREATE TABLE'],
      [1, 'INSERT'],
    ]);
    expect(pendingRows()).toBe(0);
  });

  it('ROLLBACK discards the writes and deletes their objects, leaving nothing for GC', async () => {
    await e.run(`INSERT INTO ${t} VALUES (1), (2)`);
    const before = unreferencedObjects();
    const session = newSession();
    await e.run('BEGIN', undefined, { transaction: session });
    await e.run(`INSERT INTO ${t} VALUES (3)`, undefined, { transaction: session });
    await e.run(`UPDATE ${t} SET x = x * 10`, undefined, { transaction: session });
    await e.run(`TRUNCATE TABLE ${u}`, undefined, { transaction: session });
    expect(await values(t, session)).toEqual(['10', '20', '30']);
    await e.run('ROLLBACK WORK', undefined, { transaction: session });
    expect(await values(t)).toEqual(['1', '2']);
    expect(await values(t, session)).toEqual(['1', '2']);
    expect(versions(t).map((v) => v[1])).toEqual(['CREATE TABLE', 'INSERT']);
    expect(pendingRows()).toBe(0);
    expect(unreferencedObjects()).toEqual(before);
  });

  it('commits a rewrite of its own uncommitted rows without leaving the rewritten objects behind', async () => {
    const before = unreferencedObjects();
    await e.run(`BEGIN; INSERT INTO ${t} VALUES (1), (2), (3); UPDATE ${t} SET x = x + 100 WHERE x = 1; DELETE FROM ${t} WHERE x = 3; COMMIT`);
    expect(await values(t)).toEqual(['2', '101']);
    expect(versions(t).map((v) => v.slice(0, 2))).toEqual([
      [0, 'CREATE TABLE'],
      [1, 'INSERT, UPDATE, DELETE'],
    ]);
    expect(pendingRows()).toBe(0);
    expect(unreferencedObjects()).toEqual(before);
  });

  it('runs MERGE and INSERT OVERWRITE over the transaction\'s own rows', async () => {
    const before = unreferencedObjects();
    await e.run(`INSERT INTO ${u} VALUES (1), (2)`);
    const session = newSession();
    await e.run(`BEGIN; INSERT INTO ${t} VALUES (1), (5)`, undefined, { transaction: session });
    await e.run(`MERGE INTO ${t} USING ${u} s ON ${t}.x = s.x WHEN MATCHED THEN UPDATE SET x = 10 WHEN NOT MATCHED THEN INSERT (x) VALUES (s.x)`, undefined, { transaction: session });
    expect(await values(t, session)).toEqual(['2', '5', '10']);
    await e.run(`INSERT OVERWRITE INTO ${u} SELECT x * 100 FROM ${t}`, undefined, { transaction: session });
    expect(await values(u, session)).toEqual(['200', '500', '1000']);
    expect(await values(u)).toEqual(['1', '2']);
    await e.run('COMMIT', undefined, { transaction: session });
    expect(await values(t)).toEqual(['2', '5', '10']);
    expect(await values(u)).toEqual(['200', '500', '1000']);
    expect(versions(t).map((v) => v[1])).toEqual(['CREATE TABLE', 'INSERT, MERGE']);
    expect(versions(u).map((v) => v[1])).toEqual(['CREATE TABLE', 'INSERT', 'INSERT OVERWRITE']);
    expect(pendingRows()).toBe(0);
    // u's first partition left the table but stays in its history; nothing else is unreferenced.
    expect(unreferencedObjects()).toEqual(before);
  });

  it('runs statements of one transaction at the same time as sessions do: a conflicting DELETE runs again on the new view', async () => {
    const session = newSession();
    await e.run(`BEGIN; INSERT INTO ${t} VALUES (1), (2), (3), (4)`, undefined, { transaction: session });
    const deleted = await Promise.all([1, 2].map((x) => e.run(`DELETE FROM ${t} WHERE x = ${x}`, undefined, { transaction: session })));
    expect(deleted.map((r) => r.rows)).toEqual([[['1']], [['1']]]);
    expect(await values(t, session)).toEqual(['3', '4']);
    await e.run('COMMIT', undefined, { transaction: session });
    expect(await values(t)).toEqual(['3', '4']);
    expect(pendingRows()).toBe(0);
  });

  it('adds no version to a table whose changes in the transaction cancel out', async () => {
    const before = unreferencedObjects();
    await e.run(`BEGIN; INSERT INTO ${t} VALUES (1), (2); DELETE FROM ${t}; INSERT INTO ${u} VALUES (3); COMMIT`);
    expect(versions(t).map((v) => v[1])).toEqual(['CREATE TABLE']);
    expect(versions(u).map((v) => v[1])).toEqual(['CREATE TABLE', 'INSERT']);
    expect(await values(t)).toEqual([]);
    expect(pendingRows()).toBe(0);
    expect(unreferencedObjects()).toEqual(before);
  });

  it('rolls back a transaction the request leaves open (the request is the session)', async () => {
    const before = unreferencedObjects();
    const r = await e.run(`BEGIN; INSERT INTO ${t} VALUES (1); SELECT COUNT(*) FROM ${t}`);
    expect(r.rows).toEqual([['1']]);
    expect(await values(t)).toEqual([]);
    expect(pendingRows()).toBe(0);
    expect(unreferencedObjects()).toEqual(before);
  });

  it('ignores BEGIN inside a transaction, and COMMIT or ROLLBACK outside one', async () => {
    const session = newSession();
    await e.run('COMMIT; ROLLBACK', undefined, { transaction: session });
    await e.run(`BEGIN; INSERT INTO ${t} VALUES (1); START TRANSACTION NAME again`, undefined, { transaction: session });
    const id = session.id;
    await e.run(`INSERT INTO ${t} VALUES (2); BEGIN WORK`, undefined, { transaction: session });
    expect(session.id).toBe(id);
    await e.run('ROLLBACK', undefined, { transaction: session });
    expect(await values(t)).toEqual([]);
  });

  it('commits the open transaction before DDL, which runs on its own: the session is back in autocommit', async () => {
    const session = newSession();
    await e.run(`BEGIN; INSERT INTO ${t} VALUES (7)`, undefined, { transaction: session });
    await e.run(`CREATE TABLE ${t}_DDL (y INTEGER)`, undefined, { transaction: session });
    expect(session.id).toBeNull();
    expect(await values(t)).toEqual(['7']);
    await e.run(`INSERT INTO ${u} VALUES (8); ROLLBACK`, undefined, { transaction: session });
    expect(await values(u)).toEqual(['8']);
  });

  it('fails a COMMIT that conflicts with a concurrent commit with 40001, committing nothing on any table', async () => {
    await e.run(`INSERT INTO ${t} VALUES (1); INSERT INTO ${t} VALUES (2)`);
    const before = unreferencedObjects();
    const session = newSession();
    await e.run(`BEGIN; INSERT INTO ${u} VALUES (5); DELETE FROM ${t} WHERE x = 1`, undefined, { transaction: session });
    // Another session removes the same partition first.
    await e.run(`DELETE FROM ${t} WHERE x = 1`);
    const failed = await outcome(e.run('COMMIT', undefined, { transaction: session }));
    expect(failed).toMatchObject({ code: '390501', message: expect.stringMatching(/^Transaction \d+ was rolled back: Table 'FIRN\.PUBLIC\.T\d+' was changed by another statement/) });
    expect(session.id).toBeNull();
    expect(await values(t)).toEqual(['2']);
    expect(await values(u)).toEqual([]);
    expect(versions(u).map((v) => v[1])).toEqual(['CREATE TABLE']);
    expect(pendingRows()).toBe(0);
    // The concurrent DELETE's rewrite objects are referenced; the transaction's are gone.
    expect(unreferencedObjects()).toEqual(before);
  });

  it('lets concurrent appends through: a transaction commits after another session inserted into its table', async () => {
    const session = newSession();
    await e.run(`BEGIN; INSERT INTO ${t} VALUES (1)`, undefined, { transaction: session });
    await e.run(`INSERT INTO ${t} VALUES (2)`);
    expect(await values(t, session)).toEqual(['1']);
    await e.run('COMMIT', undefined, { transaction: session });
    expect(await values(t)).toEqual(['1', '2']);
  });

  it('keeps what it reads and what it wrote from garbage collection until it ends', async () => {
    await e.run(`INSERT INTO ${t} VALUES (1); INSERT INTO ${t} VALUES (2)`);
    const session = newSession();
    await e.run(`BEGIN; INSERT INTO ${u} VALUES (3); DELETE FROM ${t} WHERE x = 1`, undefined, { transaction: session });
    // Another session removes x = 2's partition; with retention 0 nothing but the transaction keeps it.
    await e.run(`DELETE FROM ${t} WHERE x = 2`);
    await e.run('SELECT SYSTEM$COLLECT_GARBAGE()');
    expect(await values(t, session)).toEqual(['2']);
    expect(await values(u, session)).toEqual(['3']);
    await e.run('COMMIT', undefined, { transaction: session });
    expect(await values(t)).toEqual([]);
    expect(await values(u)).toEqual(['3']);
  });

  it('loads files with COPY INTO in a transaction: skipped when loaded earlier in it, recorded only at COMMIT', async () => {
    const file = path.join(files, `${t}.csv`);
    writeFileSync(file, '1\n2\n');
    const loads = () => catalog((db) => (db.prepare('SELECT COUNT(*) AS n FROM load_history l JOIN tables t ON t.id = l.table_id WHERE t.name = ?').get(t) as { n: number }).n);
    const session = newSession();
    await e.run(`BEGIN; COPY INTO ${t} FROM 'file://${file}'`, undefined, { transaction: session });
    const again = await e.run(`COPY INTO ${t} FROM 'file://${file}'`, undefined, { transaction: session });
    expect(again.rows).toEqual([['Copy executed with 0 files processed.']]);
    expect(loads()).toBe(0);
    await e.run('ROLLBACK', undefined, { transaction: session });
    expect(loads()).toBe(0);
    await e.run(`BEGIN; COPY INTO ${t} FROM 'file://${file}'; COMMIT`);
    expect(loads()).toBe(1);
    expect(await values(t)).toEqual(['1', '2']);
  });

  it('names the statements that ran, with their handles and fate, when one of a request fails', async () => {
    const session = newSession();
    const err = await e
      .run(`INSERT INTO ${t} VALUES (1); BEGIN; INSERT INTO ${t} VALUES (2); SELECT 1 / 0; INSERT INTO ${t} VALUES (3); COMMIT`, undefined, { transaction: session })
      .then(() => null, (x: unknown) => x);
    expect(err).toBeInstanceOf(MultiStatementError);
    const m = err as MultiStatementError;
    expect([m.code, m.sqlState, m.message]).toEqual(['100051', '22012', 'Division by zero']);
    expect(m.failed.index).toBe(4);
    expect(m.ran.map((r) => [r.index, r.state])).toEqual([
      [1, 'committed'],
      [2, 'pending'],
      [3, 'pending'],
    ]);
    expect(m.notRun).toEqual([5, 6]);
    expect(m.total).toBe(6);
    expect(new Set([...m.ran.map((r) => r.handle), m.failed.handle]).size).toBe(4);
    expect(m.summary).toBe(
      `Statement 4 of 6 (${m.failed.handle}) failed; statements ran: 1 (${m.ran[0].handle}, committed), 2 (${m.ran[1].handle}, pending), 3 (${m.ran[2].handle}, pending); not run: 5, 6.`,
    );
    // The session's transaction stays open (Snowflake does not abort it on a statement's error).
    expect(await values(t, session)).toEqual(['1', '2']);
    await e.run('ROLLBACK', undefined, { transaction: session });
    expect(await values(t)).toEqual(['1']);

    // A transaction committed earlier in the request (by COMMIT, or by DDL) is committed.
    const later = await e
      .run(`BEGIN; INSERT INTO ${t} VALUES (4); COMMIT; BEGIN; INSERT INTO ${t} VALUES (5); CREATE TABLE ${t}_X (y INTEGER); BEGIN; INSERT INTO ${t} VALUES (6); SELECT 1 / 0`, undefined, { transaction: session })
      .then(() => null, (x: unknown) => x as MultiStatementError);
    expect(later!.ran.map((r) => r.state)).toEqual(['committed', 'committed', 'committed', 'committed', 'committed', 'committed', 'pending', 'pending']);
    await e.run('ROLLBACK', undefined, { transaction: session });
    expect(await values(t)).toEqual(['1', '4', '5']);

    // Without a session the request's transaction ends with it: rolled back.
    const own = await e.run(`BEGIN; INSERT INTO ${u} VALUES (1); SELECT 1 / 0`).then(() => null, (x: unknown) => x as MultiStatementError);
    expect(own!.ran.map((r) => r.state)).toEqual(['rolled_back', 'rolled_back']);
    expect(own!.notRun).toEqual([]);
    expect(await values(u)).toEqual([]);
  });

  it('lists open transactions in SHOW TRANSACTIONS: the user\'s own, or with IN ACCOUNT every user\'s, to ACCOUNTADMIN only', async () => {
    await e.run('CREATE USER TXN_BOB; GRANT ROLE SYSADMIN TO USER TXN_BOB');
    const bob = { user: 'TXN_BOB', role: 'SYSADMIN' };
    const mine = newSession();
    const his = newSession();
    await e.run('BEGIN NAME load_1', undefined, { transaction: mine });
    await e.run('BEGIN', bob, { transaction: his });
    const started = Date.now();
    const shown = await e.run('SHOW TRANSACTIONS', undefined, { transaction: mine });
    expect(shown.columns).toEqual(['id', 'user', 'session', 'name', 'started_on', 'state', 'scope']);
    expect(shown.rows).toEqual([[mine.id, 'ADMIN', `S${sessions - 1}`, 'LOAD_1', expect.any(String), 'running', '0']]);
    expect(Math.abs(Number(shown.rows[0][4]) * 1000 - started)).toBeLessThan(60_000);
    const all = await e.run('SHOW TRANSACTIONS IN ACCOUNT');
    expect(all.rows.map((r) => [r[0], r[1], r[2], r[5]])).toEqual([
      [mine.id, 'ADMIN', `S${sessions - 1}`, 'running'],
      [his.id, 'TXN_BOB', `S${sessions}`, 'running'],
    ]);
    expect(all.rows[1][3]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(await outcome(e.run('SHOW TRANSACTIONS IN ACCOUNT', bob))).toEqual({
      code: '003001',
      message: "SQL access control error: Insufficient privileges to operate on account 'FIRN'",
    });
    expect((await e.run('SHOW TRANSACTIONS', bob)).rows.map((r) => r[0])).toEqual([his.id]);
    await e.run('COMMIT', undefined, { transaction: mine });
    await e.run('ROLLBACK', bob, { transaction: his });
    expect((await e.run('SHOW TRANSACTIONS IN ACCOUNT')).rows).toEqual([]);
  });

  it('answers 000008 when the request holds another number of statements than MULTI_STATEMENT_COUNT, running none', async () => {
    const run = (sql: string, count?: number) =>
      outcome(e.engine.execute({ sql, context: { database: 'FIRN', schema: 'PUBLIC', warehouse: 'COMPUTE_WH' }, identity: SYSTEM_IDENTITY, queryId: randomUUID(), parameters: count === undefined ? {} : { multiStatementCount: count } }));
    expect(await run(`INSERT INTO ${t} VALUES (1); INSERT INTO ${t} VALUES (2)`)).toEqual({
      code: '000008',
      message: 'Actual statement count 2 did not match the desired statement count 1.',
    });
    expect(await run(`INSERT INTO ${t} VALUES (1); INSERT INTO ${t} VALUES (2)`, 3)).toEqual({
      code: '000008',
      message: 'Actual statement count 2 did not match the desired statement count 3.',
    });
    expect(await values(t)).toEqual([]);
    expect(await run(`INSERT INTO ${t} VALUES (1); INSERT INTO ${t} VALUES (2)`, 2)).toBe('ok');
    expect(await run(`INSERT INTO ${t} VALUES (3)`, 0)).toBe('ok');
    expect(await values(t)).toEqual(['1', '2', '3']);
  });
});

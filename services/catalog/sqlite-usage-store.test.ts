import type { Database, Statement } from 'better-sqlite3';
import { openSqliteDatabase, pragma } from './open-sqlite-database.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateCatalog } from './migrations.js';
import { SqliteCatalog } from './sqlite-catalog.js';
import { SqliteUsageStore } from './sqlite-usage-store.js';
import type { QueryRecord } from './usage-store.js';

const DAY = 86_400_000;
const T = Date.UTC(2026, 5, 1);

function rec(id: string, start: number, extra: Partial<QueryRecord> = {}): QueryRecord {
  return {
    queryId: id, queryText: `SELECT '${id}'`, databaseName: 'FIRN', schemaName: 'PUBLIC', sessionId: 7, userName: 'ADMIN', roleName: 'ACCOUNTADMIN', warehouseId: 1, warehouseName: 'COMPUTE_WH',
    warehouseSize: 'XSMALL', clusterNumber: 1, queryTag: null, executionStatus: 'SUCCESS', errorCode: null, errorMessage: null, startTime: start,
    endTime: start + 5, totalElapsedTime: 5, queuedOverloadTime: 0, bytesScanned: 10, partitionsScanned: 1, partitionsTotal: 2,
    percentageScannedFromCache: 0.5, bytesSpilled: 0, rowsProduced: 1, ...extra,
  };
}

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), 'firn-usage-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('SqliteUsageStore query history', () => {
  it('buffers records, writes them in one batch off the caller, and a read or close flushes first; they survive reopening', async () => {
    const catalog = new SqliteCatalog(home);
    const raw = openSqliteDatabase(path.join(home, 'catalog.sqlite'), { readonly: true });
    catalog.usage.recordQuery(rec('q1', T));
    catalog.usage.recordQuery(rec('q2', T + 10, { executionStatus: 'FAIL', errorCode: '001003', errorMessage: 'syntax error', rowsProduced: 0 }));
    // Not written yet: the caller never waits for the disk.
    expect(raw.prepare('SELECT count(*) AS n FROM query_history').get()).toEqual({ n: 0 });
    await new Promise((r) => setTimeout(r, 50));
    expect(raw.prepare('SELECT count(*) AS n FROM query_history').get()).toEqual({ n: 2 });
    catalog.usage.recordQuery(rec('q3', T + 20));
    expect(catalog.usage.queryHistory().map((r) => r.queryId)).toEqual(['q3', 'q2', 'q1']);
    catalog.usage.recordQuery(rec('q4', T + 30, { sessionId: 8, warehouseName: 'OTHER_WH', userName: 'BOB' }));
    catalog.close();
    raw.close();
    const again = new SqliteCatalog(home);
    const all = again.usage.queryHistory();
    expect(all.map((r) => r.queryId)).toEqual(['q4', 'q3', 'q2', 'q1']);
    expect(all[2]).toEqual(rec('q2', T + 10, { executionStatus: 'FAIL', errorCode: '001003', errorMessage: 'syntax error', rowsProduced: 0 }));
    expect(again.usage.queryHistory({ endFrom: T + 16, endTo: T + 25 }).map((r) => r.queryId)).toEqual(['q3']);
    expect(again.usage.queryHistory({ limit: 1 }).map((r) => r.queryId)).toEqual(['q4']);
    expect(again.usage.queryHistory({ sessionId: 8 }).map((r) => [r.queryId, r.sessionId])).toEqual([['q4', 8]]);
    expect(again.usage.queryHistory({ sessionId: 7, endFrom: T + 16 }).map((r) => r.queryId)).toEqual(['q3']);
    expect(again.usage.queryHistory({ warehouseName: 'OTHER_WH' }).map((r) => r.queryId)).toEqual(['q4']);
    expect(again.usage.queryHistory({ warehouseName: 'COMPUTE_WH', userName: 'BOB' })).toEqual([]);
    again.close();
  });

  it('keeps 365 days and at most maxRows statements, dropping the oldest', () => {
    const db = openSqliteDatabase(':memory:');
    migrateCatalog(db);
    const store = new SqliteUsageStore(db, 3);
    store.recordQuery(rec('old', T - 366 * DAY));
    store.recordQuery(rec('kept', T - 364 * DAY));
    store.recordQuery(rec('now', T));
    expect(store.queryHistory().map((r) => r.queryId)).toEqual(['now', 'kept']);
    // Pruning by count runs every 1,000 rows written.
    for (let i = 0; i < 1000; i++) store.recordQuery(rec(`n${i}`, T + 1 + i));
    expect(store.queryHistory().map((r) => r.queryId)).toEqual(['n999', 'n998', 'n997']);
    db.close();
  });

  it('commits history and metering without an fsync (synchronous=NORMAL), leaving the connection at FULL; a caller\'s transaction decides for itself', () => {
    const db = openSqliteDatabase(path.join(home, 'catalog.sqlite'));
    pragma(db, 'journal_mode = WAL');
    pragma(db, 'synchronous = FULL');
    migrateCatalog(db);
    // Each write records the connection's level at the moment it runs.
    const levels: unknown[] = [];
    const bind = (target: object, key: string | symbol) => {
      const v = Reflect.get(target, key);
      return typeof v === 'function' ? v.bind(target) : v;
    };
    const spied = (st: Statement) =>
      new Proxy(st, {
        get: (t, k) => (k === 'run' ? (...args: unknown[]) => (levels.push(pragma(db, 'synchronous')), t.run(...args)) : bind(t, k)),
      });
    const spy = new Proxy(db, { get: (t, k) => (k === 'prepare' ? (sql: string) => (sql.startsWith('PRAGMA') ? t.prepare(sql) : spied(t.prepare(sql))) : bind(t, k)) }) as Database;
    const store = new SqliteUsageStore(spy);
    store.startSegment({ warehouseId: 1, warehouseName: 'W', cluster: 1, size: 'XSMALL', runStartedAt: T, startedAt: T });
    store.heartbeat(T + 1_000);
    store.recordQuery(rec('q1', T));
    store.recordQuery(rec('q2', T + 1));
    store.flush();
    store.endSegment(1, 1, T + 2_000);
    store.pruneSegments(T - DAY);
    // startSegment, heartbeat, two history rows (and the first batch's pruning), endSegment, pruneSegments.
    expect(levels.length).toBeGreaterThanOrEqual(6);
    expect(new Set(levels)).toEqual(new Set([1]));
    expect(pragma(db, 'synchronous')).toBe(2);
    levels.length = 0;
    db.transaction(() => store.heartbeat(T + 3_000)).immediate();
    expect(levels).toEqual([2]);
    expect(store.queryHistory().map((r) => r.queryId)).toEqual(['q2', 'q1']);
    db.close();
  });
});

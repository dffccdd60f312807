import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pragma } from './open-sqlite-database.js';
import { SqliteCatalog } from './sqlite-catalog.js';
import { WalCheckpointer } from './wal-checkpointer.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), 'firn-wal-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const sizeOf = (file: string) => statSync(file).size;

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('WalCheckpointer', () => {
  it('copies the catalog log into the database file off the event loop, where commits no longer checkpoint', async () => {
    const catalog = new SqliteCatalog(home, { checkpointThreadDelayMs: 0 });
    const file = path.join(home, 'catalog.sqlite');
    const db = (catalog as unknown as { db: import('better-sqlite3').Database }).db;
    // Until the thread starts, commits checkpoint as SQLite does by default.
    expect(pragma(db, 'wal_autocheckpoint')).toBe(1000);
    await until(() => pragma(db, 'wal_autocheckpoint') === 0, 5_000);
    expect(pragma(db, 'wal_autocheckpoint')).toBe(0);
    // About 2 MiB of commits: below SQLite's own 1,000-page threshold, so only the thread
    // copies them into the database file.
    const before = sizeOf(file);
    for (let i = 0; i < 200; i++) {
      catalog.usage.recordQuery({
        queryId: `q${i}`, queryText: `SELECT '${'x'.repeat(10_000)}' -- ${i}`, databaseName: null, schemaName: null, sessionId: null, userName: null, roleName: null,
        warehouseId: null, warehouseName: null, warehouseSize: null, clusterNumber: null, queryTag: null, executionStatus: 'SUCCESS', errorCode: null,
        errorMessage: null, startTime: i, endTime: i, totalElapsedTime: 0, queuedOverloadTime: 0, bytesScanned: 0, partitionsScanned: 0,
        partitionsTotal: 0, percentageScannedFromCache: 0, bytesSpilled: 0, rowsProduced: 0,
      });
      catalog.usage.flush();
    }
    expect(sizeOf(`${file}-wal`)).toBeGreaterThan(2_000_000);
    expect(await until(() => sizeOf(file) > before + 2_000_000, 5_000)).toBe(true);
    catalog.close();
  });

  it('reports once when its thread cannot run, so the caller can checkpoint on commit again', async () => {
    const reasons: string[] = [];
    new WalCheckpointer(path.join(home, 'missing.sqlite'), (r) => reasons.push(r), 20);
    expect(await until(() => reasons.length > 0, 5_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/WAL checkpoint thread/);
  });
});

/**
 * After a warm-up, the catalog prepares no new SQLite statement: every better-sqlite3 Statement
 * it uses is created once and retained, so none is ever garbage collected (whose destructor
 * aborts the process under Node ≥ 24.19, see open-sqlite-database.ts). Counted at better-sqlite3's
 * native prepare, which every path reaches: `db.prepare`, `db.pragma` and transactions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openSqliteDatabase, pragma } from './open-sqlite-database.js';
import { SqliteCatalog } from './sqlite-catalog.js';

/** better-sqlite3's native database object behind a Database (held under a symbol property). */
function nativeOf(db: Database): { prepare: (...args: unknown[]) => unknown } {
  const holder = db as unknown as Record<symbol, { prepare: (...args: unknown[]) => unknown }>;
  const symbol = Object.getOwnPropertySymbols(db).find((s) => typeof holder[s]?.prepare === 'function');
  if (symbol === undefined) throw new Error('no native database under a symbol');
  return holder[symbol]!;
}

describe('openSqliteDatabase', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'firn-open-sqlite-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prepares each SQL text once and returns the same Statement afterwards', () => {
    const db = openSqliteDatabase(':memory:');
    const first = db.prepare('SELECT ? AS x');
    expect(db.prepare('SELECT ? AS x')).toBe(first);
    expect(first.get(7)).toEqual({ x: 7 });
    expect(db.prepare('SELECT ? AS y')).not.toBe(first);
    expect(pragma(db, 'foreign_keys = ON')).toBeUndefined();
    expect(pragma(db, 'foreign_keys')).toBe(1);
    db.close();
  });

  it('a warmed-up catalog creates no new native statement, whatever its filters and limits', () => {
    const catalog = new SqliteCatalog(dir);
    const db = (catalog as unknown as { db: Database }).db;
    const native = Object.getPrototypeOf(nativeOf(db)) as { prepare: (...args: unknown[]) => unknown };
    const workload = (round: number) => {
      const database = catalog.createDatabase(`D${round}`);
      catalog.createSchema(database.name, 'S');
      catalog.connectionSettings();
      for (const roles of [['PUBLIC'], ['PUBLIC', 'SYSADMIN'], ['A', 'B', 'C', `R${round}`]]) {
        catalog.grants.privilegeGrants({ roles });
        catalog.grants.owners({ roles });
        catalog.grants.futureGrants({ roles, schemaId: 1 });
      }
      for (const limit of [1, 5, 10 + round]) catalog.usage.queryHistory({ limit, userName: 'ADMIN' });
      catalog.usage.queryHistory({});
    };
    workload(0);
    const spy = vi.spyOn(native, 'prepare');
    try {
      workload(1);
      workload(2);
      expect(spy.mock.calls.map((c) => c[0])).toEqual([]);
    } finally {
      spy.mockRestore();
      catalog.close();
    }
  });
});

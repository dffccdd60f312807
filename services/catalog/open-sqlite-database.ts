/**
 * Opens a better-sqlite3 database that can never take the process down by being garbage collected.
 *
 * Why: since Node 24.19, `node::ObjectWrap`'s destructor removes an environment cleanup hook and
 * CHECKs that a Node environment is current (nodejs/node#65446). better-sqlite3 12 builds its
 * Database and Statement on that raw ObjectWrap, so when V8 collects a Statement outside a
 * context (an idle or background GC), the process aborts with
 * `Assertion failed: (env) != nullptr` in `Statement::~Statement`; that took the server down in
 * the middle of a large array-bound INSERT. better-sqlite3 13 moved to node-addon-api, but its
 * prebuilt binary needs Node-API 10 and crashes on Node 20, which Firn still supports.
 *
 * Contract: every Database opened here, and every Statement it prepares, stays reachable for the
 * life of the process, so V8 never runs their destructors. To keep that bounded, `prepare` on the
 * returned Database prepares each SQL text once and hands back the same Statement afterwards;
 * callers must therefore bind values as parameters rather than splicing them into the SQL text,
 * and must not change a shared Statement's mode (`pluck`, `raw`, `expand`, `safeIntegers`).
 * Use `pragma(db, …)` below instead of `db.pragma`, which prepares a fresh Statement per call.
 */
import Sqlite from 'better-sqlite3';
import type { Database, Options, Statement } from 'better-sqlite3';

const RETAINED: { db: Database; statements: Map<string, Statement> }[] = [];

export function openSqliteDatabase(file: string, options?: Options): Database {
  const db = new Sqlite(file, options);
  const statements = new Map<string, Statement>();
  RETAINED.push({ db, statements });
  const prepareNative = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = prepareNative(sql);
      statements.set(sql, statement);
    }
    return statement;
  }) as Database['prepare'];
  return db;
}

/** `PRAGMA <text>` through the database's retained statements: the first column of its first row, if any. */
export function pragma(db: Database, text: string): unknown {
  const statement = db.prepare(`PRAGMA ${text}`);
  if (!statement.reader) {
    statement.run();
    return undefined;
  }
  const row = statement.get() as Record<string, unknown> | undefined;
  return row === undefined ? undefined : Object.values(row)[0];
}

/**
 * Temporary tables and views, as Snowflake has them: they exist only in the session that
 * created them, no other session sees them, they take precedence over a permanent object of the
 * same name in that session, and they are dropped (their data purged) when the session ends.
 *
 * How: a temporary object is an ordinary catalog object under a stored name no user writes,
 * `$TMP$<scope>$<NAME>`, in the schema the user named; `<scope>` is a hash of the session's id
 * (SessionTransaction.session: the login session, or the request when the request is its own
 * session). The session's SessionTransaction lists its temporary objects and drops them when it
 * closes (logout, expiry, the end of a bearer token's request); the engine puts that list into
 * each statement's SessionContext (`temporary`), where name resolution (resolveTableName,
 * findView) maps `DB.S.NAME` to the stored name. A temporary table is transient (no fail-safe,
 * at most 1 day of retention) and dropped with retention 0, so GC reclaims its data at once.
 * Listings (SHOW, INFORMATION_SCHEMA, schema clones) leave out other sessions' temporary objects
 * and show the session's own under their names. At startup, temporary objects a crash left
 * behind are dropped (`dropStaleTemporaries`): no session outlives the process.
 */
import { createHash } from 'node:crypto';
import { NotSupportedError } from '../../storage/errors/firn-error.js';
import type { Catalog } from '../catalog/catalog.js';

const PREFIX = '$TMP$';

/** The session's temporary objects: its scope, and `DB.SCHEMA.NAME` -> stored name per kind. */
export type TemporaryObjects = { scope: string; tables: ReadonlyMap<string, string>; views: ReadonlyMap<string, string> };

/** The scope of a session's stored names. */
export function temporaryScope(session: string): string {
  return createHash('sha1').update(session).digest('hex').slice(0, 12);
}

export function storedTemporaryName(scope: string, name: string): string {
  return `${PREFIX}${scope}$${name}`;
}

/** Where CREATE TEMPORARY puts `n`: its stored name in the session's scope. */
export function temporaryTarget(temporary: TemporaryObjects | undefined, n: { database: string; schema: string; table: string }): { database: string; schema: string; table: string } {
  if (!temporary) throw new NotSupportedError('Temporary objects outside a session');
  return { ...n, table: storedTemporaryName(temporary.scope, n.table) };
}

/** The key of a temporary object in TemporaryObjects' maps. */
export function temporaryKey(database: string, schema: string, name: string): string {
  return JSON.stringify([database, schema, name]);
}

/**
 * How a listing shows a catalog name: a permanent object's name as it is, the session's own
 * temporary object under its user name (`temporary` true), another session's not at all (null).
 */
export function listedName(stored: string, temporary: TemporaryObjects | undefined): { name: string; temporary: boolean } | null {
  if (!stored.startsWith(PREFIX)) return { name: stored, temporary: false };
  const own = temporary ? `${PREFIX}${temporary.scope}$` : null;
  return own !== null && stored.startsWith(own) ? { name: stored.slice(own.length), temporary: true } : null;
}

/** Whether a catalog name is a temporary object's stored name. */
export function isTemporaryName(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** The user's name of a stored name (a temporary object's without its prefix), for messages. */
export function displayName(stored: string): string {
  if (!stored.startsWith(PREFIX)) return stored;
  const end = stored.indexOf('$', PREFIX.length);
  return end < 0 ? stored : stored.slice(end + 1);
}

/** Drops every temporary table and view in the catalog (at startup, when no session exists yet); returns how many. */
export function dropStaleTemporaries(catalog: Catalog): number {
  let dropped = 0;
  for (const db of catalog.listDatabases()) {
    for (const s of catalog.listSchemas(db.name)) {
      for (const t of catalog.listTables(db.name, s.name)) {
        if (!t.name.startsWith(PREFIX)) continue;
        dropTemporaryTable(catalog, db.name, s.name, t.name);
        dropped++;
      }
      for (const v of catalog.views.listViews(s.id)) {
        if (!v.name.startsWith(PREFIX)) continue;
        dropTemporaryView(catalog, s.id, v.name);
        dropped++;
      }
    }
  }
  return dropped;
}

/** Drops a temporary table for good: retention 0 (GC reclaims it), no grants left on it. */
export function dropTemporaryTable(catalog: Catalog, database: string, schema: string, stored: string): void {
  const t = catalog.getTable(database, schema, stored);
  if (!t) return;
  catalog.grants.atomically(() => {
    catalog.setRetention({ kind: 'table', tableId: t.id }, 0);
    catalog.dropTable(database, schema, stored, { ifExists: true });
    catalog.grants.revokeAllOn({ kind: 'TABLE', objectId: t.id });
  });
}

export function dropTemporaryView(catalog: Catalog, schemaId: number, stored: string): void {
  catalog.grants.atomically(() => {
    const v = catalog.views.dropView(schemaId, stored);
    if (v) catalog.grants.revokeAllOn({ kind: 'VIEW', objectId: v.id });
  });
}

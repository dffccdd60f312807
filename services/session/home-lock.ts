/**
 * One Firn process per FIRN_HOME. The embedded catalog and startup recovery
 * (recover-pending-objects.ts) rely on the process that opens FIRN_HOME owning it: recovery
 * deletes every pending object as the leftover of a dead statement. Without this lock a second
 * server started on the same home (a second `npm start`, even one that then fails to bind its
 * port) deletes the objects a running server is writing, and that server then commits
 * partitions whose objects are gone.
 *
 * Contract: lockFirnHome(home) takes an exclusive lock on $FIRN_HOME/firn.lock, or throws
 * StorageError HOME_IN_USE at once when another process holds it. The lock is an SQLite
 * EXCLUSIVE transaction kept open, i.e. a POSIX file lock: the operating system releases it
 * when the process dies, so a kill -9 leaves no stale lock behind (SQLite keeps a
 * firn.lock-journal beside it while it is held). release() gives it up.
 */
import type { Database } from 'better-sqlite3';
import { openSqliteDatabase } from '../catalog/open-sqlite-database.js';
import { StorageError } from '../../storage/errors/firn-error.js';
import { firnHomePath } from '../../storage/firn-home/firn-home-path.js';

/** The lock file's name inside FIRN_HOME. */
export const HOME_LOCK_FILE_NAME = 'firn.lock';

export type HomeLock = { release(): void };

export function lockFirnHome(home: string): HomeLock {
  const file = firnHomePath(home, HOME_LOCK_FILE_NAME);
  let db: Database | null = null;
  try {
    db = openSqliteDatabase(file, { timeout: 0 });
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db?.close();
    const code = (err as { code?: unknown }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new StorageError('HOME_IN_USE', `FIRN_HOME ${home} is in use by another Firn process; stop it first or choose another FIRN_HOME.`);
    }
    throw new StorageError('STORAGE_IO', `cannot lock FIRN_HOME ${home}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const held = db;
  return {
    release: () => {
      if (held.open) held.close();
    },
  };
}

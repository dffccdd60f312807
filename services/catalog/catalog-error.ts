/**
 * How the SQLite stores of the catalog (sqlite-catalog.ts, and the stores sharing its
 * connection) report a failure of SQLite: a locked file after the busy timeout is
 * CONCURRENT_MODIFICATION (the caller changed nothing and may retry), a disk or file failure
 * STORAGE_IO, anything else INTERNAL. FirnErrors thrown inside a transaction pass through.
 */
import { ConcurrencyError, FirnError, InternalError, StorageError } from '../../storage/errors/firn-error.js';

/** Maps whatever SQLite threw onto the error hierarchy; FirnErrors pass through. */
export function catalogError(err: unknown, context: string): FirnError {
  if (err instanceof FirnError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : '';
  let out: FirnError;
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) {
    out = new ConcurrencyError(
      'CONCURRENT_MODIFICATION',
      `The catalog is locked by another writer; nothing was changed (${message}).`,
    );
  } else if (/^SQLITE_(IOERR|FULL|CANTOPEN|CORRUPT|NOTADB|READONLY|PROTOCOL|PERM)/.test(code)) {
    out = new StorageError('STORAGE_IO', `${context}: ${message}`);
  } else {
    out = new InternalError(`${context}: ${message}`);
  }
  out.cause = err;
  return out;
}

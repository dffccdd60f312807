/**
 * Where one statement's spill files go: `<warehouse cache dir>/spill/<queryId>`, on the
 * warehouse's local disk (its SSD cache's file system), inside FIRN_HOME. The coordinator
 * makes it before the statement's first task and removes it when the statement's run ends,
 * whatever happened; what a crashed process left is swept at startup
 * (WarehouseRegistry.sweepSpill).
 *
 * Contract: the query id is a UUID; anything else is refused (it becomes a path segment).
 */
import { InternalError } from '../../storage/errors/firn-error.js';
import { firnHomePath } from '../../storage/firn-home/firn-home-path.js';

export function statementSpillDir(pool: { spillRoot: string }, queryId: string): string {
  if (!/^[0-9a-zA-Z-]+$/.test(queryId)) throw new InternalError(`query id '${queryId}' is not a path segment`);
  return firnHomePath(pool.spillRoot, queryId);
}

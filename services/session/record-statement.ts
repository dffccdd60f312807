/**
 * One statement's row of query history (catalog.usage, usage-store.ts), as the engine's
 * statement lifecycle ends: succeeded (its stats complete, `rows` the rows it answered with),
 * or failed at any phase from parse to the last batch (`error`). Snowflake's fields: the
 * error's code (a FirnError's 6-digit code; anything else is INTERNAL, 000603), the session,
 * user and role it ran as (the session's), the warehouse
 * it ran on with its catalog id, size and cluster (from the stats; when the scheduler does not
 * say, the warehouse's catalog size and cluster 1), times in epoch ms from the engine's clock.
 * The text is kept with its secrets (passwords, keys) replaced by '****' (redact-secrets.ts).
 * ROWS_PRODUCED is the rows the statement answered with, except for INSERT, UPDATE, DELETE
 * and MERGE, whose one status row counts the rows they changed: those are their rows produced
 * (`rowsProduced`).
 */
import { ErrorCodes, FirnError } from '../../storage/errors/firn-error.js';
import type { Catalog } from '../catalog/catalog.js';
import type { QueryRecord } from '../catalog/usage-store.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { redactSecrets } from './redact-secrets.js';
import type { QueryStats, SessionContext } from './statement-result.js';

export type StatementOutcome = {
  queryId: string;
  sql: string;
  session: SessionContext;
  startMs: number;
  endMs: number;
  stats: QueryStats | null;
  rows: number;
  error: unknown;
  /** The session's QUERY_TAG when the statement ran ('' or absent: none). */
  queryTag?: string;
};

/** Buffers the statement's history row; never throws (history must not fail a statement). */
export function recordStatement(catalog: Catalog, o: StatementOutcome): void {
  try {
    catalog.usage.recordQuery(queryRecord(catalog, o));
  } catch (err) {
    process.stderr.write(`firn: query history not recorded: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}

const CHANGED = new Set(['number of rows inserted', 'number of rows updated', 'number of rows deleted']);

/** The rows a statement produced, from its answer (see the module comment). */
export function rowsProduced(columns: readonly Column[], batch: Batch): number {
  if (batch.length !== 1 || columns.length === 0 || !columns.every((c) => c.name.startsWith('number of '))) return batch.length;
  let n = 0;
  columns.forEach((c, i) => {
    if (!CHANGED.has(c.name)) return;
    const v = batch.columns[i];
    if (v.kind === 'dec') n += Number(v.values[0]);
    else if (v.kind === 'i32' || v.kind === 'f64') n += Number(v.values[0]);
  });
  return n;
}

export function queryRecord(catalog: Catalog, o: StatementOutcome): QueryRecord {
  const s = o.stats;
  const warehouse = s?.warehouse ? catalog.getWarehouse(s.warehouse) : null;
  const failed = o.error !== null && o.error !== undefined;
  return {
    queryId: o.queryId,
    queryText: redactSecrets(o.sql),
    databaseName: o.session.database,
    schemaName: o.session.schema,
    sessionId: o.session.sessionId ?? null,
    userName: o.session.user ?? null,
    roleName: o.session.role ?? null,
    warehouseId: warehouse?.id ?? null,
    warehouseName: s?.warehouse ?? null,
    warehouseSize: s?.warehouseSize ?? warehouse?.size ?? null,
    clusterNumber: s?.cluster ?? (warehouse ? 1 : null),
    queryTag: o.queryTag ? o.queryTag : null,
    executionStatus: failed ? 'FAIL' : 'SUCCESS',
    errorCode: failed ? (o.error instanceof FirnError ? o.error.code : ErrorCodes.INTERNAL.code) : null,
    errorMessage: failed ? (o.error instanceof Error ? o.error.message : String(o.error)) : null,
    startTime: o.startMs,
    endTime: o.endMs,
    totalElapsedTime: Math.max(0, o.endMs - o.startMs),
    queuedOverloadTime: Math.round(s?.queuedMs ?? 0),
    bytesScanned: s?.bytesScanned ?? 0,
    partitionsScanned: s?.partitionsScanned ?? 0,
    partitionsTotal: s?.partitionsTotal ?? 0,
    percentageScannedFromCache: s?.cacheHitRatio ?? 0,
    bytesSpilled: s?.bytesSpilled ?? 0,
    rowsProduced: failed ? 0 : o.rows,
  };
}

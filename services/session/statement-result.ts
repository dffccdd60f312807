/**
 * What executing one SQL statement produces, independent of how it is sent to a client
 * (JSON rowset over HTTP, CLI table, EXPLAIN text).
 *
 * Contract: `batch` holds every result row; its columns line up with `columns`.
 * `context` is the session's database/schema/warehouse after the statement (USE changes it).
 */
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';

export type QueryStats = {
  partitionsTotal: number;
  partitionsScanned: number;
  bytesScanned: number;
  cacheHitRatio: number;
  elapsedMs: number;
  warehouse: string | null;
  /** Joins whose build side was too large to broadcast, run partitioned by key across the workers. */
  partitionedJoins: number;
};

export type SessionContext = { database: string | null; schema: string | null; warehouse: string | null };

export type StatementResult = {
  queryId: string;
  columns: Column[];
  batch: Batch;
  stats: QueryStats;
  context: SessionContext;
  /** A multi-statement request: each statement's own result (and handle, its queryId), in order. */
  statements?: StatementResult[];
};

/** `timeout`: seconds the statement may run (the SQL API's field); 0 or absent for no limit. */
/**
 * `timeout`: seconds (0, absent: none); `signal`: fires when the client no longer waits for
 * the answer (the request is then canceled, as a timeout is: services/session/deadline.ts).
 */
export type StatementRequest = { sql: string; context: SessionContext; queryId: string; timeout?: number | null; signal?: AbortSignal | null };

/** The engine behind the HTTP API and the CLI. */
export interface StatementRunner {
  execute(request: StatementRequest): Promise<StatementResult>;
}

/**
 * The catalog's record of what compute ran and what statements did: the rows behind metering
 * (SNOWFLAKE.ACCOUNT_USAGE.WAREHOUSE_METERING_HISTORY) and query history (ACCOUNT_USAGE.QUERY_HISTORY,
 * INFORMATION_SCHEMA.QUERY_HISTORY()). Apart from catalog.ts so the shared interface grows by one
 * member; the SQLite implementation is sqlite-usage-store.ts.
 *
 * Contract:
 * - Cluster segments: a running cluster is billed at one size over one segment. `startSegment`
 *   opens one (`runStartedAt` is when the cluster started: it identifies the run;
 *   a resize opens a new segment of the same run), `endSegment` closes the open segment of a
 *   (warehouse, cluster) at a time, `heartbeat` records that every open segment was still
 *   running at a time, and `closeAbandonedSegments` (at startup, before any cluster starts)
 *   closes the segments a previous process left open at the last moment they are known to
 *   have run: the latest of their start, their last heartbeat and the end of the last statement
 *   recorded on that cluster that ended after the segment started (a statement may start before
 *   the cluster it runs on, which starts on its first use). Times are epoch ms.
 * - Query history: `recordQuery` is buffered and written off the caller's path in one
 *   transaction per batch (a few ms later); every read flushes first, so a read sees every
 *   statement recorded before it. The history is bounded: rows older than
 *   QUERY_HISTORY_RETENTION_DAYS and all but the newest QUERY_HISTORY_MAX_ROWS are deleted as
 *   batches are written. `close` flushes. Writes never throw to the caller (a failed batch is
 *   dropped, reported on stderr): recording history must never fail a statement.
 */
/** What a cluster provisions (its size at a start, the added rate at a resize up) is billed for at least this long (Snowflake's 60 s minimum). */
export const MINIMUM_BILLED_MS = 60_000;
/** How long metering is kept: Snowflake's ACCOUNT_USAGE retention (365 days). */
export const METERING_RETENTION_DAYS = 365;
/** How long query history is kept: Snowflake's ACCOUNT_USAGE retention (365 days). */
export const QUERY_HISTORY_RETENTION_DAYS = 365;
/** At most this many statements are kept (the oldest go first), so the catalog stays small. */
export const QUERY_HISTORY_MAX_ROWS = 100_000;

export type ClusterSegment = {
  warehouseId: number;
  warehouseName: string;
  cluster: number;
  size: string;
  runStartedAt: number;
  startedAt: number;
  /** null while the segment is open (its cluster still runs). */
  endedAt: number | null;
};

export type ExecutionStatus = 'SUCCESS' | 'FAIL';

export type QueryRecord = {
  queryId: string;
  queryText: string;
  databaseName: string | null;
  schemaName: string | null;
  /** The session the statement ran in (services/access/session-id.ts); null for statements recorded before Firn kept it. */
  sessionId: number | null;
  /** Who ran the statement and the role it ran as (null for statements recorded before users existed). */
  userName: string | null;
  roleName: string | null;
  warehouseId: number | null;
  warehouseName: string | null;
  warehouseSize: string | null;
  clusterNumber: number | null;
  /** The session's QUERY_TAG when the statement ran (null when it had none). */
  queryTag: string | null;
  executionStatus: ExecutionStatus;
  errorCode: string | null;
  errorMessage: string | null;
  startTime: number;
  endTime: number;
  totalElapsedTime: number;
  queuedOverloadTime: number;
  bytesScanned: number;
  partitionsScanned: number;
  partitionsTotal: number;
  percentageScannedFromCache: number;
  bytesSpilled: number;
  rowsProduced: number;
};

export type QueryHistoryFilter = {
  /** Only statements that ended in [endFrom, endTo] (epoch ms, inclusive). */
  endFrom?: number;
  endTo?: number;
  /** Only statements this user ran. */
  userName?: string;
  /** Only statements of this session. */
  sessionId?: number;
  /** Only statements that ran on the warehouse of this name. */
  warehouseName?: string;
  /** At most this many, newest start first. */
  limit?: number;
};

export interface UsageStore {
  startSegment(s: Omit<ClusterSegment, 'endedAt'>): void;
  endSegment(warehouseId: number, cluster: number, at: number): void;
  heartbeat(at: number): void;
  /** Closes what a previous process left open (see the module comment); returns how many. */
  closeAbandonedSegments(): number;
  /** Deletes the segments that ended before `beforeMs` (metering keeps METERING_RETENTION_DAYS); returns how many. */
  pruneSegments(beforeMs: number): number;
  /** Segments that overlap [from, to) (open ones included), by start. */
  segments(from: number, to: number): ClusterSegment[];
  recordQuery(r: QueryRecord): void;
  /** Writes what recordQuery buffered now. */
  flush(): void;
  queryHistory(filter?: QueryHistoryFilter): QueryRecord[];
  close(): void;
}

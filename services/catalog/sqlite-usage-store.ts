/**
 * UsageStore (usage-store.ts) over the catalog's SQLite connection: the tables
 * cluster_segments and query_history of catalog migration 5 (user_name and role_name: 8; session_id: 14; query_tag: 16). Query history is buffered and
 * written by a timer, one transaction per batch (QUERY_HISTORY_FLUSH_MS after the first
 * buffered row), so a statement never waits for its own history row to reach the disk.
 *
 * Its writes (history batches, cluster segments, heartbeats) commit with synchronous=NORMAL:
 * in WAL mode such a commit reaches the operating system but is not fsynced, so a process
 * crash loses none of it, and a power loss at most the commits since the log was last synced
 * (by a catalog commit, which stays FULL, or a checkpoint). Why: these commits run on the services
 * event loop, one per statement batch, and an fsync waits for the disk. In the TPC-H loop
 * bench (22 queries on SMALL while probes poll every 50 ms) the history flush's fsync held the
 * event loop 50-272 ms at a time; /healthz took up to 118 ms.
 */
import type { Database, Statement } from 'better-sqlite3';
import { pragma } from './open-sqlite-database.js';
import {
  MINIMUM_BILLED_MS,
  QUERY_HISTORY_MAX_ROWS,
  QUERY_HISTORY_RETENTION_DAYS,
  type ClusterSegment,
  type QueryHistoryFilter,
  type QueryRecord,
  type UsageStore,
} from './usage-store.js';

/** PRAGMA synchronous's value for NORMAL. */
const SYNCHRONOUS_NORMAL = 1;
/** How long a recorded statement waits, at most, before its batch is written. */
export const QUERY_HISTORY_FLUSH_MS = 5;
const MS_PER_DAY = 86_400_000;
/** Pruning runs once per this many written rows (and at the first batch). */
const PRUNE_EVERY_ROWS = 1_000;

type SegmentRow = {
  warehouse_id: number;
  warehouse_name: string;
  cluster: number;
  size: string;
  run_started_at: number;
  started_at: number;
  ended_at: number | null;
};

type QueryRow = {
  query_id: string;
  query_text: string;
  database_name: string | null;
  schema_name: string | null;
  session_id: number | null;
  user_name: string | null;
  role_name: string | null;
  warehouse_id: number | null;
  warehouse_name: string | null;
  warehouse_size: string | null;
  cluster_number: number | null;
  execution_status: 'SUCCESS' | 'FAIL';
  error_code: string | null;
  error_message: string | null;
  start_time: number;
  end_time: number;
  total_elapsed_time: number;
  queued_overload_time: number;
  bytes_scanned: number;
  partitions_scanned: number;
  partitions_total: number;
  percentage_scanned_from_cache: number;
  bytes_spilled: number;
  rows_produced: number;
  query_tag: string | null;
};

export class SqliteUsageStore implements UsageStore {
  private pending: QueryRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private sincePrune = PRUNE_EVERY_ROWS;
  private readonly s: Record<'segStart' | 'segEnd' | 'heartbeat' | 'abandon' | 'pruneSegments' | 'segments' | 'insertQuery' | 'pruneAge' | 'pruneRows', Statement>;

  /** `maxRows`: the history's bound (tests lower it). */
  constructor(
    private readonly db: Database,
    private readonly maxRows = QUERY_HISTORY_MAX_ROWS,
  ) {
    this.s = {
      segStart: db.prepare(
        `INSERT INTO cluster_segments (warehouse_id, warehouse_name, cluster, size, run_started_at, started_at, last_seen_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      segEnd: db.prepare('UPDATE cluster_segments SET ended_at = max(?, started_at) WHERE warehouse_id = ? AND cluster = ? AND ended_at IS NULL'),
      heartbeat: db.prepare('UPDATE cluster_segments SET last_seen_at = max(last_seen_at, ?) WHERE ended_at IS NULL'),
      abandon: db.prepare(
        `UPDATE cluster_segments SET ended_at = max(started_at, last_seen_at, coalesce((
           SELECT max(q.end_time) FROM query_history q
            WHERE q.warehouse_id = cluster_segments.warehouse_id AND q.cluster_number = cluster_segments.cluster
              AND q.end_time >= cluster_segments.started_at), 0))
         WHERE ended_at IS NULL`,
      ),
      pruneSegments: db.prepare(`DELETE FROM cluster_segments WHERE ended_at IS NOT NULL AND max(ended_at, started_at + ${MINIMUM_BILLED_MS}) < ?`),
      segments: db.prepare(
        `SELECT warehouse_id, warehouse_name, cluster, size, run_started_at, started_at, ended_at FROM cluster_segments
          WHERE started_at < ? AND (ended_at IS NULL OR max(ended_at, started_at + ${MINIMUM_BILLED_MS}) > ?)
          ORDER BY started_at, id`,
      ),
      insertQuery: db.prepare(
        `INSERT OR REPLACE INTO query_history (query_id, query_text, database_name, schema_name, session_id, user_name, role_name, warehouse_id,
           warehouse_name, warehouse_size, cluster_number, execution_status, error_code, error_message, start_time, end_time,
           total_elapsed_time, queued_overload_time, bytes_scanned, partitions_scanned, partitions_total,
           percentage_scanned_from_cache, bytes_spilled, rows_produced, query_tag)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      pruneAge: db.prepare('DELETE FROM query_history WHERE start_time < ?'),
      pruneRows: db.prepare('DELETE FROM query_history WHERE rowid NOT IN (SELECT rowid FROM query_history ORDER BY start_time DESC, rowid DESC LIMIT ?)'),
    };
  }

  startSegment(s: Omit<ClusterSegment, 'endedAt'>): void {
    this.relaxed(() => this.s.segStart.run(s.warehouseId, s.warehouseName, s.cluster, s.size, s.runStartedAt, s.startedAt, s.startedAt));
  }

  endSegment(warehouseId: number, cluster: number, at: number): void {
    this.relaxed(() => this.s.segEnd.run(at, warehouseId, cluster));
  }

  heartbeat(at: number): void {
    this.relaxed(() => this.s.heartbeat.run(at));
  }

  closeAbandonedSegments(): number {
    this.flush();
    return this.relaxed(() => this.s.abandon.run().changes);
  }

  pruneSegments(beforeMs: number): number {
    return this.relaxed(() => this.s.pruneSegments.run(beforeMs).changes);
  }

  segments(from: number, to: number): ClusterSegment[] {
    return (this.s.segments.all(to, from) as SegmentRow[]).map((r) => ({
      warehouseId: r.warehouse_id,
      warehouseName: r.warehouse_name,
      cluster: r.cluster,
      size: r.size,
      runStartedAt: r.run_started_at,
      startedAt: r.started_at,
      endedAt: r.ended_at,
    }));
  }

  recordQuery(r: QueryRecord): void {
    this.pending.push(r);
    if (this.timer === null) {
      this.timer = setTimeout(() => this.flushQuietly(), QUERY_HISTORY_FLUSH_MS);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0 || !this.db.open) return;
    const batch = this.pending;
    this.pending = [];
    this.sincePrune += batch.length;
    const prune = this.sincePrune >= PRUNE_EVERY_ROWS;
    if (prune) this.sincePrune = 0;
    this.relaxed(() => this.db.transaction(() => {
      for (const r of batch) {
        this.s.insertQuery.run(
          r.queryId, r.queryText, r.databaseName, r.schemaName, r.sessionId, r.userName, r.roleName, r.warehouseId, r.warehouseName, r.warehouseSize, r.clusterNumber,
          r.executionStatus, r.errorCode, r.errorMessage, r.startTime, r.endTime, r.totalElapsedTime, r.queuedOverloadTime,
          r.bytesScanned, r.partitionsScanned, r.partitionsTotal, r.percentageScannedFromCache, r.bytesSpilled, r.rowsProduced, r.queryTag,
        );
      }
      if (prune) {
        this.s.pruneAge.run(batch[batch.length - 1].startTime - QUERY_HISTORY_RETENTION_DAYS * MS_PER_DAY);
        this.s.pruneRows.run(this.maxRows);
      }
    }).immediate());
  }

  /**
   * Runs `write` (one commit) with synchronous=NORMAL, then restores the connection's level.
   * Inside a caller's transaction the caller's commit decides, so nothing changes there.
   */
  private relaxed<T>(write: () => T): T {
    if (this.db.inTransaction) return write();
    const level = pragma(this.db, 'synchronous');
    if (level === SYNCHRONOUS_NORMAL) return write();
    pragma(this.db, 'synchronous = NORMAL');
    try {
      return write();
    } finally {
      pragma(this.db, `synchronous = ${level}`);
    }
  }

  queryHistory(filter: QueryHistoryFilter = {}): QueryRecord[] {
    this.flush();
    const where: string[] = [];
    const args: (number | string)[] = [];
    if (filter.endFrom !== undefined) {
      where.push('end_time >= ?');
      args.push(filter.endFrom);
    }
    if (filter.endTo !== undefined) {
      where.push('end_time <= ?');
      args.push(filter.endTo);
    }
    if (filter.userName !== undefined) {
      where.push('user_name = ?');
      args.push(filter.userName);
    }
    if (filter.sessionId !== undefined) {
      where.push('session_id = ?');
      args.push(filter.sessionId);
    }
    if (filter.warehouseName !== undefined) {
      where.push('warehouse_name = ?');
      args.push(filter.warehouseName);
    }
    // LIMIT -1 is SQLite's "no limit"; the limit is bound, so each filter shape is one SQL text.
    args.push(filter.limit === undefined ? -1 : Math.max(0, Math.floor(filter.limit)));
    const sql = `SELECT * FROM query_history${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY start_time DESC, rowid DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args) as QueryRow[]).map(queryRecord);
  }

  close(): void {
    this.flushQuietly();
  }

  /** The timer's flush: a failure loses that batch of history, never a statement. */
  private flushQuietly(): void {
    try {
      this.flush();
    } catch (err) {
      process.stderr.write(`firn: query history batch not written: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
}

function queryRecord(r: QueryRow): QueryRecord {
  return {
    queryId: r.query_id,
    queryText: r.query_text,
    databaseName: r.database_name,
    schemaName: r.schema_name,
    sessionId: r.session_id,
    userName: r.user_name,
    roleName: r.role_name,
    warehouseId: r.warehouse_id,
    warehouseName: r.warehouse_name,
    warehouseSize: r.warehouse_size,
    clusterNumber: r.cluster_number,
    queryTag: r.query_tag,
    executionStatus: r.execution_status,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    startTime: r.start_time,
    endTime: r.end_time,
    totalElapsedTime: r.total_elapsed_time,
    queuedOverloadTime: r.queued_overload_time,
    bytesScanned: r.bytes_scanned,
    partitionsScanned: r.partitions_scanned,
    partitionsTotal: r.partitions_total,
    percentageScannedFromCache: r.percentage_scanned_from_cache,
    bytesSpilled: r.bytes_spilled,
    rowsProduced: r.rows_produced,
  };
}

/**
 * The background compactor: it merges a table's small partitions (under partitionRows/4 rows,
 * what single-row INSERTs leave: one object each) into full-size ones, and re-sorts runs of a
 * CLUSTER BY table's partitions whose first-key ranges overlap, so scans read few, well
 * pruned partitions. Each rewrite is one new table version (operation COMPACT): a scan of
 * exactly the chosen partitions with a write_exec on top (the normal write path, keys reserved
 * write-ahead through StatementWrites), committed with removedIds = those partitions at the
 * snapshot it read. Older versions are untouched and still read.
 *
 * Contract:
 * - It never blocks or fails a user's statement. It holds nothing across an await that a
 *   statement waits for (no lock: the catalog commit is one synchronous transaction), and it
 *   runs on its own lazily started XSMALL pool (FIRN$MAINTENANCE, one worker thread, not a
 *   catalog warehouse: not in SHOW WAREHOUSES, unaffected by a user's DROP/SUSPEND/RESIZE), so
 *   its tasks never queue in front of a user's on the user's warehouse. It never removes a
 *   partition from under a running user write: while an UPDATE, DELETE, MERGE or INSERT
 *   OVERWRITE holds the table (env.writers, from its snapshot to its commit) it does not start
 *   on the table, and one that started meanwhile makes it drop its rewrite right before its
 *   commit. When a user write removed one of its inputs first, its commit is refused
 *   (CONCURRENT_MODIFICATION). Either way it deletes what it wrote and tries again on a new
 *   snapshot, at most 3 times per run, then skips the table until the next run.
 * - Runs: every FIRN_COMPACT_INTERVAL_SECONDS (unref'd timer) over every live table, and soon
 *   after commits that added more than SMALL_TRIGGER small partitions to a table (afterCommit,
 *   called by the write path). 0 turns both off; `run()` (tests, on demand) works regardless.
 *   One run at a time; a run never throws (failures are answered per table).
 * - Choice: when a table has at least two small partitions, all its partial ones (fewer rows
 *   than partitionRows: the small ones and earlier runs' remainders), oldest first, up to
 *   MAX_GROUP_PARTITIONS_OF_ROWS partitions' worth of rows; else, for a CLUSTER BY table, the first run of partitions
 *   whose first-key ranges strictly overlap (share more than one value) at a depth of at least
 *   CLUSTER_DEPTH_THRESHOLD. Rewritten sorted by the cluster key on one worker, a run comes out
 *   as non-overlapping partitions, so repeated runs converge.
 */
import { physicalColumns } from '../physical/physical-columns.js';
import { randomUUID } from 'node:crypto';
import { CompilationError, ConcurrencyError } from '../../storage/errors/firn-error.js';
import { firnHomePath } from '../../storage/firn-home/firn-home-path.js';
import { WarehousePool } from '../../warehouse/pool/warehouse-pool.js';
import type { PartitionInfo, TableInfo } from '../catalog/catalog.js';
import { runStagePlan } from '../coordinate/run-stage-plan.js';
import { statementSpillDir } from '../coordinate/statement-spill-dir.js';
import { planWrite } from '../physical/plan-write.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import { prunePlan } from '../pruning/prune-plan.js';
import type { EngineEnv } from '../session/engine-env.js';
import { physicalOptions } from '../session/run-query.js';
import { StatementWrites } from '../session/statement-writes.js';
import { compareKey, keyRange, type KeyRange } from './clustering-information.js';

/** More small partitions than this added to one table since its last compaction start one soon. */
export const SMALL_TRIGGER = 32;
/** A CLUSTER BY run is re-sorted when some key value lies inside this many of its partitions. */
export const CLUSTER_DEPTH_THRESHOLD = 2;
/** Most rows one rewrite reads, in partitions' worth (the rest waits for the next run). */
const MAX_GROUP_PARTITIONS_OF_ROWS = 16;
/** Commits refused by a concurrent DML before a table is skipped until the next run. */
const MAX_ATTEMPTS = 3;
const RETRY_BACKOFF_MS = 20;

/** Test-only: awaited after the rewrite is written, right before its commit. */
export type CompactorHooks = { beforeCommit?: (tableId: number, inputIds: number[]) => Promise<void> };

/** What one table's compaction did. */
export type CompactionResult = {
  tableId: number;
  /** 'compacted': committed; 'skipped': refused MAX_ATTEMPTS times; 'failed': another error (message). */
  outcome: 'compacted' | 'skipped' | 'failed';
  version: number | null;
  removed: number;
  added: number;
  conflicts: number;
  message?: string;
};

export class Compactor {
  private pool: WarehousePool | null = null;
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly smallAdded = new Map<number, number>();
  private readonly queued = new Set<number>();
  private closed = false;

  constructor(
    private readonly env: EngineEnv,
    private readonly hooks: CompactorHooks = {},
  ) {}

  /** Starts the periodic runs (FIRN_COMPACT_INTERVAL_SECONDS; 0: none). */
  start(): void {
    const seconds = this.env.config.compactIntervalSeconds;
    if (seconds <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.run(), seconds * 1000);
    this.timer.unref();
  }

  /** The write path reports each commit's added partitions; enough small ones start a run for the table. */
  afterCommit(tableId: number, added: readonly { rowCount: number }[]): void {
    if (this.closed || this.env.config.compactIntervalSeconds <= 0) return;
    const small = added.filter((p) => this.isSmall(p.rowCount)).length;
    if (small === 0) return;
    const n = (this.smallAdded.get(tableId) ?? 0) + small;
    if (n <= SMALL_TRIGGER) {
      this.smallAdded.set(tableId, n);
      return;
    }
    this.smallAdded.delete(tableId);
    if (this.queued.has(tableId)) return;
    this.queued.add(tableId);
    void this.run([tableId]).finally(() => this.queued.delete(tableId));
  }

  /**
   * Compacts `tableIds` (default: every live table) until each has nothing left to do (or was
   * skipped), after any run in progress. Never rejects.
   */
  run(tableIds?: number[]): Promise<CompactionResult[]> {
    const next = this.chain.then(async () => {
      const results: CompactionResult[] = [];
      for (const id of tableIds ?? this.liveTableIds()) {
        if (this.closed) break;
        // Each rewrite handles one group; a table with more to do gets more rewrites.
        for (let round = 0; round < 64 && !this.closed; round++) {
          const r = await this.compactTable(id);
          if (!r) break;
          results.push(r);
          if (r.outcome !== 'compacted') break;
        }
      }
      return results;
    });
    this.chain = next.catch(() => {});
    return next.catch((err: unknown) => [{ tableId: -1, outcome: 'failed' as const, version: null, removed: 0, added: 0, conflicts: 0, message: String(err) }]);
  }

  /** Stops the timer, waits for the run in progress and stops the maintenance pool. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.chain;
    await this.pool?.close();
    this.pool = null;
  }

  private isSmall(rows: number): boolean {
    return rows * 4 < this.env.config.partitionRows;
  }

  private liveTableIds(): number[] {
    const { catalog } = this.env;
    const ids: number[] = [];
    for (const db of catalog.listDatabases()) for (const s of catalog.listSchemas(db.name)) for (const t of catalog.listTables(db.name, s.name)) ids.push(t.id);
    return ids;
  }

  /** One group of the table rewritten and committed (retried on conflicts), or null when there is nothing to do. */
  private async compactTable(tableId: number): Promise<CompactionResult | null> {
    let conflicts = 0;
    for (;;) {
      const table = this.liveTable(tableId);
      if (!table) return null;
      // A user's UPDATE, DELETE, MERGE or INSERT OVERWRITE holds the table: leave it to the next run.
      if (this.env.writers.busy(tableId)) return { tableId, outcome: 'skipped', version: null, removed: 0, added: 0, conflicts };
      const group = this.pickGroup(table, this.env.catalog.livePartitions(table.id, table.currentVersion));
      if (!group) return null;
      try {
        const r = await this.rewrite(table, group);
        return { tableId, outcome: 'compacted', version: r.version, removed: group.length, added: r.added, conflicts };
      } catch (err) {
        if (!(err instanceof ConcurrencyError)) return { tableId, outcome: 'failed', version: null, removed: 0, added: 0, conflicts, message: err instanceof Error ? err.message : String(err) };
        conflicts++;
        if (conflicts >= MAX_ATTEMPTS) return { tableId, outcome: 'skipped', version: null, removed: 0, added: 0, conflicts };
        await new Promise((r) => setTimeout(r, RETRY_BACKOFF_MS * conflicts * (0.5 + Math.random())));
      }
    }
  }

  /** The table with this id if it is live (not dropped or replaced). */
  private liveTable(tableId: number): TableInfo | null {
    const t = this.env.catalog.getTableById(tableId);
    if (!t) return null;
    const live = this.env.catalog.getTable(t.database, t.schema, t.name);
    return live && live.id === tableId ? live : null;
  }

  /** The partitions of the next rewrite (see the module comment), or null. */
  private pickGroup(table: TableInfo, live: readonly PartitionInfo[]): PartitionInfo[] | null {
    const maxRows = MAX_GROUP_PARTITIONS_OF_ROWS * this.env.config.partitionRows;
    if (live.filter((p) => this.isSmall(p.rowCount)).length >= 2) {
      // With the small ones go the other partial partitions (earlier runs' remainders), so the
      // table ends with full partitions and at most one partial one.
      const partial = live.filter((p) => p.rowCount < this.env.config.partitionRows).sort((a, b) => a.id - b.id);
      return capRows(partial, maxRows);
    }
    if (table.clusterBy.length === 0) return null;
    const key = table.columns.find((c) => c.name === table.clusterBy[0]);
    if (!key) return null;
    const run = overlappingRun(live.map((p) => ({ p, r: keyRange(p, key.name, key.type) })));
    return run ? capRows(run, maxRows) : null;
  }

  /** Writes `group`'s rows as new partitions and commits them in its place at the snapshot it read. */
  private async rewrite(table: TableInfo, group: PartitionInfo[]): Promise<{ version: number; added: number }> {
    const { env } = this;
    const queryId = randomUUID();
    const writes = new StatementWrites(env, queryId, `t${table.id}/${queryId}/`);
    const pool = this.maintenancePool();
    const scan: LogicalPlan = { kind: 'scan', table, version: table.currentVersion, partitions: group, columns: table.columns.map((_, i) => i), filter: null, pruning: null };
    const clusterBy = table.clusterBy.map((name) => table.columns.findIndex((c) => c.name === name));
    let written;
    try {
      const physical = planWrite(
        prunePlan(scan, true),
        { columns: physicalColumns(table.columns).columns, clusterBy, partitionRows: env.config.partitionRows, keyPrefix: `${writes.keyPrefix}c` },
        physicalOptions(env, pool.workers),
      );
      const outcome = await runStagePlan(physical, {
        pool,
        queryId,
        memoryBytes: env.config.queryMemoryBytes,
        spillBytes: env.config.querySpillBytes,
        spillDir: statementSpillDir(pool, queryId),
        pruning: true,
        deadline: null,
        reservations: () => writes.reservationPort(),
      }).done;
      writes.closePorts();
      written = outcome.written;
      await this.hooks.beforeCommit?.(table.id, group.map((p) => p.id));
    } catch (err) {
      await writes.discard();
      throw err;
    }
    // From the checks to the commit nothing awaits: one synchronous catalog transaction. A
    // user's write that read its snapshot meanwhile would conflict with this commit, so the
    // compactor yields to it instead (table-writers.ts).
    try {
      if (env.writers.busy(table.id)) throw new ConcurrencyError('CONCURRENT_MODIFICATION', `Compaction of table '${table.name}' yielded to a running write; nothing was committed.`);
      const current = env.catalog.getTable(table.database, table.schema, table.name);
      if (!current || current.id !== table.id) throw new CompilationError('OBJECT_NOT_FOUND', `Table '${table.name}' was dropped while it was compacted.`);
      const v = env.catalog.commitTable(table.id, { baseVersion: table.currentVersion, queryId, operation: 'COMPACT', added: written, removedIds: group.map((p) => p.id) });
      return { version: v.version, added: written.length };
    } catch (err) {
      if (err instanceof ConcurrencyError || err instanceof CompilationError) await writes.discard();
      throw err;
    }
  }

  private maintenancePool(): WarehousePool {
    if (!this.pool) {
      const { config } = this.env;
      this.pool = new WarehousePool('FIRN$MAINTENANCE', 'XSMALL', {
        storageUrl: config.storageUrl,
        home: config.home,
        cacheDir: firnHomePath(config.home, 'maintenance'),
        memoryCacheBytes: Math.min(config.memoryCacheBytes, 64 * 2 ** 20),
        diskCacheBytes: 0,
        workerHeapBytes: config.workerHeapBytes,
        cacheBudget: this.env.warehouses.cacheBudget,
      });
    }
    return this.pool;
  }
}

/** The first `parts` (in order) whose rows add up to at most `maxRows` (at least two). */
function capRows(parts: PartitionInfo[], maxRows: number): PartitionInfo[] {
  let rows = 0;
  let n = 0;
  while (n < parts.length && (n < 2 || rows + parts[n].rowCount <= maxRows)) rows += parts[n++].rowCount;
  return parts.slice(0, n);
}

/**
 * The first run (in key order) of partitions chained by strict overlaps (ranges sharing more
 * than one value) whose depth reaches CLUSTER_DEPTH_THRESHOLD, in key order; null if none.
 */
function overlappingRun(items: { p: PartitionInfo; r: KeyRange }[]): PartitionInfo[] | null {
  const sorted = items.filter((i) => i.r.min !== null).sort((a, b) => compareKey(a.r.min, b.r.min) || compareKey(a.r.max, b.r.max));
  let i = 0;
  while (i < sorted.length) {
    let j = i + 1;
    let hi = sorted[i].r.max;
    // Extend while the next range starts strictly below the run's upper bound (and is not a point at it).
    while (j < sorted.length && compareKey(sorted[j].r.min, hi) < 0) {
      if (compareKey(sorted[j].r.max, hi) > 0) hi = sorted[j].r.max;
      j++;
    }
    const run = sorted.slice(i, j);
    if (run.length >= 2 && depth(run.map((x) => x.r)) >= CLUSTER_DEPTH_THRESHOLD) return run.map((x) => x.p);
    i = j;
  }
  return null;
}

/** Most ranges of a run sharing more than one value around any point: a sweep over open intervals. */
function depth(ranges: KeyRange[]): number {
  const events: { v: KeyRange['min']; d: number }[] = [];
  for (const r of ranges) if (compareKey(r.min, r.max) < 0) events.push({ v: r.min, d: 1 }, { v: r.max, d: -1 });
  // Ends before starts at one value: open intervals touching at a point do not overlap.
  events.sort((a, b) => compareKey(a.v, b.v) || a.d - b.d);
  let cur = 0;
  let max = 0;
  for (const e of events) {
    cur += e.d;
    max = Math.max(max, cur);
  }
  return max;
}

/**
 * The writes of one open explicit transaction (BEGIN ... COMMIT | ROLLBACK), and the catalog its
 * statements run against, so they read their own uncommitted writes while nobody else sees them.
 *
 * How: every table commit a statement of the transaction makes (run-write.ts, run-dml.ts,
 * run-copy.ts call `catalog.commitTable` as always) is deferred here instead of committed. The
 * objects those statements wrote stay registered as pending objects (write-ahead, as any
 * statement's: statement-writes.ts), so GC keeps them and startup recovery deletes them if the
 * process dies first. The transaction's catalog (`catalog`) answers for a table it wrote:
 * - getTable / getTableById / tableAt give the table at TRANSACTION_VERSION;
 * - livePartitions at TRANSACTION_VERSION is the table at its pinned version (the version its
 *   first write read: an append pins the latest) minus the partitions the transaction removed,
 *   plus the ones it added (ids from 2^52 up, zone maps keyed by SQL names as the catalog's are);
 * - loadedFiles also counts the files the transaction's COPYs loaded.
 * Tables the transaction did not write read as the catalog's latest (READ COMMITTED, as Snowflake).
 * From its first write to the transaction's end a table is held against the compactor
 * (table-writers.ts) and its pinned version is registered as read (running-statements.ts), so
 * neither compaction nor GC takes what the transaction reads.
 *
 * Contract:
 * - `commit()` makes every deferred change visible in ONE catalog transaction
 *   (Catalog.commitTables): per table it changed one new version recording every statement id
 *   that wrote it, its operations in order, and its COPY loads. Objects the transaction added and then
 *   removed again (an INSERT's rows a later DELETE rewrote) were never visible: they are deleted
 *   first. A refused commit (a partition the transaction removed was removed by another commit
 *   since it was read: CONCURRENT_MODIFICATION, 40001; a table dropped meanwhile) commits
 *   nothing, deletes every object of the transaction and throws. After any other error the
 *   outcome is unknown, and the pending rows stay for startup recovery.
 * - `discard()` (ROLLBACK, a session or request ending with the transaction open) deletes every
 *   object the transaction's statements wrote and clears their pending rows: nothing is left for
 *   GC. A delete that fails leaves the rows for startup recovery.
 * - Both end the transaction: its holds and its read registration are released.
 * - Statements of one transaction running at the same time (a session may run several) conflict
 *   as statements of different sessions do: one that removes a partition another one removed
 *   first fails with CONCURRENT_MODIFICATION (a DML then runs again on the new view).
 */
import { CompilationError, ConcurrencyError, InternalError } from '../../storage/errors/firn-error.js';
import type { ZoneMap } from '../../storage/partition/zone-map.js';
import type { Catalog, LoadedFile, PartitionInfo, SourceFileVersion, TableCommit, TableInfo, TableVersion } from '../catalog/catalog.js';
import type { EngineEnv } from './engine-env.js';
import type { StatementReads } from './running-statements.js';

/** The version a table the open transaction wrote reads as in its statements: no catalog version is negative. */
export const TRANSACTION_VERSION = -1;

/**
 * The first id of the partitions a transaction added: the catalog's ids (SQLite rowids, one per
 * partition row ever written) stay far below 2^52, and ids up to 2^53 stay exact in the Float64
 * `$partition` column DML rewrites sort by (rewrite-exec.ts).
 */
const FIRST_TRANSACTION_PARTITION_ID = 2 ** 52;

/** What the transaction changed in one table. */
type TableChanges = {
  /** The committed version the transaction reads the table at, and commits against. */
  pinned: number;
  /**
   * Partitions the transaction added and still holds: as its statements read them (ids from
   * FIRST_TRANSACTION_PARTITION_ID, zone maps keyed by SQL names), and the zone map as written
   * (keyed by physical names).
   */
  added: { partition: PartitionInfo; written: ZoneMap }[];
  /** Committed partitions (of `pinned`) the transaction removed. */
  removed: Set<number>;
  loads: LoadedFile[];
  /** Whether every COPY of the transaction into the table had FORCE = TRUE. */
  force: boolean;
  operations: string[];
  queryIds: string[];
  /** Ends the table's hold against the compactor. */
  release: () => void;
};

export class TransactionWrites {
  /** The catalog the transaction's statements run against (see the module comment). */
  readonly catalog: Catalog;
  private readonly tables = new Map<number, TableChanges>();
  /** Per statement id, the object keys it registered as pending (what ROLLBACK deletes). */
  private readonly pending = new Map<string, string[]>();
  /** Objects the transaction added and removed again: never visible, deleted at COMMIT. */
  private readonly dropped: string[] = [];
  private nextPartitionId = FIRST_TRANSACTION_PARTITION_ID;
  private readonly reads: StatementReads;

  /** `env`: the engine's environment (its catalog is where COMMIT writes). */
  constructor(private readonly env: EngineEnv) {
    this.reads = env.running.begin();
    this.catalog = this.overlay(env.catalog);
  }

  /** Whether any statement of the transaction changed a table (its reads must not use or fill the result cache). */
  get hasWrites(): boolean {
    return this.tables.size > 0;
  }

  async commit(transactionId: string): Promise<void> {
    // A table whose changes cancel out (rows inserted, then deleted) gets no new version.
    const changed = [...this.tables].filter(([, t]) => t.added.length > 0 || t.removed.size > 0 || t.loads.length > 0);
    const commits = changed.map(([tableId, t]) => ({ tableId, commit: this.tableCommit(t) }));
    await Promise.allSettled(this.dropped.map((k) => this.env.store.delete(k)));
    try {
      if (commits.length > 0) this.env.catalog.commitTables(commits);
    } catch (err) {
      if (err instanceof ConcurrencyError || err instanceof CompilationError) {
        await this.discard();
        const Refusal = err instanceof ConcurrencyError ? ConcurrencyError : CompilationError;
        throw new Refusal(err.codeName, `Transaction ${transactionId} was rolled back: ${err.message}`);
      }
      this.end();
      throw err;
    }
    try {
      // Committed: every object of the transaction is referenced or deleted, so no row of its
      // statements may stay pending (commitTables cleared those of the statements it lists).
      for (const q of this.pending.keys()) this.env.catalog.clearPendingObjects(q);
    } catch {
      // Only rows of dropped (deleted) objects can remain: startup recovery clears them.
    } finally {
      this.end();
    }
    for (const { tableId, commit } of commits) this.env.compactor?.afterCommit(tableId, commit.added);
  }

  async discard(): Promise<void> {
    const keys = [...this.pending.values()].flat();
    const deleted = await Promise.allSettled(keys.map((k) => this.env.store.delete(k)));
    try {
      if (deleted.every((d) => d.status === 'fulfilled')) for (const q of this.pending.keys()) this.env.catalog.clearPendingObjects(q);
    } catch {
      // The rows stay: startup recovery deletes the (already gone) objects and clears them.
    } finally {
      this.end();
    }
  }

  private end(): void {
    for (const t of this.tables.values()) t.release();
    this.tables.clear();
    this.pending.clear();
    this.reads.end();
  }

  /** The one commit of a table's deferred changes. */
  private tableCommit(t: TableChanges): TableCommit {
    const [queryId, ...more] = t.queryIds;
    return {
      baseVersion: t.pinned,
      queryId,
      queryIds: more,
      operation: [...new Set(t.operations)].join(', '),
      added: t.added.map(({ partition: p, written }) => ({ objectKey: p.objectKey, rowCount: p.rowCount, byteSize: p.byteSize, etag: p.etag, zoneMap: written })),
      removedIds: [...t.removed],
      loads: t.loads.length > 0 ? { files: t.loads, force: t.force } : undefined,
    };
  }

  /** A statement of the transaction commits to `tableId`: the change is recorded, nothing is committed. */
  private defer(base: Catalog, tableId: number, commit: TableCommit): TableVersion {
    const table = base.getTableById(tableId);
    if (!table) throw new CompilationError('OBJECT_NOT_FOUND', `Table #${tableId} does not exist or not authorized.`);
    let t = this.tables.get(tableId);
    if (!t) {
      if (commit.baseVersion === TRANSACTION_VERSION) throw new InternalError(`transaction: table #${tableId} read at the transaction's version before it wrote it`);
      // An append read nothing of the table: it pins the latest version; a removal its snapshot.
      const pinned = commit.removedIds.length > 0 ? commit.baseVersion : table.currentVersion;
      t = { pinned, added: [], removed: new Set(), loads: [], force: true, operations: [], queryIds: [], release: this.env.writers.enter(tableId) };
      this.tables.set(tableId, t);
      this.reads.read(tableId, pinned);
    } else if (commit.baseVersion !== TRANSACTION_VERSION && commit.removedIds.length > 0) {
      // It read the table before the transaction's first write to it, which ran meanwhile.
      throw new ConcurrencyError('CONCURRENT_MODIFICATION', `Table '${table.name}' was changed by another statement of the transaction while this one ran; nothing was committed.`);
    }
    // A partition already gone from the transaction's view was removed by another statement of
    // it running at the same time (a session may run several): this one retries or fails, as
    // after another session's commit. Everything is checked before anything changes.
    const changedMeanwhile = () =>
      new ConcurrencyError('CONCURRENT_MODIFICATION', `Table '${table.name}' was changed by another statement of the transaction while this one ran; nothing was committed.`);
    const live = commit.removedIds.some((id) => id < FIRST_TRANSACTION_PARTITION_ID) ? new Set(base.livePartitions(tableId, t.pinned).map((p) => p.id)) : null;
    for (const id of commit.removedIds) {
      if (id < FIRST_TRANSACTION_PARTITION_ID) {
        if (!live!.has(id)) throw new InternalError(`transaction: partition ${id} is not live in table '${table.name}' at the transaction's version ${t.pinned}`);
        if (t.removed.has(id)) throw changedMeanwhile();
      } else if (!t.added.some((a) => a.partition.id === id)) {
        throw changedMeanwhile();
      }
    }
    for (const id of commit.removedIds) {
      if (id < FIRST_TRANSACTION_PARTITION_ID) {
        t.removed.add(id);
        continue;
      }
      const i = t.added.findIndex((a) => a.partition.id === id);
      this.dropped.push(t.added[i].partition.objectKey);
      t.added.splice(i, 1);
    }
    const names = sqlNames(table);
    for (const p of commit.added) {
      const partition: PartitionInfo = {
        id: this.nextPartitionId++,
        tableId,
        objectKey: p.objectKey,
        rowCount: p.rowCount,
        byteSize: p.byteSize,
        etag: p.etag ?? null,
        zoneMap: names ? rekey(p.zoneMap, names) : p.zoneMap,
        addedVersion: TRANSACTION_VERSION,
        removedVersion: null,
      };
      t.added.push({ partition, written: p.zoneMap });
    }
    if (commit.loads) {
      t.loads.push(...commit.loads.files);
      t.force &&= commit.loads.force;
    }
    t.operations.push(commit.operation);
    for (const q of [commit.queryId, ...(commit.queryIds ?? [])]) if (!t.queryIds.includes(q)) t.queryIds.push(q);
    return { version: TRANSACTION_VERSION, committedAt: new Date(), queryId: commit.queryId, operation: commit.operation };
  }

  /** `base` as the transaction's statements see it (module comment). */
  private overlay(base: Catalog): Catalog {
    const atTransaction = (table: TableInfo | null): TableInfo | null => (table && this.tables.has(table.id) ? { ...table, currentVersion: TRANSACTION_VERSION } : table);
    const overrides: Partial<Catalog> = {
      getTable: (database, schema, name) => atTransaction(base.getTable(database, schema, name)),
      getTableById: (tableId) => atTransaction(base.getTableById(tableId)),
      tableAt: (tableId, version) => (version === TRANSACTION_VERSION ? atTransaction(base.getTableById(tableId))! : base.tableAt(tableId, version)),
      livePartitions: (tableId, version) => {
        const t = this.tables.get(tableId);
        if (!t || (version !== TRANSACTION_VERSION && version !== undefined)) return base.livePartitions(tableId, version);
        return [...base.livePartitions(tableId, t.pinned).filter((p) => !t.removed.has(p.id)), ...t.added.map((a) => a.partition)];
      },
      commitTable: (tableId, commit) => this.defer(base, tableId, commit),
      commitTables: (commits) => commits.map((c) => this.defer(base, c.tableId, c.commit)),
      loadedFiles: (tableId, files) => {
        const loaded = base.loadedFiles(tableId, files);
        const mine = this.tables.get(tableId)?.loads ?? [];
        return [...loaded, ...files.filter((f) => !loaded.includes(f) && mine.some((l) => l.status !== 'LOAD_FAILED' && sameFile(l, f)))];
      },
      registerPendingObjects: (queryId, keys) => {
        base.registerPendingObjects(queryId, keys);
        const list = this.pending.get(queryId);
        if (list) list.push(...keys);
        else this.pending.set(queryId, [...keys]);
      },
      clearPendingObjects: (queryId) => {
        base.clearPendingObjects(queryId);
        this.pending.delete(queryId);
      },
    };
    return new Proxy(base, {
      get(target, prop) {
        const own = (overrides as Record<PropertyKey, unknown>)[prop];
        if (own !== undefined) return own;
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}

/** Physical name -> SQL name of the table's columns, or null when they are all the same. */
function sqlNames(table: TableInfo): Map<string, string> | null {
  if (table.columns.every((c) => c.physicalName === c.name)) return null;
  return new Map(table.columns.map((c) => [c.physicalName, c.name]));
}

/** A written partition's zone map (keyed by physical names) keyed by SQL names, as livePartitions gives them. */
function rekey(z: ZoneMap, names: Map<string, string>): ZoneMap {
  const columns: ZoneMap['columns'] = {};
  for (const [physical, zone] of Object.entries(z.columns)) {
    const name = names.get(physical);
    if (name !== undefined) columns[name] = zone;
  }
  return { ...z, columns };
}

/** Whether `loaded` is the version `f` names (Catalog.loadedFiles' identity: name, size, and the ETag, or without one the modification time). */
function sameFile(loaded: SourceFileVersion, f: SourceFileVersion): boolean {
  if (loaded.fileName !== f.fileName || loaded.fileSize !== f.fileSize) return false;
  if (f.fileEtag !== null) return loaded.fileEtag === f.fileEtag;
  return loaded.fileEtag === null && loaded.fileModifiedAt.getTime() === f.fileModifiedAt.getTime();
}

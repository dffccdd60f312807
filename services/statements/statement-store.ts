/**
 * The statement store: every statement the HTTP API (and the driver protocol) runs, from the
 * moment it is submitted until it is forgotten, with its state, owner, progress, a way to
 * cancel it and its result as columnar batches (result-batches.ts). It is what makes
 * asynchronous execution, polling, cancel, result partitions, idempotent retries and result
 * re-fetch (RESULT_SCAN, the driver's getResultsFromQueryId) possible: a statement's answer is
 * never tied to the request that started it.
 *
 * Contract:
 * - `begin` registers a running statement of `user`; `requestId` (the SQL API's) is indexed
 *   per user, so `byRequestId` finds the statement a retry repeats. The statement's `signal`
 *   fires on `cancel`. `settle` ends it: succeeded with its result, or failed (canceled when the
 *   failure is CANCELED, 000604). `settled` resolves then.
 * - Every lookup is by owner: another user's statement answers exactly as an unknown one.
 * - Results share one ResultSpace: batches stay in memory within `memoryBytes`; when a new
 *   batch does not fit, the results of the oldest finished statements move to disk to make
 *   room, and what still does not fit is written there itself (Arrow IPC files under
 *   `<home>/results/<queryId>/`). Past `diskBytes` the results of the oldest finished
 *   statements are evicted (their files removed), and a result that alone passes it fails its
 *   statement with RESOURCE_EXHAUSTED. An evicted
 *   result reads as RESULT_NOT_AVAILABLE; its statement (state, handle, request id) stays.
 * - Statements are forgotten (and their results removed) once finished and older than
 *   `retentionMs` (24 h, as Snowflake keeps results), or, oldest first, when more than
 *   `maxEntries` are kept (10,000 by default): a retry within both is always recognized.
 *   Running statements are never forgotten.
 * - `resultOf(queryId, user)` is the read API the rest of Firn uses: the columns and the rows
 *   as batches of a succeeded statement whose result is still held, undefined otherwise.
 * - The results directory is emptied when the store opens (results of an earlier process are
 *   gone with it) and on `close`.
 */
import { rmSync } from 'node:fs';
import { ResourceError, asFirnError, type FirnError } from '../../storage/errors/firn-error.js';
import { firnHomePath } from '../../storage/firn-home/firn-home-path.js';
import { newRunProgress, type RunProgress } from '../coordinate/run-progress.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import type { QueryStats, SessionContext } from '../session/statement-result.js';
import { ResultBatches, ResultSpace } from './result-batches.js';

export const StatementStates = {
  RUNNING: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  CANCELED: 'canceled',
} as const;
export type StatementState = (typeof StatementStates)[keyof typeof StatementStates];

/** What a running (or finished) statement has done so far (Firn's `stats` while polling). */
export type StatementProgress = {
  elapsedMs: number;
  rowsProduced: number;
  bytesScanned: number;
  partitionsScanned: number;
  partitionsTotal: number;
  /** A COPY INTO: its files to load, those loaded so far, and the rows they loaded. */
  filesTotal: number;
  filesDone: number;
  rowsLoaded: number;
};

/** A statement's result as others read it: its columns and its rows, read afresh on each call. */
export type StoredResult = { columns: Column[]; batches(): AsyncIterable<Batch> };

export type StatementStoreOptions = {
  /** FIRN_HOME: spilled results go under `<home>/results`. */
  home: string;
  memoryBytes: number;
  diskBytes: number;
  /** About how much JSON text one result partition holds (result-batches.ts). */
  partitionBytes: number;
  maxEntries?: number;
  retentionMs?: number;
  now?: () => number;
};

/** Snowflake keeps a statement's result for 24 hours. */
export const STATEMENT_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Statements kept at least (while younger than the retention): the 10,000 requests. */
export const DEFAULT_MAX_STATEMENTS = 10_000;
export const RESULTS_DIR = 'results';
/** How often statements past the retention are looked for among all of them. */
const SWEEP_EVERY_MS = 60_000;

/** One statement in the store. Fields change only through the store. */
export class StoredStatement {
  state: StatementState = StatementStates.RUNNING;
  error: FirnError | null = null;
  result: ResultBatches | null = null;
  /** The statement's stats (the engine fills them in place); null until it answered. */
  stats: QueryStats | null = null;
  context: SessionContext | null = null;
  /** A multi-statement request: each statement's handle, in order. */
  statementHandles: string[] | null = null;
  /** When it finished (store clock, ms); null while running. */
  endedAt: number | null = null;
  readonly settled: Promise<void>;
  /** What its runs have done so far (counted by its stage plan runs: run-progress.ts). */
  readonly live: RunProgress = newRunProgress();
  private resolveSettled!: () => void;
  private readonly controller = new AbortController();
  private readonly startedPerf = performance.now();

  constructor(
    readonly queryId: string,
    readonly user: string,
    readonly requestId: string | null,
    readonly createdOn: number,
  ) {
    this.settled = new Promise((resolve) => (this.resolveSettled = resolve));
  }

  /** Fires when the statement is canceled (POST …/cancel, the client gone). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get running(): boolean {
    return this.state === StatementStates.RUNNING;
  }

  /** Live counters while it runs; its final stats once it succeeded. */
  progress(): StatementProgress {
    const s = this.running ? null : this.stats;
    const from = s ?? this.live;
    return {
      elapsedMs: s === null ? Math.round(performance.now() - this.startedPerf) : s.elapsedMs,
      rowsProduced: this.result?.numRows ?? 0,
      bytesScanned: from.bytesScanned,
      partitionsScanned: from.partitionsScanned,
      partitionsTotal: from.partitionsTotal,
      filesTotal: this.live.filesTotal,
      filesDone: this.live.filesDone,
      rowsLoaded: this.live.rowsLoaded,
    };
  }

  /** @internal the store's */
  abort(): void {
    this.controller.abort();
  }

  /** @internal the store's */
  end(at: number): void {
    this.endedAt = at;
    this.resolveSettled();
  }
}

export class StatementStore {
  private readonly statements = new Map<string, StoredStatement>();
  private readonly requests = new Map<string, string>();
  private readonly space: ResultSpace;
  private readonly dir: string;
  private readonly maxEntries: number;
  private readonly retentionMs: number;
  private readonly now: () => number;
  private lastSweep: number;

  constructor(private readonly opts: StatementStoreOptions) {
    this.space = new ResultSpace(opts.memoryBytes, opts.diskBytes, (bytes, asking) => this.makeRoom(bytes, asking));
    this.dir = firnHomePath(opts.home, RESULTS_DIR);
    this.maxEntries = Math.max(1, opts.maxEntries ?? DEFAULT_MAX_STATEMENTS);
    this.retentionMs = opts.retentionMs ?? STATEMENT_RETENTION_MS;
    this.now = opts.now ?? Date.now;
    this.lastSweep = this.now();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Memory and disk bytes the kept results hold. */
  get resultBytes(): { memory: number; disk: number } {
    return { memory: this.space.memoryUsed, disk: this.space.diskUsed };
  }

  /** Registers a running statement (see the module comment). */
  begin(opts: { queryId: string; user: string; requestId?: string | null }): StoredStatement {
    const st = new StoredStatement(opts.queryId, opts.user, opts.requestId ?? null, this.now());
    this.statements.set(st.queryId, st);
    if (st.requestId !== null) this.requests.set(requestKey(st.user, st.requestId), st.queryId);
    this.sweep();
    return st;
  }

  /** The statement `queryId` of `user`, if kept. */
  get(queryId: string, user: string): StoredStatement | undefined {
    const st = this.statements.get(queryId);
    return st !== undefined && st.user === user ? st : undefined;
  }

  /** The statement `user` submitted with `requestId`, if kept. */
  byRequestId(user: string, requestId: string): StoredStatement | undefined {
    const id = this.requests.get(requestKey(user, requestId));
    return id === undefined ? undefined : this.get(id, user);
  }

  /** Opens the statement's result with these columns (once it knows them). */
  openResult(st: StoredStatement, columns: Column[]): ResultBatches {
    const result = new ResultBatches(columns, this.space, firnHomePath(this.dir, st.queryId), this.opts.partitionBytes);
    st.result = result;
    return result;
  }

  /**
   * Adds rows to the statement's result, evicting older results past the disk budget; a result
   * that alone passes it fails with RESOURCE_EXHAUSTED.
   */
  async append(st: StoredStatement, batch: Batch): Promise<void> {
    const result = st.result;
    if (result === null) throw new ResourceError('RESULT_NOT_AVAILABLE', `statement ${st.queryId} has no open result`);
    await result.append(batch);
    if (this.space.diskUsed <= this.space.diskBytes) return;
    await this.evictResults(result);
    if (this.space.diskUsed > this.space.diskBytes) {
      throw new ResourceError('RESOURCE_EXHAUSTED', `The result of statement ${st.queryId} is larger than the ${this.space.diskBytes} bytes of disk results may use (FIRN_RESULT_DISK_BYTES); add a LIMIT or select fewer columns`);
    }
  }

  /** Ends the statement: succeeded (error null) or failed / canceled. */
  async settle(st: StoredStatement, outcome: { error: unknown } | { stats: QueryStats; context: SessionContext; statementHandles?: string[] }): Promise<void> {
    if (!st.running) return;
    if ('error' in outcome) {
      // Its files are gone before anyone sees it failed.
      const result = st.result;
      st.result = null;
      await result?.dispose();
      const fe = asFirnError(outcome.error);
      st.error = fe;
      st.state = fe.codeName === 'CANCELED' ? StatementStates.CANCELED : StatementStates.FAILED;
    } else {
      st.stats = outcome.stats;
      st.context = outcome.context;
      st.statementHandles = outcome.statementHandles ?? null;
      st.result?.finish();
      st.state = StatementStates.SUCCEEDED;
    }
    st.end(this.now());
    this.sweep();
  }

  /** Records a statement that already finished with its whole result (a multi-statement request's statements). */
  async record(opts: { queryId: string; user: string; columns: Column[]; batches: Batch[]; stats: QueryStats; context: SessionContext }): Promise<StoredStatement> {
    const st = this.begin({ queryId: opts.queryId, user: opts.user });
    try {
      this.openResult(st, opts.columns);
      for (const b of opts.batches) await this.append(st, b);
      await this.settle(st, { stats: opts.stats, context: opts.context });
    } catch (err) {
      await this.settle(st, { error: err });
    }
    return st;
  }

  /** Cancels `user`'s running statement; undefined when unknown. */
  cancel(queryId: string, user: string): StoredStatement | undefined {
    const st = this.get(queryId, user);
    if (st?.running) st.abort();
    return st;
  }

  /** The result of `user`'s succeeded statement, while it is held (see the module comment). */
  resultOf(queryId: string, user: string): StoredResult | undefined {
    const st = this.get(queryId, user);
    const result = st?.result;
    if (st === undefined || st.state !== StatementStates.SUCCEEDED || !result?.available) return undefined;
    return { columns: result.columns, batches: () => result.read() };
  }

  /** Forgets every statement and removes every result file. */
  async close(): Promise<void> {
    for (const st of this.statements.values()) {
      st.abort();
      await st.result?.dispose();
    }
    this.statements.clear();
    this.requests.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Evicts the results of finished statements, oldest first, until the disk budget holds (never `keep`). */
  private async evictResults(keep: ResultBatches): Promise<void> {
    for (const st of this.statements.values()) {
      if (this.space.diskUsed <= this.space.diskBytes) return;
      if (st.result === keep || st.running || st.result === null || st.result.diskBytes === 0) continue;
      await st.result.dispose();
    }
  }

  /**
   * Makes room in memory for `bytes` of `asking`'s: the results of finished statements move to
   * disk, oldest first (then the oldest on disk are evicted past the disk budget). A write that
   * fails stops it: the new rows then go to disk themselves.
   */
  private async makeRoom(bytes: number, asking: ResultBatches): Promise<void> {
    for (const st of this.statements.values()) {
      if (this.space.memoryUsed + bytes <= this.space.memoryBytes) break;
      const result = st.result;
      if (st.running || result === null || result === asking || result.memoryBytes === 0) continue;
      try {
        await result.moveToDisk();
      } catch {
        break;
      }
    }
    if (this.space.diskUsed > this.space.diskBytes) await this.evictResults(asking);
  }

  /**
   * Forgets finished statements past the count (oldest first) and, at most once every
   * SWEEP_EVERY_MS, every one past the retention (see the module comment).
   */
  private sweep(): void {
    const now = this.now();
    const expiring = now - this.lastSweep >= SWEEP_EVERY_MS;
    if (expiring) this.lastSweep = now;
    let excess = this.statements.size - this.maxEntries;
    if (!expiring && excess <= 0) return;
    const cutoff = now - this.retentionMs;
    for (const st of this.statements.values()) {
      if (!expiring && excess <= 0) break;
      if (st.running) continue;
      const expired = st.endedAt !== null && st.endedAt < cutoff;
      if (!expired && excess <= 0) continue;
      this.forget(st);
      excess--;
    }
  }

  private forget(st: StoredStatement): void {
    this.statements.delete(st.queryId);
    if (st.requestId !== null && this.requests.get(requestKey(st.user, st.requestId)) === st.queryId) this.requests.delete(requestKey(st.user, st.requestId));
    void st.result?.dispose();
  }
}

function requestKey(user: string, requestId: string): string {
  return `${user}\u0000${requestId}`;
}

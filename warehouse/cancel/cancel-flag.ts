/**
 * Cooperative cancellation of one statement's work, across threads. A worker's event loop
 * is busy while it runs a task, so it cannot hear an AbortSignal; instead services and
 * workers share one small SharedArrayBuffer per statement: an Int32 reason (0 while the
 * statement may run) that services sets with Atomics when the statement is canceled, and
 * the statement's deadline (epoch milliseconds, so a worker sees a timeout by itself, even
 * while the main thread is busy). Long loops call `CancelFlag.checkpoint()` once per batch
 * (scan unit, join probe block, aggregate input batch, CSV chunk, written partition); it
 * throws the statement's cancellation error, which crosses back to services as plain data
 * like any FirnError.
 *
 * Why not piscina's own abort: aborting a running task terminates its worker thread, losing
 * the worker's warm column cache and costing a thread start; the flag stops the task within
 * one batch and keeps the thread. Tasks that have not started are dropped from the queue by
 * the pool (worker-slot.ts) without ever reaching a worker.
 *
 * Contract: `checkpoint()` checks the active flag and does nothing when none is active. A
 * synchronous call runs with a flag active through `within`; a worker task runs its whole
 * (asynchronous) run through `runTask`, which binds the flag to the task's async context
 * (AsyncLocalStorage), because a worker thread runs tasks of several statements at once,
 * interleaved at their awaits (worker-slot.ts): each task's checkpoints see its own
 * statement's flag. `within` wins over `runTask` while it runs. The first reason set wins; a
 * deadline passed counts as TIMEOUT.
 *
 * Progress: the same buffer holds a shared counter of rows the statement's operators have
 * processed (`addProgress(n)` per batch from any thread, `progress()` from any other), so
 * services (and a test) can see a worker's CPU actually stop after a cancel. Every
 * `checkpoint()` that lets its batch run also counts 1, so loops that only checkpoint (the
 * scan, join and aggregate loops of fragment tasks, loads) show their work too.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { FirnError, ResourceError } from '../../storage/errors/firn-error.js';

export const CancelReason = {
  NONE: 0,
  /** Past the statement's timeout: STATEMENT_TIMEOUT (000630 / 57014). */
  TIMEOUT: 1,
  /** The client went away before the answer: CANCELED (000604 / 57014). */
  CLIENT: 2,
  /** The statement already failed or answered; stray tasks stop (their error is never seen). */
  ABANDONED: 3,
} as const;
export type CancelReason = (typeof CancelReason)[keyof typeof CancelReason];

/** Int32 slot 0: the reason; Float64 slots 1, 2 (bytes 8..24): deadline (epoch ms), timeout seconds; BigInt64 (bytes 24..32): rows processed. */
const BYTES = 32;

export class CancelFlag {
  private static active: CancelFlag | null = null;
  /** The flag of the task whose async context is running (runTask); enabled on first use only. */
  private static readonly task = new AsyncLocalStorage<CancelFlag | null>();
  private readonly state: Int32Array;
  private readonly limits: Float64Array;
  private readonly rows: BigInt64Array;

  private constructor(readonly buffer: SharedArrayBuffer) {
    this.state = new Int32Array(buffer, 0, 1);
    this.limits = new Float64Array(buffer, 8, 2);
    this.rows = new BigInt64Array(buffer, 24, 1);
  }

  /** A new flag for a statement with a timeout of `timeoutSeconds` (0: none). */
  static create(timeoutSeconds = 0): CancelFlag {
    const flag = new CancelFlag(new SharedArrayBuffer(BYTES));
    flag.limits[0] = timeoutSeconds > 0 ? Date.now() + timeoutSeconds * 1000 : Infinity;
    flag.limits[1] = timeoutSeconds;
    return flag;
  }

  /**
   * A new flag with `parent`'s deadline and timeout (not yet canceled): one statement run's
   * own flag, which its coordinator can cancel on a failure without canceling the request.
   */
  static linked(parent: CancelFlag): CancelFlag {
    const flag = new CancelFlag(new SharedArrayBuffer(BYTES));
    flag.limits[0] = parent.limits[0];
    flag.limits[1] = parent.limits[1];
    return flag;
  }

  /** The flag services shared with this thread (same memory, not a copy). */
  static of(buffer: SharedArrayBuffer): CancelFlag {
    return new CancelFlag(buffer);
  }

  /** Runs asynchronous `fn` with `flag` active in its async context (its awaits and whatever they start), not in other tasks'. */
  static runTask<T>(flag: CancelFlag | null, fn: () => Promise<T>): Promise<T> {
    return CancelFlag.task.run(flag, fn);
  }

  /** Runs synchronous `fn` with `flag` active, then restores the previous one. */
  static within<T>(flag: CancelFlag | null, fn: () => T): T {
    const previous = CancelFlag.active;
    CancelFlag.active = flag;
    try {
      return fn();
    } finally {
      CancelFlag.active = previous;
    }
  }

  /** Throws the active statement's cancellation error once it is canceled (once per batch). */
  static checkpoint(): void {
    const flag = CancelFlag.active ?? CancelFlag.task.getStore() ?? null;
    if (flag === null) return;
    if (flag.reason !== CancelReason.NONE) throw flag.error();
    Atomics.add(flag.rows, 0, 1n);
  }

  get timeoutSeconds(): number {
    return this.limits[1];
  }

  get reason(): CancelReason {
    const r = Atomics.load(this.state, 0) as CancelReason;
    if (r !== CancelReason.NONE || Date.now() < this.limits[0]) return r;
    this.cancel(CancelReason.TIMEOUT);
    return Atomics.load(this.state, 0) as CancelReason;
  }

  get cancelled(): boolean {
    return this.reason !== CancelReason.NONE;
  }

  /** Cancels the statement for `reason` unless it already was (the first reason wins). */
  cancel(reason: Exclude<CancelReason, 0>): void {
    Atomics.compareExchange(this.state, 0, CancelReason.NONE, reason);
  }

  /** Counts `n` more rows processed by one of the statement's operators (once per batch). */
  addProgress(n: number): void {
    Atomics.add(this.rows, 0, BigInt(n));
  }

  /** Rows processed so far by every operator of the statement, on every thread. */
  progress(): number {
    return Number(Atomics.load(this.rows, 0));
  }

  check(): void {
    if (this.cancelled) throw this.error();
  }

  /** The error a statement canceled for its reason answers with. */
  error(): FirnError {
    if (Atomics.load(this.state, 0) === CancelReason.TIMEOUT) {
      return new ResourceError('STATEMENT_TIMEOUT', `Statement reached its statement or warehouse timeout of ${this.timeoutSeconds} second(s) and was canceled.`);
    }
    return new ResourceError('CANCELED', 'SQL execution canceled');
  }
}

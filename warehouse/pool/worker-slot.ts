/**
 * One warehouse slot: a single worker thread (a one-thread piscina pool) and the tasks
 * waiting for it, queued per statement.
 *
 * Why several tasks at once: a stage task is long-lived (it streams batches through
 * exchanges), so a thread that ran one task at a time made a short statement wait behind a
 * long one (head-of-line blocking). The slot now runs tasks of DIFFERENT statements on its
 * thread concurrently, up to MAX_STATEMENTS_PER_WORKER; the worker's pipelines let the event
 * loop turn between batches every few ms (event-loop-turn.ts), so their batches interleave.
 *
 * Contract:
 * - A statement is its `cancel.flag` (all tasks without a cancel count as one statement). At
 *   most one task per statement runs on the thread at a time: its further tasks wait behind
 *   its running one, so a statement's memory and spill shares (exchange-ledger.ts: one task per
 *   statement per worker) still hold.
 * - Fairness: statements take turns round-robin. When a task ends (or a new statement arrives
 *   while the thread has room), the next statement in the ring starts its oldest waiting task;
 *   a statement that still has tasks waiting goes back to the end of the ring, so a statement
 *   with many tasks does not hold the thread against one that arrived later.
 * - `run` resolves with the worker's reply or rejects with its failure; with a `cancel` whose
 *   signal has fired (or fires while the task waits), it rejects at once with the flag's error,
 *   and the task never starts. A running task sees its statement's CancelFlag (shared memory)
 *   at its next batch and answers the cancellation error; other statements' tasks on the same
 *   thread go on. piscina's own `signal` is not used because aborting a running task terminates
 *   its thread (cancel-flag.ts explains the choice).
 * - The worker receives `{ task, cancel }` (WorkerMessage). If the thread dies, piscina starts
 *   a new one (minThreads 1): every task that was running on it rejects (a heap exhaustion
 *   cannot be traced to one of them, warehouse-pool.ts), and waiting tasks run on the new one.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import type { CancelFlag } from '../cancel/cancel-flag.js';

type TransferList = NonNullable<Parameters<Piscina['run']>[1]>['transferList'];

/** Most statements whose tasks run at once on one worker thread (the thread's piscina concurrentTasksPerWorker). */
export const MAX_STATEMENTS_PER_WORKER = 8;

/** A statement's cancellation, as the pool takes it: the shared flag and the signal that fires when it is set. */
export type TaskCancel = { flag: CancelFlag; signal: AbortSignal };

/** What a worker receives: the task and its statement's CancelFlag buffer (null: not cancelable). */
export type WorkerMessage = { task: unknown; cancel: SharedArrayBuffer | null };

/** The statement of tasks given no cancel. */
const NO_STATEMENT = Symbol('no statement');
type StatementKey = CancelFlag | typeof NO_STATEMENT;

type Waiting = {
  key: StatementKey;
  message: WorkerMessage;
  transfer: (ArrayBuffer | MessagePort)[];
  cancel: TaskCancel | null;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  onAbort: (() => void) | null;
};

export class WorkerSlot {
  /** Waiting tasks per statement, oldest first (a statement is here only while it has some). */
  private readonly waiting = new Map<StatementKey, Waiting[]>();
  /** Statements with a waiting task and none running, in turn order. */
  private readonly ring: StatementKey[] = [];
  /** Statements with a task running on the thread. */
  private readonly running = new Set<StatementKey>();

  constructor(
    private readonly thread: Piscina,
    readonly maxStatements = MAX_STATEMENTS_PER_WORKER,
  ) {}

  run<T>(task: unknown, transfer: (ArrayBuffer | MessagePort)[], cancel: TaskCancel | null): Promise<T> {
    if (cancel && (cancel.signal.aborted || cancel.flag.cancelled)) return Promise.reject(cancel.flag.error());
    return new Promise<T>((resolve, reject) => {
      const key: StatementKey = cancel?.flag ?? NO_STATEMENT;
      const w: Waiting = { key, message: { task, cancel: cancel?.flag.buffer ?? null }, transfer, cancel, resolve: resolve as (v: unknown) => void, reject, onAbort: null };
      if (cancel) {
        w.onAbort = () => this.drop(w);
        cancel.signal.addEventListener('abort', w.onAbort, { once: true });
      }
      const queue = this.waiting.get(key);
      if (queue) queue.push(w);
      else {
        this.waiting.set(key, [w]);
        if (!this.running.has(key)) this.ring.push(key);
      }
      this.next();
    });
  }

  /** Tasks waiting for the thread (not counting the running ones). */
  get queued(): number {
    let n = 0;
    for (const q of this.waiting.values()) n += q.length;
    return n;
  }

  /** Tasks running on the thread (one per statement). */
  get active(): number {
    return this.running.size;
  }

  async destroy(): Promise<void> {
    for (const queue of this.waiting.values()) {
      for (const w of queue) {
        this.detach(w);
        w.reject(new Error('warehouse is shutting down'));
      }
    }
    this.waiting.clear();
    this.ring.length = 0;
    await this.thread.destroy();
  }

  /** Starts the next statements' tasks, in ring order, while the thread has room. */
  private next(): void {
    while (this.running.size < this.maxStatements && this.ring.length > 0) {
      const key = this.ring.shift()!;
      const w = this.take(key)!;
      this.detach(w);
      if (w.cancel?.flag.cancelled) {
        w.reject(w.cancel.flag.error());
        if (this.waiting.has(key)) this.ring.push(key);
        continue;
      }
      this.start(w);
    }
  }

  private start(w: Waiting): void {
    this.running.add(w.key);
    this.thread
      .run(w.message, { transferList: w.transfer as TransferList })
      .then(w.resolve, w.reject)
      .finally(() => {
        this.running.delete(w.key);
        if (this.waiting.has(w.key)) this.ring.push(w.key);
        this.next();
      });
  }

  /** The statement's oldest waiting task, removed from its queue. */
  private take(key: StatementKey): Waiting | undefined {
    const queue = this.waiting.get(key);
    const w = queue?.shift();
    if (queue?.length === 0) this.waiting.delete(key);
    return w;
  }

  /** A canceled statement's task leaves the queue before it starts. */
  private drop(w: Waiting): void {
    const queue = this.waiting.get(w.key);
    const i = queue?.indexOf(w) ?? -1;
    if (i < 0) return;
    queue!.splice(i, 1);
    if (queue!.length === 0) {
      this.waiting.delete(w.key);
      const r = this.ring.indexOf(w.key);
      if (r >= 0) this.ring.splice(r, 1);
    }
    w.reject(w.cancel!.flag.error());
  }

  private detach(w: Waiting): void {
    if (w.onAbort) w.cancel!.signal.removeEventListener('abort', w.onAbort);
    w.onAbort = null;
  }
}

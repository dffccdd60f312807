/**
 * One warehouse slot: a single worker thread (a one-thread piscina pool) and the queue of
 * tasks waiting for it. The slot hands the thread one task at a time, so it always knows
 * which tasks have started: a canceled statement's queued tasks are dropped from the queue
 * and never start; its running task sees the statement's CancelFlag (shared memory) at its
 * next batch and answers the cancellation error, and the thread lives on with its warm
 * cache. piscina's own `signal` is not used because aborting a running task terminates its
 * thread (cancel-flag.ts explains the choice).
 *
 * Contract: `run` resolves with the worker's reply or rejects with its failure; with a
 * `cancel` whose signal has fired (or fires while the task waits), it rejects at once with
 * the flag's error. The worker receives `{ task, cancel }` (WorkerMessage). If the thread
 * dies, piscina starts a new one (minThreads 1) and the next task runs there.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import type { CancelFlag } from '../cancel/cancel-flag.js';

type TransferList = NonNullable<Parameters<Piscina['run']>[1]>['transferList'];

/** A statement's cancellation, as the pool takes it: the shared flag and the signal that fires when it is set. */
export type TaskCancel = { flag: CancelFlag; signal: AbortSignal };

/** What a worker receives: the task and its statement's CancelFlag buffer (null: not cancelable). */
export type WorkerMessage = { task: unknown; cancel: SharedArrayBuffer | null };

type Waiting = {
  message: WorkerMessage;
  transfer: (ArrayBuffer | MessagePort)[];
  cancel: TaskCancel | null;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  onAbort: (() => void) | null;
};

export class WorkerSlot {
  private readonly waiting: Waiting[] = [];
  private busy = false;

  constructor(private readonly thread: Piscina) {}

  run<T>(task: unknown, transfer: (ArrayBuffer | MessagePort)[], cancel: TaskCancel | null): Promise<T> {
    if (cancel && (cancel.signal.aborted || cancel.flag.cancelled)) return Promise.reject(cancel.flag.error());
    return new Promise<T>((resolve, reject) => {
      const w: Waiting = { message: { task, cancel: cancel?.flag.buffer ?? null }, transfer, cancel, resolve: resolve as (v: unknown) => void, reject, onAbort: null };
      if (cancel) {
        w.onAbort = () => this.drop(w);
        cancel.signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.waiting.push(w);
      this.next();
    });
  }

  /** Tasks waiting for the thread (not counting the running one). */
  get queued(): number {
    return this.waiting.length;
  }

  async destroy(): Promise<void> {
    for (const w of this.waiting.splice(0)) {
      this.detach(w);
      w.reject(new Error('warehouse is shutting down'));
    }
    await this.thread.destroy();
  }

  private next(): void {
    if (this.busy) return;
    const w = this.waiting.shift();
    if (!w) return;
    this.detach(w);
    if (w.cancel?.flag.cancelled) {
      w.reject(w.cancel.flag.error());
      this.next();
      return;
    }
    this.busy = true;
    this.thread
      .run(w.message, { transferList: w.transfer as TransferList })
      .then(w.resolve, w.reject)
      .finally(() => {
        this.busy = false;
        this.next();
      });
  }

  /** A canceled statement's task leaves the queue before it starts. */
  private drop(w: Waiting): void {
    const i = this.waiting.indexOf(w);
    if (i < 0) return;
    this.waiting.splice(i, 1);
    w.reject(w.cancel!.flag.error());
  }

  private detach(w: Waiting): void {
    if (w.onAbort) w.cancel!.signal.removeEventListener('abort', w.onAbort);
    w.onAbort = null;
  }
}

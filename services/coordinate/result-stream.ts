/**
 * The root ('result') stage's rows as services receives them: an AsyncIterable<Batch> over
 * the services end of the result task's MessagePort, with credits, so the worker computes at
 * most a few batches ahead of the client (backpressure) and the first rows can leave before
 * the last are computed.
 *
 * Protocol (warehouse/fragment/result-stream.ts): the worker posts `{ kind: 'batch', ipc }`
 * (Arrow IPC bytes, transferred) while fewer than RESULT_BATCHES_IN_FLIGHT are unacknowledged,
 * and `{ kind: 'done' }` after its last batch; services acknowledges a batch (`{ kind:
 * 'credit' }`) once the reader has consumed it, i.e. when the reader asks for the next one.
 *
 * Contract: batches come in the order the worker posted them. `fail(err)` (the task failed or
 * the run was canceled) makes the next read throw `err` at once, even with batches still
 * queued: a failed statement's rows are never shown as if complete. A reader that stops early
 * (`return()`, `break`) calls `onAbandon` so the run stops its tasks.
 */
import type { MessagePort } from 'node:worker_threads';
import { decodeBatchIpc } from '../../storage/arrow/batch-ipc.js';
import type { Batch } from '../../storage/types/vector.js';
import type { ResultCreditMessage, ResultWorkerMessage } from '../../warehouse/fragment/result-stream.js';

const CREDIT: ResultCreditMessage = { kind: 'credit' };

export class ResultStream implements AsyncIterable<Batch> {
  private readonly queue: Uint8Array[] = [];
  private ended = false;
  private error: unknown = null;
  private wake: (() => void) | null = null;
  private iterated = false;

  constructor(
    private readonly port: MessagePort,
    private readonly onAbandon: () => void,
  ) {
    port.on('message', (m: ResultWorkerMessage) => {
      if (m.kind === 'batch') this.queue.push(m.ipc);
      else if (m.kind === 'done') this.ended = true;
      this.notify();
    });
    // The run's tasks keep the process busy; an unread stream must not.
    port.unref();
  }

  /** Ends the stream with `err` (a failed task or a canceled run); later reads throw it. */
  fail(err: unknown): void {
    if (this.error === null) this.error = err;
    this.port.close();
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Batch> {
    if (this.iterated) throw new Error('a result stream can be read once');
    this.iterated = true;
    let finished = false;
    try {
      for (;;) {
        if (this.error !== null) throw this.error;
        const next = this.queue.shift();
        if (next !== undefined) {
          yield decodeBatchIpc(next).batch;
          // The reader is done with that batch: the worker may send one more.
          this.port.postMessage(CREDIT);
          continue;
        }
        if (this.ended) break;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
      finished = true;
    } finally {
      this.port.close();
      if (!finished) this.onAbandon();
    }
  }
}

/**
 * The worker side of the result port protocol (warehouse/fragment/result-stream.ts): posts
 * each result batch, cut into slices of at most RESULT_BATCH_ROWS rows, as Arrow IPC (its
 * buffer transferred) and waits for a credit whenever
 * RESULT_BATCHES_IN_FLIGHT batches are unacknowledged, so a slow client holds at most that
 * many batches of the task in flight. While it waits it checks the statement's CancelFlag
 * every CANCEL_POLL_MS, so a canceled statement never leaves the task parked on a port.
 */
import type { MessagePort } from 'node:worker_threads';
import { encodeBatchIpc } from '../../../storage/arrow/batch-ipc.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Column } from '../../../storage/types/schema.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { CancelFlag } from '../../cancel/cancel-flag.js';
import { RESULT_BATCH_ROWS, RESULT_BATCHES_IN_FLIGHT, type ResultBatchMessage, type ResultCreditMessage, type ResultDoneMessage } from '../../fragment/result-stream.js';
import { sliceBatch } from '../batch/slice-batch.js';

const CANCEL_POLL_MS = 50;

export class ResultSender {
  private readonly columns: Column[];
  private inFlight = 0;
  private seq = 0;
  private rows = 0;
  private wake: (() => void) | null = null;
  private readonly onMessage = (m: ResultCreditMessage) => {
    if (m?.kind !== 'credit') return;
    this.inFlight--;
    this.wake?.();
  };

  constructor(
    private readonly port: MessagePort,
    types: readonly DataType[],
    private readonly cancel: CancelFlag | null,
  ) {
    this.columns = types.map((type, i) => ({ name: `c${i}`, type, nullable: true }));
    port.on('message', this.onMessage);
  }

  async send(batch: Batch): Promise<void> {
    if (batch.length <= RESULT_BATCH_ROWS) return this.post(batch);
    for (let start = 0; start < batch.length; start += RESULT_BATCH_ROWS) await this.post(sliceBatch(batch, start, Math.min(batch.length, start + RESULT_BATCH_ROWS)));
  }

  private async post(batch: Batch): Promise<void> {
    while (this.inFlight >= RESULT_BATCHES_IN_FLIGHT) await this.waitForCredit();
    const ipc = encodeBatchIpc(this.columns, batch);
    const message: ResultBatchMessage = { kind: 'batch', seq: this.seq++, rows: batch.length, ipc };
    this.inFlight++;
    this.rows += batch.length;
    this.port.postMessage(message, [ipc.buffer as ArrayBuffer]);
  }

  /** Posts 'done' and stops listening for credits. */
  done(): void {
    const message: ResultDoneMessage = { kind: 'done', batches: this.seq, rows: this.rows };
    this.port.postMessage(message);
    this.close();
  }

  close(): void {
    this.port.off('message', this.onMessage);
    this.wake?.();
  }

  private async waitForCredit(): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(finish, CANCEL_POLL_MS);
      function finish() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = finish;
    });
    this.wake = null;
    this.cancel?.check();
  }
}

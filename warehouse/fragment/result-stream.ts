/**
 * The result port protocol: how the task of a 'result' stage streams its batches to the
 * coordinator (which encodes them for the client as they come) with bounded memory.
 *
 * The coordinator creates a MessageChannel per result task, keeps port1 and hands port2 to
 * the task (StageTask.resultPort, in the transfer list). Messages:
 *  - worker -> coordinator: `{ kind: 'batch', seq, rows, ipc }`: one batch as an Arrow IPC
 *    stream (columns c0..cN, the root's types), its ArrayBuffer transferred, never copied;
 *    `seq` counts from 0. A message holds at most RESULT_BATCH_ROWS rows (the task cuts bigger
 *    batches), so services decodes each in a few milliseconds of its event loop. At most
 *    RESULT_BATCHES_IN_FLIGHT batches are unacknowledged at once.
 *  - coordinator -> worker: `{ kind: 'credit' }` once per batch it has consumed (encoded or
 *    written out); each credit lets the task post one more batch.
 *  - worker -> coordinator: `{ kind: 'done', batches, rows }` after the last batch (also when
 *    there were none). A failed or canceled task posts no 'done': its task promise rejects
 *    (or answers a WorkerFailure), which is how the coordinator learns of it.
 * The task's reply (StageTaskReply) arrives after 'done', with no outputs.
 */
export const RESULT_BATCHES_IN_FLIGHT = 4;

/** Rows per batch message at most: one decode of 18k TPC-H Q16 rows took 21 ms of the services thread. */
export const RESULT_BATCH_ROWS = 4096;

export type ResultBatchMessage = { kind: 'batch'; seq: number; rows: number; ipc: Uint8Array };
export type ResultDoneMessage = { kind: 'done'; batches: number; rows: number };
export type ResultWorkerMessage = ResultBatchMessage | ResultDoneMessage;
export type ResultCreditMessage = { kind: 'credit' };

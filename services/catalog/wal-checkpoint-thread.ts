/**
 * The WAL checkpointer's thread (wal-checkpointer.ts): its own connection to the catalog file,
 * and a passive checkpoint of the write-ahead log every `intervalMs`.
 *
 * Contract: workerData is `{ file, intervalMs }`. The thread runs at the workers' lower
 * priority (thread-priority.ts): a checkpoint is background work and must not take a core from
 * the services thread. A checkpoint that fails is reported to the parent as `{ failed: message }`
 * and tried again at the next tick; the message 'stop' closes the connection and ends the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThisThread } from '../../warehouse/pool/thread-priority.js';
import { openSqliteDatabase, pragma } from './open-sqlite-database.js';

lowerThisThread();

const { file, intervalMs } = workerData as { file: string; intervalMs: number };
const db = openSqliteDatabase(file, { fileMustExist: true });

const timer = setInterval(() => {
  try {
    pragma(db, 'wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort!.postMessage({ failed: err instanceof Error ? err.message : String(err) });
  }
}, intervalMs);

parentPort!.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort!.close();
});

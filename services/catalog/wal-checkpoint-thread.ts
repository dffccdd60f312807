/**
 * The WAL checkpointer's thread (wal-checkpointer.ts): its own connection to the catalog file,
 * and a passive checkpoint of the write-ahead log every `intervalMs`.
 *
 * Contract: workerData is `{ file, intervalMs }`. A checkpoint that fails is reported to the
 * parent as `{ failed: message }` and tried again at the next tick; the message 'stop' closes
 * the connection and ends the thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteDatabase, pragma } from './open-sqlite-database.js';

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

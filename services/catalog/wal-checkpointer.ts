/**
 * Checkpoints the catalog's write-ahead log on a thread of its own, so no commit on the
 * server's event loop ever does it.
 *
 * Why: SQLite checkpoints a WAL database on the commit that takes the log past
 * wal_autocheckpoint pages (1000 by default). That commit copies the log into the database
 * file and fsyncs both, on the committing thread: the event loop that answers /healthz and
 * plans statements. An fsync waits for the disk, and on a disk busy with cache and spill
 * writes one commit that fsynced took 8 ms at the median, 165 ms at p99 and 486 ms at worst
 * (1,000-byte commits while a second process wrote and synced 300 MiB files).
 *
 * Contract: the caller turns its connection's automatic checkpoints off (wal_autocheckpoint
 * = 0) and starts a WalCheckpointer on the same file. Every `intervalMs` the thread runs a
 * PASSIVE checkpoint, which never waits for and never blocks the readers and the writer; the
 * log is copied as far as no reader still needs it. The thread does not keep the process
 * alive. If it fails to start or stops on its own, `onStopped(reason)` is called once, so the
 * caller can turn automatic checkpoints back on rather than let the log grow. The first failed
 * checkpoint is reported on stderr; the thread tries again at its next tick. `close()` stops
 * it; the connection closed last checkpoints what is left, as SQLite always does.
 */
import { Worker } from 'node:worker_threads';
import { threadEntryFile } from '../../storage/runtime/thread-entry-file.js';

/** How often the thread checkpoints: a second of commits is what the log holds at most beyond a checkpoint. */
export const WAL_CHECKPOINT_INTERVAL_MS = 1_000;

export class WalCheckpointer {
  private readonly worker: Worker;
  private stopped = false;
  /** Whether a failed checkpoint was reported already (the first one is, on stderr). */
  private reported = false;

  constructor(file: string, onStopped: (reason: string) => void, intervalMs = WAL_CHECKPOINT_INTERVAL_MS) {
    this.worker = new Worker(threadEntryFile(import.meta.url, 'wal-checkpoint-thread.js'), { workerData: { file, intervalMs } });
    this.worker.unref();
    this.worker.on('message', (m: { failed?: string }) => {
      if (m.failed === undefined || this.reported) return;
      this.reported = true;
      process.stderr.write(`firn: a checkpoint of the catalog's log failed (${m.failed}); the thread tries again every ${intervalMs} ms\n`);
    });
    const stop = (reason: string) => {
      if (this.stopped) return;
      this.stopped = true;
      onStopped(reason);
    };
    this.worker.on('error', (err) => stop(`the WAL checkpoint thread failed: ${err.message}`));
    this.worker.on('exit', (code) => stop(`the WAL checkpoint thread exited with code ${code}`));
  }

  close(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.worker.postMessage('stop');
  }
}

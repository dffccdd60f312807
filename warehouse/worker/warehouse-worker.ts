/**
 * The warehouse worker thread, which piscina loads through warehouse-worker-entry.cts. Each
 * thread owns its column cache (bounded by its pool's share of the process cache budget, read
 * live from shared memory) and its object-store client, both created on first use from
 * workerData, and runs three kinds of task: 'stage' (one task of one stage of the physical
 * plan, run-stage-task.ts), 'load' (one COPY INTO source file, parsed and written, or sorted
 * into a run on local disk) and 'merge_write' (one key range of a clustered COPY's sorted
 * runs, merged and written).
 *
 * A 'stage' task is answered with its StageTaskReply as a plain structured clone, with the
 * ArrayBuffers of its in-memory exchange chunks in the transfer list (piscina's Transferable
 * protocol: `Piscina.move` of an object naming the value and its transfer list), so every
 * chunk's bytes move without a copy; broadcast chunks are views on one SharedArrayBuffer,
 * which the clone shares.
 *
 * Contract: never throws across the boundary; a failure is answered as `{ error }` plain
 * data (worker-reply.ts) so services rebuilds the right FirnError class. Each message
 * carries its statement's CancelFlag buffer (worker-slot.ts); the flag is active for the
 * task's whole run in the task's own async context (CancelFlag.runTask: the thread runs
 * tasks of several statements at once, interleaved at batch boundaries), so the operators'
 * per-batch `CancelFlag.checkpoint()` ends a canceled task with its cancellation error.
 *
 * The thread lowers its own OS priority as it starts (thread-priority.ts), so the services
 * thread gets a core whenever it wakes up, however busy the warehouse is, and reserves
 * parquet-wasm heap (parquet-heap-reserve.ts) at its first Parquet decode or encode, all at
 * once rather than page by page as that decode grows the heap; the thread itself is ready
 * without it (a resumed warehouse's first task does not wait for it).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { workerData } from 'node:worker_threads';
import { Piscina, transferableSymbol, valueSymbol } from 'piscina';
import { asFirnError } from '../../storage/errors/firn-error.js';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import type { ObjectStore } from '../../storage/object-store/object-store.js';
import { ColumnCache } from '../cache/column-cache.js';
import { readCacheShare } from '../pool/cache-budget.js';
import type { LoadTask, MergeWriteTask } from '../fragment/fragment.js';
import type { WorkerFailure } from '../fragment/worker-reply.js';
import { runLoadTask } from '../load/run-load-task.js';
import { runMergeWriteTask } from '../load/merge-range-task.js';
import type { WorkerConfig } from './worker-config.js';
import { firnHomePath } from '../../storage/firn-home/firn-home-path.js';
import { CancelFlag } from '../cancel/cancel-flag.js';
import type { WorkerMessage } from '../pool/worker-slot.js';
import type { StageTask } from '../fragment/stage-plan.js';
import { runStageTask } from '../execute/stage/run-stage-task.js';
import { lowerThisThread } from '../pool/thread-priority.js';
import { reserveParquetHeapOnFirstUse } from '../../storage/arrow/parquet-wasm.js';
import { parquetHeapReserve } from './parquet-heap-reserve.js';
import { idlePoolLimit } from './idle-pool-limit.js';
import { setIdlePoolLimit } from '../execute/batch/array-pool.js';

lowerThisThread();

const config = workerData as WorkerConfig;
reserveParquetHeapOnFirstUse(parquetHeapReserve(config.memoryCacheBytes));
setIdlePoolLimit(idlePoolLimit(config.memoryCacheBytes));
let store: ObjectStore | null = null;
let cache: ColumnCache | null = null;

function tableStore(): ObjectStore {
  store ??= openObjectStore(config.storageUrl);
  return store;
}

function columnCache(): ColumnCache {
  const share = config.cacheShare;
  const diskDir = firnHomePath(config.home, config.cacheDir);
  cache ??= new ColumnCache({
    memoryBytes: share ? () => readCacheShare(share).memoryBytes : config.memoryCacheBytes,
    diskDir,
    adoptDirs: slotSiblings(diskDir),
    diskBytes: share ? () => readCacheShare(share).diskBytes : config.diskCacheBytes,
    fetchObject: (key, ifMatch) => tableStore().get(key, ifMatch),
  });
  return cache;
}

export default function handle(message: WorkerMessage): Promise<unknown> {
  const cancel = message.cancel ? CancelFlag.of(message.cancel) : null;
  return CancelFlag.runTask(cancel, () => runTask(message.task as LoadTask | MergeWriteTask | StageTask, cancel));
}

async function runTask(task: LoadTask | MergeWriteTask | StageTask, cancel: CancelFlag | null): Promise<unknown> {
  try {
    cancel?.check();
    switch (task.kind) {
      case 'stage': {
        const { reply, transfer } = await runStageTask(task, { cache: columnCache(), store: tableStore(), cancel });
        return Piscina.move(movable(reply, transfer));
      }
      case 'load':
        return await runLoadTask(task, config.home, tableStore(), cancel);
      case 'merge_write':
        return await runMergeWriteTask(task, config.home, tableStore(), cancel);
    }
  } catch (err) {
    const failure: WorkerFailure = { error: asFirnError(err).toPlain() };
    return failure;
  }
}

/**
 * The SSD directories of the warehouse's other slots (`w<i>` beside this slot's own), which
 * hold what they cached before a resize moved partitions to this slot.
 */
function slotSiblings(diskDir: string): string[] {
  const parent = path.dirname(diskDir);
  const own = path.basename(diskDir);
  try {
    return readdirSync(parent)
      .filter((n) => /^w\d+$/.test(n) && n !== own)
      .map((n) => path.join(parent, n));
  } catch {
    return [];
  }
}

/** `value` to post with `transfer` as its transfer list (piscina's Transferable protocol). */
function movable(value: object, transfer: ArrayBuffer[]): { readonly [transferableSymbol]: object; readonly [valueSymbol]: object } {
  return { [transferableSymbol]: transfer, [valueSymbol]: value };
}

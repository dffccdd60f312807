/**
 * The query memory and spill-disk budgets of one run of a stage plan, as the coordinator
 * shares them among tasks.
 *
 * Rules (issue 8, point 4: the budget covers every operator's state and every exchange buffer):
 * - A worker slot runs at most one task of a statement at a time (tasks of other statements
 *   run beside it, worker-slot.ts), so at most `workers` tasks of a statement hold operator
 *   state at once. Each task gets `memoryBytes = (budget - held) / workers`, where
 *   `held` is the Arrow IPC bytes of exchange chunks that services holds or has handed to
 *   consumer tasks still running (a chunk is counted from the producer's reply until the
 *   consuming stage has finished; a broadcast chunk once, though every consumer task reads it).
 *   A task never gets less than MIN_TASK_MEMORY_BYTES: past that it spills.
 * - Exchange chunks never push `held` past the budget: a producer past its own memoryBytes
 *   writes its output as spill files ('file' chunks), and the coordinator writes out what
 *   tasks running side by side produced beyond it (run-stage-plan.ts); files count on disk.
 *   Past the disk budget (or if chunks still exceed the memory budget) the statement fails
 *   with RESOURCE_EXHAUSTED (53200).
 * - Disk: each task may write `spillBytes = (spill budget - on disk) / workers`, where `on
 *   disk` is the bytes of 'file' exchange chunks produced so far (they stay until the statement's
 *   spill directory is removed). A task past its share fails with 53200 (the runtime's check).
 */
import { ResourceError } from '../../storage/errors/firn-error.js';
import type { ExchangeChunk } from '../../warehouse/fragment/stage-plan.js';

/** The least operator memory a task gets, however much the exchanges hold. */
export const MIN_TASK_MEMORY_BYTES = 1 << 20;

export class ExchangeLedger {
  private heldBytes = 0;
  private diskBytes = 0;
  private peak = 0;

  constructor(
    readonly memoryBytes: number,
    readonly spillBytes: number,
    readonly workers: number,
  ) {}

  /** Operator memory for a task starting now. */
  taskMemory(): number {
    return Math.max(MIN_TASK_MEMORY_BYTES, Math.floor((this.memoryBytes - this.heldBytes) / this.workers));
  }

  /** Spill bytes for a task starting now. */
  taskSpill(): number {
    return Math.max(0, Math.floor((this.spillBytes - this.diskBytes) / this.workers));
  }

  /** Counts a producer's chunks (ipc in memory, file on disk); returns the ipc bytes held, for release(). */
  hold(chunks: readonly ExchangeChunk[]): number {
    let ipc = 0;
    for (const c of chunks) {
      if (c.kind === 'ipc') ipc += c.bytes.byteLength;
      else this.diskBytes += c.bytes;
    }
    this.heldBytes += ipc;
    this.peak = Math.max(this.peak, this.heldBytes);
    if (this.diskBytes > this.spillBytes) {
      throw new ResourceError(
        'RESOURCE_EXHAUSTED',
        `Exchange spill files of ${this.diskBytes} bytes exceed the query spill budget of ${this.spillBytes} bytes (FIRN_QUERY_SPILL_BYTES)`,
      );
    }
    if (this.heldBytes > this.memoryBytes) {
      throw new ResourceError(
        'RESOURCE_EXHAUSTED',
        `Exchange buffers of ${this.heldBytes} bytes exceed the query memory budget of ${this.memoryBytes} bytes (FIRN_QUERY_MEMORY_BYTES)`,
      );
    }
    return ipc;
  }

  release(ipcBytes: number): void {
    this.heldBytes -= ipcBytes;
  }

  get held(): number {
    return this.heldBytes;
  }

  /** Largest `held` seen: the exchange memory the statement used at its peak. */
  get peakHeld(): number {
    return this.peak;
  }

  get onDisk(): number {
    return this.diskBytes;
  }
}

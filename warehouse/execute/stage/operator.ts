/**
 * The physical operator interface of a stage task, and the wrapper that measures it.
 *
 * An operator is pull-based: `batches()` is an async generator of bounded batches (at most
 * STAGE_BATCH_ROWS rows where the operator allows), pulled by its parent; an operator stops
 * pulling its inputs when it needs no more rows (closing their generators, which lets a
 * scan stop reading units). Each operator kind (operators/<kind>-exec.ts) supplies an
 * OperatorBody; `Operator` wraps it to
 *  - check the statement's CancelFlag after every batch (a canceled task stops within one
 *    batch of one operator) and add the batch's rows to the flag's shared progress counter;
 *  - let the worker's event loop turn between batches once its time slice is over
 *    (event-loop-turn.ts), so other statements' tasks on the same worker run interleaved;
 *    the time a turn takes (other tasks running) is in no operator's exclusive time;
 *  - measure the profile: rows out, bytes out (batchBytes), inclusive time spent in the
 *    body's `next()`; rows in are the inputs' rows out, exclusive time the inclusive time
 *    minus the inputs' (inputs are only pulled from inside their parent's `next()`).
 */
import { performance } from 'node:perf_hooks';
import type { ColumnCache } from '../../cache/column-cache.js';
import type { CancelFlag } from '../../cancel/cancel-flag.js';
import type { ObjectStore } from '../../../storage/object-store/object-store.js';
import { batchBytes } from '../../../storage/types/vector-bytes.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { ScanStats, WrittenPartition } from '../../fragment/fragment.js';
import type { DmlCounts, ExecNode, OperatorProfile, StageTask, UnloadedFile } from '../../fragment/stage-plan.js';
import type { SpillSpace } from '../spill/spill-space.js';
import type { TaskMemory } from './task-memory.js';
import { eventLoopTurn } from './event-loop-turn.js';

/** Most rows per batch an operator passes on when it can choose (scan, exchange source, outputs of materializing operators). */
export const STAGE_BATCH_ROWS = 1 << 16;

/** What every operator of one task shares. */
export type TaskContext = {
  task: StageTask;
  cache: ColumnCache;
  store: ObjectStore;
  cancel: CancelFlag | null;
  stats: ScanStats;
  memory: TaskMemory;
  spill: SpillSpace;
  /** Partitions written by the task's write_exec or rewrite_exec. */
  written: WrittenPartition[];
  /** Partitions the task's rewrite_exec replaced, and its row counts. */
  removed: number[];
  dml: DmlCounts;
  /** Files the task's unload_exec wrote. */
  unloaded: UnloadedFile[];
};

/** One operator kind's behaviour: its batches, and what it spilled. */
export type OperatorBody = {
  run(): AsyncGenerator<Batch>;
  bytesSpilled?(): number;
};

export class Operator {
  private rowsOut = 0;
  private bytesOut = 0;
  private inclusiveMs = 0;
  /** Time this operator waited in event-loop turns: in its inclusive time (so its parent's exclusive time leaves it out) but not its own exclusive time. */
  private turnMs = 0;

  constructor(
    readonly node: ExecNode,
    readonly inputs: readonly Operator[],
    private readonly body: OperatorBody,
    private readonly cancel: CancelFlag | null,
  ) {}

  async *batches(): AsyncGenerator<Batch> {
    const it = this.body.run();
    try {
      for (;;) {
        const t0 = performance.now();
        let t1 = t0;
        let r: IteratorResult<Batch>;
        try {
          r = await it.next();
        } finally {
          t1 = performance.now();
          this.inclusiveMs += t1 - t0;
        }
        if (r.done) return;
        const batch = r.value;
        const turn = eventLoopTurn(t1);
        if (turn !== null) {
          await turn;
          const waited = performance.now() - t1;
          this.turnMs += waited;
          this.inclusiveMs += waited;
        }
        this.cancel?.check();
        if (batch.length === 0) continue;
        this.rowsOut += batch.length;
        this.bytesOut += batchBytes(batch);
        this.cancel?.addProgress(batch.length);
        yield batch;
      }
    } finally {
      // The parent stopped early (a limit): close the body, which closes its inputs.
      await it.return(undefined);
    }
  }

  get bytesSpilled(): number {
    return this.body.bytesSpilled?.() ?? 0;
  }

  /** This operator's profile and its inputs', parents first. */
  profile(stage: number, task: number): OperatorProfile[] {
    const inputMs = this.inputs.reduce((s, i) => s + i.inclusiveMs, 0);
    const own: OperatorProfile = {
      id: this.node.id,
      stage,
      task,
      operator: this.node.kind,
      rowsIn: this.inputs.reduce((s, i) => s + i.rowsOut, 0),
      rowsOut: this.rowsOut,
      ms: Math.max(0, this.inclusiveMs - inputMs - this.turnMs),
      bytesOut: this.bytesOut,
      bytesSpilled: this.bytesSpilled,
    };
    return [own, ...this.inputs.flatMap((i) => i.profile(stage, task))];
  }

  /** Bytes every operator of this tree spilled. */
  totalSpilled(): number {
    return this.bytesSpilled + this.inputs.reduce((s, i) => s + i.totalSpilled(), 0);
  }
}

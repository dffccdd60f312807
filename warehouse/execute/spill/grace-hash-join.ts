/**
 * STAND-IN for i8/spill's GraceHashJoin (merge: take i8/spill's version of this file): one
 * in-memory HashJoinExec with the same interface; its build side is bounded by
 * `opts.memoryBytes` (53200 past it) instead of being partitioned to disk.
 *
 * Contract: `build(batch)` per build-side batch, `finishBuild()`, then `probe(batch)` per
 * probe-side batch (read each probe's output to its end before the next), then `finish()`
 * for what only the whole probe side decides (unmatched build rows, left-built SEMI/ANTI/MARK).
 */
import type { Batch } from '../../../storage/types/vector.js';
import { HashJoinExec } from '../join/hash-join-exec.js';
import type { HashJoinSpec } from '../join/join-spec.js';
import type { SpillOptions } from './spill-options.js';

export class GraceHashJoin {
  readonly bytesSpilled = 0;
  private readonly exec: HashJoinExec;

  constructor(spec: HashJoinSpec, opts: SpillOptions) {
    this.exec = new HashJoinExec({ ...spec, memoryBudget: Math.min(spec.memoryBudget ?? Infinity, opts.memoryBytes) });
  }

  async build(batch: Batch): Promise<void> {
    this.exec.build(batch);
  }

  async finishBuild(): Promise<void> {
    this.exec.finishBuild();
  }

  async *probe(batch: Batch): AsyncGenerator<Batch> {
    yield* this.exec.probe(batch);
  }

  async *finish(): AsyncGenerator<Batch> {
    yield* this.exec.finish();
  }
}

/**
 * STAND-IN for i8/spill's SpillSpace (merge: take i8/spill's version of this file). It
 * exists so the stage runtime (warehouse/execute/stage/) compiles and runs against the
 * spilling interfaces before they land; it never writes a file.
 *
 * Contract (the shape i8/spill implements): a statement's spill directory with a byte
 * budget; `writer()` opens a spill file, `bytesSpilled` counts what was written, `close()`
 * removes this space's files. SpillOptions is what every spilling operator takes.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { CancelFlag } from '../../cancel/cancel-flag.js';

export type SpillOptions = { memoryBytes: number; spill: SpillSpace; cancel: CancelFlag | null };

export class SpillSpace {
  readonly bytesSpilled = 0;

  constructor(
    readonly dir: string,
    readonly budgetBytes: number,
  ) {}

  writer(): never {
    throw new InternalError('SpillSpace stand-in: spilling lands with i8/spill');
  }

  async close(): Promise<void> {}
}

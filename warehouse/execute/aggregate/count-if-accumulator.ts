/**
 * COUNT_IF(condition): per-group counts of the rows where a BOOLEAN argument is TRUE (FALSE
 * and NULL do not count), in a Float64Array like COUNT.
 *
 * Contract: see accumulator.ts. State = result = one NUMBER(18,0) column, never NULL (0 for
 * a group without TRUE rows); states merge by addition, as COUNT's do. An argument of the
 * NULL type never counts.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { COUNT_TYPE } from './aggregate-result-type.js';
import { growF64, mergeCounts, type Accumulator } from './accumulator.js';

export class CountIfAccumulator implements Accumulator {
  readonly stateTypes: readonly DataType[] = [COUNT_TYPE];
  private counts: Float64Array = new Float64Array(16);

  constructor(private readonly argType: DataType) {}

  resize(groups: number): void {
    this.counts = growF64(this.counts, groups);
  }

  update(input: Vector | null, gids: Int32Array | null, n: number): void {
    if (input === null || this.argType.kind === 'NULL') return;
    if (input.kind !== 'bool') throw new InternalError(`COUNT_IF got a ${input.kind} vector`);
    const x = input.values;
    const nulls = input.nulls;
    const counts = this.counts;
    if (gids === null) {
      let c = 0;
      if (nulls === null) for (let i = 0; i < n; i++) c += x[i];
      else for (let i = 0; i < n; i++) c += x[i] & (nulls[i] ^ 1);
      counts[0] += c;
    } else if (nulls === null) {
      // Branch-free form of: if (x[i]) counts[gids[i]]++;
      for (let i = 0; i < n; i++) counts[gids[i]] += x[i];
    } else {
      // Branch-free form of: if (x[i] && !nulls[i]) counts[gids[i]]++;
      for (let i = 0; i < n; i++) counts[gids[i]] += x[i] & (nulls[i] ^ 1);
    }
  }

  merge(states: readonly Vector[], gids: Int32Array | null, n: number): void {
    mergeCounts(this.counts, states[0], gids, n);
  }

  emitStates(groups: number): Vector[] {
    return [this.emitResult(groups)];
  }

  emitResult(groups: number): Vector {
    return { kind: 'f64', length: groups, values: this.counts.slice(0, groups), nulls: null };
  }
}

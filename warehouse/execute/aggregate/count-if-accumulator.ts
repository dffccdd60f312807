/**
 * COUNT_IF(condition): per-group counts of the rows where a BOOLEAN argument is TRUE (FALSE
 * and NULL do not count), in a Float64Array like COUNT.
 *
 * Contract: see accumulator.ts. A CountAccumulator (same state, merge and result: one
 * NUMBER(18,0) column, never NULL, 0 for a group without TRUE rows) that counts differently.
 * An argument of the NULL type never counts.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { CountAccumulator } from './count-accumulator.js';

export class CountIfAccumulator extends CountAccumulator {
  constructor(private readonly argType: DataType) {
    super();
  }

  override update(input: Vector | null, gids: Int32Array | null, n: number): void {
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
}

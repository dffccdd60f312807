/**
 * COUNT(*) and COUNT(x): per-group row counts in a Float64Array (exact far past any row
 * count). COUNT(x) counts the rows where x is not NULL.
 *
 * Contract: see accumulator.ts. State = result = one NUMBER(18,0) column, never NULL.
 */
import type { DataType } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { COUNT_TYPE } from './aggregate-result-type.js';
import { growF64, mergeCounts, type Accumulator } from './accumulator.js';
import { addGroupRows, countGroups } from './few-groups.js';

export class CountAccumulator implements Accumulator {
  readonly stateTypes: readonly DataType[] = [COUNT_TYPE];
  protected counts: Float64Array = new Float64Array(16);
  /** Groups as of the last resize (few groups count through lanes: few-groups.ts). */
  private groups = 1;

  resize(groups: number): void {
    this.groups = groups;
    this.counts = growF64(this.counts, groups);
  }

  update(input: Vector | null, gids: Int32Array | null, n: number, groupRows?: Float64Array | null): void {
    const counts = this.counts;
    const nulls = input === null ? null : input.nulls;
    if (gids === null) {
      let c = n;
      if (nulls !== null) for (let i = 0; i < n; i++) c -= nulls[i];
      counts[0] += c;
    } else if (nulls === null && groupRows) {
      addGroupRows(counts, groupRows, this.groups);
    } else {
      countGroups(counts, gids, nulls, n, this.groups);
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

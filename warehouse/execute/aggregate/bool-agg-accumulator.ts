/**
 * BOOLOR_AGG, BOOLAND_AGG and BOOLXOR_AGG: per group, how many non-NULL values were TRUE and
 * how many were non-NULL, in two Float64Arrays by group id.
 *
 * Why counts and not a flag: the three results all follow from (trues, values), the state
 * merges by addition across workers, and BOOLXOR_AGG ("exactly one record is TRUE", Snowflake)
 * needs the count. Contract: see accumulator.ts; states [TRUE count NUMBER(18,0), non-NULL
 * count NUMBER(18,0)], never NULL (partial-state-types.ts). The binder has cast a numeric
 * argument to BOOLEAN (non-zero is TRUE), so input is a 'bool' vector. Results: NULL for a
 * group without a non-NULL value (Snowflake: all NULL or empty); else BOOLOR_AGG trues > 0,
 * BOOLAND_AGG trues = values, BOOLXOR_AGG trues = 1.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { COUNT_TYPE } from './aggregate-result-type.js';
import { growF64, mergeCounts, type Accumulator } from './accumulator.js';

export type BoolAggFn = 'boolor_agg' | 'booland_agg' | 'boolxor_agg';

export class BoolAggAccumulator implements Accumulator {
  readonly stateTypes: readonly DataType[] = [COUNT_TYPE, COUNT_TYPE];
  private trues: Float64Array = new Float64Array(16);
  private values: Float64Array = new Float64Array(16);

  constructor(private readonly fn: BoolAggFn) {}

  resize(groups: number): void {
    this.trues = growF64(this.trues, groups);
    this.values = growF64(this.values, groups);
  }

  update(input: Vector | null, gids: Int32Array | null, n: number): void {
    if (input === null || n === 0) return;
    if (input.kind !== 'bool') throw new InternalError(`${this.fn.toUpperCase()} got a ${input.kind} vector`);
    const x = input.values;
    const nulls = input.nulls;
    const trues = this.trues;
    const values = this.values;
    if (gids === null) {
      let t = 0;
      let c = 0;
      if (nulls === null) {
        for (let i = 0; i < n; i++) t += x[i];
        c = n;
      } else {
        for (let i = 0; i < n; i++) {
          const live = nulls[i] ^ 1;
          t += x[i] & live;
          c += live;
        }
      }
      trues[0] += t;
      values[0] += c;
    } else if (nulls === null) {
      for (let i = 0; i < n; i++) {
        const g = gids[i];
        trues[g] += x[i];
        values[g]++;
      }
    } else {
      // Branch-free form of: if (!nulls[i]) { values[g]++; if (x[i]) trues[g]++; }
      for (let i = 0; i < n; i++) {
        const g = gids[i];
        const live = nulls[i] ^ 1;
        trues[g] += x[i] & live;
        values[g] += live;
      }
    }
  }

  merge(states: readonly Vector[], gids: Int32Array | null, n: number): void {
    mergeCounts(this.trues, states[0], gids, n);
    mergeCounts(this.values, states[1], gids, n);
  }

  emitStates(groups: number): Vector[] {
    return [
      { kind: 'f64', length: groups, values: this.trues.slice(0, groups), nulls: null },
      { kind: 'f64', length: groups, values: this.values.slice(0, groups), nulls: null },
    ];
  }

  emitResult(groups: number): Vector {
    const out = new Uint8Array(groups);
    const mask = new Uint8Array(groups);
    let anyNull = 0;
    for (let g = 0; g < groups; g++) {
      const t = this.trues[g];
      const c = this.values[g];
      if (c === 0) {
        anyNull = mask[g] = 1;
        continue;
      }
      out[g] = (this.fn === 'boolor_agg' ? t > 0 : this.fn === 'booland_agg' ? t === c : t === 1) ? 1 : 0;
    }
    return { kind: 'bool', length: groups, values: out, nulls: anyNull ? mask : null };
  }
}

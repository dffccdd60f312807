/**
 * SUM and AVG over FLOAT: plain double accumulation, as Snowflake does for FLOAT (the
 * result may differ in the last bits with the order rows are added in).
 *
 * Contract: see accumulator.ts; states [sum FLOAT, count NUMBER(18,0)]; the result is NULL
 * for a group without non-NULL values; AVG = sum / count.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { COUNT_TYPE } from './aggregate-result-type.js';
import { growF64, mergeCounts, nullsWhereZero, type Accumulator } from './accumulator.js';
import { addGroupRows, countGroups } from './few-groups.js';

export class FloatSumAccumulator implements Accumulator {
  readonly stateTypes: readonly DataType[] = [Types.float, COUNT_TYPE];
  private sums: Float64Array = new Float64Array(16);
  private counts: Float64Array = new Float64Array(16);
  /** Groups as of the last resize (few groups count through lanes: few-groups.ts). */
  private groups = 1;

  constructor(private readonly fn: 'sum' | 'avg') {}

  resize(groups: number): void {
    this.groups = groups;
    this.sums = growF64(this.sums, groups);
    this.counts = growF64(this.counts, groups);
  }

  update(input: Vector | null, gids: Int32Array | null, n: number, groupRows?: Float64Array | null): void {
    if (input === null) return;
    this.fold(input, gids, n, true, groupRows ?? null);
  }

  merge(states: readonly Vector[], gids: Int32Array | null, n: number): void {
    this.fold(states[0], gids, n, false);
    mergeCounts(this.counts, states[1], gids, n);
  }

  private fold(v: Vector, gids: Int32Array | null, n: number, countRows: boolean, groupRows: Float64Array | null = null): void {
    if (v.kind !== 'f64') throw new InternalError(`SUM over FLOAT got a ${v.kind} vector`);
    const x = v.values;
    const nulls = v.nulls;
    const sums = this.sums;
    const counts = this.counts;
    if (gids === null) {
      let s = 0;
      let c = 0;
      if (nulls === null) {
        for (let i = 0; i < n; i++) s += x[i];
        c = n;
      } else {
        for (let i = 0; i < n; i++) {
          if (nulls[i] !== 0) continue;
          s += x[i];
          c++;
        }
      }
      sums[0] += s;
      if (countRows) counts[0] += c;
      return;
    }
    if (nulls === null) {
      for (let i = 0; i < n; i++) sums[gids[i]] += x[i];
      if (countRows && groupRows !== null) addGroupRows(counts, groupRows, this.groups);
      else if (countRows) countGroups(counts, gids, null, n, this.groups);
      return;
    }
    for (let i = 0; i < n; i++) {
      if (nulls[i] !== 0) continue;
      sums[gids[i]] += x[i];
      if (countRows) counts[gids[i]]++;
    }
  }

  emitStates(groups: number): Vector[] {
    return [this.emitSum(groups), { kind: 'f64', length: groups, values: this.counts.slice(0, groups), nulls: null }];
  }

  emitResult(groups: number): Vector {
    if (this.fn === 'sum') return this.emitSum(groups);
    const values = new Float64Array(groups);
    for (let g = 0; g < groups; g++) values[g] = this.counts[g] === 0 ? 0 : this.sums[g] / this.counts[g];
    return { kind: 'f64', length: groups, values, nulls: nullsWhereZero(this.counts, groups) };
  }

  private emitSum(groups: number): Vector {
    return { kind: 'f64', length: groups, values: this.sums.slice(0, groups), nulls: nullsWhereZero(this.counts, groups) };
  }
}

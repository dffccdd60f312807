/**
 * MIN and MAX over TIMESTAMP_NTZ: per-group (seconds, nanoseconds) extremes in two typed
 * arrays, compared seconds first and nanoseconds on a tie, so values that differ only in
 * nanoseconds order exactly (see storage/types/vector.ts for the 'ts' layout).
 *
 * Contract: see accumulator.ts; state = result = one TIMESTAMP_NTZ column, NULL for a group
 * without non-NULL values.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { growF64, growI32, growU8, type Accumulator } from './accumulator.js';

export class TsMinMaxAccumulator implements Accumulator {
  readonly stateTypes: readonly DataType[];
  private secs: Float64Array = new Float64Array(16);
  private nanos: Int32Array = new Int32Array(16);
  private has: Uint8Array = new Uint8Array(16);

  constructor(
    private readonly isMax: boolean,
    argType: DataType,
  ) {
    this.stateTypes = [argType];
  }

  resize(groups: number): void {
    this.secs = growF64(this.secs, groups);
    this.nanos = growI32(this.nanos, groups);
    this.has = growU8(this.has, groups);
  }

  /**
   * One loop for both directions: with sign = 1 for MAX and -1 for MIN, "x beats cur" is
   *   sign * (xs - cs) > 0 || (xs === cs && sign * (xn - cn) > 0)
   * (second differences are exact: |secs| < 2^38).
   */
  update(input: Vector | null, gids: Int32Array | null, n: number): void {
    if (input === null) return;
    if (input.kind !== 'ts') throw new InternalError(`MIN/MAX over TIMESTAMP_NTZ got a ${input.kind} vector`);
    const { secs: xs, nanos: xn, nulls } = input;
    const secs = this.secs;
    const nanos = this.nanos;
    const has = this.has;
    const sign = this.isMax ? 1 : -1;
    for (let i = 0; i < n; i++) {
      if (nulls !== null && nulls[i] !== 0) continue;
      const g = gids === null ? 0 : gids[i];
      const d = sign * (xs[i] - secs[g]);
      if (has[g] === 0 || d > 0 || (d === 0 && sign * (xn[i] - nanos[g]) > 0)) {
        secs[g] = xs[i];
        nanos[g] = xn[i];
        has[g] = 1;
      }
    }
  }

  merge(states: readonly Vector[], gids: Int32Array | null, n: number): void {
    this.update(states[0], gids, n);
  }

  emitStates(groups: number): Vector[] {
    return [this.emitResult(groups)];
  }

  emitResult(groups: number): Vector {
    let anyNull = 0;
    const mask = new Uint8Array(groups);
    for (let g = 0; g < groups; g++) anyNull |= mask[g] = this.has[g] ^ 1;
    return { kind: 'ts', length: groups, secs: this.secs.slice(0, groups), nanos: this.nanos.slice(0, groups), nulls: anyNull ? mask : null };
  }
}

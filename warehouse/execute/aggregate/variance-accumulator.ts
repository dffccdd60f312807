/**
 * VAR_SAMP / VAR_POP (VARIANCE) and STDDEV_SAMP / STDDEV_POP (STDDEV): the numerically
 * stable streaming form, per group (count, mean, m2) with m2 the sum of squared deviations
 * from the mean, in Float64Arrays by group id.
 *
 * Contract: see accumulator.ts; states [count NUMBER(18,0), mean FLOAT, m2 FLOAT]
 * (partial-state-types.ts). Values are computed in doubles (a NUMBER(p,s) argument is read
 * as value / 10^s). A grouped batch folds row by row with Welford's update; a global batch
 * takes its own mean and m2 in two passes and joins the running state with Chan's parallel
 * formula, which is also how partial states merge, so splitting rows across workers changes
 * results only in the last bits. Results: VAR_SAMP = m2 / (n - 1), NULL for fewer than two
 * values (Snowflake); VAR_POP = m2 / n, NULL for none; STDDEV_* = the square root. A NUMBER
 * result (variance of a NUMBER, see aggregate-result-type.ts) is the double rounded half
 * away from zero at the result scale.
 */
import { DataError, InternalError } from '../../../storage/errors/firn-error.js';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { floatToScaled, fromBigints } from '../functions/decimal.js';
import { COUNT_TYPE } from './aggregate-result-type.js';
import { growF64, type Accumulator } from './accumulator.js';

export type VarianceFn = 'var_samp' | 'var_pop' | 'stddev_samp' | 'stddev_pop';

export class VarianceAccumulator implements Accumulator {
  readonly stateTypes: readonly DataType[] = [COUNT_TYPE, Types.float, Types.float];
  private counts: Float64Array = new Float64Array(16);
  private means: Float64Array = new Float64Array(16);
  private m2s: Float64Array = new Float64Array(16);
  /** 10^s for a NUMBER(p,s) argument: scaled integer / divisor = value. */
  private readonly divisor: number;
  private scratch: Float64Array = new Float64Array(0);

  constructor(
    private readonly fn: VarianceFn,
    private readonly argType: DataType,
    private readonly resultType: DataType,
  ) {
    this.divisor = argType.kind === 'NUMBER' ? 10 ** argType.scale : 1;
  }

  resize(groups: number): void {
    this.counts = growF64(this.counts, groups);
    this.means = growF64(this.means, groups);
    this.m2s = growF64(this.m2s, groups);
  }

  /** The argument's values as doubles (the input array itself when no scaling is needed). */
  private doubles(v: Vector, n: number): Float64Array {
    if (v.kind === 'f64' && this.divisor === 1) return v.values;
    if (this.scratch.length < n) this.scratch = new Float64Array(Math.max(n, 1024));
    const out = this.scratch;
    const d = this.divisor;
    if (v.kind === 'f64') {
      const x = v.values;
      for (let i = 0; i < n; i++) out[i] = x[i] / d;
    } else if (v.kind === 'dec') {
      const x = v.values;
      for (let i = 0; i < n; i++) out[i] = Number(x[i]) / d;
    } else {
      throw new InternalError(`${this.fn.toUpperCase()} got a ${v.kind} vector`);
    }
    return out;
  }

  update(input: Vector | null, gids: Int32Array | null, n: number): void {
    if (input === null || this.argType.kind === 'NULL' || n === 0) return;
    const x = this.doubles(input, n);
    const nulls = input.nulls;
    if (gids === null) {
      // Two passes over the batch, then one Chan step into group 0.
      let c = 0;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        if (nulls !== null && nulls[i] !== 0) continue;
        sum += x[i];
        c++;
      }
      if (c === 0) return;
      const mean = sum / c;
      let m2 = 0;
      for (let i = 0; i < n; i++) {
        if (nulls !== null && nulls[i] !== 0) continue;
        const d = x[i] - mean;
        m2 += d * d;
      }
      this.combine(0, c, mean, m2);
      return;
    }
    const counts = this.counts;
    const means = this.means;
    const m2s = this.m2s;
    // Welford's update, per row: n += 1; delta = x - mean; mean += delta / n; m2 += delta * (x - mean).
    for (let i = 0; i < n; i++) {
      if (nulls !== null && nulls[i] !== 0) continue;
      const g = gids[i];
      const xi = x[i];
      const c = counts[g] + 1;
      counts[g] = c;
      const delta = xi - means[g];
      const mean = means[g] + delta / c;
      means[g] = mean;
      m2s[g] += delta * (xi - mean);
    }
  }

  /** Chan et al.'s pairwise update: joins (nb, meanB, m2B) into group g. */
  private combine(g: number, nb: number, meanB: number, m2B: number): void {
    const na = this.counts[g];
    if (nb === 0) return;
    if (na === 0) {
      this.counts[g] = nb;
      this.means[g] = meanB;
      this.m2s[g] = m2B;
      return;
    }
    const total = na + nb;
    const delta = meanB - this.means[g];
    this.means[g] += (delta * nb) / total;
    this.m2s[g] += m2B + (delta * delta * na * nb) / total;
    this.counts[g] = total;
  }

  merge(states: readonly Vector[], gids: Int32Array | null, n: number): void {
    const [countState, meanState, m2State] = states;
    if (meanState.kind !== 'f64' || m2State.kind !== 'f64') throw new InternalError(`${this.fn.toUpperCase()} states must be FLOAT`);
    let counts: Float64Array;
    if (countState.kind === 'f64') counts = countState.values;
    else if (countState.kind === 'dec') counts = Float64Array.from(countState.values, Number);
    else throw new InternalError(`${this.fn.toUpperCase()} count state arrived as a ${countState.kind} vector`);
    const means = meanState.values;
    const m2s = m2State.values;
    for (let i = 0; i < n; i++) this.combine(gids === null ? 0 : gids[i], counts[i], means[i], m2s[i]);
  }

  emitStates(groups: number): Vector[] {
    return [
      { kind: 'f64', length: groups, values: this.counts.slice(0, groups), nulls: null },
      { kind: 'f64', length: groups, values: this.means.slice(0, groups), nulls: null },
      { kind: 'f64', length: groups, values: this.m2s.slice(0, groups), nulls: null },
    ];
  }

  emitResult(groups: number): Vector {
    const sample = this.fn === 'var_samp' || this.fn === 'stddev_samp';
    const root = this.fn === 'stddev_samp' || this.fn === 'stddev_pop';
    const values = new Float64Array(groups);
    const mask = new Uint8Array(groups);
    let anyNull = 0;
    for (let g = 0; g < groups; g++) {
      const c = this.counts[g];
      if (c === 0 || (sample && c < 2)) {
        mask[g] = 1;
        anyNull = 1;
        continue;
      }
      const variance = Math.max(this.m2s[g], 0) / (sample ? c - 1 : c);
      values[g] = root ? Math.sqrt(variance) : variance;
    }
    const nulls = anyNull ? mask : null;
    if (this.resultType.kind !== 'NUMBER') return { kind: 'f64', length: groups, values, nulls };
    const scale = this.resultType.scale;
    const scaled = new Array<bigint>(groups);
    for (let g = 0; g < groups; g++) {
      if (mask[g]) {
        scaled[g] = 0n;
        continue;
      }
      if (!Number.isFinite(values[g])) {
        throw new DataError('NUMERIC_OUT_OF_RANGE', `Number out of representable range: ${this.fn.toUpperCase()} result does not fit in NUMBER(38,${scale})`);
      }
      scaled[g] = floatToScaled(values[g], scale);
    }
    return fromBigints(scaled, nulls, this.resultType.precision, scale);
  }
}

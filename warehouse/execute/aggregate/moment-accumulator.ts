/**
 * KURTOSIS and SKEW: per group the count, mean and the sums of the 2nd, 3rd and 4th powers of
 * deviations from the mean (m2, m3, m4), in Float64Arrays by group id.
 *
 * Why central moments: they update in one pass without the cancellation of raw power sums, and
 * two partial states join exactly (Pébay's pairwise formulas, "Formulas for robust, one-pass
 * parallel computation of covariances and arbitrary-order statistical moments", 2008), so
 * workers merge in any order. Contract: see accumulator.ts; the binder casts the argument to
 * FLOAT; states [count NUMBER(18,0), mean, m2, m3, m4 FLOAT] (partial-state-types.ts).
 * Results are Snowflake's sample statistics (the same formulas as DuckDB's kurtosis and
 * skewness): with g1 = sqrt(n) m3 / m2^1.5 and g2 = n m4 / m2^2 - 3,
 *   SKEW     = g1 * sqrt(n (n - 1)) / (n - 2),                NULL below 3 values;
 *   KURTOSIS = ((n + 1) g2 + 6) (n - 1) / ((n - 2) (n - 3)),  NULL below 4 values;
 * both NULL when every value is the same (m2 = 0). Over NUMBER the result is NUMBER(38,12)
 * (aggregate-result-type.ts), the double rounded half away from zero.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { floatToScaled, fromBigints } from '../functions/decimal.js';
import { COUNT_TYPE } from './aggregate-result-type.js';
import { growF64, type Accumulator } from './accumulator.js';

export type MomentFn = 'kurtosis' | 'skew';

export class MomentAccumulator implements Accumulator {
  readonly stateTypes: readonly DataType[] = [COUNT_TYPE, Types.float, Types.float, Types.float, Types.float];
  private counts: Float64Array = new Float64Array(16);
  private means: Float64Array = new Float64Array(16);
  private m2s: Float64Array = new Float64Array(16);
  private m3s: Float64Array = new Float64Array(16);
  private m4s: Float64Array = new Float64Array(16);

  constructor(
    private readonly fn: MomentFn,
    private readonly resultType: DataType,
  ) {}

  resize(groups: number): void {
    this.counts = growF64(this.counts, groups);
    this.means = growF64(this.means, groups);
    this.m2s = growF64(this.m2s, groups);
    this.m3s = growF64(this.m3s, groups);
    this.m4s = growF64(this.m4s, groups);
  }

  update(input: Vector | null, gids: Int32Array | null, n: number): void {
    if (input === null || n === 0) return;
    if (input.kind !== 'f64') throw new InternalError(`${this.fn.toUpperCase()} got a ${input.kind} vector`);
    const x = input.values;
    const nulls = input.nulls;
    if (gids === null) {
      // Two passes over the batch, then one pairwise step into group 0.
      let c = 0;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        if (nulls !== null && nulls[i] !== 0) continue;
        sum += x[i];
        c++;
      }
      if (c === 0) return;
      const mean = sum / c;
      let q2 = 0;
      let q3 = 0;
      let q4 = 0;
      for (let i = 0; i < n; i++) {
        if (nulls !== null && nulls[i] !== 0) continue;
        const d = x[i] - mean;
        const d2 = d * d;
        q2 += d2;
        q3 += d2 * d;
        q4 += d2 * d2;
      }
      this.combine(0, c, mean, q2, q3, q4);
      return;
    }
    const { counts, means, m2s, m3s, m4s } = this;
    // One value at a time (Terriberry's form of the update, n the new count):
    //   delta = x - mean; dn = delta / n; t = delta * dn * (n - 1); mean += dn;
    //   m4 += t dn^2 (n^2 - 3n + 3) + 6 dn^2 m2 - 4 dn m3;  m3 += t dn (n - 2) - 3 dn m2;  m2 += t.
    for (let i = 0; i < n; i++) {
      if (nulls !== null && nulls[i] !== 0) continue;
      const g = gids[i];
      const k = counts[g] + 1;
      counts[g] = k;
      const delta = x[i] - means[g];
      const dn = delta / k;
      const dn2 = dn * dn;
      const t = delta * dn * (k - 1);
      means[g] += dn;
      const m2 = m2s[g];
      const m3 = m3s[g];
      m4s[g] += t * dn2 * (k * k - 3 * k + 3) + 6 * dn2 * m2 - 4 * dn * m3;
      m3s[g] = m3 + t * dn * (k - 2) - 3 * dn * m2;
      m2s[g] = m2 + t;
    }
  }

  /** Pébay's pairwise join of (nb, mean b, m2b, m3b, m4b) into group g. */
  private combine(g: number, nb: number, meanB: number, q2b: number, q3b: number, q4b: number): void {
    if (nb === 0) return;
    const na = this.counts[g];
    if (na === 0) {
      this.counts[g] = nb;
      this.means[g] = meanB;
      this.m2s[g] = q2b;
      this.m3s[g] = q3b;
      this.m4s[g] = q4b;
      return;
    }
    const n = na + nb;
    const d = meanB - this.means[g];
    const d2 = d * d;
    const q2a = this.m2s[g];
    const q3a = this.m3s[g];
    const q4a = this.m4s[g];
    this.means[g] += (d * nb) / n;
    this.m2s[g] = q2a + q2b + (d2 * na * nb) / n;
    this.m3s[g] = q3a + q3b + (d2 * d * na * nb * (na - nb)) / (n * n) + (3 * d * (na * q2b - nb * q2a)) / n;
    this.m4s[g] =
      q4a +
      q4b +
      (d2 * d2 * na * nb * (na * na - na * nb + nb * nb)) / (n * n * n) +
      (6 * d2 * (na * na * q2b + nb * nb * q2a)) / (n * n) +
      (4 * d * (na * q3b - nb * q3a)) / n;
    this.counts[g] = n;
  }

  merge(states: readonly Vector[], gids: Int32Array | null, n: number): void {
    const [countState, ...moments] = states;
    let counts: Float64Array;
    if (countState.kind === 'f64') counts = countState.values;
    else if (countState.kind === 'dec') counts = Float64Array.from(countState.values, Number);
    else throw new InternalError(`${this.fn.toUpperCase()} count state arrived as a ${countState.kind} vector`);
    const f = moments.map((v) => {
      if (v.kind !== 'f64') throw new InternalError(`${this.fn.toUpperCase()} states must be FLOAT`);
      return v.values;
    });
    for (let i = 0; i < n; i++) this.combine(gids === null ? 0 : gids[i], counts[i], f[0][i], f[1][i], f[2][i], f[3][i]);
  }

  emitStates(groups: number): Vector[] {
    return [this.counts, this.means, this.m2s, this.m3s, this.m4s].map((a) => ({ kind: 'f64', length: groups, values: a.slice(0, groups), nulls: null }));
  }

  private result(g: number): number | null {
    const n = this.counts[g];
    const m2 = this.m2s[g];
    if (n < (this.fn === 'skew' ? 3 : 4) || !(m2 > 0)) return null;
    if (this.fn === 'skew') {
      const g1 = (Math.sqrt(n) * this.m3s[g]) / (m2 * Math.sqrt(m2));
      return (g1 * Math.sqrt(n * (n - 1))) / (n - 2);
    }
    const g2 = (n * this.m4s[g]) / (m2 * m2) - 3;
    return (((n + 1) * g2 + 6) * (n - 1)) / ((n - 2) * (n - 3));
  }

  emitResult(groups: number): Vector {
    const values = new Float64Array(groups);
    const mask = new Uint8Array(groups);
    let anyNull = 0;
    for (let g = 0; g < groups; g++) {
      const v = this.result(g);
      if (v === null || !Number.isFinite(v)) anyNull = mask[g] = 1;
      else values[g] = v;
    }
    const nulls = anyNull ? mask : null;
    if (this.resultType.kind !== 'NUMBER') return { kind: 'f64', length: groups, values, nulls };
    const { precision, scale } = this.resultType;
    const scaled = new Array<bigint>(groups);
    for (let g = 0; g < groups; g++) scaled[g] = mask[g] ? 0n : floatToScaled(values[g], scale);
    return fromBigints(scaled, nulls, precision, scale);
  }
}

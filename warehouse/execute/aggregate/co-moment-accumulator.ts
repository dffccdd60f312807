/**
 * CORR, COVAR_SAMP, COVAR_POP and the REGR_* family over pairs (y, x): per group the count of
 * pairs with neither value NULL, the means of x and y, their sums of squared deviations (m2x,
 * m2y) and the co-moment c = sum((x - mean x)(y - mean y)), in Float64Arrays by group id.
 *
 * Why co-moments: one pass, numerically stable (no sum-of-squares cancellation), and two
 * partial states join exactly by Chan's pairwise formulas, so workers merge in any order.
 * Contract: see accumulator.ts; `arg` is y and the one extra input is x, both FLOAT (the binder
 * casts them); states [count NUMBER(18,0), mean x, mean y, m2x, m2y, c FLOAT]
 * (partial-state-types.ts). A grouped batch folds row by row with the bivariate Welford update;
 * a global batch takes its own means and moments in two passes and joins with Chan's formula.
 * Results (Snowflake's definitions, NULL for a group without pairs):
 *   COVAR_POP c/n; COVAR_SAMP c/(n-1), NULL below two pairs; CORR c/sqrt(m2x*m2y), NULL when
 *   either variance is 0; REGR_SLOPE c/m2x and REGR_INTERCEPT mean y - slope * mean x, NULL when
 *   VAR_POP(x) = 0; REGR_R2 NULL when VAR_POP(x) = 0, else 1 when VAR_POP(y) = 0, else CORR^2;
 *   REGR_COUNT n (0 for none, NUMBER(18,0)); REGR_AVGX / REGR_AVGY the means; REGR_SXX m2x,
 *   REGR_SYY m2y, REGR_SXY c.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { COUNT_TYPE } from './aggregate-result-type.js';
import { growF64, type Accumulator } from './accumulator.js';
import type { CoMomentFn } from './co-moment-fns.js';

export class CoMomentAccumulator implements Accumulator {
  readonly stateTypes: readonly DataType[] = [COUNT_TYPE, Types.float, Types.float, Types.float, Types.float, Types.float];
  private counts: Float64Array = new Float64Array(16);
  private meanX: Float64Array = new Float64Array(16);
  private meanY: Float64Array = new Float64Array(16);
  private m2x: Float64Array = new Float64Array(16);
  private m2y: Float64Array = new Float64Array(16);
  private cxy: Float64Array = new Float64Array(16);

  constructor(private readonly fn: CoMomentFn) {}

  resize(groups: number): void {
    this.counts = growF64(this.counts, groups);
    this.meanX = growF64(this.meanX, groups);
    this.meanY = growF64(this.meanY, groups);
    this.m2x = growF64(this.m2x, groups);
    this.m2y = growF64(this.m2y, groups);
    this.cxy = growF64(this.cxy, groups);
  }

  update(input: Vector | null, gids: Int32Array | null, n: number, _rows?: Float64Array | null, extras?: readonly Vector[]): void {
    if (input === null || n === 0) return;
    const xv = extras?.[0];
    if (input.kind !== 'f64' || xv === undefined || xv.kind !== 'f64') throw new InternalError(`${this.fn.toUpperCase()} takes two FLOAT inputs`);
    const y = input.values;
    const x = xv.values;
    const yn = input.nulls;
    const xn = xv.nulls;
    const live = (i: number): boolean => (yn === null || yn[i] === 0) && (xn === null || xn[i] === 0);
    if (gids === null) {
      let c = 0;
      let sx = 0;
      let sy = 0;
      for (let i = 0; i < n; i++) {
        if (!live(i)) continue;
        sx += x[i];
        sy += y[i];
        c++;
      }
      if (c === 0) return;
      const mx = sx / c;
      const my = sy / c;
      let qx = 0;
      let qy = 0;
      let qxy = 0;
      for (let i = 0; i < n; i++) {
        if (!live(i)) continue;
        const dx = x[i] - mx;
        const dy = y[i] - my;
        qx += dx * dx;
        qy += dy * dy;
        qxy += dx * dy;
      }
      this.combine(0, c, mx, my, qx, qy, qxy);
      return;
    }
    const { counts, meanX, meanY, m2x, m2y, cxy } = this;
    // Bivariate Welford: n += 1; dx = x - mean x; mean x += dx / n; dy likewise;
    // m2x += dx * (x - new mean x); m2y likewise; c += dx * (y - new mean y).
    for (let i = 0; i < n; i++) {
      if (!live(i)) continue;
      const g = gids[i];
      const k = counts[g] + 1;
      counts[g] = k;
      const dx = x[i] - meanX[g];
      const dy = y[i] - meanY[g];
      const mx = meanX[g] + dx / k;
      const my = meanY[g] + dy / k;
      meanX[g] = mx;
      meanY[g] = my;
      m2x[g] += dx * (x[i] - mx);
      m2y[g] += dy * (y[i] - my);
      cxy[g] += dx * (y[i] - my);
    }
  }

  /** Chan et al.'s pairwise update: joins (nb, means, moments of b) into group g. */
  private combine(g: number, nb: number, mxb: number, myb: number, qxb: number, qyb: number, cb: number): void {
    if (nb === 0) return;
    const na = this.counts[g];
    if (na === 0) {
      this.counts[g] = nb;
      this.meanX[g] = mxb;
      this.meanY[g] = myb;
      this.m2x[g] = qxb;
      this.m2y[g] = qyb;
      this.cxy[g] = cb;
      return;
    }
    const total = na + nb;
    const dx = mxb - this.meanX[g];
    const dy = myb - this.meanY[g];
    const w = (na * nb) / total;
    this.meanX[g] += (dx * nb) / total;
    this.meanY[g] += (dy * nb) / total;
    this.m2x[g] += qxb + dx * dx * w;
    this.m2y[g] += qyb + dy * dy * w;
    this.cxy[g] += cb + dx * dy * w;
    this.counts[g] = total;
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
    for (let i = 0; i < n; i++) this.combine(gids === null ? 0 : gids[i], counts[i], f[0][i], f[1][i], f[2][i], f[3][i], f[4][i]);
  }

  emitStates(groups: number): Vector[] {
    return [this.counts, this.meanX, this.meanY, this.m2x, this.m2y, this.cxy].map((a) => ({ kind: 'f64', length: groups, values: a.slice(0, groups), nulls: null }));
  }

  emitResult(groups: number): Vector {
    const values = new Float64Array(groups);
    if (this.fn === 'regr_count') {
      values.set(this.counts.subarray(0, groups));
      return { kind: 'f64', length: groups, values, nulls: null };
    }
    const mask = new Uint8Array(groups);
    let anyNull = 0;
    for (let g = 0; g < groups; g++) {
      const v = this.result(g);
      if (v === null) anyNull = mask[g] = 1;
      else values[g] = v;
    }
    return { kind: 'f64', length: groups, values, nulls: anyNull ? mask : null };
  }

  private result(g: number): number | null {
    const n = this.counts[g];
    if (n === 0) return null;
    const qx = Math.max(this.m2x[g], 0);
    const qy = Math.max(this.m2y[g], 0);
    const c = this.cxy[g];
    switch (this.fn) {
      case 'covar_pop':
        return c / n;
      case 'covar_samp':
        return n < 2 ? null : c / (n - 1);
      case 'corr':
        return qx === 0 || qy === 0 ? null : c / Math.sqrt(qx * qy);
      case 'regr_slope':
        return qx === 0 ? null : c / qx;
      case 'regr_intercept':
        return qx === 0 ? null : this.meanY[g] - (c / qx) * this.meanX[g];
      case 'regr_r2':
        return qx === 0 ? null : qy === 0 ? 1 : (c * c) / (qx * qy);
      case 'regr_avgx':
        return this.meanX[g];
      case 'regr_avgy':
        return this.meanY[g];
      case 'regr_sxx':
        return qx;
      case 'regr_syy':
        return qy;
      case 'regr_sxy':
        return c;
      case 'regr_count':
        return n;
    }
  }
}

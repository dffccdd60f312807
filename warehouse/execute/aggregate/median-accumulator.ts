/**
 * MEDIAN(x) over NUMBER and FLOAT: every non-NULL value is kept, then each group's values are
 * sorted and the middle one (or the mean of the middle two) is the result. The same state
 * answers PERCENTILE_CONT, PERCENTILE_DISC and APPROX_PERCENTILE (a `PercentileSpec`).
 *
 * Contract: see accumulator.ts. The values live in two append-only typed arrays, one entry
 * per non-NULL input row: `vals` (the scaled integers of a NUMBER, or the FLOATs) and `owner`
 * (the group id). No per-group or per-row objects: at the end a counting sort by group lays
 * every group's values out contiguously and each group's slice is sorted in place
 * (Float64Array sort: numeric, NaN last, as Snowflake orders NaN above every FLOAT). Should a
 * NUMBER past 2^53 arrive (a 'dec' vector), the entries move to a bigint array once and stay
 * exact. It is a SpanningAccumulator: its partial state is the entries themselves, one row
 * each, in a column of x's type (partial-state-types.ts), and merge is update.
 * Result (aggregate-result-type.ts): NUMBER(p,s) -> NUMBER(p+3, s+3), exact (the mean of two
 * scaled integers is exact at one more decimal; where the scale is capped at 38 it is rounded
 * half away from zero); FLOAT -> FLOAT, (a + b) / 2. NULL for a group without values.
 * Percentiles of a group's m values sorted in the WITHIN GROUP direction (ASC unless `desc`):
 *  - PERCENTILE_CONT(p): position RN = p (m - 1) counted from 0, the value there or the linear
 *    interpolation v[floor RN] + (RN - floor RN) (v[ceil RN] - v[floor RN]) (Snowflake: "linear
 *    interpolation of the two nearest input values"; one value answers every p). Typed as MEDIAN:
 *    over NUMBER exact, p read as the decimal it was written as, rounded half away from zero at
 *    the result scale; over FLOAT in doubles.
 *  - PERCENTILE_DISC(p): the first value whose CUME_DIST (its 1-based position / m) is >= p,
 *    i.e. position max(ceil(p m), 1); the argument's type, exact.
 *  - APPROX_PERCENTILE(x, p): Snowflake estimates it with a t-Digest; Firn answers the exact
 *    PERCENTILE_CONT(p) as a FLOAT (an estimate with no error).
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { MAX_EXACT, type Vector } from '../../../storage/types/vector.js';
import { nullVector } from '../batch/null-vector.js';
import { ceilDivBig, fromBigints, pow10n, roundDivBig } from '../functions/decimal.js';
import { growF64, growI32, type SpanningAccumulator } from './accumulator.js';

/** A percentile to answer instead of the median (see the header). */
export type PercentileSpec = { kind: 'cont' | 'disc' | 'approx'; fraction: number; desc: boolean };

export class MedianAccumulator implements SpanningAccumulator {
  readonly stateTypes: readonly DataType[];
  private vals: Float64Array = new Float64Array(1024);
  private owner: Int32Array = new Int32Array(1024);
  /** Exact entries once any NUMBER past 2^53 arrived (then `vals` is unused). */
  private wide: bigint[] | null = null;
  private count = 0;

  constructor(
    private readonly argType: DataType,
    private readonly resultType: DataType,
    private readonly percentile: PercentileSpec | null = null,
  ) {
    this.stateTypes = [argType];
  }

  resize(): void {
    // Entries, not groups, take the space; they grow in update.
  }

  update(input: Vector | null, gids: Int32Array | null, n: number): void {
    if (input === null || this.argType.kind === 'NULL' || n === 0) return;
    if (input.kind === 'dec' && this.wide === null) this.goWide();
    if (input.kind !== 'f64' && input.kind !== 'dec') throw new InternalError(`MEDIAN got a ${input.kind} vector`);
    const need = this.count + n;
    this.owner = growI32(this.owner, need);
    const owner = this.owner;
    const nulls = input.nulls;
    let c = this.count;
    if (this.wide !== null) {
      const wide = this.wide;
      for (let i = 0; i < n; i++) {
        if (nulls !== null && nulls[i] !== 0) continue;
        wide[c] = input.kind === 'dec' ? input.values[i] : BigInt(input.values[i]);
        owner[c++] = gids === null ? 0 : gids[i];
      }
      this.count = c;
      return;
    }
    this.vals = growF64(this.vals, need);
    const vals = this.vals;
    const x = input.values as Float64Array;
    if (nulls === null && gids === null) {
      vals.set(x.subarray(0, n), c);
      owner.fill(0, c, c + n);
      this.count = c + n;
      return;
    }
    for (let i = 0; i < n; i++) {
      if (nulls !== null && nulls[i] !== 0) continue;
      vals[c] = x[i];
      owner[c++] = gids === null ? 0 : gids[i];
    }
    this.count = c;
  }

  private goWide(): void {
    const wide = new Array<bigint>(this.count);
    for (let k = 0; k < this.count; k++) wide[k] = BigInt(this.vals[k]);
    this.wide = wide;
    this.vals = new Float64Array(0);
  }

  merge(states: readonly Vector[], gids: Int32Array | null, n: number): void {
    this.update(states[0], gids, n);
  }

  entryGroups(): Int32Array {
    return this.owner.subarray(0, this.count);
  }

  emitEntries(sel: Int32Array, count: number): Vector[] {
    if (this.argType.kind === 'NULL') return [nullVector(this.argType, count)];
    const nulls = new Uint8Array(count);
    let anyNull = 0;
    for (let r = 0; r < count; r++) anyNull |= nulls[r] = sel[r] < 0 ? 1 : 0;
    const mask = anyNull ? nulls : null;
    if (this.wide !== null) {
      const values = new Array<bigint>(count);
      for (let r = 0; r < count; r++) values[r] = sel[r] < 0 ? 0n : this.wide[sel[r]];
      return [{ kind: 'dec', length: count, values, nulls: mask }];
    }
    const values = new Float64Array(count);
    for (let r = 0; r < count; r++) if (sel[r] >= 0) values[r] = this.vals[sel[r]];
    return [{ kind: 'f64', length: count, values, nulls: mask }];
  }

  emitStates(): Vector[] {
    throw new InternalError('MEDIAN emits its entries, not per-group states');
  }

  /** Start of each group's slice in the group-ordered layout (groups + 1 offsets), and the layout order. */
  private groupOrder(groups: number): { start: Int32Array; order: Int32Array } {
    const start = new Int32Array(groups + 1);
    const owner = this.owner;
    const count = this.count;
    for (let k = 0; k < count; k++) start[owner[k] + 1]++;
    for (let g = 0; g < groups; g++) start[g + 1] += start[g];
    const cursor = start.slice(0, groups);
    const order = new Int32Array(count);
    for (let k = 0; k < count; k++) order[cursor[owner[k]]++] = k;
    return { start, order };
  }

  emitResult(groups: number): Vector {
    if (this.argType.kind === 'NULL') return nullVector(this.resultType, groups);
    const { start, order } = this.groupOrder(groups);
    const mask = new Uint8Array(groups);
    let anyNull = 0;
    for (let g = 0; g < groups; g++) anyNull |= mask[g] = start[g] === start[g + 1] ? 1 : 0;
    const nulls = anyNull ? mask : null;
    if (this.percentile !== null) return this.percentileResult(this.percentile, groups, start, order, nulls);
    if (this.wide !== null) return this.exactResult(groups, start, order, nulls);
    const sorted = new Float64Array(this.count);
    for (let k = 0; k < order.length; k++) sorted[k] = this.vals[order[k]];
    for (let g = 0; g < groups; g++) if (start[g + 1] - start[g] > 1) sorted.subarray(start[g], start[g + 1]).sort();
    const out = new Float64Array(groups);
    if (this.resultType.kind !== 'NUMBER') {
      for (let g = 0; g < groups; g++) {
        const m = start[g + 1] - start[g];
        if (m === 0) continue;
        const mid = start[g] + (m >> 1);
        out[g] = m & 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
      }
      return { kind: 'f64', length: groups, values: out, nulls };
    }
    // NUMBER: result = middle * 10^k, or (a + b) * 10^k / 2, with k extra decimals.
    const k = this.extraScale();
    const factor = 10 ** k;
    for (let g = 0; g < groups; g++) {
      const m = start[g + 1] - start[g];
      if (m === 0) continue;
      const mid = start[g] + (m >> 1);
      if (m & 1) {
        const r = sorted[mid] * factor;
        if (r >= MAX_EXACT || r <= -MAX_EXACT) return this.exactResult(groups, start, order, nulls);
        out[g] = r;
        continue;
      }
      // (a + b) * 10^k is even for k >= 1, so halving it is exact while everything stays under 2^53.
      const a = sorted[mid - 1];
      const b = sorted[mid];
      const r = (a + b) * factor;
      if (k === 0 || Math.abs(a) + Math.abs(b) >= MAX_EXACT || r >= MAX_EXACT || r <= -MAX_EXACT) return this.exactResult(groups, start, order, nulls);
      out[g] = r / 2;
    }
    return { kind: 'f64', length: groups, values: out, nulls };
  }

  /** Each group's values sorted ascending, exact (bigint scaled integers for NUMBER) or doubles for FLOAT. */
  private sortedGroups(start: Int32Array, order: Int32Array, groups: number): (bigint[] | Float64Array)[] {
    const out: (bigint[] | Float64Array)[] = [];
    const exact = this.argType.kind !== 'FLOAT';
    for (let g = 0; g < groups; g++) {
      const m = start[g + 1] - start[g];
      if (exact) {
        const slice = new Array<bigint>(m);
        for (let j = 0; j < m; j++) {
          const k = order[start[g] + j];
          slice[j] = this.wide !== null ? this.wide[k] : BigInt(this.vals[k]);
        }
        out.push(slice.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      } else {
        const slice = new Float64Array(m);
        for (let j = 0; j < m; j++) slice[j] = this.vals[order[start[g] + j]];
        out.push(slice.sort());
      }
    }
    return out;
  }

  private percentileResult(spec: PercentileSpec, groups: number, start: Int32Array, order: Int32Array, nulls: Uint8Array | null): Vector {
    const sorted = this.sortedGroups(start, order, groups);
    // p as an exact decimal P / 10^d, mirrored for DESC (1 - p, still exact).
    const [num, den] = decimalFraction(spec.fraction);
    const P = spec.desc ? den - num : num;
    const argScale = this.argType.kind === 'NUMBER' ? this.argType.scale : 0;
    if (spec.kind === 'disc') {
      const exact = new Array<bigint>(groups).fill(0n);
      const floats = new Float64Array(groups);
      for (let g = 0; g < groups; g++) {
        const vals = sorted[g];
        const m = vals.length;
        if (m === 0) continue;
        // The first position (1-based) whose CUME_DIST j / m reaches p: ceil(p m), at least 1.
        let j = Number(ceilDivBig(num * BigInt(m), den));
        if (j < 1) j = 1;
        const at = spec.desc ? m - j : j - 1;
        if (vals instanceof Float64Array) floats[g] = vals[at];
        else exact[g] = vals[at];
      }
      if (this.argType.kind === 'FLOAT') return { kind: 'f64', length: groups, values: floats, nulls };
      const t = this.resultType as { precision: number; scale: number };
      return fromBigints(exact, nulls, t.precision, t.scale);
    }
    if (spec.kind === 'approx' || this.argType.kind === 'FLOAT') {
      const p = spec.desc ? 1 - spec.fraction : spec.fraction;
      const out = new Float64Array(groups);
      const unit = 10 ** argScale;
      for (let g = 0; g < groups; g++) {
        const vals = sorted[g];
        const m = vals.length;
        if (m === 0) continue;
        const rn = p * (m - 1);
        const lo = Math.floor(rn);
        const hi = Math.min(lo + 1, m - 1);
        const a = vals instanceof Float64Array ? vals[lo] : Number(vals[lo]) / unit;
        const b = vals instanceof Float64Array ? vals[hi] : Number(vals[hi]) / unit;
        out[g] = rn === lo ? a : a + (rn - lo) * (b - a);
      }
      if (this.resultType.kind === 'FLOAT') return { kind: 'f64', length: groups, values: out, nulls };
    }
    // NUMBER, exact: RN * 10^d = P (m - 1); the result at k more decimals is
    // v[lo] 10^k + round((v[lo+1] - v[lo]) 10^k rem / 10^d), with rem = P (m - 1) mod 10^d.
    const k = this.extraScale();
    const factor = pow10n(k);
    const out = new Array<bigint>(groups).fill(0n);
    for (let g = 0; g < groups; g++) {
      const vals = sorted[g] as bigint[];
      const m = vals.length;
      if (m === 0) continue;
      const pos = P * BigInt(m - 1);
      const lo = Number(pos / den);
      const rem = pos % den;
      const a = vals[lo];
      out[g] = rem === 0n ? a * factor : a * factor + roundDivBig((vals[lo + 1] - a) * factor * rem, den);
    }
    const t = this.resultType as { precision: number; scale: number };
    return fromBigints(out, nulls, t.precision, t.scale);
  }

  /** Extra decimals of the result over the argument (3, fewer where the scale is capped). */
  private extraScale(): number {
    const s = this.argType.kind === 'NUMBER' ? this.argType.scale : 0;
    return (this.resultType as { scale: number }).scale - s;
  }

  /** The bigint form of emitResult, for NUMBERs past 2^53. */
  private exactResult(groups: number, start: Int32Array, order: Int32Array, nulls: Uint8Array | null): Vector {
    const read = this.wide !== null ? (k: number) => this.wide![k] : (k: number) => BigInt(this.vals[k]);
    const k = this.extraScale();
    const factor = pow10n(k);
    const out = new Array<bigint>(groups);
    for (let g = 0; g < groups; g++) {
      const m = start[g + 1] - start[g];
      if (m === 0) {
        out[g] = 0n;
        continue;
      }
      const slice = new Array<bigint>(m);
      for (let j = 0; j < m; j++) slice[j] = read(order[start[g] + j]);
      slice.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const mid = m >> 1;
      out[g] = m & 1 ? slice[mid] * factor : roundDivBig((slice[mid - 1] + slice[mid]) * factor, 2n);
    }
    const t = this.resultType as { precision: number; scale: number };
    return fromBigints(out, nulls, t.precision, t.scale);
  }
}

/** A fraction in [0, 1] as the exact decimal it prints as: [numerator, 10^digits]. */
export function decimalFraction(p: number): [bigint, bigint] {
  let text = String(p);
  if (/e/i.test(text)) text = p.toFixed(20).replace(/0+$/, '');
  const [whole, frac = ''] = text.split('.');
  const den = pow10n(frac.length);
  return [BigInt(whole) * den + BigInt(frac || '0'), den];
}

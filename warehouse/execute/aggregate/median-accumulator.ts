/**
 * MEDIAN(x) over NUMBER and FLOAT: every non-NULL value is kept, then each group's values are
 * sorted and the middle one (or the mean of the middle two) is the result.
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
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { MAX_EXACT, type Vector } from '../../../storage/types/vector.js';
import { nullVector } from '../batch/null-vector.js';
import { fromBigints, pow10n, roundDivBig } from '../functions/decimal.js';
import { growF64, growI32, type SpanningAccumulator } from './accumulator.js';

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

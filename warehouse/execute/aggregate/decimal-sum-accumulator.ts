/**
 * SUM and AVG over NUMBER, exact: Snowflake sums fixed-point numbers without rounding, and
 * so does Firn.
 *
 * Contract: per group, the sum of scaled integers is `acc[g] + wide[g]`: acc is a double kept
 * within +-2^52 (so every addition of an exact input, |x| <= 2^53, is itself exact), and
 * when an addition would leave that range the operands move into the bigint side
 * accumulator `wide[g]` (one compare per row on the hot path; the bigint work happens once
 * per 2^52 of magnitude). 'dec' inputs go to the side accumulator directly. Results are
 * 'f64' vectors when every value fits in 2^53, else 'dec'. AVG = exact sum / count,
 * rounded half away from zero at the result scale. A result of 38 digits or more is a
 * DataError NUMERIC_OUT_OF_RANGE (partial states are not checked: other workers' sums may
 * bring the total back in range). States: see partial-state-types.ts.
 * A grouped SUM over input without NULLs does not count rows: each of its groups then holds a
 * value, and a SUM's count only tells NULL from not NULL. The first NULL, merge or other
 * input starts counting, at 1 for every group seen so far; until then the counts read as 1.
 */
import { DataError, InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { MAX_EXACT, type Nulls, type Vector } from '../../../storage/types/vector.js';
import { avgScale, COUNT_TYPE } from './aggregate-result-type.js';
import { growF64, mergeCounts, nullsWhereZero, type Accumulator } from './accumulator.js';
import { addGroupRows, countGroups, laneScratch } from './few-groups.js';
import { sumStateType } from './partial-state-types.js';

/** |acc| stays within this bound, so acc + x (|x| <= 2^53) is exact. */
const FLUSH = 2 ** 52;
const BIG_EXACT = BigInt(MAX_EXACT);
/** Scaled integers of NUMBER(38,s) stay below 10^38 in magnitude. */
const MAX_NUMBER = 10n ** 38n;

function outOfRange(fn: string): DataError {
  return new DataError('NUMERIC_OUT_OF_RANGE', `Number out of representable range: ${fn} result does not fit in NUMBER(38)`);
}

export class DecimalSumAccumulator implements Accumulator {
  readonly stateTypes: readonly DataType[];
  private acc: Float64Array = new Float64Array(16);
  private counts: Float64Array = new Float64Array(16);
  /** Per-group overflow of acc (undefined = 0n); null until some group overflows. */
  private wide: (bigint | undefined)[] | null = null;
  /** Groups as of the last resize: few groups fold through lanes (few-groups.ts). */
  private groups = 1;
  /** Whether `counts` is kept (always for AVG; see the module comment). */
  private counting: boolean;
  /** Groups seen by the end of the last update, each with a value while not counting. */
  private settled = 0;
  private readonly argIsNull: boolean;
  private readonly argScale: number;
  private readonly resultScale: number;

  constructor(
    private readonly fn: 'sum' | 'avg',
    argType: DataType,
    resultType: DataType,
  ) {
    this.stateTypes = [sumStateType(fn, argType), COUNT_TYPE];
    this.argIsNull = argType.kind === 'NULL';
    this.argScale = argType.kind === 'NUMBER' ? argType.scale : 0;
    this.resultScale = resultType.kind === 'NUMBER' ? resultType.scale : fn === 'avg' ? avgScale(this.argScale) : this.argScale;
    this.counting = fn === 'avg' || this.argIsNull;
  }

  resize(groups: number): void {
    this.groups = groups;
    this.acc = growF64(this.acc, groups);
    this.counts = growF64(this.counts, groups);
  }

  update(input: Vector | null, gids: Int32Array | null, n: number, groupRows?: Float64Array | null): void {
    if (this.argIsNull || input === null) return;
    if (!this.counting && (gids === null || input.kind !== 'f64' || input.nulls !== null)) this.startCounting();
    this.fold(input, gids, n, this.counting, groupRows ?? null);
    if (!this.counting) this.settled = this.groups;
  }

  merge(states: readonly Vector[], gids: Int32Array | null, n: number): void {
    if (!this.counting) this.startCounting();
    if (!this.argIsNull) this.fold(states[0], gids, n, false);
    mergeCounts(this.counts, states[1], gids, n);
  }

  /** From now on rows are counted; every group seen so far had a value. */
  private startCounting(): void {
    this.counts.fill(1, 0, this.settled);
    this.counting = true;
  }

  /** Per-group counts of groups 0..groups-1 (while not counting: 1 for each group an update saw, 0 for the rest). */
  private countsOf(groups: number): Float64Array {
    return this.counting ? this.counts : new Float64Array(groups).fill(1, 0, Math.min(this.settled, groups));
  }

  /** Adds the non-NULL values of v into the sums (and the counts when countRows). */
  private fold(v: Vector, gids: Int32Array | null, n: number, countRows: boolean, groupRows: Float64Array | null = null): void {
    if (v.kind === 'dec') return this.foldWide(v.values, v.nulls, gids, n, countRows);
    if (v.kind !== 'f64') throw new InternalError(`SUM over NUMBER got a ${v.kind} vector`);
    const x = v.values;
    const nulls = v.nulls;
    const acc = this.acc;
    const counts = this.counts;
    if (gids === null) {
      let a = acc[0];
      let c = 0;
      for (let i = 0; i < n; i++) {
        if (nulls !== null && nulls[i] !== 0) continue;
        const t = a + x[i];
        if (Math.abs(t) > FLUSH) {
          this.addWide(0, a, x[i]);
          a = 0;
        } else {
          a = t;
        }
        c++;
      }
      acc[0] = a;
      if (countRows) counts[0] += c;
      return;
    }
    if (nulls === null) {
      const lanes = laneScratch(this.groups);
      if (lanes !== null) this.foldLanes(x, gids, n, lanes);
      else {
        // Hand-inlined hot loop; the simple version is:
        //   for each row: sum[g] += BigInt(x[i])
        // with sums kept as doubles while exact (see the module comment).
        for (let i = 0; i < n; i++) {
          const g = gids[i];
          const xi = x[i];
          const t = acc[g] + xi;
          if (Math.abs(t) > FLUSH) {
            this.addWide(g, acc[g], xi);
            acc[g] = 0;
          } else {
            acc[g] = t;
          }
        }
      }
      if (countRows && groupRows !== null) addGroupRows(counts, groupRows, this.groups);
      else if (countRows) countGroups(counts, gids, null, n, this.groups);
      return;
    }
    for (let i = 0; i < n; i++) {
      if (nulls[i] !== 0) continue;
      const g = gids[i];
      const xi = x[i];
      const t = acc[g] + xi;
      if (Math.abs(t) > FLUSH) {
        this.addWide(g, acc[g], xi);
        acc[g] = 0;
      } else {
        acc[g] = t;
      }
      if (countRows) counts[g]++;
    }
  }

  /**
   * The non-NULL fold over few groups: row i adds into lane i % 4 of its group (few-groups.ts),
   * each lane an exact sum within +-FLUSH like acc; then each group's lanes join acc[g]
   * the same way. Hand-inlined; the simple version is the loop above with lanes[g * 4 + i % 4]
   * in place of acc[g].
   */
  private foldLanes(x: Float64Array, gids: Int32Array, n: number, lanes: Float64Array): void {
    let i = 0;
    for (; i + 3 < n; i += 4) {
      const s0 = gids[i] << 2;
      const t0 = lanes[s0] + x[i];
      const s1 = (gids[i + 1] << 2) | 1;
      const t1 = lanes[s1] + x[i + 1];
      const s2 = (gids[i + 2] << 2) | 2;
      const t2 = lanes[s2] + x[i + 2];
      const s3 = (gids[i + 3] << 2) | 3;
      const t3 = lanes[s3] + x[i + 3];
      if (Math.abs(t0) > FLUSH || Math.abs(t1) > FLUSH || Math.abs(t2) > FLUSH || Math.abs(t3) > FLUSH) {
        for (let k = 0; k < 4; k++) this.addLane(lanes, (gids[i + k] << 2) | k, gids[i + k], x[i + k]);
        continue;
      }
      lanes[s0] = t0;
      lanes[s1] = t1;
      lanes[s2] = t2;
      lanes[s3] = t3;
    }
    for (; i < n; i++) this.addLane(lanes, gids[i] << 2, gids[i], x[i]);
    const acc = this.acc;
    for (let g = 0; g < this.groups; g++) {
      let a = acc[g];
      for (let l = 0; l < 4; l++) {
        const v = lanes[(g << 2) | l];
        const t = a + v;
        if (Math.abs(t) > FLUSH) {
          this.addWide(g, a, v);
          a = 0;
        } else {
          a = t;
        }
      }
      acc[g] = a;
    }
  }

  /** lanes[slot] += x exactly (group g's overflow to the side accumulator). */
  private addLane(lanes: Float64Array, slot: number, g: number, x: number): void {
    const t = lanes[slot] + x;
    if (Math.abs(t) > FLUSH) {
      this.addWide(g, lanes[slot], x);
      lanes[slot] = 0;
    } else {
      lanes[slot] = t;
    }
  }

  private foldWide(x: bigint[], nulls: Nulls, gids: Int32Array | null, n: number, countRows: boolean): void {
    const wide = (this.wide ??= []);
    for (let i = 0; i < n; i++) {
      if (nulls !== null && nulls[i] !== 0) continue;
      const g = gids === null ? 0 : gids[i];
      wide[g] = (wide[g] ?? 0n) + x[i];
      if (countRows) this.counts[g]++;
    }
  }

  private addWide(g: number, a: number, x: number): void {
    const wide = (this.wide ??= []);
    wide[g] = (wide[g] ?? 0n) + BigInt(a) + BigInt(x);
  }

  /** Exact sum of group g as a bigint scaled integer. */
  private total(g: number): bigint {
    const w = this.wide?.[g];
    return w === undefined ? BigInt(this.acc[g]) : w + BigInt(this.acc[g]);
  }

  emitStates(groups: number): Vector[] {
    return [this.emitSum(groups, false), { kind: 'f64', length: groups, values: this.counting ? this.counts.slice(0, groups) : this.countsOf(groups), nulls: null }];
  }

  emitResult(groups: number): Vector {
    return this.fn === 'sum' ? this.emitSum(groups, true) : this.emitAvg(groups);
  }

  /** Sums of groups 0..groups-1; `checked` rejects results past NUMBER(38)'s range. */
  private emitSum(groups: number, checked: boolean): Vector {
    // Not counting, every group an update saw holds a value: with all of them seen, none is NULL
    // (and no counts array of `groups` ones is made to tell so).
    const counts = this.counting || this.settled < groups ? this.countsOf(groups) : null;
    const nulls = counts === null ? null : nullsWhereZero(counts, groups);
    const wide = this.wide;
    if (wide === null) return { kind: 'f64', length: groups, values: this.acc.slice(0, groups), nulls };
    const totals = new Array<bigint>(groups);
    let fits = true;
    for (let g = 0; g < groups; g++) {
      const t = this.total(g);
      totals[g] = t;
      if (t > BIG_EXACT || t < -BIG_EXACT) fits = false;
      if (checked && (t >= MAX_NUMBER || t <= -MAX_NUMBER) && (counts === null || counts[g] > 0)) throw outOfRange('SUM');
    }
    if (!fits) return { kind: 'dec', length: groups, values: totals, nulls };
    const values = new Float64Array(groups);
    for (let g = 0; g < groups; g++) values[g] = Number(totals[g]);
    return { kind: 'f64', length: groups, values, nulls };
  }

  private emitAvg(groups: number): Vector {
    const counts = this.counts;
    const nulls = nullsWhereZero(counts, groups);
    const shift = this.resultScale - this.argScale;
    const factor = 10n ** BigInt(Math.max(shift, 0));
    const divisor = 10n ** BigInt(Math.max(-shift, 0));
    const quotients = new Array<bigint>(groups);
    let fits = true;
    for (let g = 0; g < groups; g++) {
      if (counts[g] === 0) {
        quotients[g] = 0n;
        continue;
      }
      const q = divRoundHalfAway(this.total(g) * factor, BigInt(counts[g]) * divisor);
      quotients[g] = q;
      if (q > BIG_EXACT || q < -BIG_EXACT) fits = false;
      if (q >= MAX_NUMBER || q <= -MAX_NUMBER) throw outOfRange('AVG');
    }
    if (!fits) return { kind: 'dec', length: groups, values: quotients, nulls };
    const values = new Float64Array(groups);
    for (let g = 0; g < groups; g++) values[g] = Number(quotients[g]);
    return { kind: 'f64', length: groups, values, nulls };
  }
}

/** num / den (den > 0) rounded to the nearest integer, halves away from zero. */
export function divRoundHalfAway(num: bigint, den: bigint): bigint {
  const neg = num < 0n;
  const a = neg ? -num : num;
  let q = a / den;
  if ((a % den) * 2n >= den) q += 1n;
  return neg ? -q : q;
}

/**
 * COUNT(*), COUNT, SUM and AVG over window frames, one linear pass per partition.
 *
 * Contract: results are in input row order with the call's type. COUNT(*) is the frame's
 * row count and COUNT(x) its non-NULL count (prefix counts, never NULL). SUM and AVG slide
 * an add/remove accumulator over the frames (frame-bounds.ts: start and end only move
 * forward; a frame that starts at UNBOUNDED PRECEDING never removes, so it is a running
 * sum) and are NULL over a frame without non-NULL values:
 *  - NUMBER: exact, as decimal-sum-accumulator.ts: a double kept within +-2^52 (so adding
 *    or removing any exact input is exact) plus a bigint side sum for what overflows it;
 *    'dec' inputs sum in bigint. SUM past NUMBER(38) is a DataError NUMERIC_OUT_OF_RANGE;
 *    AVG = exact sum / count rounded half away from zero at the result scale.
 *  - FLOAT: compensated (Neumaier) summation of the finite values, so removing a large value
 *    does not leave its rounding error behind, with +-Infinity and NaN counted apart (a frame
 *    holding NaN, or both infinities, sums to NaN; one infinity wins over finite values).
 */
import { DataError, InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { MAX_EXACT, type Nulls, type Vector } from '../../../storage/types/vector.js';
import { nullsWhereZero } from '../aggregate/accumulator.js';
import { divRoundHalfAway } from '../aggregate/decimal-sum-accumulator.js';
import { gatherVector } from '../batch/gather-vector.js';
import { nullVector } from '../batch/null-vector.js';
import type { FrameBounds } from './frame-bounds.js';
import type { WindowLayout } from './window-layout.js';

export type FrameAggregateFn = 'count_star' | 'count' | 'sum' | 'avg';

/** |acc| stays within this bound, so acc +- x (|x| <= 2^53) is exact. */
const FLUSH = 2 ** 52;
const BIG_EXACT = BigInt(MAX_EXACT);
/** Scaled integers of NUMBER(38,s) stay below 10^38 in magnitude. */
const MAX_NUMBER = 10n ** 38n;

export function frameAggregate(fn: FrameAggregateFn, type: DataType, layout: WindowLayout, arg: Vector | null, argType: DataType, bounds: FrameBounds): Vector {
  const { n, perm } = layout;
  const { start, end } = bounds;
  if (fn === 'count_star') {
    const out = new Float64Array(n);
    for (let p = 0; p < n; p++) out[perm[p]] = Math.max(0, end[p] - start[p]);
    return { kind: 'f64', length: n, values: out, nulls: null };
  }
  if (arg === null) throw new InternalError(`window ${fn.toUpperCase()} without an argument`);
  if (fn === 'count') return frameCount(layout, arg, bounds);
  if (argType.kind === 'NULL') return nullVector(type, n);
  // The argument in sorted position order, so the sliding loops read it sequentially.
  const sorted = gatherVector(arg, perm);
  const counts = new Float64Array(n);
  if (argType.kind === 'FLOAT') {
    if (sorted.kind !== 'f64') throw new InternalError(`window ${fn.toUpperCase()} over FLOAT got a ${sorted.kind} vector`);
    const acc = new FloatWindowSum(sorted.values, n);
    slide(layout, bounds, sorted.nulls, acc, counts);
    return acc.emit(fn, counts);
  }
  if (argType.kind !== 'NUMBER') throw new InternalError(`window ${fn.toUpperCase()} over ${argType.kind}`);
  const argScale = argType.scale;
  const resultScale = type.kind === 'NUMBER' ? type.scale : argScale;
  if (sorted.kind === 'dec') {
    const acc = new WideWindowSum(sorted.values, n);
    slide(layout, bounds, sorted.nulls, acc, counts);
    return emitDecimal(fn, acc.sums, null, counts, argScale, resultScale);
  }
  if (sorted.kind !== 'f64') throw new InternalError(`window ${fn.toUpperCase()} over NUMBER got a ${sorted.kind} vector`);
  const acc = new ExactWindowSum(sorted.values, n);
  slide(layout, bounds, sorted.nulls, acc, counts);
  return emitDecimal(fn, acc.wide, acc.sums, counts, argScale, resultScale);
}

function frameCount(layout: WindowLayout, arg: Vector, bounds: FrameBounds): Vector {
  const { n, perm } = layout;
  const { start, end } = bounds;
  const out = new Float64Array(n);
  const nulls = arg.nulls;
  if (nulls === null) {
    for (let p = 0; p < n; p++) out[perm[p]] = Math.max(0, end[p] - start[p]);
  } else {
    // before[p] = non-NULL rows at positions < p; a frame's count is a difference of two.
    const before = new Int32Array(n + 1);
    for (let p = 0; p < n; p++) before[p + 1] = before[p] + (nulls[perm[p]] === 0 ? 1 : 0);
    for (let p = 0; p < n; p++) out[perm[p]] = end[p] > start[p] ? before[end[p]] - before[start[p]] : 0;
  }
  return { kind: 'f64', length: n, values: out, nulls: null };
}

/** A sum that rows (sorted positions) enter and leave; `store` records the current sum as row r's. */
interface WindowSum {
  reset(): void;
  add(p: number): void;
  remove(p: number): void;
  store(r: number): void;
}

/**
 * Drives a WindowSum over every row's frame: [lo, hi) is what the sum holds; it grows to the
 * frame's end, then sheds rows before the frame's start. A frame starting at or past hi
 * shares no row with the sum, which restarts there. counts[r] = non-NULL rows in row r's frame.
 */
function slide(layout: WindowLayout, bounds: FrameBounds, nulls: Nulls, acc: WindowSum, counts: Float64Array): void {
  const { perm, partitionStarts } = layout;
  const { start, end } = bounds;
  const parts = partitionStarts.length - 1;
  for (let k = 0; k < parts; k++) {
    const ps = partitionStarts[k];
    const pe = partitionStarts[k + 1];
    let lo = ps;
    let hi = ps;
    let c = 0;
    for (let p = ps; p < pe; p++) {
      const s = start[p];
      const e = end[p];
      if (s >= hi) {
        acc.reset();
        c = 0;
        lo = hi = s;
      }
      for (; hi < e; hi++) {
        if (nulls !== null && nulls[hi] !== 0) continue;
        acc.add(hi);
        c++;
      }
      for (; lo < s; lo++) {
        if (nulls !== null && nulls[lo] !== 0) continue;
        acc.remove(lo);
        c--;
      }
      const r = perm[p];
      counts[r] = c;
      if (c > 0) acc.store(r);
    }
  }
}

/** NUMBER in 'f64' vectors: exact double while small, bigint overflow (see the module comment). */
class ExactWindowSum implements WindowSum {
  readonly sums: Float64Array;
  /** Per output row, the exact sum when it needed the bigint side (else undefined); null until then. */
  wide: (bigint | undefined)[] | null = null;
  private acc = 0;
  private over = 0n;

  constructor(
    private readonly x: Float64Array,
    n: number,
  ) {
    this.sums = new Float64Array(n);
  }

  reset(): void {
    this.acc = 0;
    this.over = 0n;
  }

  add(p: number): void {
    this.fold(this.x[p]);
  }

  remove(p: number): void {
    this.fold(-this.x[p]);
  }

  private fold(v: number): void {
    const t = this.acc + v;
    if (Math.abs(t) > FLUSH) {
      this.over += BigInt(this.acc) + BigInt(v);
      this.acc = 0;
    } else {
      this.acc = t;
    }
  }

  store(r: number): void {
    if (this.over === 0n) {
      this.sums[r] = this.acc;
      return;
    }
    const total = this.over + BigInt(this.acc);
    if (total <= BIG_EXACT && total >= -BIG_EXACT) this.sums[r] = Number(total);
    else (this.wide ??= [])[r] = total;
  }
}

/** NUMBER in 'dec' vectors: bigint throughout. */
class WideWindowSum implements WindowSum {
  readonly sums: bigint[];
  private acc = 0n;

  constructor(
    private readonly x: bigint[],
    n: number,
  ) {
    this.sums = new Array<bigint>(n).fill(0n);
  }

  reset(): void {
    this.acc = 0n;
  }

  add(p: number): void {
    this.acc += this.x[p];
  }

  remove(p: number): void {
    this.acc -= this.x[p];
  }

  store(r: number): void {
    this.sums[r] = this.acc;
  }
}

/** FLOAT: Neumaier-compensated sum of finite values, non-finite values counted apart. */
class FloatWindowSum implements WindowSum {
  private readonly sums: Float64Array;
  private sum = 0;
  private comp = 0;
  private posInf = 0;
  private negInf = 0;
  private nan = 0;

  constructor(
    private readonly x: Float64Array,
    n: number,
  ) {
    this.sums = new Float64Array(n);
  }

  reset(): void {
    this.sum = this.comp = 0;
    this.posInf = this.negInf = this.nan = 0;
  }

  add(p: number): void {
    this.fold(this.x[p], 1);
  }

  remove(p: number): void {
    this.fold(-this.x[p], -1);
  }

  /** Adds v; `dir` is +1 for a row entering, -1 for one leaving (its value already negated). */
  private fold(v: number, dir: number): void {
    if (v - v !== 0) {
      // Infinity or NaN: v - v is NaN for both.
      if (v !== v) this.nan += dir;
      else if (v * dir > 0) this.posInf += dir;
      else this.negInf += dir;
      return;
    }
    const s = this.sum;
    const t = s + v;
    this.comp += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    this.sum = t;
  }

  store(r: number): void {
    if (this.nan > 0 || (this.posInf > 0 && this.negInf > 0)) this.sums[r] = NaN;
    else if (this.posInf > 0) this.sums[r] = Infinity;
    else if (this.negInf > 0) this.sums[r] = -Infinity;
    else this.sums[r] = this.sum + this.comp;
  }

  emit(fn: 'sum' | 'avg', counts: Float64Array): Vector {
    const n = counts.length;
    const nulls = nullsWhereZero(counts, n);
    const values = this.sums;
    if (fn === 'avg') for (let r = 0; r < n; r++) if (counts[r] > 0) values[r] /= counts[r];
    return { kind: 'f64', length: n, values, nulls };
  }
}

/**
 * SUM / AVG results over NUMBER from per-row sums: `small` holds sums that fit in 2^53 (as
 * doubles), `wide` the rest (or every sum, when small is null).
 */
function emitDecimal(
  fn: 'sum' | 'avg',
  wide: (bigint | undefined)[] | null,
  small: Float64Array | null,
  counts: Float64Array,
  argScale: number,
  resultScale: number,
): Vector {
  const n = counts.length;
  const nulls = nullsWhereZero(counts, n);
  const total = (r: number): bigint => wide?.[r] ?? BigInt(small![r]);
  if (fn === 'sum') {
    if (wide === null) return { kind: 'f64', length: n, values: small!, nulls };
    const values = new Array<bigint>(n);
    let fits = true;
    for (let r = 0; r < n; r++) {
      const t = counts[r] > 0 ? total(r) : 0n;
      if (t >= MAX_NUMBER || t <= -MAX_NUMBER) throw outOfRange('SUM');
      if (t > BIG_EXACT || t < -BIG_EXACT) fits = false;
      values[r] = t;
    }
    return fits ? { kind: 'f64', length: n, values: Float64Array.from(values, Number), nulls } : { kind: 'dec', length: n, values, nulls };
  }
  const shift = resultScale - argScale;
  const factor = 10 ** Math.max(shift, 0);
  const divisor = 10 ** Math.max(-shift, 0);
  const quotients = new Float64Array(n);
  let exact: bigint[] | null = null;
  for (let r = 0; r < n; r++) {
    const c = counts[r];
    if (c === 0) continue;
    const den = c * divisor;
    const w = wide?.[r];
    if (w === undefined && small !== null && Math.abs(small[r]) * factor < MAX_EXACT && den < MAX_EXACT) {
      // The simple version is divRoundHalfAway(BigInt(sum) * BigInt(factor), BigInt(den)); in
      // doubles it is exact here: num and den are integers below 2^53 (rounding is monotone, so
      // a rounded product below 2^53 was exact), num % den is exact, and (num - rem) / den
      // divides an exact multiple.
      const num = small[r] * factor;
      const rem = num % den;
      let q = (num - rem) / den;
      if (2 * Math.abs(rem) >= den) q += num < 0 ? -1 : 1;
      quotients[r] = q;
      continue;
    }
    const q = divRoundHalfAway(total(r) * 10n ** BigInt(Math.max(shift, 0)), BigInt(c) * 10n ** BigInt(Math.max(-shift, 0)));
    if (q >= MAX_NUMBER || q <= -MAX_NUMBER) throw outOfRange('AVG');
    if (q <= BIG_EXACT && q >= -BIG_EXACT) quotients[r] = Number(q);
    else (exact ??= [])[r] = q;
  }
  if (exact === null) return { kind: 'f64', length: n, values: quotients, nulls };
  const values = new Array<bigint>(n);
  for (let r = 0; r < n; r++) values[r] = exact[r] ?? BigInt(quotients[r]);
  return { kind: 'dec', length: n, values, nulls };
}

function outOfRange(fn: string): DataError {
  return new DataError('NUMERIC_OUT_OF_RANGE', `Number out of representable range: ${fn} result does not fit in NUMBER(38)`);
}

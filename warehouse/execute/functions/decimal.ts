/**
 * Exact decimal helpers shared by the NUMBER kernels and the casts.
 *
 * Contract: a NUMBER(p,s) value is the scaled integer v * 10^s, held in an 'f64' vector while
 * every |v| <= 2^53 and in a 'dec' (bigint[]) vector otherwise (storage/types/vector.ts).
 * Rounding is always half away from zero, as Snowflake rounds. Kernels compute on doubles
 * while they can prove exactness and come here for the bigint fallback and for turning
 * computed scaled integers back into the right physical form with a range check.
 */
import { allocF64, allocU8 } from '../batch/array-pool.js';
import { DataError } from '../../../storage/errors/firn-error.js';
import { formatDecimal } from '../../../storage/types/value-text.js';
import type { DecVector, F64Vector, Nulls } from '../../../storage/types/vector.js';
import { MAX_EXACT } from '../../../storage/types/vector.js';

/** 10^k as doubles; exact for k <= 22. */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);

const POW10N: bigint[] = [];
/** 10^k as a bigint (cached). */
export function pow10n(k: number): bigint {
  let p = POW10N[k];
  if (p === undefined) {
    p = 10n ** BigInt(k);
    POW10N[k] = p;
  }
  return p;
}

/**
 * Below this magnitude a double holds integers exactly with room for one more step
 * (q * d + r stays under 2^53), which the rounding division below relies on.
 */
export const SAFE_F64 = 2 ** 52;

/**
 * round(n / d), half away from zero, for integers |n| < 2^52 and 0 < |d| < 2^52. The float
 * quotient can be one off near an integer, so the remainder is recomputed and corrected.
 */
export function roundDivF64(n: number, d: number): number {
  const an = n < 0 ? -n : n;
  const ad = d < 0 ? -d : d;
  let q = Math.floor(an / ad);
  let r = an - q * ad;
  if (r < 0) {
    q -= 1;
    r += ad;
  } else if (r >= ad) {
    q += 1;
    r -= ad;
  }
  if (r + r >= ad) q += 1;
  return n < 0 !== d < 0 ? 0 - q : q;
}

/** round(n / d), half away from zero, on bigints; d != 0. */
export function roundDivBig(n: bigint, d: bigint): bigint {
  const negative = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  let q = an / ad;
  const r = an - q * ad;
  if (r + r >= ad) q += 1n;
  return negative ? -q : q;
}

/** floor(n / d) on bigints; d > 0. */
export function floorDivBig(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n < 0n && q * d !== n ? q - 1n : q;
}

/** ceil(n / d) on bigints; d > 0. */
export function ceilDivBig(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n > 0n && q * d !== n ? q + 1n : q;
}

/** Rescales a scaled integer from scale `from` to scale `to`, rounding half away from zero. */
export function rescaleBig(v: bigint, from: number, to: number): bigint {
  if (to === from) return v;
  if (to > from) return v * pow10n(to - from);
  return roundDivBig(v, pow10n(from - to));
}

/** A NUMBER vector's scaled integers as bigints (rows under NULL read as 0n). */
export function toBigints(v: F64Vector | DecVector): bigint[] {
  if (v.kind === 'dec') return v.values;
  const out = new Array<bigint>(v.length);
  const src = v.values;
  const nulls = v.nulls;
  for (let i = 0; i < v.length; i++) out[i] = nulls && nulls[i] ? 0n : BigInt(src[i]);
  return out;
}

/** A NUMBER scalar (bigint by contract; tolerate an integral number) as a bigint. */
export function toBigint(v: bigint | number): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}

export function numberOutOfRange(value: bigint, scale: number, precision: number): DataError {
  return new DataError(
    'NUMERIC_OUT_OF_RANGE',
    `Number out of representable range: type NUMBER(${precision},${scale}), value ${formatDecimal(value, scale)}`,
  );
}

/**
 * Computed scaled integers -> a NUMBER vector: 'f64' when every non-NULL value fits in
 * 2^53, else 'dec'. Throws NUMERIC_OUT_OF_RANGE for a non-NULL |value| >= 10^precision.
 * `tryNulls`, when given, turns out-of-range rows into NULLs instead (TRY_CAST).
 */
export function fromBigints(values: bigint[], nulls: Nulls, precision: number, scale: number, tryNulls = false): F64Vector | DecVector {
  const n = values.length;
  const limit = pow10n(precision);
  const maxExact = BigInt(MAX_EXACT);
  let out = nulls;
  let fits = true;
  for (let i = 0; i < n; i++) {
    if (out && out[i]) continue;
    const v = values[i];
    const a = v < 0n ? -v : v;
    if (a >= limit) {
      if (!tryNulls) throw numberOutOfRange(v, scale, precision);
      if (out === nulls) out = nulls ? nulls.slice() : allocU8(n);
      out![i] = 1;
      continue;
    }
    if (a > maxExact) fits = false;
  }
  if (!fits) return { kind: 'dec', length: n, values, nulls: out };
  const f = allocF64(n);
  for (let i = 0; i < n; i++) f[i] = out && out[i] ? 0 : Number(values[i]);
  return { kind: 'f64', length: n, values: f, nulls: out };
}

/**
 * Checks an 'f64' NUMBER vector against NUMBER(precision): only precisions below 16 can be
 * exceeded by a value under 2^53. Returns the vector, or one with offending rows NULL when
 * `tryNulls`.
 */
export function checkF64Precision(v: F64Vector, precision: number, scale: number, tryNulls = false): F64Vector {
  if (precision >= 16) return v;
  const limit = POW10[precision];
  const src = v.values;
  const nulls = v.nulls;
  let out: Nulls = nulls;
  for (let i = 0; i < v.length; i++) {
    const x = src[i];
    if ((x >= limit || x <= -limit) && !(nulls && nulls[i])) {
      if (!tryNulls) throw numberOutOfRange(BigInt(x), scale, precision);
      if (out === nulls) out = nulls ? nulls.slice() : new Uint8Array(v.length);
      out![i] = 1;
    }
  }
  return out === nulls ? v : { kind: 'f64', length: v.length, values: src, nulls: out };
}

/** An exact double as a scaled integer at `scale`, rounded half away from zero. */
export function floatToScaled(x: number, scale: number): bigint {
  if (Number.isInteger(x)) return BigInt(x) * pow10n(scale);
  // x = mantissa * 2^exponent exactly, with exponent < 0 for a non-integer.
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, x);
  const hi = bits.getUint32(0);
  const lo = bits.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent: number;
  if (biased === 0) {
    exponent = -1074;
  } else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  const scaled = roundDivBig(mantissa * pow10n(scale), 1n << BigInt(-exponent));
  return x < 0 ? -scaled : scaled;
}

/** A scaled integer as the nearest double. */
export function scaledToFloat(v: bigint, scale: number): number {
  if (scale === 0) return Number(v);
  return Number(formatDecimal(v, scale));
}

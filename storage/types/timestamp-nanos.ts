/**
 * TIMESTAMP_NTZ values between their two forms: a 'ts' vector row (whole seconds in a double +
 * nanoseconds of the second, see vector.ts) and a scalar (bigint nanoseconds since the epoch,
 * see scalar.ts), plus truncation to a precision. Scalar conversions allocate a bigint: for
 * single values (constants, zone-map bounds), never per row.
 */
import { NANOS_PER_SECOND } from './vector.js';

const NS = 1_000_000_000n;

/** (secs, nanos) of a 'ts' row -> nanoseconds since the epoch. */
export function tsToNanos(secs: number, nanos: number): bigint {
  return BigInt(secs) * NS + BigInt(nanos);
}

/**
 * Nanoseconds since the epoch -> [secs (floored), nanos 0..999,999,999]. A TIMESTAMP_TZ scalar
 * ('<nanos> <offset>', tzScalar) gives its instant, so comparisons by instant read it directly.
 */
export function nanosToTs(value: bigint | string): [number, number] {
  const ns = typeof value === 'string' ? tzScalarParts(value)[0] : value;
  let s = ns / NS;
  let r = ns - s * NS;
  if (r < 0n) {
    s -= 1n;
    r += NS;
  }
  return [Number(s), Number(r)];
}

/**
 * A TIMESTAMP_TZ scalar: its UTC instant in nanoseconds since the epoch and its own offset in
 * minutes, as the text '<nanos> <offset>' ('1704099600000000000 60'). A string (not a bigint)
 * so that code treating it as an NTZ/LTZ nanosecond bigint fails loudly instead of misreading
 * it; nanosToTs and scalar comparisons read its instant.
 */
export function tzScalar(instantNanos: bigint, offsetMinutes: number): string {
  return `${instantNanos} ${offsetMinutes}`;
}

/** A TIMESTAMP_TZ scalar -> [instant nanoseconds, offset minutes]; a bare bigint/number text is offset 0. */
export function tzScalarParts(v: string | bigint): [bigint, number] {
  if (typeof v === 'bigint') return [v, 0];
  const sp = v.indexOf(' ');
  return sp < 0 ? [BigInt(v), 0] : [BigInt(v.slice(0, sp)), Number(v.slice(sp + 1))];
}

/** Microseconds since the epoch (an exact integer) -> nanoseconds. */
export function microsToNanos(micros: number): bigint {
  return BigInt(Math.round(micros)) * 1000n;
}

const UNIT = Array.from({ length: 10 }, (_, p) => 10 ** (9 - p));

/** Nanoseconds of a second cut to p fraction digits (Snowflake truncates, never rounds up). */
export function truncNanos(nanos: number, p: number): number {
  return p >= 9 ? nanos : nanos - (nanos % UNIT[p]);
}

/** A bigint nanosecond timestamp cut to p fraction digits (towards the past). */
export function truncScalarNanos(ns: bigint, p: number): bigint {
  if (p >= 9) return ns;
  const [s, n] = nanosToTs(ns);
  return tsToNanos(s, truncNanos(n, p));
}

export { NANOS_PER_SECOND };

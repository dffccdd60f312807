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

/** Nanoseconds since the epoch -> [secs (floored), nanos 0..999,999,999]. */
export function nanosToTs(ns: bigint): [number, number] {
  let s = ns / NS;
  let r = ns - s * NS;
  if (r < 0n) {
    s -= 1n;
    r += NS;
  }
  return [Number(s), Number(r)];
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

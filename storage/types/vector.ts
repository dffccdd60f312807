/**
 * Column vectors: the in-memory form every operator and kernel works on.
 *
 * Contract: one physical layout per kind, chosen by the logical type (see data-type.ts).
 * `nulls` is a byte mask (1 = NULL) or null when the vector has no NULLs, so kernels pick a
 * no-null fast path once per vector. Values under a NULL slot are unspecified (usually 0).
 * Vectors are immutable once built; kernels allocate new ones.
 * 'str' vectors are dictionary encoded: codes index into dict; the dict need not be unique
 * (two codes may point at equal strings), so equality is on the strings, not on codes.
 * 'dec' is the wide path of NUMBER when a scaled value does not fit in 2^53.
 * 'ts' is TIMESTAMP_NTZ (and LTZ/TZ, whose secs/nanos are the UTC instant): `secs` whole seconds since 1970-01-01 00:00:00 (floored, an exact
 * integer in a double) and `nanos` the nanoseconds past that second (0..999,999,999), so
 * 1969-12-31 23:59:59.5 is (-1, 500000000). Order is (secs, nanos) lexicographic.
 * Why two arrays: a double of microseconds (the former layout) drops nanoseconds and is exact
 * only within +-285 years of 1970 (2^53 us); an int64 of nanoseconds spans only 1677..2262 and
 * BigInt64Array reads allocate BigInts. Seconds in a double are exact for every year 0001..9999
 * (|secs| < 2^38) and the nanoseconds fit an Int32, so timestamp kernels stay loops over
 * typed arrays, with one extra compare on the rare ties of seconds.
 */
export type Nulls = Uint8Array | null;

export type BoolVector = { kind: 'bool'; length: number; values: Uint8Array; nulls: Nulls };
export type F64Vector = { kind: 'f64'; length: number; values: Float64Array; nulls: Nulls };
export type I32Vector = { kind: 'i32'; length: number; values: Int32Array; nulls: Nulls };
export type DecVector = { kind: 'dec'; length: number; values: bigint[]; nulls: Nulls };
/**
 * `offsets`: TIMESTAMP_TZ only, each value's UTC offset in minutes (secs/nanos hold the UTC
 * instant); absent means 0 for every row. NTZ and LTZ vectors never carry it.
 */
export type TsVector = { kind: 'ts'; length: number; secs: Float64Array; nanos: Int32Array; nulls: Nulls; offsets?: Int16Array };
export type StrVector = { kind: 'str'; length: number; codes: Int32Array; dict: string[]; nulls: Nulls };

export type Vector = BoolVector | F64Vector | I32Vector | DecVector | StrVector | TsVector;

/** A batch of rows: one vector per column, all of the same length. */
export type Batch = { length: number; columns: Vector[] };

/** Largest magnitude a scaled NUMBER may have in an 'f64' vector and stay exact. */
export const MAX_EXACT = 2 ** 53;

/** Nanoseconds in a second: the range of TsVector.nanos is [0, NANOS_PER_SECOND). */
export const NANOS_PER_SECOND = 1_000_000_000;

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
 */
export type Nulls = Uint8Array | null;

export type BoolVector = { kind: 'bool'; length: number; values: Uint8Array; nulls: Nulls };
export type F64Vector = { kind: 'f64'; length: number; values: Float64Array; nulls: Nulls };
export type I32Vector = { kind: 'i32'; length: number; values: Int32Array; nulls: Nulls };
export type DecVector = { kind: 'dec'; length: number; values: bigint[]; nulls: Nulls };
export type StrVector = { kind: 'str'; length: number; codes: Int32Array; dict: string[]; nulls: Nulls };

export type Vector = BoolVector | F64Vector | I32Vector | DecVector | StrVector;

/** A batch of rows: one vector per column, all of the same length. */
export type Batch = { length: number; columns: Vector[] };

/** Largest magnitude a scaled NUMBER may have in an 'f64' vector and stay exact. */
export const MAX_EXACT = 2 ** 53;

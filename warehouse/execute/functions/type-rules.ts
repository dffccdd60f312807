/**
 * Typing rules every function family shares: the shape of a registry entry, argument
 * coercion, the common super type of CASE/COALESCE/IN/UNION branches, and Snowflake's
 * result precision and scale for NUMBER arithmetic.
 *
 * NUMBER arithmetic follows "Scale and precision in arithmetic operations" in
 * https://docs.snowflake.com/en/sql-reference/operators-arithmetic, with L = leading digits
 * (precision - scale) and S = scale of each input:
 *   + and -  L = max(L1, L2) + 1,  S = max(S1, S2)
 *   *        L = L1 + L2,          S = min(S1 + S2, max(S1, S2, 12))
 *   /        L = L1 + S2,          S = max(S1, min(S1 + 6, 12))
 * and precision P = L + S capped at 38 (the scale is kept). For % (MOD) the result cannot
 * exceed either input, so L = min(L1, L2) and S = max(S1, S2).
 */
import { CompilationError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { MAX_PRECISION, Types, isSemiStructured, isTimestamp, timestampPrecision, typeToSql, type TimestampKind } from '../../../storage/types/data-type.js';
import type { Scalar } from '../../../storage/types/scalar.js';
import { canCoerce } from '../cast/cast-rules.js';
import type { Kernel } from './vector-kit.js';

export type Signature = { argTypes: DataType[]; returnType: DataType };

/** Values of the arguments that are literals (undefined for the others), when the binder knows them. */
export type ConstArgs = readonly (Scalar | undefined)[];

export type FunctionDef = {
  /** The stable name kept in BoundExpr calls. */
  name: string;
  aliases?: readonly string[];
  /** Argument types -> the types to cast each argument to, and the result type. */
  resolve: (argTypes: readonly DataType[], consts: ConstArgs) => Signature;
  /** A NULL in any argument makes the result NULL (so a NULL constant skips the kernel). */
  strict: boolean;
  /**
   * A different value on every call (UUID_STRING()): never folded to a constant, by the
   * planner or per batch, and the kernel is asked for all n rows even when every argument is a constant.
   */
  volatile?: boolean;
} & (
  | { kernel: Kernel; lazy?: undefined }
  /** Evaluated lazily by evaluate-expr: later arguments only for the rows that need them. */
  | { kernel?: undefined; lazy: 'coalesce' | 'iff' }
);

export type NumberType = Extract<DataType, { kind: 'NUMBER' }>;

export const INTEGER: NumberType = { kind: 'NUMBER', precision: MAX_PRECISION, scale: 0 };

function typeList(types: readonly DataType[]): string {
  return types.map(typeToSql).join(', ');
}

export function mismatch(fn: string, types: readonly DataType[]): CompilationError {
  return new CompilationError('TYPE_MISMATCH', `SQL compilation error: invalid argument types for function '${fn.toUpperCase()}': (${typeList(types)})`);
}

export function checkArity(fn: string, types: readonly DataType[], min: number, max: number): void {
  if (types.length < min || types.length > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new CompilationError(
      'TYPE_MISMATCH',
      `SQL compilation error: function '${fn.toUpperCase()}' takes ${expected} argument${max === 1 ? '' : 's'}, got ${types.length}`,
    );
  }
}

/** `t` coerced to `target`, or TYPE_MISMATCH naming the function and all argument types. */
export function coerce(fn: string, all: readonly DataType[], t: DataType, target: DataType): DataType {
  if (t.kind === target.kind && t.kind !== 'NUMBER') return t;
  if (!canCoerce(t, target)) throw mismatch(fn, all);
  return target;
}

/** An integer argument (a count, a position, a scale): NUMBER(p,0) as is, others -> NUMBER(38,0). */
export function coerceInteger(fn: string, all: readonly DataType[], t: DataType): DataType {
  if (t.kind === 'NUMBER' && t.scale === 0) return t;
  return coerce(fn, all, t, INTEGER);
}

/** A string argument: VARCHAR as is, anything else -> VARCHAR. */
export function coerceString(fn: string, all: readonly DataType[], t: DataType): DataType {
  if (t.kind === 'VARCHAR') return t;
  return coerce(fn, all, t, Types.varchar);
}

/** NUMBER(leading + scale, scale) with the precision capped at 38. */
export function numberType(leading: number, scale: number): NumberType {
  const s = Math.min(scale, MAX_PRECISION);
  return { kind: 'NUMBER', precision: Math.max(1, Math.min(MAX_PRECISION, leading + s)), scale: s };
}

export function leadingDigits(t: NumberType): number {
  return Math.max(0, t.precision - t.scale);
}

export function addType(a: NumberType, b: NumberType): NumberType {
  return numberType(Math.max(leadingDigits(a), leadingDigits(b)) + 1, Math.max(a.scale, b.scale));
}

export function multiplyType(a: NumberType, b: NumberType): NumberType {
  return numberType(leadingDigits(a) + leadingDigits(b), Math.min(a.scale + b.scale, Math.max(a.scale, b.scale, 12)));
}

export function divideType(a: NumberType, b: NumberType): NumberType {
  return numberType(leadingDigits(a) + b.scale, Math.max(a.scale, Math.min(a.scale + 6, 12)));
}

export function moduloType(a: NumberType, b: NumberType): NumberType {
  return numberType(Math.min(leadingDigits(a), leadingDigits(b)), Math.max(a.scale, b.scale));
}

/**
 * The type both of two branches convert to (CASE, COALESCE, IN lists, UNION), or null:
 * NULL yields to anything; NUMBERs widen to hold both; NUMBER with FLOAT is FLOAT; DATE with
 * TIMESTAMP_NTZ is TIMESTAMP_NTZ (two TIMESTAMP_NTZ or two TIME: the larger precision); a VARCHAR converts to the other side's type (Snowflake's
 * implicit cast of strings). BOOLEAN does not mix with NUMBER, nor DATE with NUMBER. A
 * VARIANT, OBJECT or ARRAY with anything else is VARIANT.
 */
/**
 * Two timestamp kinds' common kind: the same kind as it is; else an instant (LTZ), or TZ when
 * either side is TZ (an NTZ side is read in the session's TIMEZONE).
 */
export function timestampSuperKind(a: DataType, b: DataType): TimestampKind {
  if (a.kind === b.kind) return a.kind as TimestampKind;
  return a.kind === 'TIMESTAMP_TZ' || b.kind === 'TIMESTAMP_TZ' ? 'TIMESTAMP_TZ' : 'TIMESTAMP_LTZ';
}

export function commonSuperType(a: DataType, b: DataType): DataType | null {
  if (a.kind === 'NULL') return b;
  if (b.kind === 'NULL') return a;
  // A semi-structured side makes the result a VARIANT (COALESCE(v:a, 'x'), v:n IN (1, 2)).
  if (isSemiStructured(a) || isSemiStructured(b)) return a.kind === b.kind ? a : Types.variant;
  if (a.kind === 'NUMBER' && b.kind === 'NUMBER') {
    const scale = Math.max(a.scale, b.scale);
    return numberType(Math.max(leadingDigits(a), leadingDigits(b)), scale);
  }
  if (a.kind === 'VARCHAR' && b.kind === 'VARCHAR') {
    if (a.length === undefined || b.length === undefined) return Types.varchar;
    return { kind: 'VARCHAR', length: Math.max(a.length, b.length) };
  }
  if (a.kind === 'BINARY' && b.kind === 'BINARY') {
    if (a.length === undefined || b.length === undefined) return Types.binary;
    return { kind: 'BINARY', length: Math.max(a.length, b.length) };
  }
  if (isTimestamp(a) && isTimestamp(b)) return Types.timestampOf(timestampSuperKind(a, b), Math.max(timestampPrecision(a), timestampPrecision(b)));
  if (a.kind === 'TIME' && b.kind === 'TIME') return Types.time(Math.max(timestampPrecision(a), timestampPrecision(b)));
  if (a.kind === b.kind) return a;
  if ((a.kind === 'NUMBER' && b.kind === 'FLOAT') || (a.kind === 'FLOAT' && b.kind === 'NUMBER')) return Types.float;
  if (a.kind === 'DATE' && isTimestamp(b)) return Types.timestampOf(b.kind);
  if (b.kind === 'DATE' && isTimestamp(a)) return Types.timestampOf(a.kind);
  if (a.kind === 'VARCHAR') return b;
  if (b.kind === 'VARCHAR') return a;
  return null;
}

/** The common super type of several types, or TYPE_MISMATCH naming `fn`. */
export function commonTypeOf(fn: string, types: readonly DataType[]): DataType {
  let t: DataType = Types.null;
  for (const u of types) {
    const c = commonSuperType(t, u);
    if (!c) throw mismatch(fn, types);
    t = c;
  }
  return t;
}

/**
 * Snowflake's NULL- and zero-handling shorthands: NULLIFZERO, DIV0, DIV0NULL, and the numeric
 * Boolean functions BOOLAND, BOOLOR, BOOLXOR, BOOLNOT. (ZEROIFNULL, NVL, NVL2, IFF and DECODE
 * are in conditional.ts; EQUAL_NULL is IS NOT DISTINCT FROM, in comparison.ts.)
 *
 * Why: dbt models guard ratios with DIV0 and flags with BOOLAND/BOOLOR; each is a small CASE
 * whose NULL rules are easy to get wrong by hand.
 *
 * Contract:
 *  - NULLIFZERO(x) is NULL where x = 0, else x (its type kept).
 *  - DIV0(a, b) is a / b typed as division is (type-rules.ts), but 0 where b = 0, whatever a
 *    is (even NULL); DIV0NULL(a, b) is 0 also where b is NULL. Elsewhere a NULL gives NULL.
 *  - BOOLAND / BOOLOR / BOOLXOR / BOOLNOT take numbers (a string is read as a FLOAT): non-zero
 *    is TRUE, zero FALSE, and the result is a BOOLEAN by three-valued logic: BOOLAND is FALSE
 *    when either side is zero even if the other is NULL, BOOLOR TRUE when either is non-zero;
 *    BOOLXOR and BOOLNOT are NULL for any NULL.
 */
import { allocF64, allocU8 } from '../batch/array-pool.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { divideKernel, resolveNumericBinary } from './arithmetic.js';
import { POW10, pow10n, toBigints } from './decimal.js';
import { INTEGER, checkArity, coerce, divideType, type FunctionDef, type Signature } from './type-rules.js';
import { constOf, isConst, materialize, nullsOf, type Val } from './vector-kit.js';

/** The rows (1) where a NUMBER or FLOAT value is zero and not NULL. */
function zeroRows(v: Vector, n: number): Uint8Array {
  const out = allocU8(n);
  const nulls = v.nulls;
  if (v.kind === 'dec') {
    for (let i = 0; i < n; i++) out[i] = v.values[i] === 0n && !(nulls && nulls[i]) ? 1 : 0;
  } else if (v.kind === 'f64') {
    const x = v.values;
    for (let i = 0; i < n; i++) out[i] = x[i] === 0 && !(nulls && nulls[i]) ? 1 : 0;
  }
  return out;
}

/** A number type for an argument that must be numeric: NUMBER/FLOAT kept, NULL an INTEGER, others read as FLOAT. */
function numericArg(fn: string, all: readonly DataType[], t: DataType): DataType {
  if (t.kind === 'NUMBER' || t.kind === 'FLOAT') return t;
  if (t.kind === 'NULL') return INTEGER;
  return coerce(fn, all, t, Types.float);
}

// ---------------------------------------------------------------------------------------
// NULLIFZERO

function nullIfZeroKernel(args: Val[], argTypes: readonly DataType[], _type: DataType, n: number): Val {
  const v = materialize(args[0], argTypes[0], n);
  const zero = zeroRows(v, n);
  const nulls = allocU8(n);
  let any = false;
  for (let i = 0; i < n; i++) {
    nulls[i] = zero[i] | (v.nulls ? v.nulls[i] : 0);
    any ||= nulls[i] === 1;
  }
  return { ...v, nulls: any ? nulls : null } as Vector;
}

function resolveNullIfZero(types: readonly DataType[]): Signature {
  checkArity('nullifzero', types, 1, 1);
  const t = numericArg('nullifzero', types, types[0]);
  return { argTypes: [t], returnType: t };
}

// ---------------------------------------------------------------------------------------
// DIV0, DIV0NULL

function div0Kernel(nullIsZero: boolean) {
  return (args: Val[], argTypes: readonly DataType[], type: DataType, n: number): Val => {
    const b = materialize(args[1], argTypes[1], n);
    const zero = zeroRows(b, n);
    const bNulls = b.nulls;
    if (nullIsZero && bNulls) for (let i = 0; i < n; i++) zero[i] |= bNulls[i];
    let count = 0;
    for (let i = 0; i < n; i++) count += zero[i];
    const a = materialize(args[0], argTypes[0], n);
    if (count === 0) return divideKernel([a, b], argTypes, type, n);
    // Divide by 1 where the divisor is 0 (or NULL for DIV0NULL), then write 0 there.
    let divisor: Vector;
    const divisorNulls = bNulls ? bNulls.slice(0, n) : null;
    if (divisorNulls) for (let i = 0; i < n; i++) if (zero[i]) divisorNulls[i] = 0;
    const scale = argTypes[1].kind === 'NUMBER' ? argTypes[1].scale : 0;
    if (b.kind === 'dec' || scale > 15) {
      // 1 at the divisor's scale is 10^scale, past exact doubles for large scales.
      const values = b.kind === 'dec' ? b.values.slice(0, n) : toBigints(b as Extract<Vector, { kind: 'f64' }>);
      for (let i = 0; i < n; i++) if (zero[i]) values[i] = pow10n(scale);
      divisor = { kind: 'dec', length: n, values, nulls: divisorNulls };
    } else {
      const one = POW10[scale];
      const values = allocF64(n);
      const src = (b as Extract<Vector, { kind: 'f64' }>).values;
      for (let i = 0; i < n; i++) values[i] = zero[i] ? one : src[i];
      divisor = { kind: 'f64', length: n, values, nulls: divisorNulls };
    }
    const q = materialize(divideKernel([a, divisor], argTypes, type, n), type, n);
    const nulls = nullsOf(q, n);
    const outNulls = nulls ? nulls.slice(0, n) : null;
    if (outNulls) for (let i = 0; i < n; i++) if (zero[i]) outNulls[i] = 0;
    if (q.kind === 'dec') {
      const values = q.values.slice(0, n);
      for (let i = 0; i < n; i++) if (zero[i]) values[i] = 0n;
      return { kind: 'dec', length: n, values, nulls: outNulls };
    }
    const src = (q as Extract<Vector, { kind: 'f64' }>).values;
    const values = allocF64(n);
    for (let i = 0; i < n; i++) values[i] = zero[i] ? 0 : src[i];
    return { kind: 'f64', length: n, values, nulls: outNulls };
  };
}

function resolveDiv0(fn: string) {
  return (types: readonly DataType[]): Signature => {
    checkArity(fn, types, 2, 2);
    return resolveNumericBinary(fn, types, divideType);
  };
}

// ---------------------------------------------------------------------------------------
// BOOLAND, BOOLOR, BOOLXOR, BOOLNOT

/** Per row: 1 non-zero, 0 zero, -1 NULL. */
function truthOf(v: Val, type: DataType, n: number): Int8Array {
  const out = new Int8Array(n);
  if (isConst(v)) return out.fill(v.value === null ? -1 : Number(v.value) !== 0 ? 1 : 0);
  const m = materialize(v, type, n);
  const nulls = m.nulls;
  if (m.kind === 'dec') for (let i = 0; i < n; i++) out[i] = m.values[i] !== 0n ? 1 : 0;
  else {
    const x = (m as Extract<Vector, { kind: 'f64' }>).values;
    for (let i = 0; i < n; i++) out[i] = x[i] !== 0 ? 1 : 0;
  }
  if (nulls) for (let i = 0; i < n; i++) if (nulls[i]) out[i] = -1;
  return out;
}

const BoolOp = { AND: 'and', OR: 'or', XOR: 'xor', NOT: 'not' } as const;
type BoolOp = (typeof BoolOp)[keyof typeof BoolOp];

/** One row's three-valued result (1, 0 or -1 for NULL). */
function combine(op: BoolOp, a: number, b: number): number {
  switch (op) {
    case BoolOp.AND:
      return a === 0 || b === 0 ? 0 : a < 0 || b < 0 ? -1 : 1;
    case BoolOp.OR:
      return a === 1 || b === 1 ? 1 : a < 0 || b < 0 ? -1 : 0;
    case BoolOp.XOR:
      return a < 0 || b < 0 ? -1 : a !== b ? 1 : 0;
    case BoolOp.NOT:
      return a < 0 ? -1 : 1 - a;
  }
}

function boolKernel(op: BoolOp) {
  return (args: Val[], argTypes: readonly DataType[], _type: DataType, n: number): Val => {
    const a = truthOf(args[0], argTypes[0], n);
    const b = op === BoolOp.NOT ? a : truthOf(args[1], argTypes[1], n);
    if (args.every(isConst)) {
      const r = combine(op, a[0] ?? -1, b[0] ?? -1);
      return constOf(r < 0 ? null : r === 1);
    }
    const values = allocU8(n);
    let nulls: Uint8Array | null = null;
    for (let i = 0; i < n; i++) {
      const r = combine(op, a[i], b[i]);
      if (r < 0) {
        nulls ??= allocU8(n);
        nulls[i] = 1;
      } else values[i] = r;
    }
    return { kind: 'bool', length: n, values, nulls };
  };
}

function resolveBool(fn: string, arity: number) {
  return (types: readonly DataType[]): Signature => {
    checkArity(fn, types, arity, arity);
    return { argTypes: types.map((t) => numericArg(fn, types, t)), returnType: Types.boolean };
  };
}

export const nullHandlingFunctions: FunctionDef[] = [
  { name: 'nullifzero', resolve: resolveNullIfZero, kernel: nullIfZeroKernel, strict: true },
  { name: 'div0', resolve: resolveDiv0('div0'), kernel: div0Kernel(false), strict: false },
  { name: 'div0null', resolve: resolveDiv0('div0null'), kernel: div0Kernel(true), strict: false },
  { name: 'booland', resolve: resolveBool('booland', 2), kernel: boolKernel(BoolOp.AND), strict: false },
  { name: 'boolor', resolve: resolveBool('boolor', 2), kernel: boolKernel(BoolOp.OR), strict: false },
  { name: 'boolxor', resolve: resolveBool('boolxor', 2), kernel: boolKernel(BoolOp.XOR), strict: true },
  { name: 'boolnot', resolve: resolveBool('boolnot', 1), kernel: boolKernel(BoolOp.NOT), strict: true },
];

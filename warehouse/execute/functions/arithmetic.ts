/**
 * Arithmetic and numeric functions: + - * / % (add, subtract, multiply, divide, modulo),
 * unary minus (negate), ABS, ROUND, FLOOR, CEIL, TRUNC / TRUNCATE, SQRT, LN, EXP, POWER, and
 * DATE +/- days. TRUNC of a DATE or TIMESTAMP with a part name, TRUNC(d, 'MONTH'), is
 * Snowflake's other spelling of DATE_TRUNC('MONTH', d).
 *
 * Contract: NUMBER arithmetic is exact. 'f64' inputs hold scaled integers; each kernel runs
 * one tight loop over doubles and proves every intermediate stays under 2^53 with a per-row
 * compare (the loop bails out on the first row that does not), falling back to bigints for
 * that vector. Results go back to 'f64' whenever they fit. Multiplication and division round
 * half away from zero at the result scale; division by zero (on a non-NULL row) raises
 * DIVISION_BY_ZERO; a result beyond the result precision raises NUMERIC_OUT_OF_RANGE.
 * FLOAT arithmetic is IEEE double arithmetic (division by zero still raises).
 */
import { allocF64 } from '../batch/array-pool.js';
import { DataError, InternalError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { Types } from '../../../storage/types/data-type.js';
import type { DecVector, F64Vector, I32Vector, Nulls, Vector } from '../../../storage/types/vector.js';
import { MAX_EXACT } from '../../../storage/types/vector.js';
import {
  POW10,
  SAFE_F64,
  ceilDivBig,
  floorDivBig,
  fromBigints,
  pow10n,
  rescaleBig,
  roundDivBig,
  roundDivF64,
  toBigint,
  toBigints,
} from './decimal.js';
import { parseDatePart } from './civil-date.js';
import { dateTruncKernel } from './date.js';
import { toDays } from './datetime-range.js';
import {
  INTEGER,
  addType,
  checkArity,
  coerce,
  coerceInteger,
  coerceString,
  divideType,
  mismatch,
  moduloType,
  multiplyType,
  numberType,
  leadingDigits,
  type ConstArgs,
  type FunctionDef,
  type NumberType,
  type Signature,
} from './type-rules.js';
import { anyRow, constParam, expectKind, isConst, nullsOf, orNulls, type Val } from './vector-kit.js';

const MAX = MAX_EXACT;

function divisionByZero(): DataError {
  return new DataError('DIVISION_BY_ZERO', 'Division by zero');
}

// ---------------------------------------------------------------------------------------
// Typing

/** The numeric type an operand is computed in: VARCHAR -> FLOAT, NULL -> the other side's. */
export function numericOperand(fn: string, all: readonly DataType[], t: DataType, other: DataType | null): DataType {
  switch (t.kind) {
    case 'NUMBER':
    case 'FLOAT':
      return t;
    case 'VARCHAR':
    case 'VARIANT':
      return Types.float;
    case 'NULL':
      return other && (other.kind === 'NUMBER' || other.kind === 'FLOAT') ? other : other?.kind === 'VARCHAR' ? Types.float : INTEGER;
    default:
      throw mismatch(fn, all);
  }
}

export function resolveNumericBinary(fn: string, types: readonly DataType[], numberRule: (a: NumberType, b: NumberType) => NumberType): Signature {
  checkArity(fn, types, 2, 2);
  const a = numericOperand(fn, types, types[0], types[1]);
  const b = numericOperand(fn, types, types[1], types[0]);
  if (a.kind === 'FLOAT' || b.kind === 'FLOAT') return { argTypes: [Types.float, Types.float], returnType: Types.float };
  return { argTypes: [a, b], returnType: numberRule(a as NumberType, b as NumberType) };
}

function resolveAdd(types: readonly DataType[]): Signature {
  checkArity('add', types, 2, 2);
  const [a, b] = types;
  if (a.kind === 'DATE' && b.kind !== 'DATE') return { argTypes: [a, coerceInteger('add', types, b)], returnType: Types.date };
  if (b.kind === 'DATE' && a.kind !== 'DATE') return { argTypes: [coerceInteger('add', types, a), b], returnType: Types.date };
  return resolveNumericBinary('add', types, addType);
}

function resolveSubtract(types: readonly DataType[]): Signature {
  checkArity('subtract', types, 2, 2);
  const [a, b] = types;
  if (a.kind === 'DATE' && (b.kind === 'DATE' || b.kind === 'VARCHAR')) return { argTypes: [a, Types.date], returnType: INTEGER };
  if (a.kind === 'DATE') return { argTypes: [a, coerceInteger('subtract', types, b)], returnType: Types.date };
  return resolveNumericBinary('subtract', types, addType);
}

export function resolveUnaryNumeric(fn: string, types: readonly DataType[]): Signature {
  checkArity(fn, types, 1, 1);
  const a = numericOperand(fn, types, types[0], null);
  return { argTypes: [a], returnType: a };
}

export function resolveFloatFn(fn: string, arity: number) {
  return (types: readonly DataType[]): Signature => {
    checkArity(fn, types, arity, arity);
    return { argTypes: types.map((t) => coerce(fn, types, t, Types.float)), returnType: Types.float };
  };
}

/** ROUND/FLOOR/CEIL(x [, scale]): the result scale is min(S, max(scale, 0)) when scale is a literal. */
function resolveRounding(fn: string) {
  return (types: readonly DataType[], consts: ConstArgs): Signature => {
    checkArity(fn, types, 1, 2);
    const x = numericOperand(fn, types, types[0], null);
    const argTypes: DataType[] = [x];
    if (types.length === 2) argTypes.push(coerceInteger(fn, types, types[1]));
    if (x.kind === 'FLOAT') return { argTypes, returnType: x };
    const t = x as NumberType;
    const digits = types.length === 2 ? consts[1] : 0n;
    let scale = t.scale;
    if (digits !== undefined && digits !== null) scale = Math.min(t.scale, Math.max(Number(digits), 0));
    return { argTypes, returnType: numberType(leadingDigits(t) + 1, scale) };
  };
}

// ---------------------------------------------------------------------------------------
// Operand access

type NumberVal = F64Vector | DecVector | { kind: 'const'; value: bigint };

function scaleOf(t: DataType): number {
  return t.kind === 'NUMBER' ? t.scale : 0;
}

/** A NUMBER constant rescaled by 10^k, as an exact double, or null when it does not fit. */
function scaledConst(c: bigint, k: number): number | null {
  const v = c * pow10n(k);
  return v < BigInt(MAX) && v > -BigInt(MAX) ? Number(v) : null;
}

function asNumberVal(v: Val): NumberVal {
  if (isConst(v)) return { kind: 'const', value: toBigint(v.value as bigint | number) };
  if (v.kind !== 'f64' && v.kind !== 'dec') throw new InternalError(`NUMBER operand is a '${v.kind}' vector`);
  return v;
}

/** Row i of a NUMBER operand as a bigint (the fallback path). */
function bigReader(v: NumberVal): (i: number) => bigint {
  if (v.kind === 'const') {
    const c = v.value;
    return () => c;
  }
  const values = toBigints(v);
  return (i) => values[i];
}

function f64Values(v: Val, what: string): Float64Array {
  if (isConst(v)) throw new InternalError(`${what}: unexpected constant`);
  return expectKind(v, 'f64', what).values;
}

// ---------------------------------------------------------------------------------------
// NUMBER + and -

/** out = x*mx + y*my over doubles; false as soon as a row leaves the exact range. */
function addVV(x: Float64Array, mx: number, y: Float64Array, my: number, out: Float64Array, n: number): boolean {
  if (mx === 1 && my === 1) {
    // Simple version: for each i, out[i] = x[i] + y[i], checking |out[i]| < 2^53.
    for (let i = 0; i < n; i++) {
      const r = x[i] + y[i];
      out[i] = r;
      if (r >= MAX || r <= -MAX) return false;
    }
    return true;
  }
  if (mx === 1 && my === -1) {
    for (let i = 0; i < n; i++) {
      const r = x[i] - y[i];
      out[i] = r;
      if (r >= MAX || r <= -MAX) return false;
    }
    return true;
  }
  if (mx === 1) {
    // Only y is rescaled (or negated): out[i] = x[i] + y[i] * my.
    for (let i = 0; i < n; i++) {
      const q = y[i] * my;
      const r = x[i] + q;
      out[i] = r;
      if (q >= MAX || q <= -MAX || r >= MAX || r <= -MAX) return false;
    }
    return true;
  }
  for (let i = 0; i < n; i++) {
    const p = x[i] * mx;
    const q = y[i] * my;
    const r = p + q;
    out[i] = r;
    if (p >= MAX || p <= -MAX || q >= MAX || q <= -MAX || r >= MAX || r <= -MAX) return false;
  }
  return true;
}

/** out = x*mx + c; false as soon as a row leaves the exact range. */
function addVC(x: Float64Array, mx: number, c: number, out: Float64Array, n: number): boolean {
  if (mx === 1) {
    for (let i = 0; i < n; i++) {
      const r = x[i] + c;
      out[i] = r;
      if (r >= MAX || r <= -MAX) return false;
    }
    return true;
  }
  if (mx === -1) {
    for (let i = 0; i < n; i++) {
      const r = c - x[i];
      out[i] = r;
      if (r >= MAX || r <= -MAX) return false;
    }
    return true;
  }
  for (let i = 0; i < n; i++) {
    const p = x[i] * mx;
    const r = p + c;
    out[i] = r;
    if (p >= MAX || p <= -MAX || r >= MAX || r <= -MAX) return false;
  }
  return true;
}

function numberAddSub(args: Val[], argTypes: readonly DataType[], type: NumberType, n: number, subtract: boolean): Val {
  const a = asNumberVal(args[0]);
  const b = asNumberVal(args[1]);
  const sa = scaleOf(argTypes[0]);
  const sb = scaleOf(argTypes[1]);
  const s = type.scale;
  const nulls = orNulls(nullsOf(args[0], n), nullsOf(args[1], n), n);
  const sign = subtract ? -1 : 1;
  if (a.kind !== 'dec' && b.kind !== 'dec' && s - sa <= 22 && s - sb <= 22) {
    const out = allocF64(n);
    let ok = false;
    if (a.kind === 'const') {
      const c = scaledConst(a.value, s - sa);
      if (c !== null && b.kind === 'f64') ok = addVC(b.values, POW10[s - sb] * sign, c, out, n);
    } else if (b.kind === 'const') {
      const c = scaledConst(b.value, s - sb);
      if (c !== null) ok = addVC(a.values, POW10[s - sa], c * sign, out, n);
    } else {
      ok = addVV(a.values, POW10[s - sa], b.values, POW10[s - sb] * sign, out, n);
    }
    if (ok) return { kind: 'f64', length: n, values: out, nulls };
  }
  const x = bigReader(a);
  const y = bigReader(b);
  const ma = pow10n(s - sa);
  const mb = pow10n(s - sb);
  const out = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    if (nulls && nulls[i]) {
      out[i] = 0n;
      continue;
    }
    out[i] = subtract ? x(i) * ma - y(i) * mb : x(i) * ma + y(i) * mb;
  }
  return fromBigints(out, nulls, type.precision, s);
}

// ---------------------------------------------------------------------------------------
// NUMBER *

function numberMultiply(args: Val[], argTypes: readonly DataType[], type: NumberType, n: number): Val {
  const a = asNumberVal(args[0]);
  const b = asNumberVal(args[1]);
  const raw = scaleOf(argTypes[0]) + scaleOf(argTypes[1]);
  const s = type.scale;
  const drop = raw - s;
  const nulls = orNulls(nullsOf(args[0], n), nullsOf(args[1], n), n);
  if (a.kind !== 'dec' && b.kind !== 'dec' && drop >= 0 && drop <= 15) {
    const out = allocF64(n);
    let ok = true;
    const vec = a.kind === 'f64' ? a : (b as F64Vector);
    const other = a.kind === 'f64' ? b : a;
    const x = vec.values;
    if (other.kind === 'const') {
      const c = other.value;
      if (c >= BigInt(MAX) || c <= -BigInt(MAX)) ok = false;
      const k = Number(c);
      if (ok && drop === 0) {
        // Simple version: out[i] = x[i] * k, checking |out[i]| < 2^53.
        for (let i = 0; i < n; i++) {
          const r = x[i] * k;
          out[i] = r;
          if (r >= MAX || r <= -MAX) {
            ok = false;
            break;
          }
        }
      } else if (ok) {
        const d = POW10[drop];
        for (let i = 0; i < n; i++) {
          const r = x[i] * k;
          if (r >= SAFE_F64 || r <= -SAFE_F64) {
            ok = false;
            break;
          }
          out[i] = roundDivF64(r, d);
        }
      }
    } else {
      const y = (other as F64Vector).values;
      if (drop === 0) {
        for (let i = 0; i < n; i++) {
          const r = x[i] * y[i];
          out[i] = r;
          if (r >= MAX || r <= -MAX) {
            ok = false;
            break;
          }
        }
      } else {
        const d = POW10[drop];
        for (let i = 0; i < n; i++) {
          const r = x[i] * y[i];
          if (r >= SAFE_F64 || r <= -SAFE_F64) {
            ok = false;
            break;
          }
          out[i] = roundDivF64(r, d);
        }
      }
    }
    if (ok) return { kind: 'f64', length: n, values: out, nulls };
  }
  const x = bigReader(a);
  const y = bigReader(b);
  const out = new Array<bigint>(n);
  for (let i = 0; i < n; i++) out[i] = nulls && nulls[i] ? 0n : rescaleBig(x(i) * y(i), raw, s);
  return fromBigints(out, nulls, type.precision, s);
}

// ---------------------------------------------------------------------------------------
// NUMBER /

function numberDivide(args: Val[], argTypes: readonly DataType[], type: NumberType, n: number): Val {
  const a = asNumberVal(args[0]);
  const b = asNumberVal(args[1]);
  const sa = scaleOf(argTypes[0]);
  const sb = scaleOf(argTypes[1]);
  const s = type.scale;
  // result * 10^-s = (x * 10^-sa) / (y * 10^-sb)  =>  result = round(x * 10^(s - sa + sb) / y)
  const k = s - sa + sb;
  const nulls = orNulls(nullsOf(args[0], n), nullsOf(args[1], n), n);
  if (b.kind === 'const' && b.value === 0n && anyRow(nulls, n)) throw divisionByZero();
  if (a.kind !== 'dec' && b.kind !== 'dec' && k >= 0 && k <= 22) {
    const m = POW10[k];
    const out = allocF64(n);
    let ok = true;
    if (b.kind === 'const') {
      const y = Number(b.value);
      if (y >= SAFE_F64 || y <= -SAFE_F64 || y === 0) ok = false;
      const x = (a as F64Vector).values;
      for (let i = 0; ok && i < n; i++) {
        const num = x[i] * m;
        if (num >= SAFE_F64 || num <= -SAFE_F64) ok = false;
        else out[i] = roundDivF64(num, y);
      }
    } else {
      const y = b.values;
      let numConst = 0;
      if (a.kind === 'const') {
        const c = scaledConst(a.value, k);
        if (c === null || c >= SAFE_F64 || c <= -SAFE_F64) ok = false;
        else numConst = c;
      }
      const x = a.kind === 'const' ? null : a.values;
      for (let i = 0; ok && i < n; i++) {
        const d = y[i];
        if (d === 0) {
          if (!(nulls && nulls[i])) throw divisionByZero();
          out[i] = 0;
          continue;
        }
        const num = x ? x[i] * m : numConst;
        if (num >= SAFE_F64 || num <= -SAFE_F64 || d >= SAFE_F64 || d <= -SAFE_F64) ok = false;
        else out[i] = roundDivF64(num, d);
      }
    }
    if (ok) return { kind: 'f64', length: n, values: out, nulls };
  }
  const x = bigReader(a);
  const y = bigReader(b);
  const out = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    if (nulls && nulls[i]) {
      out[i] = 0n;
      continue;
    }
    const d = y(i);
    if (d === 0n) throw divisionByZero();
    out[i] = k >= 0 ? roundDivBig(x(i) * pow10n(k), d) : roundDivBig(x(i), d * pow10n(-k));
  }
  return fromBigints(out, nulls, type.precision, s);
}

// ---------------------------------------------------------------------------------------
// NUMBER %

function numberModulo(args: Val[], argTypes: readonly DataType[], type: NumberType, n: number): Val {
  const a = asNumberVal(args[0]);
  const b = asNumberVal(args[1]);
  const s = type.scale;
  const sa = scaleOf(argTypes[0]);
  const sb = scaleOf(argTypes[1]);
  const nulls = orNulls(nullsOf(args[0], n), nullsOf(args[1], n), n);
  if (b.kind === 'const' && b.value === 0n && anyRow(nulls, n)) throw divisionByZero();
  if (a.kind === 'f64' && b.kind !== 'dec' && s - sa <= 22 && s - sb <= 22) {
    const ma = POW10[s - sa];
    const mb = POW10[s - sb];
    const x = a.values;
    const out = allocF64(n);
    let ok = true;
    const c = b.kind === 'const' ? scaledConst(b.value, s - sb) : 0;
    if (c === null) ok = false;
    const y = b.kind === 'f64' ? b.values : null;
    for (let i = 0; ok && i < n; i++) {
      const p = x[i] * ma;
      const q = y ? y[i] * mb : (c as number);
      if (q === 0) {
        if (!(nulls && nulls[i])) throw divisionByZero();
        out[i] = 0;
        continue;
      }
      if (p >= MAX || p <= -MAX || q >= MAX || q <= -MAX) ok = false;
      else out[i] = p % q;
    }
    if (ok) return { kind: 'f64', length: n, values: out, nulls };
  }
  const x = bigReader(a);
  const y = bigReader(b);
  const out = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    if (nulls && nulls[i]) {
      out[i] = 0n;
      continue;
    }
    const d = y(i) * pow10n(s - sb);
    if (d === 0n) throw divisionByZero();
    out[i] = (x(i) * pow10n(s - sa)) % d;
  }
  return fromBigints(out, nulls, type.precision, s);
}

// ---------------------------------------------------------------------------------------
// FLOAT binary operators

export const FloatOp = { ADD: 0, SUB: 1, MUL: 2, DIV: 3, MOD: 4, POW: 5 } as const;
type FloatOp = (typeof FloatOp)[keyof typeof FloatOp];

export function floatBinary(args: Val[], n: number, op: FloatOp): Val {
  const nulls = orNulls(nullsOf(args[0], n), nullsOf(args[1], n), n);
  const x = isConst(args[0]) ? null : f64Values(args[0], 'FLOAT');
  const y = isConst(args[1]) ? null : f64Values(args[1], 'FLOAT');
  const cx = isConst(args[0]) ? Number(args[0].value) : 0;
  const cy = isConst(args[1]) ? Number(args[1].value) : 0;
  const out = allocF64(n);
  if ((op === FloatOp.DIV || op === FloatOp.MOD) && (y ? hasZeroDivisor(y, nulls, n) : cy === 0 && anyRow(nulls, n))) throw divisionByZero();
  switch (op) {
    case FloatOp.ADD:
      if (x && y) for (let i = 0; i < n; i++) out[i] = x[i] + y[i];
      else if (x) for (let i = 0; i < n; i++) out[i] = x[i] + cy;
      else for (let i = 0; i < n; i++) out[i] = cx + y![i];
      break;
    case FloatOp.SUB:
      if (x && y) for (let i = 0; i < n; i++) out[i] = x[i] - y[i];
      else if (x) for (let i = 0; i < n; i++) out[i] = x[i] - cy;
      else for (let i = 0; i < n; i++) out[i] = cx - y![i];
      break;
    case FloatOp.MUL:
      if (x && y) for (let i = 0; i < n; i++) out[i] = x[i] * y[i];
      else if (x) for (let i = 0; i < n; i++) out[i] = x[i] * cy;
      else for (let i = 0; i < n; i++) out[i] = cx * y![i];
      break;
    case FloatOp.DIV:
      if (x && y) for (let i = 0; i < n; i++) out[i] = x[i] / y[i];
      else if (x) for (let i = 0; i < n; i++) out[i] = x[i] / cy;
      else for (let i = 0; i < n; i++) out[i] = cx / y![i];
      break;
    case FloatOp.MOD:
      if (x && y) for (let i = 0; i < n; i++) out[i] = x[i] % y[i];
      else if (x) for (let i = 0; i < n; i++) out[i] = x[i] % cy;
      else for (let i = 0; i < n; i++) out[i] = cx % y![i];
      break;
    case FloatOp.POW:
      for (let i = 0; i < n; i++) out[i] = Math.pow(x ? x[i] : cx, y ? y[i] : cy);
      break;
  }
  return { kind: 'f64', length: n, values: out, nulls };
}

function hasZeroDivisor(y: Float64Array, nulls: Nulls, n: number): boolean {
  for (let i = 0; i < n; i++) if (y[i] === 0 && !(nulls && nulls[i])) return true;
  return false;
}

// ---------------------------------------------------------------------------------------
// DATE +/- days (range-checked, datetime-range.ts), DATE - DATE

function intOperand(v: Val, n: number): Float64Array | number {
  if (isConst(v)) return Number(v.value as bigint);
  if (v.kind === 'dec') {
    const out = allocF64(n);
    for (let i = 0; i < n; i++) out[i] = Number(v.values[i]);
    return out;
  }
  return f64Values(v, 'DATE arithmetic');
}

function dateShift(dates: Val, days: Val, n: number, sign: number): I32Vector {
  const nulls = orNulls(nullsOf(dates, n), nullsOf(days, n), n);
  const k = intOperand(days, n);
  // Computed on doubles and range-checked before they become Int32 day counts.
  const out = allocF64(n);
  if (isConst(dates)) {
    const d = Number(dates.value);
    if (typeof k === 'number') out.fill(d + sign * k);
    else for (let i = 0; i < n; i++) out[i] = d + sign * k[i];
  } else {
    const d = expectKind(dates, 'i32', 'DATE arithmetic').values;
    if (typeof k === 'number') for (let i = 0; i < n; i++) out[i] = d[i] + sign * k;
    else for (let i = 0; i < n; i++) out[i] = d[i] + sign * k[i];
  }
  return { kind: 'i32', length: n, values: toDays(out, nulls, n, sign > 0 ? 'DATE + integer' : 'DATE - integer'), nulls };
}

function dateDiffDays(a: Val, b: Val, n: number): F64Vector {
  const nulls = orNulls(nullsOf(a, n), nullsOf(b, n), n);
  const out = allocF64(n);
  const x = isConst(a) ? null : expectKind(a, 'i32', 'DATE - DATE').values;
  const y = isConst(b) ? null : expectKind(b, 'i32', 'DATE - DATE').values;
  const cx = isConst(a) ? Number(a.value) : 0;
  const cy = isConst(b) ? Number(b.value) : 0;
  for (let i = 0; i < n; i++) out[i] = (x ? x[i] : cx) - (y ? y[i] : cy);
  return { kind: 'f64', length: n, values: out, nulls };
}

// ---------------------------------------------------------------------------------------
// Kernels

function addKernel(args: Val[], argTypes: readonly DataType[], type: DataType, n: number): Val {
  if (argTypes[0].kind === 'DATE') return dateShift(args[0], args[1], n, 1);
  if (argTypes[1].kind === 'DATE') return dateShift(args[1], args[0], n, 1);
  if (type.kind === 'FLOAT') return floatBinary(args, n, FloatOp.ADD);
  return numberAddSub(args, argTypes, type as NumberType, n, false);
}

function subtractKernel(args: Val[], argTypes: readonly DataType[], type: DataType, n: number): Val {
  if (argTypes[0].kind === 'DATE') return argTypes[1].kind === 'DATE' ? dateDiffDays(args[0], args[1], n) : dateShift(args[0], args[1], n, -1);
  if (type.kind === 'FLOAT') return floatBinary(args, n, FloatOp.SUB);
  return numberAddSub(args, argTypes, type as NumberType, n, true);
}

export function multiplyKernel(args: Val[], argTypes: readonly DataType[], type: DataType, n: number): Val {
  if (type.kind === 'FLOAT') return floatBinary(args, n, FloatOp.MUL);
  return numberMultiply(args, argTypes, type as NumberType, n);
}

export function divideKernel(args: Val[], argTypes: readonly DataType[], type: DataType, n: number): Val {
  if (type.kind === 'FLOAT') return floatBinary(args, n, FloatOp.DIV);
  return numberDivide(args, argTypes, type as NumberType, n);
}

function moduloKernel(args: Val[], argTypes: readonly DataType[], type: DataType, n: number): Val {
  if (type.kind === 'FLOAT') return floatBinary(args, n, FloatOp.MOD);
  return numberModulo(args, argTypes, type as NumberType, n);
}

function negateKernel(args: Val[], _argTypes: readonly DataType[], _type: DataType, n: number): Val {
  const v = args[0] as Vector;
  if (v.kind === 'dec') return { kind: 'dec', length: n, values: v.values.map((x) => -x), nulls: v.nulls };
  const x = expectKind(v, 'f64', 'negate').values;
  const out = allocF64(n);
  for (let i = 0; i < n; i++) out[i] = -x[i];
  return { kind: 'f64', length: n, values: out, nulls: v.nulls };
}

function absKernel(args: Val[], _argTypes: readonly DataType[], _type: DataType, n: number): Val {
  const v = args[0] as Vector;
  if (v.kind === 'dec') return { kind: 'dec', length: n, values: v.values.map((x) => (x < 0n ? -x : x)), nulls: v.nulls };
  const x = expectKind(v, 'f64', 'abs').values;
  const out = allocF64(n);
  for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]);
  return { kind: 'f64', length: n, values: out, nulls: v.nulls };
}

const RoundMode = { HALF_AWAY: 0, FLOOR: 1, CEIL: 2, TRUNC: 3 } as const;
type RoundMode = (typeof RoundMode)[keyof typeof RoundMode];

/** x / d for integers |x| < 2^52, 0 < d < 2^52, rounded by `mode` (remainder-corrected). */
function divideRoundedF64(x: number, d: number, mode: RoundMode): number {
  if (mode === RoundMode.HALF_AWAY) return roundDivF64(x, d);
  let q = Math.floor(x / d);
  let r = x - q * d;
  if (r < 0) {
    q -= 1;
    r += d;
  } else if (r >= d) {
    q += 1;
    r -= d;
  }
  if (r === 0 || mode === RoundMode.FLOOR) return q;
  // CEIL rounds every remainder up; TRUNC (toward zero) only below zero.
  return mode === RoundMode.CEIL || x < 0 ? q + 1 : q;
}

function divideRoundedBig(x: bigint, d: bigint, mode: RoundMode): bigint {
  if (mode === RoundMode.HALF_AWAY) return roundDivBig(x, d);
  if (mode === RoundMode.TRUNC) return x / d;
  return mode === RoundMode.FLOOR ? floorDivBig(x, d) : ceilDivBig(x, d);
}

/** Rounding units past 10^-(this) are larger than any NUMBER(38) value. */
const ROUNDING_DIGITS_FLOOR = -40;

/**
 * One NUMBER value rounded to `digits` decimals, written at the result scale `outScale`.
 * Digits below ROUNDING_DIGITS_FLOOR (ROUND(x, -2000000000)) are answered without computing
 * 10^-digits, which would take seconds to minutes: 0, or a multiple of 10^-digits that no
 * NUMBER holds (NUMERIC_OUT_OF_RANGE).
 */
function roundScaledBig(x: bigint, scale: number, digits: number, outScale: number, mode: RoundMode): bigint {
  if (digits >= scale) return x * pow10n(outScale - scale);
  if (digits < ROUNDING_DIGITS_FLOOR) {
    const away = (mode === RoundMode.FLOOR && x < 0n) || (mode === RoundMode.CEIL && x > 0n);
    if (!away) return 0n;
    throw new DataError('NUMERIC_OUT_OF_RANGE', `Value rounded to ${digits} digits is out of range for NUMBER(38)`);
  }
  const q = divideRoundedBig(x, pow10n(scale - digits), mode);
  return outScale >= digits ? q * pow10n(outScale - digits) : divideRoundedBig(q, pow10n(digits - outScale), mode);
}

function roundingKernel(mode: RoundMode) {
  return (args: Val[], argTypes: readonly DataType[], type: DataType, n: number): Val => {
    const v = args[0] as Vector;
    const digitsConst = args.length > 1 ? constParam(args[1], argTypes[1], n) : 0n;
    if (type.kind === 'FLOAT') return floatRounding(v, args[1], digitsConst, n, mode);
    const t = type as NumberType;
    const scale = scaleOf(argTypes[0]);
    const nulls = args.length > 1 ? orNulls(v.nulls, nullsOf(args[1], n), n) : v.nulls;
    if (digitsConst !== undefined && digitsConst !== null) {
      const digits = Number(digitsConst);
      if (v.kind === 'f64' && digits < scale && scale - digits <= 15 && t.scale >= digits && t.scale - digits <= 15) {
        const d = POW10[scale - digits];
        const m = POW10[t.scale - digits];
        const x = v.values;
        const out = allocF64(n);
        let ok = true;
        for (let i = 0; i < n; i++) {
          const xi = x[i];
          if (xi >= SAFE_F64 || xi <= -SAFE_F64) {
            ok = false;
            break;
          }
          const r = divideRoundedF64(xi, d, mode) * m;
          out[i] = r;
          if (r >= MAX || r <= -MAX) {
            ok = false;
            break;
          }
        }
        if (ok) return { kind: 'f64', length: n, values: out, nulls };
      }
      if (v.kind === 'f64' && digits >= scale && t.scale === scale) return v;
    }
    const x = toBigints(v as F64Vector | DecVector);
    const digitsAt = args.length > 1 && digitsConst === undefined ? bigReader(asNumberVal(args[1])) : null;
    const out = new Array<bigint>(n);
    for (let i = 0; i < n; i++) {
      if (nulls && nulls[i]) {
        out[i] = 0n;
        continue;
      }
      const digits = digitsAt ? Number(digitsAt(i)) : Number(digitsConst);
      out[i] = roundScaledBig(x[i], scale, digits, t.scale, mode);
    }
    return fromBigints(out, nulls, t.precision, t.scale);
  };
}

function roundFloat(x: number, digits: number, mode: RoundMode): number {
  if (!Number.isFinite(x)) return x;
  const m = 10 ** digits;
  const y = x * m;
  let r: number;
  if (mode === RoundMode.FLOOR) r = Math.floor(y);
  else if (mode === RoundMode.CEIL) r = Math.ceil(y);
  else if (mode === RoundMode.TRUNC) r = Math.trunc(y);
  else r = y < 0 ? -Math.round(-y) : Math.round(y);
  return r / m;
}

function floatRounding(v: Vector, digitsArg: Val | undefined, digitsConst: unknown, n: number, mode: RoundMode): Val {
  const x = expectKind(v, 'f64', 'ROUND').values;
  const out = allocF64(n);
  let nulls = v.nulls;
  if (digitsArg === undefined || (digitsConst !== undefined && digitsConst !== null)) {
    const digits = digitsArg === undefined ? 0 : Number(digitsConst);
    for (let i = 0; i < n; i++) out[i] = roundFloat(x[i], digits, mode);
  } else {
    nulls = orNulls(nulls, nullsOf(digitsArg, n), n);
    const digitsAt = bigReader(asNumberVal(digitsArg));
    for (let i = 0; i < n; i++) out[i] = nulls && nulls[i] ? 0 : roundFloat(x[i], Number(digitsAt(i)), mode);
  }
  return { kind: 'f64', length: n, values: out, nulls };
}

export function floatUnary(f: (x: number) => number) {
  return (args: Val[], _argTypes: readonly DataType[], _type: DataType, n: number): Val => {
    const v = args[0] as Vector;
    const x = expectKind(v, 'f64', 'FLOAT function').values;
    const out = allocF64(n);
    for (let i = 0; i < n; i++) out[i] = f(x[i]);
    return { kind: 'f64', length: n, values: out, nulls: v.nulls };
  };
}

/** TRUNC(x [, scale]) of a number, or TRUNC(date_or_timestamp, part). */
function resolveTrunc(types: readonly DataType[], consts: ConstArgs): Signature {
  const t = types[0];
  if (t && (t.kind === 'DATE' || t.kind === 'TIMESTAMP_NTZ')) {
    checkArity('trunc', types, 2, 2);
    const part = consts[1];
    if (part !== undefined && part !== null) parseDatePart(part, 'trunc');
    return { argTypes: [t, coerceString('trunc', types, types[1])], returnType: t };
  }
  return resolveRounding('trunc')(types, consts);
}

const truncNumber = roundingKernel(RoundMode.TRUNC);

function truncKernel(args: Val[], argTypes: readonly DataType[], type: DataType, n: number): Val {
  const t = argTypes[0].kind;
  if (t === 'DATE' || t === 'TIMESTAMP_NTZ') return dateTruncKernel([args[1], args[0]], [argTypes[1], argTypes[0]], type, n);
  return truncNumber(args, argTypes, type, n);
}

function powerKernel(args: Val[], _argTypes: readonly DataType[], _type: DataType, n: number): Val {
  return floatBinary(args, n, FloatOp.POW);
}

export const arithmeticFunctions: FunctionDef[] = [
  { name: 'add', resolve: resolveAdd, kernel: addKernel, strict: true },
  { name: 'subtract', resolve: resolveSubtract, kernel: subtractKernel, strict: true },
  { name: 'multiply', resolve: (t) => resolveNumericBinary('multiply', t, multiplyType), kernel: multiplyKernel, strict: true },
  { name: 'divide', resolve: (t) => resolveNumericBinary('divide', t, divideType), kernel: divideKernel, strict: true },
  { name: 'modulo', aliases: ['mod'], resolve: (t) => resolveNumericBinary('modulo', t, moduloType), kernel: moduloKernel, strict: true },
  { name: 'negate', resolve: (t) => resolveUnaryNumeric('negate', t), kernel: negateKernel, strict: true },
  { name: 'abs', resolve: (t) => resolveUnaryNumeric('abs', t), kernel: absKernel, strict: true },
  { name: 'round', resolve: resolveRounding('round'), kernel: roundingKernel(RoundMode.HALF_AWAY), strict: true },
  { name: 'floor', resolve: resolveRounding('floor'), kernel: roundingKernel(RoundMode.FLOOR), strict: true },
  { name: 'ceil', aliases: ['ceiling'], resolve: resolveRounding('ceil'), kernel: roundingKernel(RoundMode.CEIL), strict: true },
  { name: 'trunc', aliases: ['truncate'], resolve: resolveTrunc, kernel: truncKernel, strict: true },
  { name: 'sqrt', resolve: resolveFloatFn('sqrt', 1), kernel: floatUnary(Math.sqrt), strict: true },
  { name: 'ln', resolve: resolveFloatFn('ln', 1), kernel: floatUnary(Math.log), strict: true },
  { name: 'exp', resolve: resolveFloatFn('exp', 1), kernel: floatUnary(Math.exp), strict: true },
  { name: 'power', aliases: ['pow'], resolve: resolveFloatFn('power', 2), kernel: powerKernel, strict: true },
];

/**
 * Comparison operators (eq, ne, lt, le, gt, ge), the null-safe is_distinct_from /
 * is_not_distinct_from (`IS [NOT] DISTINCT FROM`; Snowflake's EQUAL_NULL(a, b) is an alias of
 * the latter), and IN lists.
 *
 * Contract: both sides arrive in one type family (the registry asks the binder for the casts:
 * a VARCHAR compared with a DATE/TIMESTAMP/NUMBER/BOOLEAN is cast to that type (a NUMBER
 * with at least 12 decimals, see stringTarget), DATE vs
 * TIMESTAMP compares as timestamps, NUMBER vs FLOAT as FLOAT). NUMBERs of different scales
 * compare exactly: the lower scale is raised, on doubles while exact, else on bigints; a
 * constant of a larger scale is turned into an integer bound with floor/ceil instead.
 * NULL on either side gives NULL, except for the null-safe pair, which is never NULL: two
 * NULLs are not distinct, a NULL and a value are. FLOAT has Snowflake's total order: NaN
 * equals NaN and is larger than every other value (+inf included), as ORDER BY, MIN/MAX,
 * GROUP BY, joins and zone maps have it; -0 equals 0. Strings compare by UTF-16 code units (ORDER BY's order);
 * against a constant they are compared once per dictionary entry.
 */
import { allocF64, allocU8 } from '../batch/array-pool.js';
import { FloatHashSet } from '../aggregate/float-hash-set.js';
import { InternalError, NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { MAX_PRECISION, Types, isSemiStructured, isTimestamp, type TimestampKind } from '../../../storage/types/data-type.js';
import type { Scalar } from '../../../storage/types/scalar.js';
import type { BoolVector, DecVector, F64Vector, Nulls, StrVector, Vector } from '../../../storage/types/vector.js';
import { MAX_EXACT } from '../../../storage/types/vector.js';
import { compareTimestamps, matchTimestamps } from './compare-timestamps.js';
import { POW10, ceilDivBig, floorDivBig, pow10n, toBigint, toBigints } from './decimal.js';
import { checkArity, coerce, mismatch, type FunctionDef, type Signature } from './type-rules.js';
import { compactStrings, expectKind, isConst, materialize, nullsOf, orNulls, type Val } from './vector-kit.js';

export const CmpOp = { EQ: 0, NE: 1, LT: 2, LE: 3, GT: 4, GE: 5 } as const;
export type CmpOp = (typeof CmpOp)[keyof typeof CmpOp];

/** a op b  ==  b flip(op) a */
function flip(op: CmpOp): CmpOp {
  switch (op) {
    case CmpOp.LT:
      return CmpOp.GT;
    case CmpOp.LE:
      return CmpOp.GE;
    case CmpOp.GT:
      return CmpOp.LT;
    case CmpOp.GE:
      return CmpOp.LE;
    default:
      return op;
  }
}

function holds(op: CmpOp, c: number): boolean {
  switch (op) {
    case CmpOp.EQ:
      return c === 0;
    case CmpOp.NE:
      return c !== 0;
    case CmpOp.LT:
      return c < 0;
    case CmpOp.LE:
      return c <= 0;
    case CmpOp.GT:
      return c > 0;
    case CmpOp.GE:
      return c >= 0;
  }
}

// ---------------------------------------------------------------------------------------
// Typing

function resolveComparison(fn: string) {
  return (types: readonly DataType[]): Signature => {
    checkArity(fn, types, 2, 2);
    const [a, b] = types;
    return { argTypes: comparisonTypes(fn, a, b), returnType: Types.boolean };
  };
}

/** The types both sides of a comparison are cast to. */
function comparisonTypes(fn: string, a: DataType, b: DataType): DataType[] {
  if (a.kind === 'NULL') return [b, b];
  if (b.kind === 'NULL') return [a, a];
  if (isSemiStructured(a) || isSemiStructured(b)) return semiComparisonTypes(fn, a, b);
  if (a.kind === 'NUMBER' && b.kind === 'NUMBER') return [a, b];
  if ((a.kind === 'NUMBER' || a.kind === 'FLOAT') && (b.kind === 'NUMBER' || b.kind === 'FLOAT')) return [Types.float, Types.float];
  if (a.kind === b.kind) return [a, b];
  if ((a.kind === 'DATE' || isTimestamp(a)) && (b.kind === 'DATE' || isTimestamp(b))) {
    // Mixed kinds compare as instants (an NTZ or DATE read in the session's TIMEZONE).
    const kind = a.kind === 'DATE' ? (isTimestamp(b) ? b.kind : 'TIMESTAMP_NTZ') : b.kind === 'DATE' ? (a.kind as TimestampKind) : a.kind === b.kind ? a.kind : 'TIMESTAMP_LTZ';
    const t = Types.timestampOf(kind as TimestampKind);
    return [t, t];
  }
  if (a.kind === 'VARCHAR') return [coerce(fn, [a, b], a, stringTarget(b)), b];
  if (b.kind === 'VARCHAR') return [a, coerce(fn, [a, b], b, stringTarget(a))];
  throw mismatch(fn, [a, b]);
}

/**
 * Comparisons with a VARIANT (OBJECT, ARRAY): two of them compare by canonical JSON text
 * (= <> and IS [NOT] DISTINCT FROM; for < <= > >= the binder compares their order keys
 * instead, services/plan/variant-order.ts, so two VARIANTs never reach an ordering comparison
 * here and are refused if they do); with a scalar, the VARIANT converts to the scalar's
 * type (NUMBER and FLOAT compare as FLOAT, VARCHAR(n) as VARCHAR), so v:name = 'x' and v:n > 10 read naturally.
 */
function semiComparisonTypes(fn: string, a: DataType, b: DataType): DataType[] {
  if (isSemiStructured(a) && isSemiStructured(b)) {
    if (fn !== 'eq' && fn !== 'ne' && fn !== 'is_distinct_from' && fn !== 'is_not_distinct_from') {
      throw new NotSupportedError('Ordering comparisons (<, <=, >, >=) between VARIANT values; cast them first (v::number)');
    }
    return a.kind === b.kind ? [a, b] : [Types.variant, Types.variant];
  }
  const scalar = isSemiStructured(a) ? b : a;
  // A VARCHAR(n) side does not cut the VARIANT's string to n characters (PARSE_JSON('"DEU"') = 'DE' is false).
  const target = scalar.kind === 'NUMBER' || scalar.kind === 'FLOAT' ? Types.float : scalar.kind === 'VARCHAR' ? Types.varchar : scalar;
  if (isSemiStructured(a)) return [target, coerce(fn, [a, b], b, target)];
  return [coerce(fn, [a, b], a, target), target];
}

/**
 * What a string compared with `t` becomes: t itself, except that a NUMBER target is widened to
 * NUMBER(38, max(scale, 12)) so '9.5' is not rounded to an integer column's scale before the
 * (exact, cross-scale) comparison.
 */
function stringTarget(t: DataType): DataType {
  // A BINARY(n) side does not cut the string's bytes to n either.
  if (t.kind === 'BINARY') return Types.binary;
  return t.kind === 'NUMBER' ? { kind: 'NUMBER', precision: MAX_PRECISION, scale: Math.max(t.scale, STRING_NUMBER_SCALE) } : t;
}
const STRING_NUMBER_SCALE = 12;

// ---------------------------------------------------------------------------------------
// Loops over numeric arrays (f64, i32 dates, bool 0/1)

type NumArray = Float64Array | Int32Array | Uint8Array;

function cmpVV(op: CmpOp, x: NumArray, y: NumArray, out: Uint8Array, n: number): void {
  switch (op) {
    case CmpOp.EQ:
      for (let i = 0; i < n; i++) out[i] = +(x[i] === y[i]);
      return;
    case CmpOp.NE:
      for (let i = 0; i < n; i++) out[i] = +(x[i] !== y[i]);
      return;
    case CmpOp.LT:
      for (let i = 0; i < n; i++) out[i] = +(x[i] < y[i]);
      return;
    case CmpOp.LE:
      for (let i = 0; i < n; i++) out[i] = +(x[i] <= y[i]);
      return;
    case CmpOp.GT:
      for (let i = 0; i < n; i++) out[i] = +(x[i] > y[i]);
      return;
    case CmpOp.GE:
      for (let i = 0; i < n; i++) out[i] = +(x[i] >= y[i]);
      return;
  }
}

/**
 * The loops below write `+(a < b)` rather than `a < b ? 1 : 0`: V8 compiles the ternary to a
 * branch, which mispredicts on unsorted data and made comparisons ~3x slower.
 *
 * Vector op constant. The Float64Array case (NUMBER, FLOAT, TIMESTAMP) has its own copy of
 * the loops so its element accesses stay monomorphic; sharing one body between Float64Array
 * and Int32Array/Uint8Array made every comparison several times slower.
 */
function cmpVC(op: CmpOp, x: NumArray, c: number, out: Uint8Array, n: number): void {
  if (x instanceof Float64Array) cmpVCF64(op, x, c, out, n);
  else if (x instanceof Int32Array) cmpVCI32(op, x, c, out, n);
  else cmpVCOther(op, x, c, out, n);
}

/** cmpVCOther's loops over an Int32Array only (DATE columns), so element access stays monomorphic. */
function cmpVCI32(op: CmpOp, x: Int32Array, c: number, out: Uint8Array, n: number): void {
  switch (op) {
    case CmpOp.EQ:
      for (let i = 0; i < n; i++) out[i] = +(x[i] === c);
      return;
    case CmpOp.NE:
      for (let i = 0; i < n; i++) out[i] = +(x[i] !== c);
      return;
    case CmpOp.LT:
      for (let i = 0; i < n; i++) out[i] = +(x[i] < c);
      return;
    case CmpOp.LE:
      for (let i = 0; i < n; i++) out[i] = +(x[i] <= c);
      return;
    case CmpOp.GT:
      for (let i = 0; i < n; i++) out[i] = +(x[i] > c);
      return;
    case CmpOp.GE:
      for (let i = 0; i < n; i++) out[i] = +(x[i] >= c);
      return;
  }
}

function cmpVCF64(op: CmpOp, x: Float64Array, c: number, out: Uint8Array, n: number): void {
  switch (op) {
    case CmpOp.EQ:
      for (let i = 0; i < n; i++) out[i] = +(x[i] === c);
      return;
    case CmpOp.NE:
      for (let i = 0; i < n; i++) out[i] = +(x[i] !== c);
      return;
    case CmpOp.LT:
      for (let i = 0; i < n; i++) out[i] = +(x[i] < c);
      return;
    case CmpOp.LE:
      for (let i = 0; i < n; i++) out[i] = +(x[i] <= c);
      return;
    case CmpOp.GT:
      for (let i = 0; i < n; i++) out[i] = +(x[i] > c);
      return;
    case CmpOp.GE:
      for (let i = 0; i < n; i++) out[i] = +(x[i] >= c);
      return;
  }
}

function cmpVCOther(op: CmpOp, x: NumArray, c: number, out: Uint8Array, n: number): void {
  switch (op) {
    case CmpOp.EQ:
      for (let i = 0; i < n; i++) out[i] = +(x[i] === c);
      return;
    case CmpOp.NE:
      for (let i = 0; i < n; i++) out[i] = +(x[i] !== c);
      return;
    case CmpOp.LT:
      for (let i = 0; i < n; i++) out[i] = +(x[i] < c);
      return;
    case CmpOp.LE:
      for (let i = 0; i < n; i++) out[i] = +(x[i] <= c);
      return;
    case CmpOp.GT:
      for (let i = 0; i < n; i++) out[i] = +(x[i] > c);
      return;
    case CmpOp.GE:
      for (let i = 0; i < n; i++) out[i] = +(x[i] >= c);
      return;
  }
}

function numArray(v: Vector, what: string): NumArray {
  if (v.kind === 'f64' || v.kind === 'i32' || v.kind === 'bool') return v.values;
  throw new InternalError(`${what}: '${v.kind}' vector is not numeric`);
}

function constNumber(value: Scalar): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return Number(value);
}

/** Compares two plain numeric layouts (FLOAT, DATE, BOOLEAN). */
function comparePlain(op: CmpOp, a: Val, b: Val, n: number): BoolVector {
  const out = allocU8(n);
  const nulls = orNulls(nullsOf(a, n), nullsOf(b, n), n);
  if (isConst(b)) cmpVC(op, numArray(a as Vector, 'compare'), constNumber(b.value), out, n);
  else if (isConst(a)) cmpVC(flip(op), numArray(b, 'compare'), constNumber(a.value), out, n);
  else cmpVV(op, numArray(a, 'compare'), numArray(b, 'compare'), out, n);
  return { kind: 'bool', length: n, values: out, nulls };
}

// ---------------------------------------------------------------------------------------
// FLOAT: NaN equals NaN and is the largest value

/**
 * Vector op constant under the total order. Against an ordinary c only GT/GE differ from
 * IEEE: `!(x <= c)` is `x > c || x is NaN`, still one branch-free compare per row.
 * Against NaN: x = NaN iff x is NaN, every other x is below it.
 */
function cmpFloatVC(op: CmpOp, x: Float64Array, c: number, out: Uint8Array, n: number): void {
  if (c === c) {
    if (op === CmpOp.GT) for (let i = 0; i < n; i++) out[i] = +!(x[i] <= c);
    else if (op === CmpOp.GE) for (let i = 0; i < n; i++) out[i] = +!(x[i] < c);
    else cmpVCF64(op, x, c, out, n);
    return;
  }
  switch (op) {
    case CmpOp.EQ:
    case CmpOp.GE:
      for (let i = 0; i < n; i++) out[i] = +(x[i] !== x[i]);
      return;
    case CmpOp.NE:
    case CmpOp.LT:
      for (let i = 0; i < n; i++) out[i] = +(x[i] === x[i]);
      return;
    case CmpOp.LE:
      out.fill(1);
      return;
    case CmpOp.GT:
      out.fill(0);
      return;
  }
}

function hasNaN(x: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (x[i] !== x[i]) return true;
  return false;
}

/** Total-order comparison of two doubles: NaN ties NaN and is above everything else. */
export function totalCompare(p: number, q: number): number {
  if (p < q) return -1;
  if (p > q) return 1;
  if (p === q) return 0;
  const pn = p !== p;
  return pn === (q !== q) ? 0 : pn ? 1 : -1;
}

/**
 * Vector op vector: the IEEE loops when neither side holds a NaN in this batch (the usual
 * case, checked once per batch), else the total-order compare per row.
 */
function cmpFloatVV(op: CmpOp, x: Float64Array, y: Float64Array, out: Uint8Array, n: number): void {
  if (!hasNaN(x, n) && !hasNaN(y, n)) {
    cmpVV(op, x, y, out, n);
    return;
  }
  for (let i = 0; i < n; i++) out[i] = holds(op, totalCompare(x[i], y[i])) ? 1 : 0;
}

function compareFloat(op: CmpOp, a: Val, b: Val, n: number): BoolVector {
  const out = allocU8(n);
  const nulls = orNulls(nullsOf(a, n), nullsOf(b, n), n);
  if (isConst(a) && isConst(b)) out.fill(holds(op, totalCompare(constNumber(a.value), constNumber(b.value))) ? 1 : 0);
  else if (isConst(b)) cmpFloatVC(op, expectKind(a as Vector, 'f64', 'compare').values, constNumber(b.value), out, n);
  else if (isConst(a)) cmpFloatVC(flip(op), expectKind(b, 'f64', 'compare').values, constNumber(a.value), out, n);
  else cmpFloatVV(op, expectKind(a, 'f64', 'compare').values, expectKind(b, 'f64', 'compare').values, out, n);
  return { kind: 'bool', length: n, values: out, nulls };
}

// ---------------------------------------------------------------------------------------
// NUMBER

/** x op k for an integer bound k that may lie beyond the exact range of the doubles in x. */
function cmpVBound(op: CmpOp, x: Float64Array, k: bigint, out: Uint8Array, n: number): void {
  if (k <= BigInt(MAX_EXACT) && k >= -BigInt(MAX_EXACT)) {
    cmpVC(op, x, Number(k), out, n);
    return;
  }
  // Every |x| <= 2^53 < |k|: the comparison has the same outcome on every row.
  out.fill(holds(op, k > 0n ? -1 : 1) ? 1 : 0);
}

/** Vector (scale sv) op constant c (scale sc), exactly. */
function compareNumberConst(op: CmpOp, v: F64Vector, sv: number, c: bigint, sc: number, out: Uint8Array, n: number): void {
  if (sc <= sv) {
    cmpVBound(op, v.values, c * pow10n(sv - sc), out, n);
    return;
  }
  // x * m  op  c  over integers x, with m = 10^(sc - sv).
  const m = pow10n(sc - sv);
  switch (op) {
    case CmpOp.EQ:
    case CmpOp.NE:
      if (c % m !== 0n) out.fill(op === CmpOp.NE ? 1 : 0);
      else cmpVBound(op, v.values, c / m, out, n);
      return;
    case CmpOp.LT:
    case CmpOp.GE:
      cmpVBound(op, v.values, ceilDivBig(c, m), out, n);
      return;
    case CmpOp.LE:
    case CmpOp.GT:
      cmpVBound(op, v.values, floorDivBig(c, m), out, n);
      return;
  }
}

/** x * m into a new array, or null when a product leaves the exact range. */
function upscale(x: Float64Array, m: number, n: number): Float64Array | null {
  const out = allocF64(n);
  for (let i = 0; i < n; i++) {
    const r = x[i] * m;
    if (r >= MAX_EXACT || r <= -MAX_EXACT) return null;
    out[i] = r;
  }
  return out;
}

function compareNumber(op: CmpOp, a: Val, b: Val, sa: number, sb: number, n: number): BoolVector {
  const nulls = orNulls(nullsOf(a, n), nullsOf(b, n), n);
  const out = allocU8(n);
  if (isConst(b) && !isConst(a) && a.kind === 'f64') {
    compareNumberConst(op, a, sa, toBigint(b.value as bigint), sb, out, n);
    return { kind: 'bool', length: n, values: out, nulls };
  }
  if (isConst(a) && !isConst(b) && b.kind === 'f64') {
    compareNumberConst(flip(op), b, sb, toBigint(a.value as bigint), sa, out, n);
    return { kind: 'bool', length: n, values: out, nulls };
  }
  if (!isConst(a) && !isConst(b) && a.kind === 'f64' && b.kind === 'f64') {
    if (sa === sb) {
      cmpVV(op, a.values, b.values, out, n);
      return { kind: 'bool', length: n, values: out, nulls };
    }
    const diff = Math.abs(sa - sb);
    if (diff <= 22) {
      const x = sa < sb ? upscale(a.values, POW10[diff], n) : a.values;
      const y = sb < sa ? upscale(b.values, POW10[diff], n) : b.values;
      if (x && y) {
        cmpVV(op, x, y, out, n);
        return { kind: 'bool', length: n, values: out, nulls };
      }
    }
  }
  const s = Math.max(sa, sb);
  const x = bigRows(a, sa, s, n);
  const y = bigRows(b, sb, s, n);
  for (let i = 0; i < n; i++) {
    const xi = x(i);
    const yi = y(i);
    out[i] = holds(op, xi < yi ? -1 : xi > yi ? 1 : 0) ? 1 : 0;
  }
  return { kind: 'bool', length: n, values: out, nulls };
}

/** Row i of a NUMBER value as a bigint at scale `to`. */
function bigRows(v: Val, from: number, to: number, n: number): (i: number) => bigint {
  const m = pow10n(to - from);
  if (isConst(v)) {
    const c = toBigint(v.value as bigint) * m;
    return () => c;
  }
  if (v.kind !== 'f64' && v.kind !== 'dec') throw new InternalError(`NUMBER comparison over a '${v.kind}' vector`);
  const values = toBigints(v as F64Vector | DecVector);
  if (values.length !== n) throw new InternalError('NUMBER comparison: length mismatch');
  return (i) => values[i] * m;
}

// ---------------------------------------------------------------------------------------
// VARCHAR

function strCompare(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareStrings(op: CmpOp, a: Val, b: Val, n: number): BoolVector {
  const nulls = orNulls(nullsOf(a, n), nullsOf(b, n), n);
  const out = allocU8(n);
  if (isConst(a) || isConst(b)) {
    const constLeft = isConst(a);
    const v = compactStrings(expectKind((constLeft ? b : a) as Vector, 'str', 'compare'));
    const c = String(constLeft ? (a as { value: Scalar }).value : (b as { value: Scalar }).value);
    const o = constLeft ? flip(op) : op;
    // Compare each dictionary entry once, then map the codes.
    const perEntry = new Uint8Array(v.dict.length);
    for (let e = 0; e < v.dict.length; e++) perEntry[e] = holds(o, strCompare(v.dict[e], c)) ? 1 : 0;
    const codes = v.codes;
    for (let i = 0; i < n; i++) out[i] = perEntry[codes[i]];
    return { kind: 'bool', length: n, values: out, nulls };
  }
  const x = expectKind(a, 'str', 'compare');
  const y = expectKind(b, 'str', 'compare');
  const xd = x.dict;
  const yd = y.dict;
  const xc = x.codes;
  const yc = y.codes;
  if (xd === yd && op === CmpOp.EQ) {
    for (let i = 0; i < n; i++) out[i] = xc[i] === yc[i] || xd[xc[i]] === yd[yc[i]] ? 1 : 0;
  } else {
    for (let i = 0; i < n; i++) out[i] = holds(op, strCompare(xd[xc[i]], yd[yc[i]])) ? 1 : 0;
  }
  return { kind: 'bool', length: n, values: out, nulls };
}

// ---------------------------------------------------------------------------------------
// Entry points

/** a op b for values of the (already reconciled) types ta and tb. */
export function compareValues(op: CmpOp, a: Val, b: Val, ta: DataType, tb: DataType, n: number): BoolVector {
  if (ta.kind === 'NUMBER' && tb.kind === 'NUMBER') return compareNumber(op, a, b, ta.scale, tb.scale, n);
  // BINARY: byte strings compare code unit by code unit, i.e. byte by byte (data-type.ts).
  if (ta.kind === 'VARCHAR' || ta.kind === 'BINARY' || isSemiStructured(ta)) return compareStrings(op, a, b, n);
  if (isTimestamp(ta)) return compareTimestamps(op, a, b, n);
  if (ta.kind === 'FLOAT') return compareFloat(op, a, b, n);
  return comparePlain(op, a, b, n);
}

function comparisonKernel(op: CmpOp) {
  return (args: Val[], argTypes: readonly DataType[], _type: DataType, n: number): Val => compareValues(op, args[0], args[1], argTypes[0], argTypes[1], n);
}

/**
 * a IS [NOT] DISTINCT FROM b: equality where NULL equals NULL, never NULL itself. The values
 * are compared as by eq, then the rows with a NULL on either side are decided by the masks.
 */
function distinctKernel(notDistinct: boolean) {
  return (args: Val[], argTypes: readonly DataType[], _type: DataType, n: number): Val => {
    const [a, b] = args;
    const same = notDistinct ? 1 : 0;
    const out = allocU8(n);
    const aConstNull = isConst(a) && a.value === null;
    const bConstNull = isConst(b) && b.value === null;
    if (aConstNull || bConstNull) {
      // Against NULL: equal exactly where the other side is NULL (IS [NOT] NULL).
      const other = nullsOf(aConstNull ? b : a, n);
      if (other) for (let i = 0; i < n; i++) out[i] = other[i] === 1 ? same : same ^ 1;
      else out.fill(same ^ 1);
      return { kind: 'bool', length: n, values: out, nulls: null };
    }
    const eq = compareValues(CmpOp.EQ, a, b, argTypes[0], argTypes[1], n);
    const an = nullsOf(a, n);
    const bn = nullsOf(b, n);
    const values = eq.values;
    if (!an && !bn) {
      for (let i = 0; i < n; i++) out[i] = values[i] ^ same ^ 1;
    } else {
      const x = an ?? allocU8(n);
      const y = bn ?? allocU8(n);
      // Both NULL: equal; one NULL: unequal; neither: the comparison.
      for (let i = 0; i < n; i++) out[i] = ((x[i] | y[i]) !== 0 ? x[i] & y[i] : values[i]) ^ same ^ 1;
    }
    return { kind: 'bool', length: n, values: out, nulls: null };
  };
}

/**
 * x [NOT] IN (list). With every list item constant the values go into a Set (one lookup per
 * row, or per dictionary entry for strings); otherwise it is the OR of equalities. SQL
 * semantics: a match is TRUE; no match is NULL when the list holds a NULL, else FALSE; a NULL
 * x is NULL. NOT IN negates that (three-valued).
 */
export function inList(x: Val, xType: DataType, list: readonly Val[], listTypes: readonly DataType[], negated: boolean, n: number): BoolVector {
  const out = allocU8(n);
  let nulls: Nulls = nullsOf(x, n);
  if (list.every(isConst)) {
    const v = materialize(x, xType, n);
    const hasNull = list.some((c) => (c as { value: Scalar }).value === null);
    matchConstants(v, xType, list as { kind: 'const'; value: Scalar }[], listTypes, out, n);
    if (hasNull) {
      // No match and a NULL in the list: unknown.
      const extra = allocU8(n);
      for (let i = 0; i < n; i++) extra[i] = out[i] ? 0 : 1;
      nulls = orNulls(nulls, extra, n);
    }
  } else {
    // OR of equalities, three-valued: TRUE wins, then NULL, then FALSE.
    const unknown = allocU8(n);
    for (let j = 0; j < list.length; j++) {
      const item = list[j];
      if (isConst(item) && item.value === null) {
        unknown.fill(1);
        continue;
      }
      const eq = compareValues(CmpOp.EQ, x, item, xType, listTypes[j], n);
      const en = eq.nulls;
      for (let i = 0; i < n; i++) {
        if (en && en[i]) unknown[i] = 1;
        else if (eq.values[i]) out[i] = 1;
      }
    }
    for (let i = 0; i < n; i++) if (out[i]) unknown[i] = 0;
    nulls = orNulls(nulls, unknown, n);
  }
  if (negated) for (let i = 0; i < n; i++) out[i] ^= 1;
  return { kind: 'bool', length: n, values: out, nulls };
}

/** out[i] = 1 when row i equals one of the non-NULL constants. */
function matchConstants(v: Vector, type: DataType, list: { value: Scalar }[], listTypes: readonly DataType[], out: Uint8Array, n: number): void {
  const present = list.filter((c) => c.value !== null);
  if (present.length === 0) return;
  if (v.kind === 'str') {
    const s = compactStrings(v as StrVector);
    const set = new Set(present.map((c) => String(c.value)));
    const perEntry = new Uint8Array(s.dict.length);
    for (let e = 0; e < s.dict.length; e++) perEntry[e] = set.has(s.dict[e]) ? 1 : 0;
    for (let i = 0; i < n; i++) out[i] = perEntry[s.codes[i]];
    return;
  }
  if (isTimestamp(type)) {
    matchTimestamps(v, present.map((c) => c.value as bigint), out, n);
    return;
  }
  if (type.kind === 'NUMBER') {
    const prepared = numberKeys(list, listTypes, type.scale);
    if (v.kind === 'dec') {
      const set = (prepared.set ??= new Set(prepared.keys));
      for (let i = 0; i < n; i++) out[i] = set.has(v.values[i]) ? 1 : 0;
      return;
    }
    prepared.exact ??= { keys: prepared.keys.filter((k) => k <= BigInt(MAX_EXACT) && k >= -BigInt(MAX_EXACT)).map(Number) };
    matchNumbers(numArray(v, 'IN'), prepared.exact, out, n);
    return;
  }
  matchNumbers(numArray(v, 'IN'), { keys: present.map((c) => constNumber(c.value)) }, out, n);
}

/**
 * An IN list's constants as keys of a NUMBER column of `scale`, prepared once per list: an
 * expression's list (evaluate-expr.ts keeps a literal list's values for the life of the
 * expression) is matched batch after batch, and a runtime filter's list holds thousands of
 * keys (RUNTIME_FILTER_KEY_SET_LIMIT).
 */
type NumberKeys = { scale: number; keys: bigint[]; set?: Set<bigint>; exact?: NumberKeyList };
/**
 * Keys as doubles, and what matching them built, kept for the next batch: their range (null:
 * a key is not a safe integer) and its bitmap (matchIntegerKeys), or their hash set.
 */
type NumberKeyList = { keys: number[]; range?: { min: number; span: number } | null; bits?: Int32Array; hashed?: HashedKeys };
type HashedKeys = { set: FloatHashSet; filter: Int32Array; mask: number; min: number; max: number; nan: number };

const PREPARED_NUMBER_KEYS = new WeakMap<object, NumberKeys>();

function numberKeys(list: readonly { value: Scalar }[], listTypes: readonly DataType[], scale: number): NumberKeys {
  const known = PREPARED_NUMBER_KEYS.get(list);
  if (known !== undefined && known.scale === scale) return known;
  const keys: bigint[] = [];
  list.forEach((c, j) => {
    if (c.value === null) return;
    const t = listTypes[j];
    const from = t.kind === 'NUMBER' ? t.scale : 0;
    const k = toBigint(c.value as bigint);
    if (from <= scale) keys.push(k * pow10n(scale - from));
    else if (k % pow10n(from - scale) === 0n) keys.push(k / pow10n(from - scale));
  });
  const prepared: NumberKeys = { scale, keys };
  PREPARED_NUMBER_KEYS.set(list, prepared);
  return prepared;
}

function matchNumbers(x: NumArray, list: NumberKeyList, out: Uint8Array, n: number): void {
  const keys = list.keys;
  if (keys.length <= 4) {
    const k = new Float64Array(keys);
    const nan = keys.some((v) => v !== v) ? 1 : 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      let hit = xi !== xi ? nan : 0;
      for (let j = 0; j < k.length; j++) if (xi === k[j]) hit = 1;
      out[i] = hit;
    }
    return;
  }
  if (matchIntegerKeys(x, list, out, n)) return;
  // Simple version: const set = new Set(keys); out[i] = set.has(x[i]) ? 1 : 0;
  // (a typed-array hash set; values outside [min, max], and values whose filter bit is
  // clear, rejected before any probe).
  // NaN equals NaN here (as Set.has and Snowflake have it); the hash set takes no NaN.
  list.hashed ??= hashedKeys(keys);
  const { set, filter, mask, min, max, nan } = list.hashed;
  for (let i = 0; i < n; i++) {
    const xi = x[i] + 0;
    // (xi | 0) is the same for equal doubles (ToInt32 is a function of the value), so a key's bit is never clear.
    const h = (xi | 0) & mask;
    out[i] = xi >= min && xi <= max ? ((filter[h >>> 5] >>> (h & 31)) & 1 ? (set.find(xi) >= 0 ? 1 : 0) : 0) : xi !== xi ? nan : 0;
  }
}

/**
 * Words of matchNumbers' filter bitmap: about 64 bits per key, so a value that is no key
 * rarely reaches the hash set; a power of two, between 256 bits and 2^20 bits (128 KiB).
 */
function filterWords(keys: number): number {
  let bits = 256;
  while (bits < keys * 64 && bits < 1 << 20) bits *= 2;
  return bits >>> 5;
}

/** The keys in a FloatHashSet, with a one-bit-per-hash filter and their range (NaN apart). */
function hashedKeys(keys: readonly number[]): HashedKeys {
  const set = new FloatHashSet(keys.length);
  const filter = new Int32Array(filterWords(keys.length));
  const mask = filter.length * 32 - 1;
  let min = Infinity;
  let max = -Infinity;
  let nan = 0;
  keys.forEach((k, j) => {
    if (k !== k) {
      nan = 1;
      return;
    }
    set.intern(k + 0, j);
    const h = (k | 0) & mask;
    filter[h >>> 5] |= 1 << (h & 31);
    if (k < min) min = k;
    if (k > max) max = k;
  });
  return { set, filter, mask, min, max, nan };
}

/**
 * The widest key range matched with a bitmap whatever the batch's size: 2^22 bits, 512 KiB,
 * built once per list (a list prepared for an expression serves all its batches). Past it a
 * batch of n rows still uses one when the range is at most 32 n.
 */
const MAX_KEY_BITMAP_BITS = 1 << 22;

/**
 * Integer keys over a range of at most max(MAX_KEY_BITMAP_BITS, 32n) values (a runtime filter's
 * key set, TPC-H Q17's part keys): one bit per value of [min, max], so a row costs a
 * subtraction and a bit test instead of a hash probe. Answers false (nothing written) when the
 * keys do not qualify. The range and the bitmap are kept in `list` for its next batch.
 */
function matchIntegerKeys(x: NumArray, list: NumberKeyList, out: Uint8Array, n: number): boolean {
  if (list.range === undefined) list.range = integerKeyRange(list.keys);
  if (list.range === null) return false;
  const { min, span } = list.range;
  if (!(span <= Math.max(MAX_KEY_BITMAP_BITS, 32 * n))) return false;
  let bits = list.bits;
  if (bits === undefined) {
    bits = list.bits = new Int32Array((span + 31) >>> 5);
    for (const k of list.keys) bits[(k - min) >>> 5] |= 1 << ((k - min) & 31);
  }
  // Simple version: out[i] = Number.isInteger(x[i]) && x[i] >= min && x[i] <= max && bit(x[i] - min) ? 1 : 0;
  // (d >>> 0 === d rejects negatives, fractions and NaN at once; d < span the values past max).
  for (let i = 0; i < n; i++) {
    const d = x[i] - min;
    out[i] = d >>> 0 === d && d < span ? (bits[d >>> 5] >>> (d & 31)) & 1 : 0;
  }
  return true;
}

/** The range of integer keys, or null when a key is not a safe integer. */
function integerKeyRange(keys: readonly number[]): { min: number; span: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const k of keys) {
    if (!Number.isSafeInteger(k)) return null;
    if (k < min) min = k;
    if (k > max) max = k;
  }
  return { min, span: max - min + 1 };
}

export const comparisonFunctions: FunctionDef[] = [
  { name: 'eq', resolve: resolveComparison('eq'), kernel: comparisonKernel(CmpOp.EQ), strict: true },
  { name: 'ne', resolve: resolveComparison('ne'), kernel: comparisonKernel(CmpOp.NE), strict: true },
  { name: 'lt', resolve: resolveComparison('lt'), kernel: comparisonKernel(CmpOp.LT), strict: true },
  { name: 'le', resolve: resolveComparison('le'), kernel: comparisonKernel(CmpOp.LE), strict: true },
  { name: 'gt', resolve: resolveComparison('gt'), kernel: comparisonKernel(CmpOp.GT), strict: true },
  { name: 'ge', resolve: resolveComparison('ge'), kernel: comparisonKernel(CmpOp.GE), strict: true },
  { name: 'is_distinct_from', resolve: resolveComparison('is_distinct_from'), kernel: distinctKernel(false), strict: false },
  { name: 'is_not_distinct_from', aliases: ['equal_null'], resolve: resolveComparison('is_not_distinct_from'), kernel: distinctKernel(true), strict: false },
];

/**
 * More numeric functions: SIGN, SQUARE, CBRT, PI, LOG(base, x), the trigonometric SIN, COS,
 * TAN, COT, ASIN, ACOS, ATAN, ATAN2, DEGREES / RADIANS, and WIDTH_BUCKET. (ABS, ROUND, SQRT, LN, EXP, POWER
 * and the operators are in arithmetic.ts.)
 *
 * Why: dbt packages compute distances, angles and signs in SQL (dbt_utils' haversine_distance
 * uses RADIANS, SIN, COS, ACOS).
 *
 * Contract: SIGN of a NUMBER is NUMBER(38,0) (-1, 0 or 1), of a FLOAT a FLOAT; SQUARE(x) is
 * x * x with multiplication's type (exact for NUMBER); everything else is FLOAT arithmetic
 * over doubles, one loop per vector. Out-of-domain inputs give what IEEE arithmetic gives,
 * as LN and SQRT do here: LOG(1, x) and ASIN(2) are NaN, LOG(b, 0) is -inf (Snowflake raises
 * an error for some of these). Any NULL argument gives NULL.
 */
import { allocF64 } from '../batch/array-pool.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Nulls, Vector } from '../../../storage/types/vector.js';
import { DataError } from '../../../storage/errors/firn-error.js';
import { floatUnary, multiplyKernel, numericOperand, resolveFloatFn } from './arithmetic.js';
import { INTEGER, checkArity, multiplyType, type FunctionDef, type NumberType, type Signature } from './type-rules.js';
import { constOf, expectKind, isConst, materialize, orNulls, nullsOf, type Val } from './vector-kit.js';

function signKernel(args: Val[], _argTypes: readonly DataType[], type: DataType, n: number): Val {
  const v = args[0] as Vector;
  const out = allocF64(n);
  if (v.kind === 'dec') {
    for (let i = 0; i < n; i++) out[i] = v.values[i] > 0n ? 1 : v.values[i] < 0n ? -1 : 0;
  } else {
    const x = expectKind(v, 'f64', 'SIGN').values;
    // Math.sign keeps -0 and NaN; a NUMBER's sign is an integer.
    if (type.kind === 'FLOAT') for (let i = 0; i < n; i++) out[i] = Math.sign(x[i]);
    else for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? 1 : x[i] < 0 ? -1 : 0;
  }
  return { kind: 'f64', length: n, values: out, nulls: v.nulls };
}

function resolveSign(types: readonly DataType[]): Signature {
  checkArity('sign', types, 1, 1);
  const x = numericOperand('sign', types, types[0], null);
  return { argTypes: [x], returnType: x.kind === 'FLOAT' ? Types.float : INTEGER };
}

function resolveSquare(types: readonly DataType[]): Signature {
  checkArity('square', types, 1, 1);
  const x = numericOperand('square', types, types[0], null);
  return { argTypes: [x], returnType: x.kind === 'FLOAT' ? Types.float : multiplyType(x as NumberType, x as NumberType) };
}

function squareKernel(args: Val[], argTypes: readonly DataType[], type: DataType, n: number): Val {
  return multiplyKernel([args[0], args[0]], [argTypes[0], argTypes[0]], type, n);
}

/** A FLOAT function of two arguments, each a vector or a constant. */
function floatBinaryFn(f: (a: number, b: number) => number) {
  return (args: Val[], _argTypes: readonly DataType[], _type: DataType, n: number): Val => {
    const [a, b] = args;
    const nulls = orNulls(nullsOf(a, n), nullsOf(b, n), n);
    const x = isConst(a) ? null : expectKind(a, 'f64', 'FLOAT function').values;
    const y = isConst(b) ? null : expectKind(b, 'f64', 'FLOAT function').values;
    const cx = isConst(a) ? Number(a.value) : 0;
    const cy = isConst(b) ? Number(b.value) : 0;
    const out = allocF64(n);
    if (x && y) for (let i = 0; i < n; i++) out[i] = f(x[i], y[i]);
    else if (x) for (let i = 0; i < n; i++) out[i] = f(x[i], cy);
    else for (let i = 0; i < n; i++) out[i] = f(cx, y![i]);
    return { kind: 'f64', length: n, values: out, nulls };
  };
}

function resolveWidthBucket(types: readonly DataType[]): Signature {
  checkArity('width_bucket', types, 4, 4);
  const operands = types.slice(0, 3).map((t) => numericOperand('width_bucket', types, t, null));
  numericOperand('width_bucket', types, types[3], null);
  // One type for the value and the bounds: FLOAT if any is, else NUMBER at their largest scale.
  const common = operands.some((t) => t.kind === 'FLOAT') ? Types.float : Types.number(38, Math.max(...operands.map((t) => (t as NumberType).scale)));
  return { argTypes: [common, common, common, INTEGER], returnType: INTEGER };
}

/** Bucket of x in [lo, hi) split into n (lo > hi: the range runs downward): 0 below, n + 1 at or past the end. */
function bucketOf(x: number, lo: number, hi: number, n: number): number {
  if (lo < hi) {
    if (x < lo) return 0;
    if (x >= hi) return n + 1;
    return exactFloorDiv((x - lo) * n, hi - lo) + 1;
  }
  if (x > lo) return 0;
  if (x <= hi) return n + 1;
  return exactFloorDiv((lo - x) * n, lo - hi) + 1;
}

/** floor(a / b) for b > 0, exact when a and b are integers below 2^53 (a NUMBER's scaled values), as near as doubles allow otherwise. */
function exactFloorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (Number.isSafeInteger(a) && Number.isSafeInteger(b) && Number.isSafeInteger((q + 1) * b)) {
    if (q * b > a) q--;
    else if ((q + 1) * b <= a) q++;
  }
  return q;
}

/**
 * WIDTH_BUCKET(x, lo, hi, n): the equi-width histogram bucket of x (Snowflake's, as in
 * PostgreSQL): 1..n inside the range, 0 before it, n + 1 after it; lo > hi numbers the
 * buckets downward. NUMBER arguments are compared on their scaled integers, exactly; n must be
 * positive and lo must differ from hi (INVALID_ARGUMENT_VALUE).
 */
function widthBucketKernel(args: Val[], argTypes: readonly DataType[], _type: DataType, n: number): Val {
  const vs = args.map((a, j) => materialize(a, argTypes[j], n));
  const nulls = vs.reduce<Nulls>((acc, v) => orNulls(acc, v.nulls, n), null);
  const out = allocF64(n);
  // A scaled value beyond 2^53 ('dec') is read as its nearest double.
  const [x, lo, hi, buckets] = vs.map((v) => (v.kind === 'dec' ? Float64Array.from(v.values, Number) : expectKind(v, 'f64', 'WIDTH_BUCKET').values));
  for (let i = 0; i < n; i++) {
    if (nulls !== null && nulls[i]) continue;
    const count = buckets[i];
    if (!(count > 0)) throw new DataError('INVALID_ARGUMENT_VALUE', `Invalid argument for WIDTH_BUCKET: the number of buckets must be positive, got ${count}`);
    if (lo[i] === hi[i]) throw new DataError('INVALID_ARGUMENT_VALUE', 'Invalid argument for WIDTH_BUCKET: the lower and upper bounds must differ');
    out[i] = bucketOf(x[i], lo[i], hi[i], count);
  }
  return { kind: 'f64', length: n, values: out, nulls };
}

const float1 = (name: string, f: (x: number) => number, aliases?: string[]): FunctionDef => ({
  name,
  aliases,
  resolve: resolveFloatFn(name, 1),
  kernel: floatUnary(f),
  strict: true,
});

export const mathFunctions: FunctionDef[] = [
  { name: 'sign', resolve: resolveSign, kernel: signKernel, strict: true },
  { name: 'square', resolve: resolveSquare, kernel: squareKernel, strict: true },
  { name: 'width_bucket', resolve: resolveWidthBucket, kernel: widthBucketKernel, strict: true },
  float1('cbrt', Math.cbrt),
  { name: 'pi', resolve: resolveFloatFn('pi', 0), kernel: () => constOf(Math.PI), strict: true },
  { name: 'log', resolve: resolveFloatFn('log', 2), kernel: floatBinaryFn((base, x) => Math.log(x) / Math.log(base)), strict: true },
  float1('sin', Math.sin),
  float1('cos', Math.cos),
  float1('tan', Math.tan),
  float1('cot', (x) => 1 / Math.tan(x)),
  float1('asin', Math.asin),
  float1('acos', Math.acos),
  float1('atan', Math.atan),
  { name: 'atan2', resolve: resolveFloatFn('atan2', 2), kernel: floatBinaryFn(Math.atan2), strict: true },
  float1('degrees', (x) => (x * 180) / Math.PI),
  float1('radians', (x) => (x * Math.PI) / 180),
];

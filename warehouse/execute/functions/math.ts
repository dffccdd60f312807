/**
 * More numeric functions: SIGN, SQUARE, CBRT, PI, LOG(base, x), the trigonometric SIN, COS,
 * TAN, COT, ASIN, ACOS, ATAN, ATAN2, and DEGREES / RADIANS. (ABS, ROUND, SQRT, LN, EXP, POWER
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
import type { Vector } from '../../../storage/types/vector.js';
import { floatUnary, multiplyKernel, numericOperand, resolveFloatFn } from './arithmetic.js';
import { INTEGER, checkArity, multiplyType, type FunctionDef, type NumberType, type Signature } from './type-rules.js';
import { constOf, expectKind, isConst, orNulls, nullsOf, type Val } from './vector-kit.js';

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

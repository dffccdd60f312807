/**
 * Snowflake's data-generation functions: RANDOM, SEQ1/SEQ2/SEQ4/SEQ8, UNIFORM, NORMAL and
 * RANDSTR. Why: test-data and sampling SQL (`SELECT SEQ4(), UNIFORM(1, 10, RANDOM()) FROM
 * TABLE(GENERATOR(ROWCOUNT => n))`) is everywhere in Snowflake projects.
 *
 * Contract (as bound by services/plan/bind-expr.ts):
 *  - random() is a new pseudo-random 64-bit signed integer per row (NUMBER(19,0)), from the
 *    platform's CSPRNG; volatile: never folded, never one value for all rows.
 *  - random(seed, ordinal): the binder appends the generator's row ordinal to RANDOM(seed);
 *    the value is splitmix64(splitmix64(seed) + ordinal) as a signed 64-bit integer, a pure
 *    function of (seed, ordinal): the same on every run and for any number of workers.
 *  - seqN(sign, ordinal): the ordinal counted in N bytes: unsigned (sign 0) it wraps to 0 after
 *    2^(8N) - 1, signed (sign 1) it runs from -2^(8N-1) after 2^(8N-1) - 1. NUMBER(38,0).
 *  - uniform(min, max, gen): integer in [min, max] when min and max are both integers, else a
 *    FLOAT in [min, max) (Snowflake wants constants; Firn takes any expression). The value is a pure
 *    function of gen (splitmix64 of its 64 bits), so a constant gen gives a constant.
 *  - normal(mean, stddev, gen): FLOAT, Box-Muller over two uniforms drawn from gen.
 *  - randstr(length, gen): `length` characters of [0-9A-Za-z], a pure function of gen.
 *  A NULL gen (or seed, min, max, length) gives NULL. gen of type FLOAT is used by its bits.
 * The mixing works on BigInts per row (RANDOM's values are NUMBER(19,0), which 'dec' vectors
 * hold as bigints anyway).
 */
import { randomFillSync } from 'node:crypto';
import { CompilationError, DataError } from '../../../storage/errors/firn-error.js';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { Nulls, Vector } from '../../../storage/types/vector.js';
import { allocF64 } from '../batch/array-pool.js';
import { fromBigints } from './decimal.js';
import { INTEGER, checkArity, coerce, coerceInteger, mismatch, type FunctionDef, type Signature } from './type-rules.js';
import { isConst, strVectorFromRows, unionNulls, type Val } from './vector-kit.js';

/** RANDOM's type: a signed 64-bit integer has at most 19 digits. */
const RANDOM_DIGITS = 19;
export const RANDOM_TYPE = Types.number(RANDOM_DIGITS, 0);
const SEQ_TYPE = INTEGER;
const M64 = (1n << 64n) - 1n;

/** splitmix64's finalizer over the 64-bit value x + golden ratio (an unsigned 64-bit BigInt). */
export function splitmix64(x: bigint): bigint {
  let z = (x + 0x9e3779b97f4a7c15n) & M64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}

/** The value RANDOM(seed) has on the row of ordinal `ordinal`. */
export function seededRandom(seed: bigint, ordinal: bigint): bigint {
  return BigInt.asIntN(64, splitmix64((splitmix64(seed & M64) + ordinal) & M64));
}

/** Row i of an integer or FLOAT argument as 64 bits (a FLOAT by its IEEE bits). */
function bitsAt(v: Val, type: DataType, i: number): bigint {
  if (isConst(v)) return toBits(v.value as bigint | number, type);
  if (v.kind === 'dec') return v.values[i] & M64;
  if (v.kind === 'f64') return toBits(v.values[i], type);
  throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: a data-generation argument of type ${type.kind}`);
}

const FLOAT_BITS = new DataView(new ArrayBuffer(8));
function toBits(x: bigint | number, type: DataType): bigint {
  if (typeof x === 'bigint') return x & M64;
  if (type.kind === 'FLOAT') {
    FLOAT_BITS.setFloat64(0, x);
    return FLOAT_BITS.getBigUint64(0);
  }
  return BigInt(x) & M64;
}

/** A uniform double in [0, 1) from 64 mixed bits. */
function unit(bits: bigint): number {
  return Number(bits >> 11n) / 2 ** 53;
}

function numberArg(v: Val, i: number): number {
  if (isConst(v)) return Number(v.value);
  if (v.kind === 'dec') return Number(v.values[i]);
  return (v as Extract<Vector, { kind: 'f64' }>).values[i];
}

// --- RANDOM ---------------------------------------------------------------------------------

function resolveRandom(types: readonly DataType[]): Signature {
  if (types.length === 0) return { argTypes: [], returnType: RANDOM_TYPE };
  if (types.length !== 2) throw mismatch('random', types);
  return { argTypes: [coerceInteger('random', types, types[0]), types[1]], returnType: RANDOM_TYPE };
}

function randomKernel(args: Val[], argTypes: readonly DataType[], _type: DataType, n: number): Val {
  const out = new Array<bigint>(n);
  if (args.length === 0) {
    const words = new BigInt64Array(n);
    randomFillSync(words);
    for (let i = 0; i < n; i++) out[i] = words[i];
    return fromBigints(out, null, RANDOM_DIGITS, 0);
  }
  const nulls = unionNulls(args, n);
  for (let i = 0; i < n; i++) out[i] = nulls && nulls[i] ? 0n : seededRandom(bitsAt(args[0], argTypes[0], i), bitsAt(args[1], argTypes[1], i));
  return fromBigints(out, nulls, RANDOM_DIGITS, 0);
}

// --- SEQ1/2/4/8 -----------------------------------------------------------------------------

function resolveSeq(fn: string) {
  return (types: readonly DataType[]): Signature => {
    if (types.length !== 2) throw mismatch(fn, types);
    return { argTypes: [coerceInteger(fn, types, types[0]), types[1]], returnType: SEQ_TYPE };
  };
}

function seqKernel(bytes: number) {
  const span = 2 ** (8 * bytes);
  return (args: Val[], _argTypes: readonly DataType[], _type: DataType, n: number): Val => {
    const signed = isConst(args[0]) && Number(args[0].value) === 1;
    const out = allocF64(n);
    const ord = args[1];
    // Ordinals are exact integers below 2^53; SEQ8 never wraps within them.
    const wrap = (r: number) => (signed ? ((r + span / 2) % span) - span / 2 : r % span);
    if (isConst(ord)) out.fill(wrap(Number(ord.value)));
    else {
      const r = (ord as Extract<Vector, { kind: 'f64' }>).values;
      if (bytes === 8) out.set(r.subarray(0, n));
      else for (let i = 0; i < n; i++) out[i] = wrap(r[i]);
    }
    return { kind: 'f64', length: n, values: out, nulls: null };
  };
}

// --- UNIFORM, NORMAL, RANDSTR ---------------------------------------------------------------

/** gen: an integer (any NUMBER of scale 0, widened) or a FLOAT (used by its bits). */
function genType(fn: string, types: readonly DataType[], t: DataType): DataType {
  return t.kind === 'FLOAT' ? t : coerceInteger(fn, types, t);
}

function resolveUniform(types: readonly DataType[]): Signature {
  checkArity('uniform', types, 3, 3);
  const integral = types[0].kind === 'NUMBER' && types[0].scale === 0 && types[1].kind === 'NUMBER' && types[1].scale === 0;
  const bound = integral ? INTEGER : Types.float;
  return { argTypes: [coerce('uniform', types, types[0], bound), coerce('uniform', types, types[1], bound), genType('uniform', types, types[2])], returnType: bound };
}

function uniformKernel(args: Val[], argTypes: readonly DataType[], type: DataType, n: number): Val {
  const nulls = unionNulls(args, n);
  if (type.kind === 'FLOAT') {
    const out = allocF64(n);
    for (let i = 0; i < n; i++) {
      if (nulls && nulls[i]) continue;
      const lo = numberArg(args[0], i);
      const hi = numberArg(args[1], i);
      out[i] = lo + unit(splitmix64(bitsAt(args[2], argTypes[2], i))) * (hi - lo);
    }
    return { kind: 'f64', length: n, values: out, nulls };
  }
  const out = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    if (nulls && nulls[i]) {
      out[i] = 0n;
      continue;
    }
    let lo = BigInt(numberArg(args[0], i));
    let hi = BigInt(numberArg(args[1], i));
    if (lo > hi) [lo, hi] = [hi, lo];
    out[i] = lo + (splitmix64(bitsAt(args[2], argTypes[2], i)) % (hi - lo + 1n));
  }
  return fromBigints(out, nulls, INTEGER.precision, 0);
}

function resolveNormal(types: readonly DataType[]): Signature {
  checkArity('normal', types, 3, 3);
  return { argTypes: [coerce('normal', types, types[0], Types.float), coerce('normal', types, types[1], Types.float), genType('normal', types, types[2])], returnType: Types.float };
}

function normalKernel(args: Val[], argTypes: readonly DataType[], _type: DataType, n: number): Val {
  const nulls = unionNulls(args, n);
  const out = allocF64(n);
  for (let i = 0; i < n; i++) {
    if (nulls && nulls[i]) continue;
    const a = splitmix64(bitsAt(args[2], argTypes[2], i));
    const u1 = 1 - unit(a); // (0, 1]: the logarithm stays finite
    const u2 = unit(splitmix64(a));
    out[i] = numberArg(args[0], i) + numberArg(args[1], i) * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  return { kind: 'f64', length: n, values: out, nulls };
}

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Longest RANDSTR: Snowflake's VARCHAR limit. */
const MAX_RANDSTR = 16_777_216;

function resolveRandstr(types: readonly DataType[]): Signature {
  checkArity('randstr', types, 2, 2);
  return { argTypes: [coerceInteger('randstr', types, types[0]), genType('randstr', types, types[1])], returnType: Types.varchar };
}

function randstrKernel(args: Val[], argTypes: readonly DataType[], _type: DataType, n: number): Val {
  const nulls: Nulls = unionNulls(args, n);
  const rows = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    if (nulls && nulls[i]) {
      rows[i] = null;
      continue;
    }
    const length = numberArg(args[0], i);
    if (length < 0 || length > MAX_RANDSTR) throw new DataError('INVALID_ARGUMENT_VALUE', `Invalid length ${length} for function RANDSTR: it must be between 0 and ${MAX_RANDSTR}`);
    let state = bitsAt(args[1], argTypes[1], i);
    let s = '';
    for (let k = 0; k < length; k++) {
      state = splitmix64(state);
      s += ALPHANUMERIC[Number(state % 62n)];
    }
    rows[i] = s;
  }
  return strVectorFromRows(rows);
}

export const dataGenerationFunctions: FunctionDef[] = [
  { name: 'random', resolve: resolveRandom, kernel: randomKernel, strict: true, volatile: true },
  { name: 'seq1', resolve: resolveSeq('seq1'), kernel: seqKernel(1), strict: true },
  { name: 'seq2', resolve: resolveSeq('seq2'), kernel: seqKernel(2), strict: true },
  { name: 'seq4', resolve: resolveSeq('seq4'), kernel: seqKernel(4), strict: true },
  { name: 'seq8', resolve: resolveSeq('seq8'), kernel: seqKernel(8), strict: true },
  { name: 'uniform', resolve: resolveUniform, kernel: uniformKernel, strict: true },
  { name: 'normal', resolve: resolveNormal, kernel: normalKernel, strict: true },
  { name: 'randstr', resolve: resolveRandstr, kernel: randstrKernel, strict: true },
];




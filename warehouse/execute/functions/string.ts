/**
 * String functions: CONCAT / ||, UPPER, LOWER, LENGTH, SUBSTR, LEFT, RIGHT, TRIM, LTRIM,
 * RTRIM, REPLACE, STARTSWITH, ENDSWITH, CONTAINS, POSITION, LPAD, RPAD, SPLIT_PART, and
 * LIKE / ILIKE as functions (so a pattern with an ESCAPE argument can be bound as a call).
 *
 * Contract: the speed trick for strings: when the string argument is a 'str' vector and the
 * other arguments are constants, the function runs once per dictionary entry; string results
 * keep the input's codes with a new dictionary, number and boolean results are mapped through
 * the codes. Otherwise it runs per row. Lengths and positions count characters (code points),
 * 1-based, as Snowflake does. Any NULL argument gives NULL. A function whose result would be
 * longer than MAX_VARCHAR_LENGTH characters (LPAD, RPAD, CONCAT / ||, REPLACE) raises
 * STRING_TOO_LONG (100078 / 22001) from the lengths alone, before building anything. CONCAT / ||
 * of BINARY values joins their bytes (a BINARY); LENGTH of a BINARY counts bytes. Every
 * string result is counted by reserveStringHeap, which fails the statement with 53200 before
 * its strings fill the worker's heap (heap-headroom.ts).
 */
import { allocF64, allocU8 } from '../batch/array-pool.js';
import { DataError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { MAX_VARCHAR_LENGTH, Types } from '../../../storage/types/data-type.js';
import type { Scalar } from '../../../storage/types/scalar.js';
import type { StrVector, Vector } from '../../../storage/types/vector.js';
import { reserveStringHeap } from './heap-headroom.js';
import { likeValues } from './like.js';
import { INTEGER, checkArity, coerceInteger, coerceString, type FunctionDef, type Signature } from './type-rules.js';
import { tsToNanos } from '../../../storage/types/timestamp-nanos.js';
import { compactStrings, expectKind, isConst, strVectorFromRows, unionNulls, type Val } from './vector-kit.js';

// ---------------------------------------------------------------------------------------
// Characters (code points) without splitting strings that have no surrogate pairs

export const SURROGATE = /[\uD800-\uDFFF]/;

export function charLength(s: string): number {
  if (!SURROGATE.test(s)) return s.length;
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) count++;
  }
  return count;
}

/** Characters [from, to) of s (0-based, clamped). */
export function charSlice(s: string, from: number, to: number): string {
  if (!SURROGATE.test(s)) return s.slice(Math.max(from, 0), Math.max(to, 0));
  return Array.from(s).slice(Math.max(from, 0), Math.max(to, 0)).join('');
}

/** SUBSTR(s, start[, length]): 1-based start; 0 acts as 1; a negative start counts from the end. */
function substr(s: string, start: number, length: number | null): string {
  if (length !== null && length <= 0) return '';
  const len = charLength(s);
  const begin = start > 0 ? start - 1 : start === 0 ? 0 : len + start;
  if (begin < 0 && length !== null && begin + length <= 0) return '';
  const from = Math.max(begin, 0);
  const to = length === null ? len : begin + length;
  return charSlice(s, from, to);
}

function trimSet(chars: string): Set<string> {
  return new Set(Array.from(chars));
}

function trimWith(s: string, set: Set<string>, leading: boolean, trailing: boolean): string {
  const cs = Array.from(s);
  let a = 0;
  let b = cs.length;
  if (leading) while (a < b && set.has(cs[a])) a++;
  if (trailing) while (b > a && set.has(cs[b - 1])) b--;
  return a === 0 && b === cs.length ? s : cs.slice(a, b).join('');
}

/**
 * Raises STRING_TOO_LONG when a result of `chars` characters would pass the maximum length.
 * Callers first bound the length by UTF-16 code units (cheap) and count characters only
 * past it. Snowflake names no value in this error: '(LONG STRING)'.
 */
export function checkResultLength(fn: string, chars: number): void {
  if (chars > MAX_VARCHAR_LENGTH) {
    throw new DataError('STRING_TOO_LONG', `String '(LONG STRING)' is too long and would be truncated (${fn} result of ${chars} characters; the maximum is ${MAX_VARCHAR_LENGTH})`);
  }
}

function pad(s: string, length: number, fill: string, left: boolean): string {
  if (length <= 0) return '';
  const len = charLength(s);
  if (len >= length) return charSlice(s, 0, length);
  if (fill === '') return s;
  checkResultLength(left ? 'LPAD' : 'RPAD', length);
  reserveStringHeap(length);
  const need = length - len;
  let padding: string;
  if (!SURROGATE.test(fill)) {
    padding = fill.repeat(Math.ceil(need / fill.length)).slice(0, need);
  } else {
    const fillChars = Array.from(fill);
    padding = fill.repeat(Math.floor(need / fillChars.length)) + fillChars.slice(0, need % fillChars.length).join('');
  }
  return left ? padding + s : s + padding;
}

/** REPLACE(s, target, replacement) for a non-empty target, its length checked before it is built. */
function replaceAll(s: string, target: string, replacement: string): string {
  if (replacement.length > target.length) {
    let count = 0;
    for (let at = s.indexOf(target); at >= 0; at = s.indexOf(target, at + target.length)) count++;
    if (s.length + count * (replacement.length - target.length) > MAX_VARCHAR_LENGTH) {
      checkResultLength('REPLACE', charLength(s) + count * (charLength(replacement) - charLength(target)));
    }
  }
  const replaced = s.split(target).join(replacement);
  reserveStringHeap(replaced.length);
  return replaced;
}

/** 1-based character position of `needle` in `s` at or after `start`; 0 when absent. */
function position(needle: string, s: string, start: number): number {
  const from = Math.max(start, 1) - 1;
  if (!SURROGATE.test(s) && !SURROGATE.test(needle)) {
    const at = s.indexOf(needle, from);
    return at < 0 ? 0 : at + 1;
  }
  const chars = Array.from(s);
  const unitFrom = chars.slice(0, from).join('').length;
  const at = s.indexOf(needle, unitFrom);
  return at < 0 ? 0 : charLength(s.slice(0, at)) + 1;
}

/**
 * SPLIT_PART(s, delimiter, part), Snowflake's rules: parts are 1-based, a negative part
 * counts from the end, 0 acts as 1, a part out of range is ''. A leading or trailing
 * delimiter makes an empty first or last part. An empty delimiter does not split: the whole
 * string is the only part (DuckDB splits into characters instead).
 */
function splitPart(s: string, delimiter: string, part: number): string {
  const parts = delimiter === '' ? [s] : s.split(delimiter);
  const k = part === 0 ? 0 : part > 0 ? part - 1 : parts.length + part;
  return k >= 0 && k < parts.length ? parts[k] : '';
}

// ---------------------------------------------------------------------------------------
// Kernel shapes

export type Out = string | number | boolean | null;
/** Given the constant (or per-row) extra arguments, the function of the main string. */
export type StringFn = (params: readonly Scalar[]) => (s: string) => Out;

/** Reads row i of any argument as a Scalar-like value (NUMBER as a JS number). */
function rowReader(v: Val): (i: number) => Scalar {
  if (isConst(v)) {
    const c = typeof v.value === 'bigint' ? Number(v.value) : v.value;
    return () => c;
  }
  switch (v.kind) {
    case 'str':
      return (i) => v.dict[v.codes[i]];
    case 'f64':
    case 'i32':
      return (i) => v.values[i];
    case 'dec':
      return (i) => Number(v.values[i]);
    case 'bool':
      return (i) => v.values[i] !== 0;
    case 'ts':
      return (i) => tsToNanos(v.secs[i], v.nanos[i]);
  }
}

function buildResult(kind: 'str' | 'f64' | 'bool', values: Out[], nulls: Uint8Array | null, n: number): Vector {
  let outNulls = nulls;
  const markNull = (i: number): void => {
    outNulls ??= allocU8(n);
    outNulls[i] = 1;
  };
  if (kind === 'str') {
    const rows = new Array<string | null>(n);
    for (let i = 0; i < n; i++) rows[i] = (nulls && nulls[i]) || values[i] === null ? null : (values[i] as string);
    return strVectorFromRows(rows);
  }
  if (kind === 'f64') {
    const out = allocF64(n);
    for (let i = 0; i < n; i++) {
      if (nulls && nulls[i]) continue;
      if (values[i] === null) markNull(i);
      else out[i] = values[i] as number;
    }
    return { kind: 'f64', length: n, values: out, nulls: outNulls };
  }
  const out = allocU8(n);
  for (let i = 0; i < n; i++) {
    if (nulls && nulls[i]) continue;
    if (values[i] === null) markNull(i);
    else out[i] = values[i] ? 1 : 0;
  }
  return { kind: 'bool', length: n, values: out, nulls: outNulls };
}

/** Runs f once per dictionary entry of v and maps the results through the codes. */
function perEntry(input: StrVector, f: (s: string) => Out, kind: 'str' | 'f64' | 'bool'): Vector {
  const v = compactStrings(input);
  const n = v.length;
  const m = v.dict.length;
  const results: Out[] = new Array<Out>(m);
  let nullEntries = false;
  for (let e = 0; e < m; e++) {
    const r = f(v.dict[e]);
    results[e] = r;
    if (r === null) nullEntries = true;
    else if (typeof r === 'string') reserveStringHeap(r.length);
  }
  let nulls = v.nulls;
  if (nullEntries) {
    const out = allocU8(n);
    for (let i = 0; i < n; i++) out[i] = (nulls && nulls[i]) || results[v.codes[i]] === null ? 1 : 0;
    nulls = out;
  }
  if (kind === 'str') return { kind: 'str', length: n, codes: v.codes, dict: results.map((r) => (r === null ? '' : (r as string))), nulls };
  const codes = v.codes;
  if (kind === 'f64') {
    const table = allocF64(m);
    for (let e = 0; e < m; e++) table[e] = (results[e] as number | null) ?? 0;
    const out = allocF64(n);
    for (let i = 0; i < n; i++) out[i] = table[codes[i]];
    return { kind: 'f64', length: n, values: out, nulls };
  }
  const table = allocU8(m);
  for (let e = 0; e < m; e++) table[e] = results[e] ? 1 : 0;
  const out = allocU8(n);
  for (let i = 0; i < n; i++) out[i] = table[codes[i]];
  return { kind: 'bool', length: n, values: out, nulls };
}

/**
 * A kernel whose argument `main` is the string worked on and the others are parameters:
 * once per dictionary entry when the parameters are constant, else once per row.
 */
export function stringKernel(kind: 'str' | 'f64' | 'bool', fn: StringFn, main = 0) {
  return (args: Val[], _argTypes: readonly DataType[], _type: DataType, n: number): Val => {
    const s = args[main];
    const params = args.filter((_, j) => j !== main);
    if (!isConst(s) && params.every(isConst)) {
      return perEntry(expectKind(s, 'str', 'string function'), fn(params.map((p) => (typeof p.value === 'bigint' ? Number(p.value) : p.value))), kind);
    }
    // Parameters vary per row: rebuild the function for each row (the rare, slow path).
    const nulls = unionNulls(args, n);
    const readS = rowReader(s);
    const readers = params.map(rowReader);
    const row: Scalar[] = new Array<Scalar>(readers.length);
    const values = new Array<Out>(n);
    for (let i = 0; i < n; i++) {
      if (nulls && nulls[i]) continue;
      for (let j = 0; j < readers.length; j++) row[j] = readers[j](i);
      const r = fn(row)(String(readS(i)));
      values[i] = r;
      if (typeof r === 'string') reserveStringHeap(r.length);
    }
    return buildResult(kind, values, nulls, n);
  };
}

function concatKernel(args: Val[], _argTypes: readonly DataType[], _type: DataType, n: number): Val {
  const vectors = args.filter((a) => !isConst(a));
  if (vectors.length === 1) {
    const at = args.indexOf(vectors[0]);
    const prefix = args.slice(0, at).map((a) => String((a as { value: Scalar }).value)).join('');
    const suffix = args.slice(at + 1).map((a) => String((a as { value: Scalar }).value)).join('');
    return perEntry(expectKind(vectors[0] as Vector, 'str', 'concat'), (s) => concatChecked([prefix, s, suffix]), 'str');
  }
  const nulls = unionNulls(args, n);
  const readers = args.map(rowReader);
  const parts = new Array<string>(readers.length);
  const values = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    if (nulls && nulls[i]) {
      values[i] = null;
      continue;
    }
    for (let j = 0; j < readers.length; j++) parts[j] = String(readers[j](i));
    values[i] = concatChecked(parts);
  }
  return strVectorFromRows(values);
}

/** The parts joined, their total length checked first. */
function concatChecked(parts: readonly string[]): string {
  let units = 0;
  for (const p of parts) units += p.length;
  if (units > MAX_VARCHAR_LENGTH) {
    let chars = 0;
    for (const p of parts) chars += charLength(p);
    checkResultLength('CONCAT', chars);
  }
  reserveStringHeap(units);
  return parts.join('');
}

function likeKernel(caseInsensitive: boolean) {
  return (args: Val[], _argTypes: readonly DataType[], _type: DataType, n: number): Val =>
    likeValues(args[0], args[1], args.length > 2 ? args[2] : null, caseInsensitive, n);
}

// ---------------------------------------------------------------------------------------
// Typing

/** Argument kinds: 's' a string, 'i' an integer. */
export function resolveShape(fn: string, shape: string, minArgs: number, returnType: DataType) {
  return (types: readonly DataType[]): Signature => {
    checkArity(fn, types, minArgs, shape.length);
    const argTypes = types.map((t, j) => (shape[j] === 'i' ? coerceInteger(fn, types, t) : coerceString(fn, types, t)));
    return { argTypes, returnType };
  };
}

/** CONCAT / ||: of BINARY values only (NULLs aside), the BINARY of their bytes; else text. */
function resolveConcat(types: readonly DataType[]): Signature {
  checkArity('concat', types, 1, Infinity);
  if (types.some((t) => t.kind === 'BINARY') && types.every((t) => t.kind === 'BINARY' || t.kind === 'NULL')) {
    return { argTypes: types.map(() => Types.binary), returnType: Types.binary };
  }
  return { argTypes: types.map((t) => coerceString('concat', types, t)), returnType: Types.varchar };
}

/** LENGTH of a string counts characters; of a BINARY value, bytes (byte strings: one unit per byte). */
function resolveLength(types: readonly DataType[]): Signature {
  if (types.length === 1 && types[0].kind === 'BINARY') return { argTypes: [types[0]], returnType: INTEGER };
  return resolveShape('length', 's', 1, INTEGER)(types);
}

const charLengthKernel = stringKernel('f64', () => charLength);
const byteLengthKernel = stringKernel('f64', () => (s) => s.length);

const num = (v: Scalar): number => Number(v);
const str = (v: Scalar): string => String(v);

export const stringFunctions: FunctionDef[] = [
  { name: 'concat', resolve: resolveConcat, kernel: concatKernel, strict: true },
  { name: 'upper', resolve: resolveShape('upper', 's', 1, Types.varchar), kernel: stringKernel('str', () => (s) => s.toUpperCase()), strict: true },
  { name: 'lower', resolve: resolveShape('lower', 's', 1, Types.varchar), kernel: stringKernel('str', () => (s) => s.toLowerCase()), strict: true },
  {
    name: 'length',
    aliases: ['len', 'char_length', 'character_length'],
    resolve: resolveLength,
    kernel: (args, argTypes, type, n) => (argTypes[0].kind === 'BINARY' ? byteLengthKernel : charLengthKernel)(args, argTypes, type, n),
    strict: true,
  },
  {
    name: 'substr',
    aliases: ['substring'],
    resolve: resolveShape('substr', 'sii', 2, Types.varchar),
    kernel: stringKernel('str', ([start, length]) => (s) => substr(s, num(start), length === undefined ? null : num(length))),
    strict: true,
  },
  { name: 'left', resolve: resolveShape('left', 'si', 2, Types.varchar), kernel: stringKernel('str', ([k]) => (s) => charSlice(s, 0, num(k))), strict: true },
  {
    name: 'right',
    resolve: resolveShape('right', 'si', 2, Types.varchar),
    kernel: stringKernel('str', ([k]) => (s) => (num(k) <= 0 ? '' : charSlice(s, charLength(s) - num(k), Infinity))),
    strict: true,
  },
  ...(['trim', 'ltrim', 'rtrim'] as const).map(
    (name): FunctionDef => ({
      name,
      resolve: resolveShape(name, 'ss', 1, Types.varchar),
      kernel: stringKernel('str', ([chars]) => {
        const set = trimSet(chars === undefined ? ' ' : str(chars));
        return (s) => trimWith(s, set, name !== 'rtrim', name !== 'ltrim');
      }),
      strict: true,
    }),
  ),
  {
    name: 'replace',
    resolve: resolveShape('replace', 'sss', 2, Types.varchar),
    kernel: stringKernel('str', ([from, to]) => {
      const target = str(from);
      const replacement = to === undefined ? '' : str(to);
      return (s) => (target === '' ? s : replaceAll(s, target, replacement));
    }),
    strict: true,
  },
  { name: 'startswith', resolve: resolveShape('startswith', 'ss', 2, Types.boolean), kernel: stringKernel('bool', ([p]) => (s) => s.startsWith(str(p))), strict: true },
  { name: 'endswith', resolve: resolveShape('endswith', 'ss', 2, Types.boolean), kernel: stringKernel('bool', ([p]) => (s) => s.endsWith(str(p))), strict: true },
  { name: 'contains', resolve: resolveShape('contains', 'ss', 2, Types.boolean), kernel: stringKernel('bool', ([p]) => (s) => s.includes(str(p))), strict: true },
  {
    name: 'position',
    aliases: ['charindex'],
    resolve: resolveShape('position', 'ssi', 2, INTEGER),
    kernel: stringKernel('f64', ([needle, start]) => (s) => position(str(needle), s, start === undefined ? 1 : num(start)), 1),
    strict: true,
  },
  ...(['lpad', 'rpad'] as const).map(
    (name): FunctionDef => ({
      name,
      resolve: resolveShape(name, 'sis', 2, Types.varchar),
      kernel: stringKernel('str', ([length, fill]) => (s) => pad(s, num(length), fill === undefined ? ' ' : str(fill), name === 'lpad')),
      strict: true,
    }),
  ),
  {
    name: 'split_part',
    resolve: resolveShape('split_part', 'ssi', 3, Types.varchar),
    kernel: stringKernel('str', ([delimiter, part]) => (s) => splitPart(s, str(delimiter), num(part))),
    strict: true,
  },
  { name: 'like', resolve: resolveShape('like', 'sss', 2, Types.boolean), kernel: likeKernel(false), strict: true },
  { name: 'ilike', resolve: resolveShape('ilike', 'sss', 2, Types.boolean), kernel: likeKernel(true), strict: true },
];

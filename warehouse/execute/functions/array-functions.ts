/**
 * ARRAY functions beyond construction and access (semi-structured.ts): ARRAY_APPEND,
 * ARRAY_PREPEND, ARRAY_CAT, ARRAY_INSERT, ARRAY_SLICE, ARRAY_COMPACT, ARRAY_DISTINCT,
 * ARRAY_FLATTEN, ARRAY_REVERSE, ARRAY_GENERATE_RANGE, ARRAYS_OVERLAP, ARRAY_INTERSECTION,
 * ARRAY_EXCEPT, ARRAY_POSITION, ARRAY_MIN, ARRAY_MAX and ARRAY_SORT.
 *
 * Why: dbt models build and reshape arrays with these (dbt-core's Snowflake cross-database
 * macros call ARRAY_APPEND and ARRAY_CAT; dbt_utils' and hand-written models the rest).
 *
 * Contract (Snowflake's documented rules):
 *  - Arrays are canonical JSON text (storage/types/variant-json.ts); a SQL NULL element is
 *    `undefined`, distinct from a JSON null. Array arguments are cast to ARRAY (a VARIANT that
 *    holds something else fails that cast); element arguments to VARIANT.
 *  - Elements are equal when their canonical texts are, as `=` compares VARIANTs; ARRAYS_OVERLAP,
 *    ARRAY_INTERSECTION, ARRAY_EXCEPT, ARRAY_DISTINCT and ARRAY_POSITION are NULL-safe (a SQL
 *    NULL element matches a SQL NULL element). INTERSECTION and EXCEPT are multiset
 *    operations (N copies against M copies keep min(N, M), resp. max(0, N - M)), in the first
 *    array's order.
 *  - A NULL array gives NULL. ARRAY_APPEND / ARRAY_PREPEND / ARRAY_INSERT of a SQL NULL element
 *    add `undefined`; ARRAY_POSITION of NULL finds the first `undefined`. The other arguments
 *    (positions, bounds, flags) give NULL when NULL.
 *  - Positions are 0-based; a negative one counts from the end. ARRAY_SLICE(a, from, to) keeps
 *    [from, to) clamped to the array; ARRAY_INSERT past the end pads with `undefined` (before
 *    the start it inserts first).
 *  - ARRAY_COMPACT drops SQL NULL and JSON null elements. ARRAY_FLATTEN removes one level of
 *    nesting: NULL when an element is NULL (SQL or JSON), INVALID_ARGUMENT_VALUE when one is
 *    not an array.
 *  - ARRAY_GENERATE_RANGE(start, stop [, step = 1]) counts from start towards stop, stop
 *    excluded (empty when step points away); a step of 0 is INVALID_ARGUMENT_VALUE.
 *  - ARRAY_MIN / ARRAY_MAX skip SQL NULL elements and return a VARIANT (NULL for an empty or
 *    all-NULL array); ARRAY_SORT(a [, ascending = TRUE [, nulls_first = NOT ascending]]) places
 *    SQL NULL elements by nulls_first. Both order values as ORDER BY does
 *    (storage/types/variant-order-key.ts: one kind by value, numbers numerically whatever their
 *    form; across kinds numbers < strings < booleans < arrays < objects < JSON null, so a JSON
 *    null sorts above every other value, as Snowflake's examples show). The sort is stable.
 *  - A result whose text would pass MAX_VARCHAR_LENGTH raises ARRAY_TOO_LARGE before it is built.
 */
import { DataError } from '../../../storage/errors/firn-error.js';
import { clipValue } from '../../../storage/errors/clip-value.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { MAX_VARCHAR_LENGTH, Types } from '../../../storage/types/data-type.js';
import type { Scalar } from '../../../storage/types/scalar.js';
import { arrayElements } from '../../../storage/types/variant-json.js';
import { variantOrderKey } from '../../../storage/types/variant-order-key.js';
import { reserveStringHeap } from './heap-headroom.js';
import { rowKernel } from './row-kernel.js';
import { INTEGER, checkArity, coerce, coerceInteger, type FunctionDef, type Signature } from './type-rules.js';

const A = Types.array;
const V = Types.variant;
const UNDEFINED = 'undefined';

/** An array's text from element texts. */
function arrayOf(elements: readonly string[]): string {
  return `[${elements.join(',')}]`;
}

/** An element argument's text: a SQL NULL is `undefined`. */
function element(v: Scalar): string {
  return v === null ? UNDEFINED : String(v);
}

function tooLarge(fn: string, what: string): DataError {
  return new DataError('ARRAY_TOO_LARGE', `The result of ${fn.toUpperCase()} would be ${what}, more than the largest ARRAY (${MAX_VARCHAR_LENGTH} bytes)`);
}

/** Checks that a result of about `units` characters fits, and counts it against the heap. */
function reserve(fn: string, units: number): void {
  if (units > MAX_VARCHAR_LENGTH) throw tooLarge(fn, `${units} characters long`);
  reserveStringHeap(units);
}

/** Counts of each element text, for the multiset operations. */
function counts(elements: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of elements) m.set(e, (m.get(e) ?? 0) + 1);
  return m;
}

/** A 0-based position, a negative one counted from the end of an array of `length`. */
function fromEnd(pos: number, length: number): number {
  return pos < 0 ? length + pos : pos;
}

// ---------------------------------------------------------------------------------------
// Typing

/** Argument kinds: 'a' an ARRAY, 'v' a VARIANT, 'i' an integer, 'b' a BOOLEAN. */
function shape(fn: string, kinds: string, min: number, returnType: DataType) {
  return (types: readonly DataType[]): Signature => {
    checkArity(fn, types, min, kinds.length);
    const argTypes = types.map((t, j): DataType => {
      switch (kinds[j]) {
        case 'a':
          return A;
        case 'i':
          return coerceInteger(fn, types, t);
        case 'b':
          return coerce(fn, types, t, Types.boolean);
        default:
          return V;
      }
    });
    return { argTypes, returnType };
  };
}

const num = (v: Scalar): number => Number(v);

// ---------------------------------------------------------------------------------------
// The functions

function insertAt(a: string, pos: number, e: string): string {
  const items = arrayElements(a);
  const at = Math.max(0, fromEnd(pos, items.length));
  if (at > items.length) {
    reserve('array_insert', a.length + (at - items.length) * (UNDEFINED.length + 1) + e.length);
    while (items.length < at) items.push(UNDEFINED);
  }
  items.splice(at, 0, e);
  return arrayOf(items);
}

function slice(a: string, from: number, to: number): string {
  const items = arrayElements(a);
  const start = Math.max(0, fromEnd(from, items.length));
  const end = Math.min(items.length, fromEnd(to, items.length));
  return start >= end ? '[]' : arrayOf(items.slice(start, end));
}

function flatten(a: string): string | null {
  const out: string[] = [];
  for (const e of arrayElements(a)) {
    if (e === UNDEFINED || e === 'null') return null;
    if (e[0] !== '[') throw new DataError('INVALID_ARGUMENT_VALUE', `Invalid argument for ARRAY_FLATTEN: element ${clipValue(e)} is not an ARRAY (expected an ARRAY of ARRAYs)`);
    for (const inner of arrayElements(e)) out.push(inner);
  }
  return arrayOf(out);
}

function generateRange([start, stop, step]: readonly Scalar[]): string {
  const a = BigInt(start as bigint);
  const b = BigInt(stop as bigint);
  const s = step === undefined ? 1n : BigInt(step as bigint);
  if (s === 0n) throw new DataError('INVALID_ARGUMENT_VALUE', 'Invalid value 0 for the step argument of ARRAY_GENERATE_RANGE: it must not be 0');
  const span = s > 0n ? b - a : a - b;
  const size = span <= 0n ? 0n : (span + (s > 0n ? s : -s) - 1n) / (s > 0n ? s : -s);
  const widest = Math.max(a.toString().length, b.toString().length) + 1;
  if (size * BigInt(widest) > BigInt(MAX_VARCHAR_LENGTH)) throw tooLarge('array_generate_range', `${size} elements`);
  reserveStringHeap(Number(size) * widest);
  const out = new Array<string>(Number(size));
  let v = a;
  for (let i = 0; i < out.length; i++, v += s) out[i] = v.toString();
  return arrayOf(out);
}

function intersection(a: string, b: string): string {
  const available = counts(arrayElements(b));
  const out: string[] = [];
  for (const e of arrayElements(a)) {
    const c = available.get(e) ?? 0;
    if (c > 0) {
      out.push(e);
      available.set(e, c - 1);
    }
  }
  return arrayOf(out);
}

function except(a: string, b: string): string {
  const excluded = counts(arrayElements(b));
  const out: string[] = [];
  for (const e of arrayElements(a)) {
    const c = excluded.get(e) ?? 0;
    if (c > 0) excluded.set(e, c - 1);
    else out.push(e);
  }
  return arrayOf(out);
}

function overlaps(a: string, b: string): boolean {
  const first = new Set(arrayElements(a));
  return arrayElements(b).some((e) => first.has(e));
}

/** The least (or, `max`, the greatest) element that is not a SQL NULL; null when there is none. */
function extreme(a: string, max: boolean): string | null {
  let best: string | null = null;
  let bestKey = '';
  for (const e of arrayElements(a)) {
    if (e === UNDEFINED) continue;
    const key = variantOrderKey(e);
    if (best === null || (max ? key > bestKey : key < bestKey)) {
      best = e;
      bestKey = key;
    }
  }
  return best;
}

function sortArray(a: string, ascending: boolean, nullsFirst: boolean): string {
  const items = arrayElements(a);
  const keyed: [string, string][] = [];
  for (const e of items) if (e !== UNDEFINED) keyed.push([variantOrderKey(e), e]);
  const sign = ascending ? 1 : -1;
  keyed.sort((x, y) => (x[0] < y[0] ? -sign : x[0] > y[0] ? sign : 0));
  const values = keyed.map(([, e]) => e);
  const undefinedRun = new Array<string>(items.length - values.length).fill(UNDEFINED);
  return arrayOf(nullsFirst ? [...undefinedRun, ...values] : [...values, ...undefinedRun]);
}

function resolveSort(types: readonly DataType[]): Signature {
  return shape('array_sort', 'abb', 1, A)(types);
}

export const arrayFunctions: FunctionDef[] = [
  {
    name: 'array_append',
    resolve: shape('array_append', 'av', 2, A),
    kernel: rowKernel('str', ([a, e]) => (a === null ? null : arrayOf([...arrayElements(String(a)), element(e)])), false),
    strict: false,
  },
  {
    name: 'array_prepend',
    resolve: shape('array_prepend', 'av', 2, A),
    kernel: rowKernel('str', ([a, e]) => (a === null ? null : arrayOf([element(e), ...arrayElements(String(a))])), false),
    strict: false,
  },
  {
    name: 'array_cat',
    resolve: shape('array_cat', 'aa', 2, A),
    kernel: rowKernel('str', ([a, b]) => {
      const x = String(a);
      const y = String(b);
      if (x.length <= 2) return y;
      if (y.length <= 2) return x;
      reserve('array_cat', x.length + y.length);
      return `${x.slice(0, -1)},${y.slice(1)}`;
    }),
    strict: true,
  },
  {
    name: 'array_insert',
    resolve: shape('array_insert', 'aiv', 3, A),
    kernel: rowKernel('str', ([a, pos, e]) => (a === null || pos === null ? null : insertAt(String(a), num(pos), element(e))), false),
    strict: false,
  },
  {
    name: 'array_slice',
    resolve: shape('array_slice', 'aii', 3, A),
    kernel: rowKernel('str', ([a, from, to]) => slice(String(a), num(from), num(to))),
    strict: true,
  },
  {
    name: 'array_compact',
    resolve: shape('array_compact', 'a', 1, A),
    kernel: rowKernel('str', ([a]) => arrayOf(arrayElements(String(a)).filter((e) => e !== UNDEFINED && e !== 'null'))),
    strict: true,
  },
  {
    name: 'array_distinct',
    resolve: shape('array_distinct', 'a', 1, A),
    kernel: rowKernel('str', ([a]) => arrayOf([...new Set(arrayElements(String(a)))])),
    strict: true,
  },
  { name: 'array_flatten', resolve: shape('array_flatten', 'a', 1, A), kernel: rowKernel('str', ([a]) => flatten(String(a))), strict: true },
  { name: 'array_reverse', resolve: shape('array_reverse', 'a', 1, A), kernel: rowKernel('str', ([a]) => arrayOf(arrayElements(String(a)).reverse())), strict: true },
  { name: 'array_generate_range', resolve: shape('array_generate_range', 'iii', 2, A), kernel: rowKernel('str', generateRange), strict: true },
  { name: 'arrays_overlap', resolve: shape('arrays_overlap', 'aa', 2, Types.boolean), kernel: rowKernel('bool', ([a, b]) => overlaps(String(a), String(b))), strict: true },
  { name: 'array_intersection', resolve: shape('array_intersection', 'aa', 2, A), kernel: rowKernel('str', ([a, b]) => intersection(String(a), String(b))), strict: true },
  { name: 'array_except', resolve: shape('array_except', 'aa', 2, A), kernel: rowKernel('str', ([a, b]) => except(String(a), String(b))), strict: true },
  {
    name: 'array_position',
    resolve: shape('array_position', 'va', 2, INTEGER),
    kernel: rowKernel(
      'f64',
      ([e, a]) => {
        if (a === null) return null;
        const at = arrayElements(String(a)).indexOf(element(e));
        return at < 0 ? null : at;
      },
      false,
    ),
    strict: false,
  },
  { name: 'array_min', resolve: shape('array_min', 'a', 1, V), kernel: rowKernel('str', ([a]) => extreme(String(a), false)), strict: true },
  { name: 'array_max', resolve: shape('array_max', 'a', 1, V), kernel: rowKernel('str', ([a]) => extreme(String(a), true)), strict: true },
  {
    name: 'array_sort',
    resolve: resolveSort,
    kernel: rowKernel('str', ([a, asc, nullsFirst]) => {
      const ascending = asc === undefined ? true : Boolean(asc);
      return sortArray(String(a), ascending, nullsFirst === undefined ? !ascending : Boolean(nullsFirst));
    }),
    strict: true,
  },
];

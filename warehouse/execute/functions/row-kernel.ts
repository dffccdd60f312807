/**
 * The per-row kernel shape the semi-structured functions share (semi-structured.ts,
 * array-functions.ts, object-functions.ts): a function of one row's argument values, run once
 * per dictionary entry when only the first argument varies (the fast path: a column of JSON
 * text against constant parameters), else once per row.
 *
 * Contract: `rowKernel(kind, f, strict)` makes a Kernel whose rows are `f(args)` (Scalars as
 * bound: VARIANT / OBJECT / ARRAY as canonical JSON text, NUMBER as its scaled bigint, SQL
 * NULL as null); `f` returns the row's value or null for SQL NULL, and must not keep the
 * argument array it is given (it is refilled per entry). `strict`: a NULL argument gives NULL
 * without calling `f`; otherwise `f` sees NULL arguments as null, on the fast path too.
 * `perEntry` runs a function of a 'str' vector's text once per dictionary entry and maps the
 * results through the codes; NULL rows are NULL, or `onNull()` (called once) when given.
 */
import type { DataType } from '../../../storage/types/data-type.js';
import type { Scalar } from '../../../storage/types/scalar.js';
import type { StrVector, Vector } from '../../../storage/types/vector.js';
import { allocF64, allocI32, allocU8 } from '../batch/array-pool.js';
import { isConst, materialize, scalarOf, type Val } from './vector-kit.js';

export type Out = string | number | boolean | null;
export type OutKind = 'str' | 'f64' | 'bool';

/** Builds the result vector of `kind` from per-row values (null = SQL NULL). */
function buildRows(kind: OutKind, values: Out[], n: number): Vector {
  const nulls = allocU8(n);
  let anyNull = false;
  if (kind === 'str') {
    const codes = allocI32(n);
    const dict: string[] = [];
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === null || v === undefined) {
        nulls[i] = 1;
        anyNull = true;
      } else {
        codes[i] = dict.length;
        dict.push(v as string);
      }
    }
    return { kind: 'str', length: n, codes, dict: dict.length > 0 ? dict : [''], nulls: anyNull ? nulls : null };
  }
  if (kind === 'f64') {
    const out = allocF64(n);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === null || v === undefined) {
        nulls[i] = 1;
        anyNull = true;
      } else out[i] = v as number;
    }
    return { kind: 'f64', length: n, values: out, nulls: anyNull ? nulls : null };
  }
  const out = allocU8(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      nulls[i] = 1;
      anyNull = true;
    } else out[i] = v ? 1 : 0;
  }
  return { kind: 'bool', length: n, values: out, nulls: anyNull ? nulls : null };
}

/**
 * Per dictionary entry of `s` (the other arguments fixed), results mapped through the codes:
 * each entry's result is kept by code (an array when the dictionary is not much larger than
 * the vector, else a Map, so a small slice of a large shared dictionary allocates little).
 */
export function perEntry(kind: OutKind, s: StrVector, f: (text: string) => Out, onNull?: () => Out): Vector {
  const n = s.length;
  const byCode = s.dict.length <= 4 * n ? new Array<Out | undefined>(s.dict.length) : null;
  const byMap = byCode === null ? new Map<number, Out>() : null;
  const values = new Array<Out>(n);
  let nullResult: Out | undefined;
  for (let i = 0; i < n; i++) {
    if (s.nulls !== null && s.nulls[i]) {
      if (onNull !== undefined && nullResult === undefined) nullResult = onNull();
      values[i] = nullResult ?? null;
      continue;
    }
    const c = s.codes[i];
    let r = byCode !== null ? byCode[c] : byMap!.get(c);
    if (r === undefined) {
      r = f(s.dict[c]);
      if (byCode !== null) byCode[c] = r;
      else byMap!.set(c, r);
    }
    values[i] = r;
  }
  return buildRows(kind, values, n);
}

/**
 * A kernel from a per-row function of the argument values (Scalars as bound; SQL NULL is
 * null). `strict`: any NULL argument gives NULL without calling `f`. The fast path runs `f`
 * once per dictionary entry when only the first argument varies.
 */
export function rowKernel(kind: OutKind, f: (args: Scalar[]) => Out, strict = true) {
  return (args: Val[], argTypes: readonly DataType[], _type: DataType, n: number): Val => {
    const first = args[0];
    if (first !== undefined && !isConst(first) && first.kind === 'str' && args.slice(1).every(isConst)) {
      const rest = args.slice(1).map((a) => (a as { value: Scalar }).value);
      // One argument array, its first slot refilled per entry (f reads it and keeps nothing).
      const row: Scalar[] = [null, ...rest];
      if (!(strict && rest.some((r) => r === null))) {
        const fill = (t: Scalar): Out => {
          row[0] = t;
          return f(row);
        };
        // A non-strict function is asked about a NULL first argument too (ARRAY_CONSTRUCT(NULL) is [undefined]).
        return perEntry(kind, first, fill, strict ? undefined : () => fill(null));
      }
    }
    const vecs = args.map((a, j) => materialize(a, argTypes[j], n));
    const row = new Array<Scalar>(args.length);
    const values = new Array<Out>(n);
    outer: for (let i = 0; i < n; i++) {
      for (let j = 0; j < vecs.length; j++) {
        const v = vecs[j];
        row[j] = v.nulls !== null && v.nulls[i] ? null : scalarOf(v, argTypes[j], i);
        if (strict && row[j] === null) {
          values[i] = null;
          continue outer;
        }
      }
      values[i] = f(row);
    }
    return buildRows(kind, values, n);
  };
}


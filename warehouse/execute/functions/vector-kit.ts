/**
 * The building blocks every kernel shares: the internal value form (a Vector or a constant
 * that has not been broadcast), NULL-mask arithmetic, materialising constants, dictionary
 * compaction, sub-batches for lazily evaluated branches, and a builder that assembles one
 * vector from pieces computed on different row subsets (CASE, COALESCE, AND/OR).
 *
 * Contract: a `Const` stands for as many equal rows as the batch has, without allocating
 * them; kernels may special-case it (x > 5 loops against a scalar) or call `materialize`.
 * Everything that leaves evaluate-expr is a normal Vector (storage/types/vector.ts layouts).
 */
import { allocF64, allocI32, allocU8 } from '../batch/array-pool.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Scalar } from '../../../storage/types/scalar.js';
import type { Batch, Nulls, StrVector, TsVector, Vector } from '../../../storage/types/vector.js';
import { MAX_EXACT } from '../../../storage/types/vector.js';
import { nanosToTs, tzScalarParts } from '../../../storage/types/timestamp-nanos.js';
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import type { ExprSettings } from '../../fragment/expr-settings.js';
import { gatherVector } from '../batch/gather-vector.js';
import { scalarAt } from '../../../storage/types/scalar-at.js';

export type Const = { kind: 'const'; value: Scalar };
export type Val = Vector | Const;

/** A kernel: argument values (types as bound), the result type, and the row count. */
/**
 * `zone`: the session's TIMEZONE for kernels over TIMESTAMP_LTZ/TZ; `settings`: the session's
 * formats and week policy (both the call node's, see bound-expr.ts).
 */
export type Kernel = (args: Val[], argTypes: readonly DataType[], type: DataType, n: number, zone?: string, settings?: ExprSettings) => Val;

export const NULL_CONST: Const = { kind: 'const', value: null };

export function constOf(value: Scalar): Const {
  return value === null ? NULL_CONST : { kind: 'const', value };
}

export function isConst(v: Val): v is Const {
  return v.kind === 'const';
}

/**
 * The value of an argument that must be a constant (a unit name, a scale): a Const, or any
 * vector during constant folding (n === 1). Returns undefined when it varies per row.
 */
export function constParam(v: Val, type: DataType, n: number): Scalar | undefined {
  if (isConst(v)) return v.value;
  if (n === 1) return scalarOf(v, type, 0);
  return undefined;
}

/** Reads row i of a vector as a Scalar (see storage/types/scalar.ts). */
export function scalarOf(v: Vector, type: DataType, i: number): Scalar {
  return scalarAt(v, i, type);
}

/** The NULL mask of row count n for a value (a NULL constant is all NULL). */
export function nullsOf(v: Val, n: number): Nulls {
  if (isConst(v)) return v.value === null ? allocU8(n).fill(1) : null;
  return v.nulls;
}

/** Row i is NULL in either mask; null when neither has NULLs. */
export function orNulls(a: Nulls, b: Nulls, n: number): Nulls {
  if (!a) return b;
  if (!b) return a;
  const out = allocU8(n);
  for (let i = 0; i < n; i++) out[i] = a[i] | b[i];
  return out;
}

/** Is any of the n rows non-NULL? */
export function anyRow(nulls: Nulls, n: number): boolean {
  if (!nulls) return n > 0;
  for (let i = 0; i < n; i++) if (!nulls[i]) return true;
  return false;
}

/** Union of the NULL masks of several values. */
export function unionNulls(vals: readonly Val[], n: number): Nulls {
  let out: Nulls = null;
  for (const v of vals) out = orNulls(out, nullsOf(v, n), n);
  return out;
}

export function allNullVector(type: DataType, n: number): Vector {
  const nulls = n > 0 ? allocU8(n).fill(1) : null;
  switch (type.kind) {
    case 'BOOLEAN':
    case 'NULL':
      return { kind: 'bool', length: n, values: allocU8(n), nulls };
    case 'NUMBER':
    case 'FLOAT':
    case 'TIME':
      return { kind: 'f64', length: n, values: allocF64(n), nulls };
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ':
      return { kind: 'ts', length: n, secs: allocF64(n), nanos: allocI32(n), nulls };
    case 'DATE':
      return { kind: 'i32', length: n, values: allocI32(n), nulls };
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
    case 'BINARY':
    case 'VARCHAR':
      return { kind: 'str', length: n, codes: allocI32(n), dict: [''], nulls };
  }
}

/** n copies of a scalar of `type` as a normal vector. */
function constVector(value: Scalar, type: DataType, n: number): Vector {
  if (value === null) return allNullVector(type, n);
  switch (type.kind) {
    case 'BOOLEAN':
      return { kind: 'bool', length: n, values: allocU8(n).fill(value ? 1 : 0), nulls: null };
    case 'NUMBER': {
      const big = typeof value === 'bigint' ? value : BigInt(value as number);
      const abs = big < 0n ? -big : big;
      if (abs > BigInt(MAX_EXACT)) return { kind: 'dec', length: n, values: new Array<bigint>(n).fill(big), nulls: null };
      return { kind: 'f64', length: n, values: allocF64(n).fill(Number(big)), nulls: null };
    }
    case 'FLOAT':
    case 'TIME':
      return { kind: 'f64', length: n, values: allocF64(n).fill(value as number), nulls: null };
    case 'TIMESTAMP_NTZ':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP_TZ': {
      const [secs, nanos] = nanosToTs(value as bigint | string);
      const ts: TsVector = { kind: 'ts', length: n, secs: allocF64(n).fill(secs), nanos: allocI32(n).fill(nanos), nulls: null };
      if (type.kind === 'TIMESTAMP_TZ') ts.offsets = new Int16Array(n).fill(tzScalarParts(value as string)[1]);
      return ts;
    }
    case 'DATE':
      return { kind: 'i32', length: n, values: allocI32(n).fill(value as number), nulls: null };
    case 'VARIANT':
    case 'OBJECT':
    case 'ARRAY':
    case 'BINARY':
    case 'VARCHAR':
      return { kind: 'str', length: n, codes: allocI32(n), dict: [String(value)], nulls: null };
    case 'NULL':
      return allNullVector(type, n);
  }
}

export function materialize(v: Val, type: DataType, n: number): Vector {
  return isConst(v) ? constVector(v.value, type, n) : v;
}

/** A BOOLEAN value's constant: true, false or null. */
export function boolConst(v: Const): boolean | null {
  return v.value === null ? null : Boolean(v.value);
}

/**
 * A 'str' vector whose dictionary is not much larger than its row count, so per-entry work
 * (the string fast path) never costs more than per-row work. Dictionaries shared by many
 * small vectors (after a gather) are cut down to the entries actually used.
 */
export function compactStrings(v: StrVector): StrVector {
  if (v.dict.length <= 2 * v.length + 16) return v;
  const remap = new Int32Array(v.dict.length).fill(-1);
  const dict: string[] = [];
  const codes = new Int32Array(v.length);
  const src = v.codes;
  const nulls = v.nulls;
  for (let i = 0; i < v.length; i++) {
    if (nulls && nulls[i]) continue;
    const c = src[i];
    let m = remap[c];
    if (m < 0) {
      m = dict.length;
      remap[c] = m;
      dict.push(v.dict[c]);
    }
    codes[i] = m;
  }
  if (dict.length === 0) dict.push('');
  return { kind: 'str', length: v.length, codes, dict, nulls };
}

/** A 'str' vector from one string (or NULL) per row; codes are the row numbers. */
export function strVectorFromRows(values: (string | null)[]): StrVector {
  const n = values.length;
  const codes = allocI32(n);
  const dict = new Array<string>(n);
  let nulls: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    codes[i] = i;
    const s = values[i];
    if (s === null) {
      nulls ??= allocU8(n);
      nulls[i] = 1;
      dict[i] = '';
    } else {
      dict[i] = s;
    }
  }
  return { kind: 'str', length: n, codes, dict, nulls };
}

/** Row numbers where `keep` holds, as a selection vector. */
export function selectRows(n: number, keep: (i: number) => boolean): Int32Array {
  const out = allocI32(n);
  let k = 0;
  for (let i = 0; i < n; i++) if (keep(i)) out[k++] = i;
  return out.subarray(0, k);
}

/** Composes a selection taken inside a subset with the subset's own rows (null = all rows). */
export function composeRows(outer: Int32Array | null, inner: Int32Array): Int32Array {
  if (!outer) return inner;
  const out = new Int32Array(inner.length);
  for (let k = 0; k < inner.length; k++) out[k] = outer[inner[k]];
  return out;
}

const columnRefCache = new WeakMap<BoundExpr, number[]>();

/** The batch columns an expression reads (cached per node). */
function columnRefs(e: BoundExpr): number[] {
  let refs = columnRefCache.get(e);
  if (refs) return refs;
  const seen = new Set<number>();
  const walk = (x: BoundExpr): void => {
    switch (x.kind) {
      case 'column':
        seen.add(x.index);
        return;
      case 'literal':
        return;
      case 'call':
      case 'and':
      case 'or':
        x.args.forEach(walk);
        return;
      case 'cast':
      case 'not':
      case 'is_null':
        walk(x.expr);
        return;
      case 'case':
        for (const w of x.whens) {
          walk(w.when);
          walk(w.then);
        }
        if (x.else) walk(x.else);
        return;
      case 'in_list':
        walk(x.expr);
        x.list.forEach(walk);
        return;
      case 'like': {
        walk(x.expr);
        walk(x.pattern);
        const escape = (x as { escape?: BoundExpr | null }).escape;
        if (escape) walk(escape);
        return;
      }
    }
  };
  walk(e);
  refs = [...seen];
  columnRefCache.set(e, refs);
  return refs;
}

/**
 * The rows `rows` of a batch, gathering only the columns `exprs` read; the other columns keep
 * their full vectors and must not be read.
 */
export function subsetBatch(batch: Batch, rows: Int32Array, exprs: readonly BoundExpr[]): Batch {
  const columns = batch.columns.slice();
  for (const e of exprs) {
    for (const c of columnRefs(e)) {
      if (columns[c] === batch.columns[c]) columns[c] = gatherVector(batch.columns[c], rows);
    }
  }
  return { length: rows.length, columns };
}

/**
 * Assembles one vector of `type` from values computed for row subsets; rows never written
 * stay NULL. NUMBER starts on doubles and moves to bigints if a 'dec' piece arrives.
 */
export class VectorBuilder {
  private readonly nulls: Uint8Array;
  private bools: Uint8Array | null = null;
  private f64: Float64Array | null = null;
  private i32: Int32Array | null = null;
  private nanos: Int32Array | null = null;
  private offsets: Int16Array | null = null;
  private big: bigint[] | null = null;
  private codes: Int32Array | null = null;
  private dict: string[] | null = null;

  constructor(
    private readonly type: DataType,
    private readonly n: number,
  ) {
    this.nulls = allocU8(n).fill(1);
    switch (type.kind) {
      case 'BOOLEAN':
      case 'NULL':
        this.bools = allocU8(n);
        break;
      case 'NUMBER':
      case 'FLOAT':
      case 'TIME':
        this.f64 = allocF64(n);
        break;
      case 'TIMESTAMP_NTZ':
      case 'TIMESTAMP_LTZ':
        this.f64 = allocF64(n);
        this.nanos = allocI32(n);
        break;
      case 'TIMESTAMP_TZ':
        this.f64 = allocF64(n);
        this.nanos = allocI32(n);
        this.offsets = new Int16Array(n);
        break;
      case 'DATE':
        this.i32 = allocI32(n);
        break;
      case 'VARIANT':
      case 'OBJECT':
      case 'ARRAY':
      case 'BINARY':
      case 'VARCHAR':
        this.codes = allocI32(n);
        this.dict = [];
        break;
    }
  }

  /** Writes value row k to builder row rows[k] (or row k when rows is null). */
  put(v: Val, rows: Int32Array | null): void {
    const count = rows ? rows.length : this.n;
    if (count === 0) return;
    if (isConst(v)) {
      if (v.value === null) return;
      this.putVector(constVector(v.value, this.type, 1), rows, count, true);
      return;
    }
    this.putVector(v, rows, count, false);
  }

  private putVector(v: Vector, rows: Int32Array | null, count: number, broadcast: boolean): void {
    const nulls = this.nulls;
    const src = v.nulls;
    for (let k = 0; k < count; k++) {
      const j = broadcast ? 0 : k;
      nulls[rows ? rows[k] : k] = src ? src[j] : 0;
    }
    switch (v.kind) {
      case 'bool': {
        if (this.type.kind === 'NULL') return;
        const out = this.bools!;
        const vals = v.values;
        for (let k = 0; k < count; k++) out[rows ? rows[k] : k] = vals[broadcast ? 0 : k];
        return;
      }
      case 'f64': {
        const vals = v.values;
        if (this.big) {
          const out = this.big;
          for (let k = 0; k < count; k++) {
            const j = broadcast ? 0 : k;
            out[rows ? rows[k] : k] = src && src[j] ? 0n : BigInt(vals[j]);
          }
          return;
        }
        const out = this.f64!;
        for (let k = 0; k < count; k++) out[rows ? rows[k] : k] = vals[broadcast ? 0 : k];
        return;
      }
      case 'dec': {
        if (!this.big) {
          const f = this.f64!;
          this.big = new Array<bigint>(this.n);
          for (let i = 0; i < this.n; i++) this.big[i] = nulls[i] ? 0n : BigInt(f[i]);
        }
        const out = this.big;
        const vals = v.values;
        for (let k = 0; k < count; k++) out[rows ? rows[k] : k] = vals[broadcast ? 0 : k];
        return;
      }
      case 'i32': {
        const out = this.i32!;
        const vals = v.values;
        for (let k = 0; k < count; k++) out[rows ? rows[k] : k] = vals[broadcast ? 0 : k];
        return;
      }
      case 'ts': {
        const secs = this.f64!;
        const nanos = this.nanos!;
        for (let k = 0; k < count; k++) {
          const j = broadcast ? 0 : k;
          const r = rows ? rows[k] : k;
          secs[r] = v.secs[j];
          nanos[r] = v.nanos[j];
        }
        const offs = this.offsets;
        if (offs) {
          const from = v.offsets;
          for (let k = 0; k < count; k++) offs[rows ? rows[k] : k] = from ? from[broadcast ? 0 : k] : 0;
        }
        return;
      }
      case 'str': {
        const piece = broadcast ? v : compactStrings(v);
        const offset = this.dict!.length;
        for (const s of piece.dict) this.dict!.push(s);
        const out = this.codes!;
        const codes = piece.codes;
        for (let k = 0; k < count; k++) out[rows ? rows[k] : k] = offset + codes[broadcast ? 0 : k];
        return;
      }
    }
  }

  finish(): Vector {
    const n = this.n;
    let any = 0;
    for (let i = 0; i < n; i++) any |= this.nulls[i];
    const nulls = any ? this.nulls : null;
    if (this.bools) return { kind: 'bool', length: n, values: this.bools, nulls };
    if (this.i32) return { kind: 'i32', length: n, values: this.i32, nulls };
    if (this.nanos) return this.offsets ? { kind: 'ts', length: n, secs: this.f64!, nanos: this.nanos, nulls, offsets: this.offsets } : { kind: 'ts', length: n, secs: this.f64!, nanos: this.nanos, nulls };
    if (this.codes) {
      if (this.dict!.length === 0) this.dict!.push('');
      return { kind: 'str', length: n, codes: this.codes, dict: this.dict!, nulls };
    }
    if (this.big) {
      const limit = BigInt(MAX_EXACT);
      const big = this.big;
      let fits = true;
      for (let i = 0; i < n && fits; i++) if (!this.nulls[i] && (big[i] > limit || big[i] < -limit)) fits = false;
      if (!fits) return { kind: 'dec', length: n, values: big, nulls };
      const f = allocF64(n);
      for (let i = 0; i < n; i++) f[i] = this.nulls[i] ? 0 : Number(big[i]);
      return { kind: 'f64', length: n, values: f, nulls };
    }
    if (this.f64) return { kind: 'f64', length: n, values: this.f64, nulls };
    throw new InternalError('vector builder without storage');
  }
}

/** Asserts a vector is of the kind a kernel expects (a binder/kernel contract breach otherwise). */
export function expectKind<K extends Vector['kind']>(v: Vector, kind: K, what: string): Extract<Vector, { kind: K }> {
  if (v.kind !== kind) throw new InternalError(`${what}: expected a '${kind}' vector, got '${v.kind}'`);
  return v as Extract<Vector, { kind: K }>;
}

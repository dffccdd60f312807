/**
 * Fixtures for the expression tests (evaluate-expr, functions/, cast/): build vectors from
 * readable values, bind calls through the real registry (inserting the casts it asks for,
 * as the binder does), and read vectors back as readable values. Test support only.
 *
 * Readable forms: NUMBER as decimal text ('12.50'), DATE 'YYYY-MM-DD', TIMESTAMP_NTZ
 * 'YYYY-MM-DD HH:MI:SS[.fff]', FLOAT number, BOOLEAN boolean, VARCHAR string, NULL null.
 */
import type { DataType } from '../../storage/types/data-type.js';
import { typesEqual } from '../../storage/types/data-type.js';
import type { Scalar } from '../../storage/types/scalar.js';
import { formatDate, formatDecimal, formatTimestampNanos } from '../../storage/types/value-text.js';
import type { Batch, StrVector, Vector } from '../../storage/types/vector.js';
import type { BoundExpr } from '../fragment/bound-expr.js';
import { parseDateText, parseNumberText, parseTimestampText } from './cast/parse-text.js';
import { evaluateExpr } from './evaluate-expr.js';
import { resolveFunction } from './functions/function-registry.js';
import { VectorBuilder, constOf, scalarOf } from './functions/vector-kit.js';

export type Readable = string | number | boolean | null;

/** A readable value as the Scalar of `type`. */
export function toScalar(v: Readable | bigint, type: DataType): Scalar {
  if (v === null) return null;
  switch (type.kind) {
    case 'NUMBER':
      return typeof v === 'bigint' ? v : parseNumberText(String(v), type.scale);
    case 'DATE':
      return typeof v === 'string' ? parseDateText(v) : (v as number);
    case 'TIMESTAMP_NTZ':
      return typeof v === 'string' ? parseTimestampText(v) : typeof v === 'bigint' ? v : BigInt(v as number) * 1000n;
    default:
      return v as Scalar;
  }
}

/** A plain vector of `type` (strings: one dictionary entry per row). */
export function vec(type: DataType, values: readonly (Readable | bigint)[]): Vector {
  const b = new VectorBuilder(type, values.length);
  values.forEach((v, i) => b.put(constOf(toScalar(v, type)), Int32Array.of(i)));
  return b.finish();
}

/** A dictionary-encoded 'str' vector: distinct strings once, plus `unused` entries no row points at. */
export function dictVec(values: readonly (string | null)[], unused: readonly string[] = []): StrVector {
  const dict: string[] = [...unused];
  const index = new Map<string, number>();
  const codes = new Int32Array(values.length);
  let nulls: Uint8Array | null = null;
  values.forEach((v, i) => {
    if (v === null) {
      nulls ??= new Uint8Array(values.length);
      nulls[i] = 1;
      return;
    }
    let c = index.get(v);
    if (c === undefined) {
      c = dict.length;
      index.set(v, c);
      dict.push(v);
    }
    codes[i] = c;
  });
  if (dict.length === 0) dict.push('');
  return { kind: 'str', length: values.length, codes, dict, nulls };
}

/** The same NUMBER vector in the wide 'dec' layout. */
export function asDec(v: Vector): Vector {
  if (v.kind === 'dec') return v;
  if (v.kind !== 'f64') throw new Error('asDec needs a NUMBER vector');
  return { kind: 'dec', length: v.length, values: Array.from(v.values, (x) => BigInt(x)), nulls: v.nulls };
}

export function read(v: Vector, type: DataType): Readable[] {
  const out: Readable[] = [];
  for (let i = 0; i < v.length; i++) {
    const s = scalarOf(v, type, i);
    if (s === null) out.push(null);
    else if (type.kind === 'NUMBER') out.push(formatDecimal(s as bigint, type.scale));
    else if (type.kind === 'DATE') out.push(formatDate(s as number));
    else if (type.kind === 'TIMESTAMP_NTZ') out.push(formatTimestampNanos(s as bigint));
    else out.push(s as Readable);
  }
  return out;
}

export function col(index: number, type: DataType): BoundExpr {
  return { kind: 'column', index, type };
}

export function lit(value: Readable | bigint, type: DataType): BoundExpr {
  return { kind: 'literal', value: toScalar(value, type), type };
}

/** `expr` cast to `type` unless it already is of it (the binder's castTo). */
export function castTo(expr: BoundExpr, type: DataType): BoundExpr {
  if (typesEqual(expr.type, type) && !(type.kind === 'NUMBER' && expr.type.kind === 'NUMBER' && (type.scale !== expr.type.scale || type.precision !== expr.type.precision))) return expr;
  if (expr.kind === 'literal' && expr.value === null) return { kind: 'literal', value: null, type };
  return { kind: 'cast', expr, type, try: false };
}

/** A call bound through the registry, with the implicit casts it asks for. */
export function call(name: string, ...args: BoundExpr[]): BoundExpr {
  const r = resolveFunction(name, args.map((a) => a.type));
  return { kind: 'call', fn: r.fn, args: args.map((a, i) => castTo(a, r.argTypes[i])), type: r.returnType };
}

export function batchOf(...columns: Vector[]): Batch {
  return { length: columns.length ? columns[0].length : 1, columns };
}

/** Evaluates and reads back in one step. */
export function evalRead(expr: BoundExpr, batch: Batch): Readable[] {
  return read(evaluateExpr(expr, batch), expr.type);
}

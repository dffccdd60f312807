/**
 * Concatenation: many batches of one column layout become one batch (collecting worker
 * results, compacting top-N buffers, merging sorted partials).
 *
 * Contract: `types` are the column types; every batch has one vector per type. A NUMBER
 * column may be 'f64' in some batches and 'dec' in others (values past 2^53); the result is
 * then 'dec'. 'str' vectors that all share one dictionary keep it; otherwise the result gets
 * one new dictionary holding each distinct string that some row uses, exactly once (so
 * repeated compaction never grows a dictionary past the rows it serves). A NULL-typed column
 * becomes an all-NULL vector. Zero batches give the empty batch of `types`.
 */
import type { DataType } from '../../../storage/types/data-type.js';
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { Batch, BoolVector, DecVector, F64Vector, I32Vector, Nulls, StrVector, Vector } from '../../../storage/types/vector.js';
import { emptyBatch } from './empty-batch.js';
import { nullVector } from './null-vector.js';

export function concatBatches(types: readonly DataType[], batches: readonly Batch[]): Batch {
  const parts = batches.filter((b) => b.length > 0);
  if (parts.length === 0) return emptyBatch(types);
  if (parts.length === 1) return parts[0];
  for (const b of parts) {
    if (b.columns.length !== types.length) {
      throw new InternalError(`concat: batch has ${b.columns.length} columns, expected ${types.length}`);
    }
  }
  const length = parts.reduce((s, b) => s + b.length, 0);
  const columns = types.map((t, c) => concatVectors(t, parts.map((b) => b.columns[c]), length));
  return { length, columns };
}

/** Concatenates vectors of one column; `length` is the sum of their lengths. */
export function concatVectors(type: DataType, vs: readonly Vector[], length: number = vs.reduce((s, v) => s + v.length, 0)): Vector {
  if (type.kind === 'NULL') return nullVector(type, length);
  const nulls = concatNulls(vs, length);
  let kind = vs[0].kind;
  for (const v of vs) {
    if (v.kind === kind) continue;
    if (type.kind === 'NUMBER' && (v.kind === 'dec' || v.kind === 'f64') && (kind === 'dec' || kind === 'f64')) kind = 'dec';
    else throw new InternalError(`concat: ${v.kind} vector in a ${kind} column`);
  }
  switch (kind) {
    case 'f64': {
      const out = new Float64Array(length);
      let at = 0;
      for (const v of vs) {
        out.set((v as F64Vector).values, at);
        at += v.length;
      }
      return { kind, length, values: out, nulls };
    }
    case 'i32': {
      const out = new Int32Array(length);
      let at = 0;
      for (const v of vs) {
        out.set((v as I32Vector).values, at);
        at += v.length;
      }
      return { kind, length, values: out, nulls };
    }
    case 'bool': {
      const out = new Uint8Array(length);
      let at = 0;
      for (const v of vs) {
        out.set((v as BoolVector).values, at);
        at += v.length;
      }
      return { kind, length, values: out, nulls };
    }
    case 'dec':
      return concatDec(vs, length, nulls);
    case 'str':
      return concatStr(vs as StrVector[], length, nulls);
  }
}

function concatNulls(vs: readonly Vector[], length: number): Nulls {
  if (vs.every((v) => v.nulls === null)) return null;
  const out = new Uint8Array(length);
  let at = 0;
  for (const v of vs) {
    if (v.nulls !== null) out.set(v.nulls, at);
    at += v.length;
  }
  return out;
}

function concatDec(vs: readonly Vector[], length: number, nulls: Nulls): DecVector {
  const out = new Array<bigint>(length);
  let at = 0;
  for (const v of vs) {
    if (v.kind === 'dec') {
      for (let i = 0; i < v.length; i++) out[at++] = v.values[i];
    } else {
      const src = (v as F64Vector).values;
      for (let i = 0; i < v.length; i++) out[at++] = BigInt(src[i]);
    }
  }
  return { kind: 'dec', length, values: out, nulls };
}

function concatStr(vs: readonly StrVector[], length: number, nulls: Nulls): StrVector {
  const codes = new Int32Array(length);
  const dict0 = vs[0].dict;
  if (vs.every((v) => v.dict === dict0)) {
    let at = 0;
    for (const v of vs) {
      codes.set(v.codes, at);
      at += v.length;
    }
    return { kind: 'str', length, codes, dict: dict0, nulls };
  }
  // Remap each vector's used codes into one deduplicated dictionary: a Map lookup per
  // distinct (vector, code), an Int32 lookup per row.
  const dict: string[] = [];
  const ids = new Map<string, number>();
  let at = 0;
  for (const v of vs) {
    const local = new Int32Array(v.dict.length).fill(-1);
    const src = v.codes;
    const vn = v.nulls;
    for (let i = 0; i < v.length; i++) {
      if (vn !== null && vn[i] !== 0) {
        codes[at++] = 0;
        continue;
      }
      const c = src[i];
      let id = local[c];
      if (id < 0) {
        const s = v.dict[c];
        id = ids.get(s) ?? -1;
        if (id < 0) {
          id = dict.length;
          dict.push(s);
          ids.set(s, id);
        }
        local[c] = id;
      }
      codes[at++] = id;
    }
  }
  if (dict.length === 0 && length > 0) dict.push('');
  return { kind: 'str', length, codes, dict, nulls };
}

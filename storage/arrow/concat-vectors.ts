/**
 * Concatenation of vectors of one column (row groups of a file, batches of an IPC stream).
 *
 * Contract: all parts have the same kind, except that NUMBER parts may mix 'f64' and 'dec'
 * (the result is then 'dec'). 'str' parts sharing one dict array keep it; otherwise the
 * dicts are appended and codes shifted (dicts need not be unique). A single part is
 * returned as is.
 */
import { InternalError } from '../errors/firn-error.js';
import type { Nulls, StrVector, Vector } from '../types/vector.js';

function concatNulls(parts: Vector[], length: number): Nulls {
  if (parts.every((p) => p.nulls === null)) return null;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    if (p.nulls !== null) out.set(p.nulls.subarray(0, p.length), at);
    at += p.length;
  }
  return out;
}

function concatStr(parts: StrVector[], length: number, nulls: Nulls): StrVector {
  const codes = new Int32Array(length);
  const first = parts[0].dict;
  if (parts.every((p) => p.dict === first)) {
    let at = 0;
    for (const p of parts) {
      codes.set(p.codes.subarray(0, p.length), at);
      at += p.length;
    }
    return { kind: 'str', length, codes, dict: first, nulls };
  }
  const dict: string[] = [];
  let at = 0;
  for (const p of parts) {
    const shift = dict.length;
    for (let i = 0; i < p.length; i++) codes[at + i] = p.codes[i] + shift;
    for (let j = 0; j < p.dict.length; j++) dict.push(p.dict[j]);
    at += p.length;
  }
  return { kind: 'str', length, codes, dict, nulls };
}

export function concatVectors(parts: Vector[]): Vector {
  if (parts.length === 0) throw new InternalError('concatVectors needs at least one part');
  if (parts.length === 1) return parts[0];
  const length = parts.reduce((n, p) => n + p.length, 0);
  const nulls = concatNulls(parts, length);
  const kinds = new Set(parts.map((p) => p.kind));
  if (kinds.size === 2 && kinds.has('f64') && kinds.has('dec')) {
    const values = new Array<bigint>(length);
    let at = 0;
    for (const p of parts) {
      if (p.kind === 'dec') {
        for (let i = 0; i < p.length; i++) values[at + i] = p.values[i];
      } else if (p.kind === 'f64') {
        for (let i = 0; i < p.length; i++) values[at + i] = p.nulls !== null && p.nulls[i] !== 0 ? 0n : BigInt(p.values[i]);
      }
      at += p.length;
    }
    return { kind: 'dec', length, values, nulls };
  }
  if (kinds.size !== 1) throw new InternalError(`cannot concatenate vectors of kinds ${[...kinds].join(', ')}`);
  const kind = parts[0].kind;
  switch (kind) {
    case 'str':
      return concatStr(parts as StrVector[], length, nulls);
    case 'dec': {
      const values: bigint[] = [];
      for (const p of parts) if (p.kind === 'dec') for (let i = 0; i < p.length; i++) values.push(p.values[i]);
      return { kind, length, values, nulls };
    }
    case 'bool': {
      const values = new Uint8Array(length);
      let at = 0;
      for (const p of parts) {
        if (p.kind === 'bool') values.set(p.values.subarray(0, p.length), at);
        at += p.length;
      }
      return { kind, length, values, nulls };
    }
    case 'f64': {
      const values = new Float64Array(length);
      let at = 0;
      for (const p of parts) {
        if (p.kind === 'f64') values.set(p.values.subarray(0, p.length), at);
        at += p.length;
      }
      return { kind, length, values, nulls };
    }
    case 'i32': {
      const values = new Int32Array(length);
      let at = 0;
      for (const p of parts) {
        if (p.kind === 'i32') values.set(p.values.subarray(0, p.length), at);
        at += p.length;
      }
      return { kind, length, values, nulls };
    }
  }
}

/**
 * Concatenation of vectors of one column (row groups of a file, batches of an IPC stream).
 *
 * Contract: all parts have the same kind, except that NUMBER parts may mix 'f64' and 'dec'
 * (the result is then 'dec'). 'str' parts sharing one dict array keep it; otherwise, by
 * `dicts`: 'append' (the default, cheapest: dicts appended, codes shifted; dicts need not be
 * unique) or 'merge' (one new dictionary holding each distinct string some row uses,
 * exactly once, so repeated compaction never grows a dictionary past the rows it serves).
 * A single part is returned as is. 'append' keeps the dicts' known UTF-8 form
 * (utf8-strings.ts knownUtf8) when every part's dict has one.
 */
import { InternalError } from '../errors/firn-error.js';
import type { Nulls, StrVector, Vector } from '../types/vector.js';
import { knownUtf8, rememberUtf8, type Utf8Strings } from './utf8-strings.js';

function concatNulls(parts: readonly Vector[], length: number): Nulls {
  if (parts.every((p) => p.nulls === null)) return null;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    if (p.nulls !== null) out.set(p.nulls.subarray(0, p.length), at);
    at += p.length;
  }
  return out;
}

export type DictPolicy = 'append' | 'merge';

function concatStr(parts: StrVector[], length: number, nulls: Nulls, dicts: DictPolicy): StrVector {
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
  if (dicts === 'merge') return mergeStr(parts, codes, nulls);
  // Filled by index into an array of the final length: a push per entry regrows the array
  // (~70 ns each), and Array.prototype.concat can fall back to a dictionary-backed copy.
  let entries = 0;
  for (const p of parts) entries += p.dict.length;
  const dict = new Array<string>(entries);
  let at = 0;
  let shift = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) codes[at + i] = p.codes[i] + shift;
    const d = p.dict;
    for (let j = 0; j < d.length; j++) dict[shift + j] = d[j];
    shift += d.length;
    at += p.length;
  }
  const encs = parts.map((p) => knownUtf8(p.dict));
  if (encs.every((e) => e !== undefined)) rememberUtf8(dict, appendUtf8(encs as Utf8Strings[], dict.length));
  return { kind: 'str', length, codes, dict, nulls };
}

/** The UTF-8 forms of dicts appended one after another (`entries` in all). */
function appendUtf8(encs: Utf8Strings[], entries: number): Utf8Strings {
  let total = 0;
  for (const e of encs) total += e.offsets[e.offsets.length - 1] - e.offsets[0];
  const bytes = new Uint8Array(total);
  const offsets = new Int32Array(entries + 1);
  let pos = 0;
  let k = 0;
  for (const e of encs) {
    const base = e.offsets[0];
    const n = e.offsets.length - 1;
    bytes.set(e.bytes.subarray(base, e.offsets[n]), pos);
    for (let i = 1; i <= n; i++) offsets[k + i] = e.offsets[i] - base + pos;
    pos += e.offsets[n] - base;
    k += n;
  }
  return { offsets, bytes };
}

/**
 * Remaps each part's used codes into one deduplicated dictionary: a Map lookup per distinct
 * (part, code), an Int32 lookup per row.
 */
function mergeStr(parts: StrVector[], codes: Int32Array, nulls: Nulls): StrVector {
  const dict: string[] = [];
  const ids = new Map<string, number>();
  let at = 0;
  for (const v of parts) {
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
  if (dict.length === 0 && codes.length > 0) dict.push('');
  return { kind: 'str', length: codes.length, codes, dict, nulls };
}

export function concatVectors(parts: readonly Vector[], dicts: DictPolicy = 'append'): Vector {
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
      return concatStr(parts as StrVector[], length, nulls, dicts);
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
    case 'ts': {
      const secs = new Float64Array(length);
      const nanos = new Int32Array(length);
      let at = 0;
      for (const p of parts) {
        if (p.kind === 'ts') {
          secs.set(p.secs.subarray(0, p.length), at);
          nanos.set(p.nanos.subarray(0, p.length), at);
        }
        at += p.length;
      }
      return { kind, length, secs, nanos, nulls };
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

/**
 * Concatenation of vectors of one column (row groups of a file, batches of an IPC stream).
 *
 * Contract: all parts have the same kind, except that NUMBER parts may mix 'f64' and 'dec'
 * (the result is then 'dec'). 'str' parts sharing one dict array keep it; otherwise, by
 * `dicts`: 'append' (the default, cheapest: dicts appended, codes shifted; dicts need not be
 * unique) or 'merge' (one new dictionary holding each distinct string some row uses,
 * exactly once, so repeated compaction never grows a dictionary past the rows it serves).
 * A single part is returned as is. Parts whose dicts are all held as UTF-8 (utf8-dict.ts)
 * stay so, without decoding: one shared form is kept; otherwise each part contributes only
 * the span of entries its rows use (a partition cut from two row groups gets the rows it
 * holds, not both groups' whole dicts), under 'merge' too as long as those spans add up to
 * at most twice the rows (else they are merged as strings).
 * `alloc` makes the per-row arrays (values, codes, NULL masks; never dictionaries, which
 * gathers of the result share): fresh ones unless the caller pools them.
 */
import { InternalError } from '../errors/firn-error.js';
import type { Nulls, StrVector, Vector } from '../types/vector.js';
import type { Utf8Strings } from './utf8-strings.js';
import { utf8DictOf, utf8DictVector } from './utf8-dict.js';

/** Makes the zero-filled per-row arrays of a concatenation. */
export type ArrayAlloc = { f64(n: number): Float64Array; i32(n: number): Int32Array; u8(n: number): Uint8Array };

const FRESH: ArrayAlloc = { f64: (n) => new Float64Array(n), i32: (n) => new Int32Array(n), u8: (n) => new Uint8Array(n) };

function concatNulls(parts: readonly Vector[], length: number, alloc: ArrayAlloc): Nulls {
  if (parts.every((p) => p.nulls === null)) return null;
  const out = alloc.u8(length);
  let at = 0;
  for (const p of parts) {
    if (p.nulls !== null) out.set(p.nulls.subarray(0, p.length), at);
    at += p.length;
  }
  return out;
}

export type DictPolicy = 'append' | 'merge';

function concatStr(parts: StrVector[], length: number, nulls: Nulls, dicts: DictPolicy, alloc: ArrayAlloc): StrVector {
  const encs = parts.map(utf8DictOf);
  if (encs.every((e) => e !== undefined)) {
    const held = concatUtf8(parts, encs as Utf8Strings[], length, nulls, dicts, alloc);
    if (held !== null) return held;
  }
  const codes = alloc.i32(length);
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
    const pc = p.codes;
    for (let i = 0; i < p.length; i++) codes[at + i] = pc[i] + shift;
    const d = p.dict;
    for (let j = 0; j < d.length; j++) dict[shift + j] = d[j];
    shift += d.length;
    at += p.length;
  }
  return { kind: 'str', length, codes, dict, nulls };
}

/**
 * Parts whose dicts are held as UTF-8, concatenated as UTF-8: a shared form is kept as is;
 * else each part's used span [lo, hi] of entries is appended (bytes copied once per part,
 * codes shifted to their new place, rows under NULL pointing at entry 0). Null when 'merge'
 * was asked and the spans exceed twice the rows (the caller merges strings then).
 */
function concatUtf8(parts: StrVector[], encs: Utf8Strings[], length: number, nulls: Nulls, dicts: DictPolicy, alloc: ArrayAlloc): StrVector | null {
  const codes = alloc.i32(length);
  if (encs.every((e) => e === encs[0])) {
    let at = 0;
    for (const p of parts) {
      codes.set(p.codes.subarray(0, p.length), at);
      at += p.length;
    }
    return utf8DictVector(length, codes, nulls, encs[0]);
  }
  const los = new Int32Array(parts.length);
  const his = new Int32Array(parts.length);
  let entries = 0;
  let total = 0;
  parts.forEach((p, k) => {
    let lo = 2147483647;
    let hi = -1;
    const { codes: src, nulls: pn } = p;
    for (let i = 0; i < p.length; i++) {
      if (pn !== null && pn[i] !== 0) continue;
      const c = src[i];
      if (c < lo) lo = c;
      if (c > hi) hi = c;
    }
    if (hi < 0) lo = 0;
    los[k] = lo;
    his[k] = hi;
    entries += hi - lo + 1;
    total += encs[k].offsets[hi + 1] - encs[k].offsets[lo];
  });
  if (dicts === 'merge' && entries > 2 * length) return null;
  // Every code, NULL rows' included, must index an entry: an all-NULL result gets one ''.
  const offsets = new Int32Array(Math.max(1, entries) + 1);
  const bytes = new Uint8Array(total);
  let at = 0;
  let entry = 0;
  let pos = 0;
  parts.forEach((p, k) => {
    const lo = los[k];
    const n = his[k] - lo + 1;
    const src = encs[k].offsets;
    const base = src[lo];
    bytes.set(encs[k].bytes.subarray(base, src[lo + n]), pos);
    for (let i = 1; i <= n; i++) offsets[entry + i] = src[lo + i] - base + pos;
    const shift = entry - lo;
    const { codes: pc, nulls: pn } = p;
    for (let i = 0; i < p.length; i++) codes[at + i] = pn !== null && pn[i] !== 0 ? 0 : pc[i] + shift;
    pos += src[lo + n] - base;
    entry += n;
    at += p.length;
  });
  return utf8DictVector(length, codes, nulls, { offsets, bytes });
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

export function concatVectors(parts: readonly Vector[], dicts: DictPolicy = 'append', alloc: ArrayAlloc = FRESH): Vector {
  if (parts.length === 0) throw new InternalError('concatVectors needs at least one part');
  if (parts.length === 1) return parts[0];
  const length = parts.reduce((n, p) => n + p.length, 0);
  const nulls = concatNulls(parts, length, alloc);
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
      return concatStr(parts as StrVector[], length, nulls, dicts, alloc);
    case 'dec': {
      const values: bigint[] = [];
      for (const p of parts) if (p.kind === 'dec') for (let i = 0; i < p.length; i++) values.push(p.values[i]);
      return { kind, length, values, nulls };
    }
    case 'bool': {
      const values = alloc.u8(length);
      let at = 0;
      for (const p of parts) {
        if (p.kind === 'bool') values.set(p.values.subarray(0, p.length), at);
        at += p.length;
      }
      return { kind, length, values, nulls };
    }
    case 'f64': {
      const values = alloc.f64(length);
      let at = 0;
      for (const p of parts) {
        if (p.kind === 'f64') values.set(p.values.subarray(0, p.length), at);
        at += p.length;
      }
      return { kind, length, values, nulls };
    }
    case 'ts': {
      const secs = alloc.f64(length);
      const nanos = alloc.i32(length);
      const offsets = parts.some((p) => p.kind === 'ts' && p.offsets) ? new Int16Array(length) : null;
      let at = 0;
      for (const p of parts) {
        if (p.kind === 'ts') {
          secs.set(p.secs.subarray(0, p.length), at);
          nanos.set(p.nanos.subarray(0, p.length), at);
          if (offsets && p.offsets) offsets.set(p.offsets.subarray(0, p.length), at);
        }
        at += p.length;
      }
      return offsets ? { kind, length, secs, nanos, nulls, offsets } : { kind, length, secs, nanos, nulls };
    }
    case 'i32': {
      const values = alloc.i32(length);
      let at = 0;
      for (const p of parts) {
        if (p.kind === 'i32') values.set(p.values.subarray(0, p.length), at);
        at += p.length;
      }
      return { kind, length, values, nulls };
    }
  }
}

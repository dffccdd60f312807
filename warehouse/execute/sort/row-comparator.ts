/**
 * Row comparators for ORDER BY: compare two rows of one batch by a list of evaluated sort
 * keys, each ASC/DESC with its NULL placement.
 *
 * Contract: the comparator is a strict total order: rows equal on every key compare by row
 * index, so any sort over it is stable. One comparison function is chosen per key from the
 * vector's kind and NULL mask (not per row): 'str' keys are pre-ranked once (the dictionary
 * when it is no larger than twice the batch, else only the codes in use) so comparing two
 * rows is an Int32 compare in JS string order; 'f64' orders NaN above every number (as
 * Snowflake orders FLOAT), with the NaN-aware form chosen only when a NaN is present; 'dec'
 * compares bigints exactly. NULLs go first or last per `nullsFirst`, independent of DESC.
 */
import type { BoolVector, F64Vector, I32Vector, StrVector, Vector } from '../../../storage/types/vector.js';
import { rankDictionary } from '../batch/rank-dictionary.js';

export type RowComparator = (a: number, b: number) => number;
export type SortOrder = { desc: boolean; nullsFirst: boolean };

export function rowComparator(vectors: readonly Vector[], orders: readonly SortOrder[]): RowComparator {
  const cmps = vectors.map((v, k) => keyComparator(v, orders[k]));
  if (cmps.length === 0) return (a, b) => a - b;
  if (cmps.length === 1) {
    const c0 = cmps[0];
    return (a, b) => c0(a, b) || a - b;
  }
  if (cmps.length === 2) {
    const c0 = cmps[0];
    const c1 = cmps[1];
    return (a, b) => c0(a, b) || c1(a, b) || a - b;
  }
  return (a, b) => {
    for (let k = 0; k < cmps.length; k++) {
      const c = cmps[k](a, b);
      if (c !== 0) return c;
    }
    return a - b;
  };
}

/** Comparator of one key (0 for ties; no index tie-break). */
export function keyComparator(v: Vector, order: SortOrder): RowComparator {
  const base = valueComparator(v, order.desc);
  const nulls = v.nulls;
  if (nulls === null) return base;
  const nullSide = order.nullsFirst ? -1 : 1;
  return (a, b) => {
    const na = nulls[a];
    const nb = nulls[b];
    if ((na | nb) === 0) return base(a, b);
    return na === nb ? 0 : na !== 0 ? nullSide : -nullSide;
  };
}

/** Comparator of the non-NULL values of a vector (values under NULL slots are never read). */
function valueComparator(v: Vector, desc: boolean): RowComparator {
  switch (v.kind) {
    case 'f64':
      return hasNaN(v) ? nanAware(v.values, desc) : numeric(v.values, desc);
    case 'i32':
    case 'bool':
      return numeric((v as I32Vector | BoolVector).values, desc);
    case 'str':
      return numeric(stringRanks(v), desc);
    case 'dec': {
      const x = v.values;
      const s = desc ? -1 : 1;
      return (a, b) => (x[a] < x[b] ? -s : x[a] > x[b] ? s : 0);
    }
    case 'ts': {
      // Seconds first, nanoseconds on a tie of seconds.
      const x = v.secs;
      const ns = v.nanos;
      const s = desc ? -1 : 1;
      return (a, b) => (x[a] < x[b] ? -s : x[a] > x[b] ? s : ns[a] < ns[b] ? -s : ns[a] > ns[b] ? s : 0);
    }
  }
}

function numeric(x: Float64Array | Int32Array | Uint8Array, desc: boolean): RowComparator {
  if (desc) return (a, b) => (x[a] > x[b] ? -1 : x[a] < x[b] ? 1 : 0);
  return (a, b) => (x[a] < x[b] ? -1 : x[a] > x[b] ? 1 : 0);
}

/** Numbers with NaN as the greatest value (NaN ties NaN). */
function nanAware(x: Float64Array, desc: boolean): RowComparator {
  const s = desc ? -1 : 1;
  return (a, b) => {
    const p = x[a];
    const q = x[b];
    if (p < q) return -s;
    if (p > q) return s;
    if (p === q) return 0;
    const pn = p !== p;
    const qn = q !== q;
    return pn === qn ? 0 : pn ? s : -s;
  };
}

function hasNaN(v: F64Vector): boolean {
  const x = v.values;
  for (let i = 0; i < v.length; i++) if (x[i] !== x[i]) return true;
  return false;
}

/** Per-row Int32 ranks of a 'str' vector in JS string order. */
export function stringRanks(v: StrVector): Int32Array {
  const n = v.length;
  const codes = v.codes;
  const out = new Int32Array(n);
  if (v.dict.length <= 2 * n) {
    const rank = rankDictionary(v.dict);
    for (let i = 0; i < n; i++) out[i] = rank[codes[i]];
    return out;
  }
  // A dictionary much larger than the batch: rank only the codes rows use.
  const local = new Map<number, number>();
  const used: string[] = [];
  const slot = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let s = local.get(codes[i]);
    if (s === undefined) {
      s = used.length;
      used.push(v.dict[codes[i]]);
      local.set(codes[i], s);
    }
    slot[i] = s;
  }
  const rank = rankDictionary(used);
  for (let i = 0; i < n; i++) out[i] = rank[slot[i]];
  return out;
}

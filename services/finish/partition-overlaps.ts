/**
 * Where a column's values can repeat across partitions, from the zone maps alone: the key
 * ranges in which two or more partitions' [min, max] overlap. A table loaded in key order
 * (TPC-H lineitem by l_orderkey) has only the single values where one partition ends and
 * the next begins. A GROUP BY on such a column has every group whose key lies outside
 * these ranges inside one partition, so its partial state is already its whole state: the
 * workers aggregate each partition in a small hash table and services finalizes those
 * groups without hashing (execute-plan.ts), merging only the few keys inside the ranges.
 *
 * Contract: `partitionOverlaps` returns the merged, sorted overlap ranges (inclusive), or
 * null when the zone maps cannot prove it (a missing or inexact bound, NULLs, a type
 * without usable bounds) or when the ranges are so many that the column is not clustered.
 * `inOverlaps` marks the rows of a key vector whose value lies in a range.
 */
import type { ColumnZone } from '../../storage/partition/zone-map.js';
import type { Column } from '../../storage/types/schema.js';
import type { Vector } from '../../storage/types/vector.js';
import type { PartitionInfo } from '../catalog/catalog.js';

type Bound = number | string;
export type KeyRanges = { lo: Bound[]; hi: Bound[] };

/** A zone-map bound in the key vectors' terms: scaled integers and day/microsecond numbers, or strings. */
function bound(column: Column, v: ColumnZone['min']): Bound | null {
  if (v === null || typeof v === 'boolean') return null;
  switch (column.type.kind) {
    case 'NUMBER': {
      // Only keys that fit an 'f64' vector exactly; wider ones arrive as 'dec'.
      const x = typeof v === 'string' ? Number(v) : null;
      return x !== null && Number.isSafeInteger(x) ? x : null;
    }
    case 'DATE':
    case 'FLOAT':
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    case 'VARCHAR':
      return typeof v === 'string' ? v : null;
    default:
      return null;
  }
}

export function partitionOverlaps(partitions: readonly PartitionInfo[], column: Column): KeyRanges | null {
  const ranges: { lo: Bound; hi: Bound }[] = [];
  for (const p of partitions) {
    const z = p.zoneMap.columns[column.name];
    if (!z || !z.exact || z.nullCount > 0) return null;
    const lo = bound(column, z.min);
    const hi = bound(column, z.max);
    if (lo === null || hi === null) return null;
    ranges.push({ lo, hi });
  }
  ranges.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const overlaps: { lo: Bound; hi: Bound }[] = [];
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length && ranges[j].lo <= ranges[i].hi; j++) {
      overlaps.push({ lo: ranges[j].lo, hi: ranges[j].hi < ranges[i].hi ? ranges[j].hi : ranges[i].hi });
      if (overlaps.length > 2 * ranges.length) return null;
    }
  }
  overlaps.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const out: KeyRanges = { lo: [], hi: [] };
  for (const o of overlaps) {
    const last = out.hi.length - 1;
    if (last >= 0 && o.lo <= out.hi[last]) {
      if (o.hi > out.hi[last]) out.hi[last] = o.hi;
    } else {
      out.lo.push(o.lo);
      out.hi.push(o.hi);
    }
  }
  return out;
}

/** Whether x lies in one of the sorted, disjoint ranges (binary search for the last lo <= x). */
function inRanges(r: KeyRanges, x: Bound): boolean {
  let a = 0;
  let b = r.lo.length - 1;
  let found = -1;
  while (a <= b) {
    const m = (a + b) >> 1;
    if (r.lo[m] <= x) {
      found = m;
      a = m + 1;
    } else {
      b = m - 1;
    }
  }
  return found >= 0 && x <= r.hi[found];
}

/** 1 for each row whose key lies in an overlap range (NULL keys, and keys of a vector kind without bounds, count as inside). */
export function inOverlaps(keys: Vector, r: KeyRanges): Uint8Array {
  const out = new Uint8Array(keys.length);
  if (r.lo.length === 0) return out;
  const nulls = keys.nulls;
  switch (keys.kind) {
    case 'f64':
    case 'i32':
      for (let i = 0; i < keys.length; i++) out[i] = (nulls !== null && nulls[i] !== 0) || inRanges(r, keys.values[i]) ? 1 : 0;
      return out;
    case 'str': {
      const perEntry = keys.dict.map((s) => (inRanges(r, s) ? 1 : 0));
      for (let i = 0; i < keys.length; i++) out[i] = (nulls !== null && nulls[i] !== 0) || perEntry[keys.codes[i]] ? 1 : 0;
      return out;
    }
    default:
      // Wide NUMBERs ('dec'): no proof here, so every row takes the merging path.
      return out.fill(1);
  }
}

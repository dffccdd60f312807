/**
 * Partition pruning over zone maps, done in services before any data byte is read.
 *
 * Contract: each partition gets one of three verdicts from its zone map:
 *   'none' -> skipped: the predicate is proven false or NULL for every row;
 *   'all'  -> scanned without the filter: proven TRUE for every row;
 *   'some' -> scanned with the filter.
 * A verdict other than 'some' needs proof (see pruning-predicate.ts); inexact string bounds
 * can still prove 'none' (they enclose the true range) but never 'all'. FLOAT bounds and
 * constants compare in the kernels' total order (NaN equal to NaN and above +inf), so a NaN
 * constant is placed like any other value; a bound JSON could not carry (NaN, +-inf stored as
 * null) proves nothing.
 */
import type { PartitionInfo } from '../catalog/catalog.js';
import type { ColumnZone } from '../../storage/partition/zone-map.js';
import type { DataType } from '../../storage/types/data-type.js';
import type { Scalar } from '../../storage/types/scalar.js';
import { scalarFromJson } from '../../storage/types/scalar.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import type { FilterMode } from '../../warehouse/fragment/fragment.js';
import { totalCompare } from '../../warehouse/execute/functions/comparison.js';
import { buildPruningPredicate, pruningPredicateText, type CompareOp, type PruneColumn, type PruningExpr } from './pruning-predicate.js';

export type Verdict = 'none' | 'some' | 'all';

export type PruningResult = {
  predicate: string | null;
  units: { partition: PartitionInfo; filterMode: FilterMode }[];
  partitionsTotal: number;
  partitionsScanned: number;
};

export function prunePartitions(partitions: readonly PartitionInfo[], filter: BoundExpr | null, columnNames: string[], enabled = true): PruningResult {
  if (!filter || !enabled) return { predicate: null, ...pruneUnits(partitions, filter, columnNames, enabled) };
  const predicate = buildPruningPredicate(filter, columnNames);
  return { predicate: pruningPredicateText(predicate), ...judge(partitions, predicate) };
}

/**
 * prunePartitions without the predicate's text: what the coordinator needs when it prunes a
 * probe scan again by a runtime filter, whose IN list of up to 4,096 keys would be printed
 * for nobody.
 */
export function pruneUnits(partitions: readonly PartitionInfo[], filter: BoundExpr | null, columnNames: string[], enabled = true): Omit<PruningResult, 'predicate'> {
  if (!filter || !enabled) {
    return {
      units: partitions.map((partition) => ({ partition, filterMode: filter ? 'filter' : 'all' })),
      partitionsTotal: partitions.length,
      partitionsScanned: partitions.length,
    };
  }
  return judge(partitions, buildPruningPredicate(filter, columnNames));
}

function judge(partitions: readonly PartitionInfo[], predicate: PruningExpr): Omit<PruningResult, 'predicate'> {
  const units: PruningResult['units'] = [];
  for (const partition of partitions) {
    const v = verdict(predicate, partition);
    if (v !== 'none') units.push({ partition, filterMode: v === 'all' ? 'all' : 'filter' });
  }
  return { units, partitionsTotal: partitions.length, partitionsScanned: units.length };
}

/**
 * The zone of a shredded path's expression COALESCE(sub, CAST(path AS T)) in a partition: the
 * sub-column's zone when every row it leaves NULL casts to NULL (`others` 0); else none.
 */
function shreddedZone(partition: PartitionInfo, name: string): ColumnZone | undefined {
  const s = partition.zoneMap.shredded?.[name];
  return s !== undefined && s.others === 0 ? s.zone : undefined;
}

export function verdict(p: PruningExpr, partition: PartitionInfo): Verdict {
  switch (p.kind) {
    case 'constant':
      return p.value === true ? 'all' : 'none';
    case 'unknown':
      return 'some';
    case 'and': {
      let all = true;
      for (const a of p.args) {
        const v = verdict(a, partition);
        if (v === 'none') return 'none';
        if (v !== 'all') all = false;
      }
      return all ? 'all' : 'some';
    }
    case 'or': {
      let none = true;
      for (const a of p.args) {
        const v = verdict(a, partition);
        if (v === 'all') return 'all';
        if (v !== 'none') none = false;
      }
      return none ? 'none' : 'some';
    }
    default:
      return leafVerdict(p, partition);
  }
}

function leafVerdict(p: Exclude<PruningExpr, { kind: 'and' | 'or' | 'constant' | 'unknown' }>, partition: PartitionInfo): Verdict {
  const zone = p.column.shredded ? shreddedZone(partition, p.column.name) : partition.zoneMap.columns[p.column.name];
  const rows = partition.rowCount;
  if (!zone) return 'some';
  if (p.kind === 'is_null') {
    if (p.negated) return zone.nullCount === rows ? 'none' : zone.nullCount === 0 ? 'all' : 'some';
    return zone.nullCount === 0 ? 'none' : zone.nullCount === rows ? 'all' : 'some';
  }
  if (zone.nullCount === rows) return 'none';
  // Bounds missing although some value is not NULL (e.g. a FLOAT NaN, which JSON cannot hold): no proof.
  if (zone.min === null || zone.max === null) return 'some';
  const bounds = zoneBounds(zone, p.column);
  if (!bounds) return 'some';
  const { min, max } = bounds;
  const noNulls = zone.nullCount === 0 && zone.exact;
  switch (p.kind) {
    case 'prefix': {
      if (typeof min !== 'string') return 'some';
      const lo = p.prefix;
      const hi = prefixUpperBound(lo);
      if (cmp(max, lo) < 0 || (hi !== null && cmp(min, hi) >= 0)) return 'none';
      return 'some';
    }
    case 'in': {
      if (p.values.length === 0) return 'none';
      const list = sortedList(p);
      if (list.type !== typeof min) return 'some';
      // Binary search for: p.values.some((v) => cmp(v, min) >= 0 && cmp(v, max) <= 0).
      const values = list.sorted;
      let lo = 0;
      let hi = values.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cmp(values[mid], min) < 0) lo = mid + 1;
        else hi = mid;
      }
      if (lo === values.length || cmp(values[lo], max) > 0) return 'none';
      if (noNulls && cmp(min, max) === 0) return 'all';
      return 'some';
    }
    case 'compare':
      if (typeof min !== typeof p.value) return 'some';
      return compareVerdict(p.op, min, max, p.value, noNulls);
  }
}

/**
 * An IN list's values sorted by cmp, with their common typeof (null when they differ: then no
 * zone proves anything). Built once per predicate, so judging P partitions against K values
 * costs O(K log K + P log K) instead of O(P K): a runtime filter's list holds up to 4,096 join
 * keys, and a probe scan of ~100 partitions took 12-21 ms of the event loop to prune.
 */
type SortedList = { type: string | null; sorted: Scalar[] };
const sortedLists = new WeakMap<Extract<PruningExpr, { kind: 'in' }>, SortedList>();

function sortedList(p: Extract<PruningExpr, { kind: 'in' }>): SortedList {
  let list = sortedLists.get(p);
  if (list === undefined) {
    const type = typeof p.values[0];
    const same = p.values.every((v) => typeof v === type);
    list = { type: same ? type : null, sorted: same ? [...p.values].sort(cmp) : [] };
    sortedLists.set(p, list);
  }
  return list;
}

function compareVerdict(op: CompareOp, min: Scalar, max: Scalar, v: Scalar, noNulls: boolean): Verdict {
  const lo = cmp(min, v);
  const hi = cmp(max, v);
  const yes = (proven: boolean): Verdict => (proven && noNulls ? 'all' : 'some');
  switch (op) {
    case 'eq':
      if (lo > 0 || hi < 0) return 'none';
      return yes(lo === 0 && hi === 0);
    case 'ne':
      if (lo === 0 && hi === 0) return 'none';
      return yes(lo > 0 || hi < 0);
    case 'lt':
      if (lo >= 0) return 'none';
      return yes(hi < 0);
    case 'le':
      if (lo > 0) return 'none';
      return yes(hi <= 0);
    case 'gt':
      if (hi <= 0) return 'none';
      return yes(lo > 0);
    case 'ge':
      if (hi < 0) return 'none';
      return yes(lo >= 0);
  }
}

/**
 * The zone's bounds in the type the predicate compares in, or null when that conversion is
 * not order-preserving enough to prove anything.
 */
function zoneBounds(zone: ColumnZone, column: PruneColumn): { min: Scalar; max: Scalar } | null {
  const min = convert(zone.min, column.columnType, column.type, 'down');
  const max = convert(zone.max, column.columnType, column.type, 'up');
  return min === undefined || max === undefined ? null : { min, max };
}

/**
 * A zone-map JSON value of type `from` in type `to`. Casts that round (to a smaller
 * NUMBER scale, or to FLOAT) stay monotonic, so rounding the bounds the same way keeps every
 * row's cast value inside them; FLOAT bounds are widened by one part in 1e12 to absorb any
 * difference between this conversion and the kernel's.
 */
function convert(v: ColumnZone['min'], from: DataType, to: DataType, dir: 'down' | 'up'): Scalar | undefined {
  if (v === null) return null;
  if (from.kind === 'NUMBER') {
    const scaled = BigInt(v as string | number);
    if (to.kind === 'NUMBER') return rescale(scaled, from.scale, to.scale);
    if (to.kind === 'FLOAT') {
      const x = Number(scaled) / 10 ** from.scale;
      const widen = Math.abs(x) * 1e-12 + Number.MIN_VALUE;
      return dir === 'down' ? x - widen : x + widen;
    }
    return undefined;
  }
  if (from.kind === 'DATE' && to.kind === 'TIMESTAMP_NTZ') return BigInt(v as number) * 86_400_000_000_000n;
  if (from.kind !== to.kind) return undefined;
  // Nanoseconds in a decimal string (or, in zone maps written before them, a number of microseconds).
  if (from.kind === 'TIMESTAMP_NTZ') return typeof v === 'boolean' ? undefined : scalarFromJson(from, v);
  if (from.kind === 'FLOAT' && typeof v !== 'number') return undefined;
  return v;
}

function rescale(v: bigint, from: number, to: number): bigint {
  if (to >= from) return v * 10n ** BigInt(to - from);
  const d = 10n ** BigInt(from - to);
  const q = v / d;
  const r = v % d;
  const twice = (r < 0n ? -r : r) * 2n;
  return twice >= d ? q + (v < 0n ? -1n : 1n) : q;
}

function cmp(a: Scalar, b: Scalar): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return totalCompare(a, b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'bigint' && typeof b === 'number') return Number(a) < b ? -1 : Number(a) > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'bigint') return a < Number(b) ? -1 : a > Number(b) ? 1 : 0;
  return 0;
}

/** The smallest string greater than every string starting with `prefix`, or null. */
function prefixUpperBound(prefix: string): string | null {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const c = prefix.charCodeAt(i);
    if (c < 0xffff) return prefix.slice(0, i) + String.fromCharCode(c + 1);
  }
  return null;
}

/**
 * Zone skipping inside a scan unit: the min and max of every ZONE_ROWS rows of an integer
 * column (NUMBER, DATE) let a scan pass over the zones where no row can satisfy its pushed-down
 * predicate or its runtime key filters, before any row of them is evaluated. Partition zone maps
 * prune whole micro-partitions; this prunes within one, where the data is clustered on the
 * filtered column (a table loaded in key order, such as TPC-H's lineitem and orders by order key).
 *
 * Why: a runtime filter with a few keys (TPC-H Q18's 57 order keys of large orders, pushed on
 * the scans of orders and lineitem) prunes almost no partition, since each holds a wide key
 * range, yet falls in a few thousand rows of each. Without zones every row of every partition
 * was read, tested against the list and mostly dropped.
 *
 * Contract: `candidateRanges(batch, filter, keyFilters)` answers the row ranges of `batch` (the
 * unit's rows; `filter` and the key filters' columns index its columns) as [start, end) pairs,
 * ascending and disjoint, outside which no row satisfies the conjunction of `filter` and the
 * key filters; null when no conjunct can be judged (every row must be read). Judged are: `and`
 * and `or` of comparisons (=, <, <=, >, >=) and IN lists between a column and literals, on
 * integer-valued columns ('f64' or 'i32' vectors of NUMBER or DATE, literals of the same
 * domain: a NUMBER literal whose scale is at most the column's), and key bitmaps (exactly, over
 * any range: prefix counts of the bitmap's keys per word). Anything else is assumed to pass. A NULL never satisfies a comparison, an IN list or a key filter, so a
 * zone of NULLs alone is skipped. The callers still evaluate the predicate on the rows read:
 * zones only save work. Zone bounds are kept per vector (a WeakMap), so a vector the column
 * cache serves again costs no second pass.
 */
import type { DataType } from '../../../storage/types/data-type.js';
import type { Batch, Vector } from '../../../storage/types/vector.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import type { KeyBits, ScanKeyFilter } from '../../fragment/stage-plan.js';
import { keyBitsPrefixCounts } from './key-bits.js';

/** Rows per zone. */
export const ZONE_ROWS = 4096;

/** Per zone, the least and greatest non-NULL value (+Infinity and -Infinity for a zone of NULLs). */
type ZoneBounds = { mins: Float64Array; maxs: Float64Array };

/** Whether a zone with these bounds may hold a row that passes. */
type ZoneTest = (min: number, max: number) => boolean;

const BOUNDS = new WeakMap<Vector, ZoneBounds>();
/** Each IN list's keys, prepared once: a runtime filter's list is judged against every unit. */
const SORTED_KEYS = new WeakMap<BoundExpr, Float64Array | null>();
/** Each key bitmap's prefix counts, likewise. */
const PREFIX_COUNTS = new WeakMap<KeyBits, Int32Array>();

export function candidateRanges(batch: Batch, filter: BoundExpr | null, keyFilters: readonly ScanKeyFilter[]): Int32Array | null {
  const tests: { column: number; test: ZoneTest }[] = [];
  for (const conjunct of filter === null ? [] : conjuncts(filter)) {
    const judged = judge(conjunct, batch);
    if (judged !== null) tests.push(judged);
  }
  for (const f of keyFilters) if (integerVector(batch.columns[f.column])) tests.push({ column: f.column, test: bitsTest(f.bits) });
  if (tests.length === 0) return null;
  const zones = Math.ceil(batch.length / ZONE_ROWS);
  const bounds = tests.map((t) => zoneBounds(batch.columns[t.column]));
  const ranges: number[] = [];
  for (let z = 0; z < zones; z++) {
    let pass = true;
    for (let t = 0; t < tests.length && pass; t++) pass = tests[t].test(bounds[t].mins[z], bounds[t].maxs[z]);
    if (!pass) continue;
    const start = z * ZONE_ROWS;
    const end = Math.min(batch.length, start + ZONE_ROWS);
    if (ranges.length > 0 && ranges[ranges.length - 1] === start) ranges[ranges.length - 1] = end;
    else ranges.push(start, end);
  }
  return Int32Array.from(ranges);
}

function conjuncts(e: BoundExpr): BoundExpr[] {
  return e.kind === 'and' ? e.args.flatMap(conjuncts) : [e];
}

/** The zone test of one conjunct, or null when it cannot be judged (an `or` needs every branch judged, on one column). */
function judge(e: BoundExpr, batch: Batch): { column: number; test: ZoneTest } | null {
  if (e.kind === 'or') {
    const branches = e.args.map((a) => judge(a, batch));
    if (branches.some((b) => b === null || b.column !== branches[0]!.column)) return null;
    const tests = branches.map((b) => b!.test);
    return { column: branches[0]!.column, test: (min, max) => tests.some((t) => t(min, max)) };
  }
  if (e.kind === 'in_list' && !e.negated && e.expr.kind === 'column' && integerVector(batch.columns[e.expr.index])) {
    const sorted = sortedKeys(e, e.expr.type);
    return sorted === null ? null : { column: e.expr.index, test: (min, max) => anyWithin(sorted, min, max) };
  }
  if (e.kind === 'call' && e.args.length === 2 && COMPARISONS.has(e.fn)) {
    const [a, b] = e.args;
    const flipped = a.kind === 'literal' && b.kind === 'column';
    const col = flipped ? b : a;
    const lit = flipped ? a : b;
    if (col.kind !== 'column' || lit.kind !== 'literal' || !integerVector(batch.columns[col.index])) return null;
    const v = integerLiteral(lit.value, lit.type, col.type);
    if (v === undefined) return null;
    // A NULL literal: the comparison is never true.
    if (v === null) return { column: col.index, test: () => false };
    const fn = flipped ? FLIPPED[e.fn] : e.fn;
    return { column: col.index, test: comparisonTest(fn, v) };
  }
  return null;
}

const COMPARISONS = new Set(['eq', 'lt', 'le', 'gt', 'ge']);
const FLIPPED: Record<string, string> = { eq: 'eq', lt: 'gt', le: 'ge', gt: 'lt', ge: 'le' };

/** Whether some value of col <fn> v may hold in a zone of [min, max] (empty when min > max). */
function comparisonTest(fn: string, v: number): ZoneTest {
  switch (fn) {
    case 'eq':
      return (min, max) => min <= v && v <= max;
    case 'lt':
      return (min) => min < v;
    case 'le':
      return (min) => min <= v;
    case 'gt':
      return (_min, max) => max > v;
    default:
      return (_min, max) => max >= v;
  }
}

/** Whether a bitmap holds a key in [min, max]: the end words masked, the words between by prefix counts. */
function bitsTest(bits: KeyBits): ZoneTest {
  const words = bits.words;
  const span = words.length * 32;
  const counts = prefixCounts(bits);
  return (min, max) => {
    const lo = Math.max(0, Math.ceil(min - bits.base));
    const hi = Math.min(span - 1, Math.floor(max - bits.base));
    if (lo > hi) return false;
    const first = lo >>> 5;
    const last = hi >>> 5;
    const lastMask = (hi & 31) === 31 ? -1 : (1 << ((hi & 31) + 1)) - 1;
    if (first === last) return (words[first] & (-1 << (lo & 31)) & lastMask) !== 0;
    return (words[first] & (-1 << (lo & 31))) !== 0 || (words[last] & lastMask) !== 0 || counts[last] - counts[first + 1] > 0;
  };
}

/** The bitmap's prefix counts (key-bits.ts), computed once per bitmap. */
function prefixCounts(bits: KeyBits): Int32Array {
  let counts = PREFIX_COUNTS.get(bits);
  if (counts === undefined) {
    counts = keyBitsPrefixCounts(bits);
    PREFIX_COUNTS.set(bits, counts);
  }
  return counts;
}

/** An IN list's literals as the column's values, ascending (NULLs left out); null when one cannot be judged. */
function sortedKeys(e: Extract<BoundExpr, { kind: 'in_list' }>, columnType: DataType): Float64Array | null {
  const known = SORTED_KEYS.get(e);
  if (known !== undefined) return known;
  let keys: Float64Array | null = new Float64Array(e.list.length);
  let n = 0;
  for (const item of e.list) {
    const v = item.kind === 'literal' ? integerLiteral(item.value, item.type, columnType) : undefined;
    if (v === undefined) {
      keys = null;
      break;
    }
    if (v !== null) keys[n++] = v;
  }
  const sorted = keys === null ? null : keys.subarray(0, n).sort();
  SORTED_KEYS.set(e, sorted);
  return sorted;
}

/** Whether the ascending `sorted` holds a value in [min, max]. */
function anyWithin(sorted: Float64Array, min: number, max: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < min) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] <= max;
}

/** Vectors whose values are the column's integers (scaled NUMBERs, DATE days). */
function integerVector(v: Vector | undefined): boolean {
  return v !== undefined && (v.kind === 'f64' || v.kind === 'i32');
}

/**
 * A literal as the column vector's value: a NUMBER rescaled to the column's scale, a DATE's
 * days; null for NULL; undefined when it cannot be judged (another domain, a finer scale than
 * the column's, beyond exact doubles).
 */
function integerLiteral(value: unknown, type: DataType, columnType: DataType): number | null | undefined {
  if (value === null) return null;
  if (columnType.kind === 'DATE') return type.kind === 'DATE' && typeof value === 'number' ? value : undefined;
  if (columnType.kind !== 'NUMBER' || type.kind !== 'NUMBER' || typeof value !== 'bigint' || type.scale > columnType.scale) return undefined;
  const scaled = value * 10n ** BigInt(columnType.scale - type.scale);
  const n = Number(scaled);
  return Number.isSafeInteger(n) ? n : undefined;
}

function zoneBounds(v: Vector): ZoneBounds {
  const known = BOUNDS.get(v);
  if (known !== undefined) return known;
  const values = (v as Extract<Vector, { kind: 'f64' | 'i32' }>).values;
  const nulls = v.nulls;
  const zones = Math.ceil(v.length / ZONE_ROWS);
  const mins = new Float64Array(zones);
  const maxs = new Float64Array(zones);
  for (let z = 0; z < zones; z++) {
    const end = Math.min(v.length, (z + 1) * ZONE_ROWS);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = z * ZONE_ROWS; i < end; i++) {
      if (nulls !== null && nulls[i] !== 0) continue;
      const x = values[i];
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    mins[z] = lo;
    maxs[z] = hi;
  }
  const bounds = { mins, maxs };
  BOUNDS.set(v, bounds);
  return bounds;
}

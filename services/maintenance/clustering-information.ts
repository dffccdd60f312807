/**
 * SYSTEM$CLUSTERING_INFORMATION('<table>' [, '(<col>, ...)']): how well a table's live
 * partitions are clustered, as Snowflake reports it, computed in services from the zone maps
 * alone (no data is read). Only the first key column is measured, as a range [min, max] per
 * partition (Snowflake's exact metric over composite keys is not documented).
 *
 * Contract: the answer is one JSON text with `cluster_by_keys` ("LINEAR(A, B)"),
 * `total_partition_count`, `total_constant_partition_count` (min = max, or all NULL),
 * `average_overlaps` (per partition, how many other partitions' ranges intersect its own),
 * `average_depth` (per partition, the most partitions covering one value of its range, itself
 * included; a table with no partition has depth 0), both rounded to 4 decimals,
 * `partition_depth_histogram` (buckets "00000".."00016" always, then the next power of two for
 * deeper partitions, as Snowflake) and `clustering_errors` (always empty: Firn's compactor
 * reports none). Ranges are closed: two partitions that share only a boundary value overlap.
 * A partition whose key is all NULL has the range [NULL, NULL], above every value. A table
 * without CLUSTER BY and no column list fails with Snowflake's 000005 "Invalid clustering keys
 * or table T is not clustered".
 */
import { CompilationError, NotSupportedError } from '../../storage/errors/firn-error.js';
import type { DataType } from '../../storage/types/data-type.js';
import { scalarFromJson, type Scalar } from '../../storage/types/scalar.js';
import type { ColumnZone } from '../../storage/partition/zone-map.js';
import type { Catalog, PartitionInfo } from '../catalog/catalog.js';
import { lookupTable } from '../plan/bind-query.js';
import type { Expr } from '../sql/ast.js';
import type { SessionContext } from '../session/statement-result.js';

/** One partition's range of the measured key: null bounds stand for NULL (all rows NULL). */
export type KeyRange = { min: Scalar; max: Scalar };

export type ClusteringStats = {
  totalPartitionCount: number;
  totalConstantPartitionCount: number;
  averageOverlaps: number;
  averageDepth: number;
  /** Depth bucket ("00000".."00016", then powers of two) -> partitions. */
  histogram: Record<string, number>;
};

/** The answer of SYSTEM$CLUSTERING_INFORMATION(args...) for the session, as JSON text. */
export function clusteringInformation(ctx: { catalog: Catalog; session: SessionContext }, args: Expr[]): string {
  if (args.length < 1 || args.length > 2 || args[0].kind !== 'string') {
    throw new CompilationError('TYPE_MISMATCH', "SQL compilation error: Invalid argument types for function 'SYSTEM$CLUSTERING_INFORMATION'");
  }
  const table = lookupTable(ctx, { parts: splitName(args[0].value) });
  const second = args[1];
  let keys: string[];
  if (second === undefined || second.kind === 'number') keys = table.clusterBy;
  else if (second.kind === 'string') keys = keyList(second.value);
  else throw new CompilationError('TYPE_MISMATCH', "SQL compilation error: Invalid argument types for function 'SYSTEM$CLUSTERING_INFORMATION'");
  if (keys.length === 0) throw new CompilationError('INVALID_CLUSTER_KEYS', `Invalid clustering keys or table ${table.name} is not clustered`);
  const columns = keys.map((k) => {
    const c = table.columns.find((col) => col.name === k);
    if (!c) throw new CompilationError('INVALID_IDENTIFIER', `SQL compilation error: invalid identifier '${k}'`);
    return c;
  });
  const first = columns[0];
  const partitions = ctx.catalog.livePartitions(table.id, table.currentVersion);
  const stats = clusteringStats(partitions.map((p) => keyRange(p, first.name, first.type)));
  return JSON.stringify(
    {
      cluster_by_keys: `LINEAR(${columns.map((c) => c.name).join(', ')})`,
      total_partition_count: stats.totalPartitionCount,
      total_constant_partition_count: stats.totalConstantPartitionCount,
      average_overlaps: stats.averageOverlaps,
      average_depth: stats.averageDepth,
      partition_depth_histogram: stats.histogram,
      clustering_errors: [],
    },
    null,
    2,
  );
}

/** A partition's range of column `name` from its zone map (a missing zone: the widest, unknown range counts as all NULL). */
export function keyRange(p: PartitionInfo, name: string, type: DataType): KeyRange {
  const zone: ColumnZone | undefined = p.zoneMap.columns[name];
  if (!zone || zone.nullCount === p.rowCount) return { min: null, max: null };
  return { min: scalarFromJson(type, zone.min), max: scalarFromJson(type, zone.max) };
}

/**
 * Overlaps and depth of closed ranges by a sweep over their sorted bounds: O(n log n).
 * Depth of range p = the most ranges covering one value of p; that maximum is reached at the
 * lower bound of some range inside p, so it is a range-maximum over the coverage at each
 * lower bound (sparse table).
 */
export function clusteringStats(ranges: readonly KeyRange[]): ClusteringStats {
  const n = ranges.length;
  const histogram: Record<string, number> = {};
  for (let d = 0; d <= 16; d++) histogram[bucketName(d)] = 0;
  if (n === 0) return { totalPartitionCount: 0, totalConstantPartitionCount: 0, averageOverlaps: 0, averageDepth: 0, histogram };
  const mins = ranges.map((r) => r.min).sort(compareKey);
  const maxs = ranges.map((r) => r.max).sort(compareKey);
  // Coverage at each sorted lower bound v: ranges with min <= v, minus those with max < v.
  const cover = mins.map((v) => upperBound(mins, v) - lowerBound(maxs, v));
  const sparse = sparseMax(cover);
  let constant = 0;
  let overlaps = 0;
  let depths = 0;
  const buckets = new Map<string, number>();
  for (const r of ranges) {
    if (compareKey(r.min, r.max) === 0) constant++;
    // Ranges that miss r end below its min or start above its max.
    overlaps += n - lowerBound(maxs, r.min) - (n - upperBound(mins, r.max)) - 1;
    const depth = rangeMax(sparse, lowerBound(mins, r.min), upperBound(mins, r.max) - 1);
    depths += depth;
    const b = bucketName(depth <= 16 ? depth : 2 ** Math.ceil(Math.log2(depth)));
    buckets.set(b, (buckets.get(b) ?? 0) + 1);
  }
  for (const [b, count] of [...buckets].sort(([a], [c]) => (a < c ? -1 : 1))) histogram[b] = count;
  return { totalPartitionCount: n, totalConstantPartitionCount: constant, averageOverlaps: round4(overlaps / n), averageDepth: round4(depths / n), histogram };
}

/** Orders key values; NULL (an all-NULL partition) sorts above every value. */
export function compareKey(a: Scalar, b: Scalar): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

function bucketName(depth: number): string {
  return String(depth).padStart(5, '0');
}

function round4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

/** First index whose value is >= v. */
function lowerBound(sorted: readonly Scalar[], v: Scalar): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKey(sorted[mid], v) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose value is > v. */
function upperBound(sorted: readonly Scalar[], v: Scalar): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKey(sorted[mid], v) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sparseMax(values: number[]): Int32Array[] {
  const levels = [Int32Array.from(values)];
  for (let w = 1; 2 * w <= values.length; w *= 2) {
    const prev = levels[levels.length - 1];
    const next = new Int32Array(prev.length - w);
    for (let i = 0; i < next.length; i++) next[i] = Math.max(prev[i], prev[i + w]);
    levels.push(next);
  }
  return levels;
}

function rangeMax(levels: Int32Array[], lo: number, hi: number): number {
  const k = 31 - Math.clz32(hi - lo + 1);
  return Math.max(levels[k][lo], levels[k][hi - (1 << k) + 1]);
}

/** 'db.schema.t' into identifier parts: unquoted parts upper-case, "quoted" ones as written. */
function splitName(text: string): string[] {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^."]+))\s*(?:\.|$)/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text)) !== null) parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2].trim().toUpperCase());
  if (parts.length === 0 || parts.length > 3) throw new CompilationError('OBJECT_NOT_FOUND', `SQL compilation error: Object '${text}' does not exist or not authorized.`);
  return parts;
}

/** '(a, "b")' into column names; only plain column names are measured. */
function keyList(text: string): string[] {
  const inner = /^\s*\((.*)\)\s*$/s.exec(text);
  if (!inner) throw new CompilationError('INVALID_CLUSTER_KEYS', `Invalid clustering keys '${text}': they must be in parentheses`);
  return inner[1].split(',').map((k) => {
    const t = k.trim();
    const quoted = /^"((?:[^"]|"")*)"$/.exec(t);
    if (quoted) return quoted[1].replace(/""/g, '"');
    if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(t)) throw new NotSupportedError(`SYSTEM$CLUSTERING_INFORMATION over the expression '${t}'`);
    return t.toUpperCase();
  });
}

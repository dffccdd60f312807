/**
 * What a finished build side tells the planner for join pruning: per key column, the range
 * of the key values that can match (min/max) and, when small, the exact set of them. The
 * probe side's zone maps are tested against these before its partitions are dispatched.
 *
 * Contract: only build rows whose keys are all non-NULL count (a row with a NULL key can
 * match nothing). `min`/`max` are Scalars of the key's type (storage/types/scalar.ts),
 * ordered as zone maps order them (VARCHAR by UTF-16 code units, NaN above every FLOAT), and
 * both null when no build row can match. `exact` is false only when a long VARCHAR bound was
 * shortened (then min <= true min and max >= true max still hold, as in zone maps).
 * `values` holds the column's distinct values, ascending, when there are at most `limit`;
 * otherwise null.
 */
import { computeColumnZone } from '../../../storage/partition/compute-zone-map.js';
import type { DataType } from '../../../storage/types/data-type.js';
import { scalarAt } from '../../../storage/types/scalar-at.js';
import { scalarFromJson, type Scalar } from '../../../storage/types/scalar.js';
import type { Vector } from '../../../storage/types/vector.js';

export type JoinKeyStats = { min: Scalar; max: Scalar; exact: boolean; values: Scalar[] | null };

/**
 * Stats of each key column from the distinct key tuples that have build rows: `tuples` is
 * one vector per key column (row k = tuple k, no NULLs), as JoinKeyIds.emitKeys gives them.
 */
export function joinKeyStats(types: readonly DataType[], tuples: readonly Vector[], count: number, limit: number): JoinKeyStats[] {
  return types.map((type, c) => {
    if (count === 0) return { min: null, max: null, exact: true, values: [] };
    const zone = computeColumnZone(tuples[c], type);
    const values = types.length === 1 && count > limit ? null : distinctValues(tuples[c], type, count, limit);
    return { min: scalarFromJson(type, zone.min), max: scalarFromJson(type, zone.max), exact: zone.exact, values };
  });
}

/** The distinct values of v[0..count), ascending, or null past `limit` of them. Metadata-sized, not a hot loop. */
function distinctValues(v: Vector, type: DataType, count: number, limit: number): Scalar[] | null {
  const seen = new Set<Scalar>();
  for (let k = 0; k < count; k++) {
    seen.add(scalarAt(v, k, type));
    if (seen.size > limit) return null;
  }
  return [...seen].sort(compareScalars);
}

function compareScalars(a: Scalar, b: Scalar): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a !== a) return b !== b ? 0 : 1;
    if (b !== b) return -1;
  }
  const x = typeof a === 'boolean' ? Number(a) : a;
  const y = typeof b === 'boolean' ? Number(b) : b;
  return x! < y! ? -1 : x! > y! ? 1 : 0;
}

/**
 * Gather with "no row": row k of the result is v[sel[k]], or NULL where sel[k] < 0. The
 * value-picking window functions (FIRST_VALUE, LAST_VALUE, LAG, LEAD, MIN, MAX) compute a
 * source row per output row and build their result with one call.
 *
 * Contract: the result has v's physical layout (a 'str' vector keeps its dictionary); its
 * NULL mask is null when no picked row is NULL and no sel[k] is negative. Non-negative
 * entries are rows of v; when some entry is negative v must have at least one row.
 */
import type { Vector } from '../../../storage/types/vector.js';
import { gatherVector } from '../batch/gather-vector.js';

export function gatherOrNull(v: Vector, sel: Int32Array): Vector {
  const n = sel.length;
  let missing = 0;
  for (let k = 0; k < n; k++) if (sel[k] < 0) missing++;
  if (missing === 0) return gatherVector(v, sel);
  const safe = new Int32Array(n);
  const nulls = new Uint8Array(n);
  const src = v.nulls;
  for (let k = 0; k < n; k++) {
    const r = sel[k];
    if (r < 0) nulls[k] = 1;
    else {
      safe[k] = r;
      if (src !== null) nulls[k] = src[r];
    }
  }
  return { ...gatherVector(v, safe), nulls } as Vector;
}

/**
 * Lanes for per-group folds over few groups. A fold like `counts[gids[i]]++` over 4 groups
 * (TPC-H Q1) is bound by the chain of loads and stores through the same few slots: each
 * row waits for the previous row of its group, about 5 ns a row in V8 against 1-2 ns for
 * independent rows. Spreading consecutive rows over LANES copies of each group's slot cuts
 * the chain LANES-fold; the lanes are added into the group's slot once per batch.
 *
 * Contract: laneScratch(groups) is the lane scratch, or null when `groups` is too many for
 * lanes to pay (they would multiply the state's cache footprint); slot of (group g, lane l)
 * = g * LANES + l (LANES = 4: the shifts below assume it). The scratch is shared by every
 * fold on this thread and handed out zeroed: a fold takes it, fills it and adds it back
 * before anything else runs. groupRows(gids, n, groups) is a batch's rows per group, counted
 * once for every accumulator of the batch (valid until the next call on this thread).
 */

/** Copies of a group's slot; consecutive rows go to consecutive lanes. */
export const LANES = 4;
/** Most groups a fold spreads over lanes. */
export const FEW_GROUPS = 64;

const scratch = new Float64Array(FEW_GROUPS * LANES);
const rowsScratch = new Float64Array(FEW_GROUPS);

/** The zeroed lane scratch for `groups` groups, or null when they are not few. */
export function laneScratch(groups: number): Float64Array | null {
  if (groups > FEW_GROUPS) return null;
  scratch.fill(0, 0, groups * LANES);
  return scratch;
}

/**
 * counts[g] += the rows of group g among the first n (rows where `nulls` is set not counted).
 * Hand-inlined with lanes; the simple version is: for each row i: counts[gids[i]] += 1 - nulls[i].
 */
export function countGroups(counts: Float64Array, gids: Int32Array, nulls: Uint8Array | null, n: number, groups: number): void {
  const lanes = laneScratch(groups);
  if (lanes === null) {
    if (nulls === null) for (let i = 0; i < n; i++) counts[gids[i]]++;
    else for (let i = 0; i < n; i++) counts[gids[i]] += 1 - nulls[i];
    return;
  }
  let i = 0;
  if (nulls === null) {
    for (; i + 3 < n; i += 4) {
      lanes[gids[i] << 2]++;
      lanes[(gids[i + 1] << 2) | 1]++;
      lanes[(gids[i + 2] << 2) | 2]++;
      lanes[(gids[i + 3] << 2) | 3]++;
    }
    for (; i < n; i++) lanes[gids[i] << 2]++;
  } else {
    for (; i + 3 < n; i += 4) {
      lanes[gids[i] << 2] += 1 - nulls[i];
      lanes[(gids[i + 1] << 2) | 1] += 1 - nulls[i + 1];
      lanes[(gids[i + 2] << 2) | 2] += 1 - nulls[i + 2];
      lanes[(gids[i + 3] << 2) | 3] += 1 - nulls[i + 3];
    }
    for (; i < n; i++) lanes[gids[i] << 2] += 1 - nulls[i];
  }
  addLanes(counts, lanes, groups);
}

/** Rows of each group among the first n (a shared scratch), or null when the groups are not few. */
export function groupRows(gids: Int32Array, n: number, groups: number): Float64Array | null {
  if (groups > FEW_GROUPS) return null;
  rowsScratch.fill(0, 0, groups);
  countGroups(rowsScratch, gids, null, n, groups);
  return rowsScratch;
}

/** counts[g] += rows[g] for every group below `groups`. */
export function addGroupRows(counts: Float64Array, rows: Float64Array, groups: number): void {
  for (let g = 0; g < groups; g++) counts[g] += rows[g];
}

/** counts[g] += the sum of g's lanes, for every group below `groups`. */
export function addLanes(into: Float64Array, lanes: Float64Array, groups: number): void {
  for (let g = 0; g < groups; g++) {
    const at = g << 2;
    into[g] += lanes[at] + lanes[at + 1] + lanes[at + 2] + lanes[at + 3];
  }
}

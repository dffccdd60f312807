/**
 * Which task (and so which worker slot: task t runs on slot t) reads each partition of a
 * scan: rendezvous, or highest-random-weight, hashing. Every (partition, task) pair gets a
 * pseudo-random weight; a partition goes to the task of highest weight.
 *
 * Why: a partition must meet the same worker's warm column cache every time, and a resize
 * must keep as much of that as it can. With `partition id mod tasks`, going from n to n+1
 * workers moves almost every partition; with rendezvous hashing a partition only moves when
 * the new task outbids all the old ones, which happens for about 1/(n+1) of them, and no
 * partition ever moves between two tasks that exist before and after.
 *
 * Contract: rendezvousTask(partitionId, tasks) is a pure function of its arguments, in
 * [0, tasks); the weight of (p, t) does not depend on `tasks`, so for tasks n → n+1 a
 * partition either keeps its task or moves to task n. assignUnits keeps the units' order
 * within each task (dispatch-stable). O(units × tasks) integer hashing, no allocation per pair.
 */
import type { ScanUnit } from '../../warehouse/fragment/fragment.js';

/** murmur3's 32-bit finalizer: a bijective avalanche mix of a 32-bit integer. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The weight of task t for partition p (unsigned 32-bit). */
export function rendezvousWeight(partitionId: number, task: number): number {
  const p = fmix32((partitionId >>> 0) ^ Math.imul((partitionId / 0x100000000) >>> 0, 0x9e3779b1));
  return fmix32(p ^ fmix32(Math.imul(task + 1, 0x27d4eb2f) >>> 0));
}

/** The task in [0, tasks) that reads partition `partitionId` (ties go to the lower task). */
export function rendezvousTask(partitionId: number, tasks: number): number {
  let best = 0;
  let bestWeight = -1;
  for (let t = 0; t < tasks; t++) {
    const w = rendezvousWeight(partitionId, t);
    if (w > bestWeight) {
      best = t;
      bestWeight = w;
    }
  }
  return best;
}

/** Units per task by rendezvous hashing of their partition ids, in the units' order. */
export function assignUnits(units: readonly ScanUnit[], tasks: number): ScanUnit[][] {
  const out: ScanUnit[][] = Array.from({ length: tasks }, () => []);
  for (const u of units) out[rendezvousTask(u.partitionId, tasks)].push(u);
  return out;
}

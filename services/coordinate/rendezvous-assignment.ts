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
 * Bounded loads: plain rendezvous hashing spreads a few dozen partitions unevenly (31 SF1
 * lineitem partitions over 2 workers split 21/10, capping a 2-worker speedup at 1.48), and a
 * stage waits for its slowest task. assignUnits therefore gives each task at most
 * ceil(units / tasks) units: a unit goes to its highest-weight task that still has room
 * (consistent hashing with bounded loads, ε = 0). Over 10,000 partitions a resize from n to
 * n+1 then still moves about 1/(n+1) of them, and under 1% between two old tasks.
 *
 * Contract: rendezvousTask(partitionId, tasks) is a pure function of its arguments, in
 * [0, tasks) (the unbounded preference); the weight of (p, t) does not depend on `tasks`, so
 * for tasks n → n+1 a partition either keeps its task or moves to task n. assignUnits is a
 * pure function of the units (in their order) and `tasks`: no task gets more than
 * ceil(units / tasks) units (the least the slowest task can have), and each task keeps its
 * units in the units' order (dispatch-stable). O(units × tasks) integer hashing, no
 * allocation per pair.
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

/** Units per task by rendezvous hashing with bounded loads (see the module comment), in the units' order. */
export function assignUnits(units: readonly ScanUnit[], tasks: number): ScanUnit[][] {
  const out: ScanUnit[][] = Array.from({ length: tasks }, () => []);
  const cap = Math.ceil(units.length / tasks);
  for (const u of units) {
    // The highest-weight task with room (rendezvousTask restricted to tasks below the cap).
    let best = -1;
    let bestWeight = -1;
    for (let t = 0; t < tasks; t++) {
      if (out[t].length >= cap) continue;
      const w = rendezvousWeight(u.partitionId, t);
      if (w > bestWeight) {
        best = t;
        bestWeight = w;
      }
    }
    out[best].push(u);
  }
  return out;
}

/**
 * The scan units a task reads when the tasks of its stage share their units (StageTask.claims):
 * first its own units, in their order, then, once those are done, the units the other tasks
 * have not reached yet, in their owner's order.
 *
 * Why: a stage waits for its slowest task. Rendezvous hashing gives every task a fair count
 * of units, but on a busy machine one task often starts late or is slowed (another thread
 * takes its core for a while), and the stage then ends that much later while its other tasks
 * idle. With shared units, a task that runs out of its own work takes over the units its
 * slowest sibling has not started, as a morsel-driven scheduler would; units still go to their
 * rendezvous owner (and its warm cache) whenever the owner keeps up.
 *
 * Contract: no unit of `claims.units` is read by two tasks of the stage, and every unit is
 * read once every task has read to its end: a task reads a unit only after winning its slot
 * (0 -> 1, atomically; the slots live in a SharedArrayBuffer every task of the stage sees), or
 * when it won that slot for an earlier unit: units that share a slot (claims.slotOf: a
 * range-assigned scan's run, whose groups no other unit holds) are all read by the task that
 * won it. Units are claimed lazily, one at a time, as the scan pulls them, so a scan that
 * stops early (LIMIT) leaves the rest to its siblings or to nobody. A task takes over a
 * sibling's units in the sibling's order, from the first one the sibling has not claimed, so
 * the keys of a range-assigned scan's units reach each task in runs of ascending keys, which
 * the number interner of an aggregate over them keeps without an index (key-interner.ts).
 * Without `claims` the task reads exactly its own `units`.
 */
import type { ScanUnit } from '../../fragment/fragment.js';
import type { StageTask } from '../../fragment/stage-plan.js';

export function* claimedUnits(task: Pick<StageTask, 'task' | 'units' | 'claims'>): Generator<ScanUnit> {
  const shared = task.claims;
  if (!shared) {
    yield* task.units;
    return;
  }
  const slotOf = shared.slotOf;
  const won = new Set<number>();
  const take = (i: number) => {
    const slot = slotOf ? slotOf[i] : i;
    if (won.has(slot)) return true;
    if (Atomics.compareExchange(shared.slots, slot, 0, 1) !== 0) return false;
    won.add(slot);
    return true;
  };
  for (const i of shared.order[task.task] ?? []) if (take(i)) yield shared.units[i];
  // A sibling's units in its own order, from the first one it has not reached: each stretch a
  // task reads stays in key order (a range-assigned scan's units are in key order).
  for (let step = 1; step < shared.order.length; step++) {
    const other = shared.order[(task.task + step) % shared.order.length];
    for (const i of other) if (take(i)) yield shared.units[i];
  }
}

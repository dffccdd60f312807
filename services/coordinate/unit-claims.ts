/**
 * The shared units (UnitClaims, claimed-units.ts) of a stage with more than one task: the
 * tasks read their own units first and take over the units a slower sibling has not reached.
 *
 * Which task reads a unit may decide nothing but speed:
 *  - Units assigned by rendezvous hashing share one by one: every exchange after the scan
 *    routes rows by their values.
 *  - A range-assigned scan (assign, range-assignment.ts) shares whole runs: a run's groups are
 *    in no other run, so an aggregate in the scan's stage still sees each group in one task
 *    whichever task reads the run (runs[i] is unit i's run).
 *  - A scan whose stretches the planner fixed (assign.tasks: a co-located join's build rows
 *    were routed to the task of each stretch) never shares, and neither does a stage with one
 *    task or one unit.
 *
 * Contract: `unitsOf[t]` are task t's units, every one an element of `units` (as the
 * coordinator assigns them; a run never spans two tasks); `sharing` says how they were
 * assigned, with each unit's run (in the order of `units`) for a range-assigned scan.
 * Answers null when the stage must not share.
 */
import type { ScanUnit } from '../../warehouse/fragment/fragment.js';
import type { UnitClaims } from '../../warehouse/fragment/stage-plan.js';

export type UnitSharing = { kind: 'units' } | { kind: 'runs'; runs: readonly number[] } | { kind: 'fixed' };

export function unitClaims(units: readonly ScanUnit[], unitsOf: readonly (readonly ScanUnit[])[], sharing: UnitSharing): UnitClaims | null {
  if (sharing.kind === 'fixed' || unitsOf.length < 2 || units.length < 2) return null;
  const index = new Map(units.map((u, i) => [u, i]));
  const order = unitsOf.map((list) => list.map((u) => index.get(u)!));
  if (sharing.kind === 'units') return { units: [...units], order, slots: new Int32Array(new SharedArrayBuffer(4 * units.length)) };
  // One slot per run, numbered in order of first appearance.
  const slotOfRun = new Map<number, number>();
  const slotOf = new Int32Array(units.length);
  sharing.runs.forEach((run, i) => {
    if (!slotOfRun.has(run)) slotOfRun.set(run, slotOfRun.size);
    slotOf[i] = slotOfRun.get(run)!;
  });
  if (slotOfRun.size < 2) return null;
  return { units: [...units], order, slots: new Int32Array(new SharedArrayBuffer(4 * slotOfRun.size)), slotOf };
}

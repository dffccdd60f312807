/**
 * The shared units (UnitClaims, claimed-units.ts) of a stage whose scan units went to its
 * tasks by rendezvous hashing: the tasks then read their own units first and take over the
 * units a slower sibling has not reached.
 *
 * Only such stages share: which task reads a unit decides nothing there but speed (every
 * exchange after the scan routes rows by their values). A range-assigned scan (assign) must
 * keep each unit in the task its range belongs to, so it never shares, and neither does a
 * stage with one task or one unit.
 *
 * Contract: `unitsOf[t]` are task t's units, every one an element of `units` (as
 * assignUnits answers them); answers null when the stage must not share.
 */
import type { ScanUnit } from '../../warehouse/fragment/fragment.js';
import type { UnitClaims } from '../../warehouse/fragment/stage-plan.js';

export function unitClaims(units: readonly ScanUnit[], unitsOf: readonly (readonly ScanUnit[])[], rangeAssigned: boolean): UnitClaims | null {
  if (rangeAssigned || unitsOf.length < 2 || units.length < 2) return null;
  const index = new Map(units.map((u, i) => [u, i]));
  const order = unitsOf.map((list) => list.map((u) => index.get(u)!));
  return { units: [...units], order, slots: new Int32Array(new SharedArrayBuffer(4 * units.length)) };
}

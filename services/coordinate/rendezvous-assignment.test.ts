import { describe, expect, it } from 'vitest';
import type { ScanUnit } from '../../warehouse/fragment/fragment.js';
import { assignUnits, rendezvousTask } from './rendezvous-assignment.js';

const IDS = Array.from({ length: 10_000 }, (_, i) => i + 1);
const unitsOf = (ids: readonly number[]): ScanUnit[] => ids.map((partitionId) => ({ partitionId, objectKey: `p${partitionId}`, rowCount: 1, byteSize: 10, etag: null, filterMode: 'all' }));
const taskOf = (assigned: ScanUnit[][]): Map<number, number> => new Map(assigned.flatMap((list, t) => list.map((u) => [u.partitionId, t] as const)));

describe('rendezvous assignment of partitions to tasks', () => {
  it('a resize from n to n+1 tasks moves about 1/(n+1) of the partitions, all to the new task, for n = 1..15', () => {
    for (let n = 1; n <= 15; n++) {
      let moved = 0;
      for (const id of IDS) {
        const before = rendezvousTask(id, n);
        const after = rendezvousTask(id, n + 1);
        expect(before).toBeLessThan(n);
        if (after === before) continue;
        // Nothing moves between the n old tasks: a moved partition goes to the new one.
        expect(after).toBe(n);
        moved++;
      }
      const fraction = moved / IDS.length;
      // Binomial(10,000, 1/(n+1)): one standard deviation is at most 0.005; allow 3.
      expect(Math.abs(fraction - 1 / (n + 1))).toBeLessThan(0.015);
    }
  });

  it('spreads partitions evenly over the tasks', () => {
    for (const tasks of [2, 3, 4, 8, 16]) {
      const counts = new Array<number>(tasks).fill(0);
      for (const id of IDS) counts[rendezvousTask(id, tasks)]++;
      for (const c of counts) expect(Math.abs(c / IDS.length - 1 / tasks)).toBeLessThan(0.015);
    }
  });

  it('shrinking from n+1 to n moves only the partitions of the removed task', () => {
    for (let n = 1; n <= 15; n++) {
      for (const id of IDS.slice(0, 2000)) {
        const big = rendezvousTask(id, n + 1);
        if (big < n) expect(rendezvousTask(id, n)).toBe(big);
      }
    }
  });

  it('moves far fewer partitions than id mod tasks did', () => {
    let rendezvousMoved = 0;
    let modMoved = 0;
    for (const id of IDS) {
      if (rendezvousTask(id, 4) !== rendezvousTask(id, 5)) rendezvousMoved++;
      if (id % 4 !== id % 5) modMoved++;
    }
    expect(modMoved / IDS.length).toBeGreaterThan(0.7);
    expect(rendezvousMoved / IDS.length).toBeLessThan(0.215);
  });

  it('assignUnits gives no task more than ceil(units / tasks), whatever the ids (the slowest task is as short as it can be)', () => {
    // Plain rendezvous splits these 31 ids (SF1 lineitem's partitions in a bench home) 21/10.
    const lineitem = [...Array.from({ length: 30 }, (_, i) => 14 + i), 51];
    expect(lineitem.filter((id) => rendezvousTask(id, 2) === 0).length).not.toBe(16);
    for (const ids of [lineitem, IDS.slice(0, 7), IDS.slice(0, 1001), IDS.filter((id) => id % 3 === 0)]) {
      for (const tasks of [1, 2, 3, 4, 8]) {
        const loads = assignUnits(unitsOf(ids), tasks).map((l) => l.length);
        expect(loads.reduce((a, b) => a + b, 0)).toBe(ids.length);
        expect(Math.max(...loads)).toBe(Math.ceil(ids.length / tasks));
      }
    }
  });

  it('assignUnits with bounded loads: a resize from n to n+1 moves about 1/(n+1) of 10,000 partitions, under 1% between old tasks', () => {
    const units = unitsOf(IDS);
    for (let n = 1; n <= 15; n++) {
      const before = taskOf(assignUnits(units, n));
      const after = taskOf(assignUnits(units, n + 1));
      let moved = 0;
      let between = 0;
      for (const id of IDS) {
        if (before.get(id) === after.get(id)) continue;
        moved++;
        if (after.get(id) !== n) between++;
      }
      expect(Math.abs(moved / IDS.length - 1 / (n + 1))).toBeLessThan(0.02);
      expect(between / IDS.length).toBeLessThan(0.01);
    }
  });

  it('assignUnits gives units to their rendezvous task while it has room, keeping the units in order, and is stable', () => {
    const units: ScanUnit[] = unitsOf([7, 3, 11, 42, 5, 1000, 19, 2]);
    const out = assignUnits(units, 3);
    expect(out).toHaveLength(3);
    expect(out.flat().map((u) => u.partitionId).sort((a, b) => a - b)).toEqual([2, 3, 5, 7, 11, 19, 42, 1000]);
    expect(out.map((l) => l.length).sort()).toEqual([2, 3, 3]);
    out.forEach((list) => {
      const positions = list.map((u) => units.indexOf(u));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    });
    expect(assignUnits(units, 3)).toEqual(out);
    expect(assignUnits(units, 1)).toEqual([units]);
  });

  it('handles partition ids beyond 2^32', () => {
    const big = 2 ** 40 + 17;
    const t = rendezvousTask(big, 8);
    expect(t).toBeGreaterThanOrEqual(0);
    expect(t).toBeLessThan(8);
    expect(rendezvousTask(big, 8)).toBe(t);
  });
});

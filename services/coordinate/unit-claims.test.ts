import { describe, expect, it } from 'vitest';
import type { ScanUnit } from '../../warehouse/fragment/fragment.js';
import { assignRanges } from '../physical/range-assignment.js';
import { assignUnits } from './rendezvous-assignment.js';
import { unitClaims } from './unit-claims.js';

const units: ScanUnit[] = Array.from({ length: 7 }, (_, i) => ({ partitionId: i + 1, objectKey: `t/p${i}.parquet`, rowCount: 10, byteSize: 100, etag: null, filterMode: 'filter' }));

describe('unitClaims', () => {
  it('shares the units of a rendezvous-assigned stage: each task\'s own units by index, in its order, on free shared slots', () => {
    const unitsOf = assignUnits(units, 2);
    const claims = unitClaims(units, unitsOf, { kind: 'units' })!;
    expect(claims.units).toEqual(units);
    expect(claims.order.map((list) => list.map((i) => units[i]))).toEqual(unitsOf);
    expect(claims.slots.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([...claims.slots]).toEqual(new Array(7).fill(0));
    expect(claims.slotOf).toBeUndefined();
  });

  it('shares a range-assigned scan by whole runs: one free slot per run, each unit on its run\'s', () => {
    const runs = [0, 0, 1, 2, 2, 2, 3];
    const unitsOf = assignRanges(units, new Map(units.map((u, i) => [u.partitionId, runs[i]])), 2);
    const claims = unitClaims(units, unitsOf, { kind: 'runs', runs })!;
    expect(claims.order.map((list) => list.map((i) => units[i]))).toEqual(unitsOf);
    expect([...claims.slots]).toEqual([0, 0, 0, 0]);
    expect([...claims.slotOf!]).toEqual([0, 0, 1, 2, 2, 2, 3]);
    // Run ids need not start at 0 or be dense: slots follow their order of appearance.
    expect([...unitClaims(units.slice(2), [units.slice(2, 3), units.slice(3)], { kind: 'runs', runs: [7, 9, 9, 9, 12] })!.slotOf!]).toEqual([0, 1, 1, 1, 2]);
  });

  it('does not share fixed stretches, a stage of one task, one unit or one run', () => {
    expect(unitClaims(units, assignUnits(units, 2), { kind: 'fixed' })).toBeNull();
    expect(unitClaims(units, [units], { kind: 'units' })).toBeNull();
    expect(unitClaims(units.slice(0, 1), assignUnits(units.slice(0, 1), 2), { kind: 'units' })).toBeNull();
    expect(unitClaims(units, [units.slice(0, 3), units.slice(3)], { kind: 'runs', runs: new Array(7).fill(4) })).toBeNull();
  });
});

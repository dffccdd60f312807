import { describe, expect, it } from 'vitest';
import type { ScanUnit } from '../../warehouse/fragment/fragment.js';
import { assignUnits } from './rendezvous-assignment.js';
import { unitClaims } from './unit-claims.js';

const units: ScanUnit[] = Array.from({ length: 7 }, (_, i) => ({ partitionId: i + 1, objectKey: `t/p${i}.parquet`, rowCount: 10, byteSize: 100, etag: null, filterMode: 'filter' }));

describe('unitClaims', () => {
  it('shares the units of a rendezvous-assigned stage: each task\'s own units by index, in its order, on free shared slots', () => {
    const unitsOf = assignUnits(units, 2);
    const claims = unitClaims(units, unitsOf, false)!;
    expect(claims.units).toEqual(units);
    expect(claims.order.map((list) => list.map((i) => units[i]))).toEqual(unitsOf);
    expect(claims.slots.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([...claims.slots]).toEqual(new Array(7).fill(0));
  });

  it('does not share a range-assigned scan, a stage of one task, or one unit', () => {
    expect(unitClaims(units, assignUnits(units, 2), true)).toBeNull();
    expect(unitClaims(units, [units], false)).toBeNull();
    expect(unitClaims(units.slice(0, 1), assignUnits(units.slice(0, 1), 2), false)).toBeNull();
  });
});

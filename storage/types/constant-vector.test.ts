import { describe, expect, it } from 'vitest';
import { Types } from './data-type.js';
import { constantVector } from './constant-vector.js';

describe('constantVector', () => {
  it('repeats a value of each type in its layout, with no NULL mask', () => {
    expect(constantVector(true, Types.boolean, 3)).toEqual({ kind: 'bool', length: 3, values: new Uint8Array([1, 1, 1]), nulls: null });
    expect(constantVector(150n, Types.number(10, 2), 2)).toEqual({ kind: 'f64', length: 2, values: new Float64Array([150, 150]), nulls: null });
    expect(constantVector(10n ** 30n, Types.number(38, 0), 2)).toEqual({ kind: 'dec', length: 2, values: [10n ** 30n, 10n ** 30n], nulls: null });
    expect(constantVector(2.5, Types.float, 1)).toEqual({ kind: 'f64', length: 1, values: new Float64Array([2.5]), nulls: null });
    expect(constantVector(19000, Types.date, 2)).toEqual({ kind: 'i32', length: 2, values: new Int32Array([19000, 19000]), nulls: null });
    expect(constantVector(-500_000_000n, Types.timestampNtz, 1)).toEqual({
      kind: 'ts',
      length: 1,
      secs: new Float64Array([-1]),
      nanos: new Int32Array([500_000_000]),
      nulls: null,
    });
    expect(constantVector('x', Types.varchar, 2)).toEqual({ kind: 'str', length: 2, codes: new Int32Array(2), dict: ['x'], nulls: null });
  });

  it('is all NULL for null, and empty for no rows', () => {
    expect(constantVector(null, Types.varchar, 2)).toEqual({ kind: 'str', length: 2, codes: new Int32Array(2), dict: [''], nulls: new Uint8Array([1, 1]) });
    expect(constantVector(null, Types.number(38, 0), 1)).toMatchObject({ kind: 'f64', nulls: new Uint8Array([1]) });
    expect(constantVector(null, Types.timestampNtz, 0)).toMatchObject({ kind: 'ts', length: 0, nulls: null });
  });
});

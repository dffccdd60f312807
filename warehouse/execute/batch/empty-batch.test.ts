import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import { emptyBatch } from './empty-batch.js';
import { nullVector } from './null-vector.js';

describe('emptyBatch and nullVector', () => {
  it('builds zero-row vectors of the physical kind of each type', () => {
    const b = emptyBatch([Types.boolean, Types.number(10, 2), Types.float, Types.varchar, Types.date, Types.timestampNtz, Types.null]);
    expect(b.length).toBe(0);
    expect(b.columns.map((c) => [c.kind, c.length])).toEqual([
      ['bool', 0],
      ['f64', 0],
      ['f64', 0],
      ['str', 0],
      ['i32', 0],
      ['ts', 0],
      ['bool', 0],
    ]);
  });

  it('builds all-NULL vectors', () => {
    const v = nullVector(Types.varchar, 3);
    expect(v.kind).toBe('str');
    expect(Array.from(v.nulls!)).toEqual([1, 1, 1]);
  });
});

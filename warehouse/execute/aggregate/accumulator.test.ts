import { describe, expect, it } from 'vitest';
import { nullsWhereZero } from './accumulator.js';

describe('nullsWhereZero', () => {
  const mask = (counts: number[], groups = counts.length) => {
    const m = nullsWhereZero(Float64Array.from(counts), groups);
    return m === null ? null : Array.from(m);
  };

  it('is null when no group is empty, with no mask made', () => {
    expect(mask([1, 2, 3])).toBeNull();
    expect(mask([])).toBeNull();
  });

  it('marks exactly the empty groups, wherever the first one is', () => {
    expect(mask([0, 2, 0])).toEqual([1, 0, 1]);
    expect(mask([4, 5, 0])).toEqual([0, 0, 1]);
    expect(mask([4, 0, 5, 6])).toEqual([0, 1, 0, 0]);
  });

  it('reads only the first `groups` counts', () => {
    expect(mask([1, 1, 0, 0], 2)).toBeNull();
    expect(mask([1, 0, 0, 0], 2)).toEqual([0, 1]);
  });
});

import { describe, expect, it } from 'vitest';
import { rankDictionary } from './rank-dictionary.js';

describe('rankDictionary', () => {
  it('ranks in JS string order with equal ranks for duplicates', () => {
    expect(Array.from(rankDictionary(['b', 'a', 'B', 'b', '', 'é']))).toEqual([3, 2, 1, 3, 0, 4]);
    expect(rankDictionary([]).length).toBe(0);
  });
});

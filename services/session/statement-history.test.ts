import { describe, expect, it } from 'vitest';
import { StatementHistory } from './statement-history.js';

describe('StatementHistory', () => {
  it('answers the recorded start of an id, null for an unknown one', () => {
    const h = new StatementHistory(10);
    expect(h.record('q1', 1000)).toBe(1000);
    expect(h.record('q2', 2000)).toBe(2000);
    expect(h.startOf('q1')).toBe(1000);
    expect(h.lookup('q2')).toBe(2000);
    expect(h.startOf('nope')).toBeNull();
  });

  it('keeps the first start of an id recorded twice', () => {
    const h = new StatementHistory(10);
    h.record('q', 5);
    expect(h.record('q', 9)).toBe(5);
    expect(h.startOf('q')).toBe(5);
    expect(h.size).toBe(1);
  });

  it('forgets the oldest ids beyond its capacity', () => {
    const h = new StatementHistory(3);
    for (let i = 0; i < 5; i++) h.record(`q${i}`, i);
    expect(h.size).toBe(3);
    expect(h.startOf('q0')).toBeNull();
    expect(h.startOf('q1')).toBeNull();
    expect([h.startOf('q2'), h.startOf('q3'), h.startOf('q4')]).toEqual([2, 3, 4]);
  });

  it('refuses a capacity below 1', () => {
    expect(() => new StatementHistory(0)).toThrow(RangeError);
  });
});

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

  it('records ends of recorded statements only, and forgets them with their starts', () => {
    const h = new StatementHistory(2);
    h.record('a', 1);
    h.finish('a', 5);
    h.finish('never-started', 9);
    expect(h.endOf('a')).toBe(5);
    expect(h.endOf('never-started')).toBeNull();
    h.record('b', 2);
    h.record('c', 3);
    expect(h.endOf('a')).toBeNull();
    expect(h.startOf('a')).toBeNull();
  });

  it('gives a statement its clock: its start, or now for one never recorded', () => {
    const h = new StatementHistory(4);
    h.record('q', 1234);
    h.finish('q', 1300);
    const clock = h.clock('q', 7);
    expect(clock.startMs).toBe(1234);
    expect(clock.defaultRetentionDays).toBe(7);
    expect(clock.statementStart('q')).toBe(1234);
    expect(clock.statementEnd?.('q')).toBe(1300);
    const now = Date.now();
    expect(h.clock(null, 1).startMs).toBeGreaterThanOrEqual(now);
  });

  it('refuses a capacity below 1', () => {
    expect(() => new StatementHistory(0)).toThrow(RangeError);
  });
});

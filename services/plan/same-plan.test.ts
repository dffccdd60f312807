import { describe, expect, it } from 'vitest';
import { samePlan } from './same-plan.js';

describe('samePlan', () => {
  it('compares plain data structurally, as JSON.stringify would', () => {
    const shared = { kind: 'scan', columns: [1, 2, 3] };
    expect(samePlan({ kind: 'filter', input: shared, n: 10n }, { n: 10n, kind: 'filter', input: shared })).toBe(true);
    expect(samePlan({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] })).toBe(true);
    expect(samePlan({ a: undefined, b: 1 }, { b: 1 })).toBe(true);
    expect(samePlan({ v: NaN }, { v: NaN })).toBe(true);
    expect(samePlan({ v: null }, { v: null })).toBe(true);
  });

  it('tells every difference of value, type, length and key set', () => {
    expect(samePlan({ n: 10n }, { n: 11n })).toBe(false);
    expect(samePlan({ n: 10n }, { n: '10n' })).toBe(false);
    expect(samePlan({ n: 1 }, { n: '1' })).toBe(false);
    expect(samePlan([1, 2], [1, 2, 3])).toBe(false);
    expect(samePlan([1], { 0: 1 })).toBe(false);
    expect(samePlan({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(samePlan({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(samePlan({ a: null }, { a: undefined })).toBe(false);
    expect(samePlan({ a: { b: [{ c: true }] } }, { a: { b: [{ c: false }] } })).toBe(false);
  });
});

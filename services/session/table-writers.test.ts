import { describe, expect, it } from 'vitest';
import { TableWriters } from './table-writers.js';

describe('TableWriters', () => {
  it('holds a table while any writer of it runs; a release counts once', () => {
    const w = new TableWriters();
    expect(w.busy(1)).toBe(false);
    const a = w.enter(1);
    const b = w.enter(1);
    const other = w.enter(2);
    a();
    a();
    expect(w.busy(1)).toBe(true);
    b();
    expect(w.busy(1)).toBe(false);
    expect(w.busy(2)).toBe(true);
    other();
    expect(w.busy(2)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { compareRows, duckdbRowsToText, firnRowsToText } from '../../bench/compare-rows.js';

describe('firnRowsToText / duckdbRowsToText', () => {
  it('spells dates, timestamps and numbers alike on both sides', () => {
    const firn = firnRowsToText(
      [{ type: 'date' }, { type: 'fixed' }, { type: 'text' }, { type: 'timestamp_ntz' }, { type: 'real' }],
      [[String(Date.UTC(1995, 2, 1) / 86_400_000), '12.50', 'R', '794016000.000000000', null]],
    );
    expect(firn).toEqual([['1995-03-01', '12.50', 'R', '1995-03-01 00:00:00.000', null]]);
    expect(duckdbRowsToText([['1995-03-01', '12.50', 'R', 25.5, true, null]])).toEqual([['1995-03-01', '12.50', 'R', '25.5', 'true', null]]);
  });
});

describe('compareRows', () => {
  const same = (a: (string | null)[][], b: (string | null)[][], ordered = true) => compareRows(a, b, { ordered }).same;

  it('needs exact equality for decimals of the same scale', () => {
    expect(same([['56586554400.73']], [['56586554400.73']])).toBe(true);
    expect(same([['56586554400.73']], [['56586554400.74']])).toBe(false);
    expect(same([['60175']], [['60174']])).toBe(false);
  });

  it('rounds the finer of two scales to the coarser one (exact AVG against a double)', () => {
    expect(same([['25.52200585']], [['25.522005853257337']])).toBe(true);
    expect(same([['25.52200585']], [['25.522015853257337']])).toBe(false);
    expect(same([['25.50']], [['25.5']])).toBe(true);
    expect(same([['26']], [['25.4']])).toBe(false);
    expect(same([['1e+21']], [['1000000000000000000000']])).toBe(true);
    expect(same([['-0.05']], [['-0.050']])).toBe(true);
  });

  it('compares text exactly and NULL only with NULL', () => {
    expect(same([['A', null]], [['A', null]])).toBe(true);
    expect(same([['A']], [['a']])).toBe(false);
    expect(same([[null]], [['0']])).toBe(false);
  });

  it('reports row-count and column differences with the place they occur', () => {
    expect(compareRows([['1'], ['2']], [['1']], { ordered: true }).detail).toBe('firn returned 2 rows, duckdb 1');
    expect(compareRows([['1', 'x']], [['1', 'y']], { ordered: true }).detail).toBe('row 1 column 2: firn "x", duckdb "y"');
  });

  it('ignores row order only for unordered queries', () => {
    const a = [['1', 'b'], ['2.0', 'a']];
    const b = [['2', 'a'], ['1', 'b']];
    expect(same(a, b, false)).toBe(true);
    expect(same(a, b, true)).toBe(false);
  });
});

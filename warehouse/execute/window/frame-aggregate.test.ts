/**
 * Window SUM/AVG/COUNT edge cases the random reference test does not reach: NUMBER sums
 * past 2^53 (the bigint side sum), wide 'dec' inputs, results past NUMBER(38), and FLOAT
 * frames with infinities, NaN and cancellation.
 */
import { describe, expect, it } from 'vitest';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { Batch, Vector } from '../../../storage/types/vector.js';
import type { WindowCall, WindowFn, WindowFrame } from '../../fragment/window-call.js';
import { asDec, col, read, vec, type Readable } from '../expr-test-kit.js';
import { evaluateWindows } from './evaluate-windows.js';
import { windowResultType } from './window-result-type.js';

const ORD = Types.number(10, 0);
const slidingTwo: WindowFrame = { units: 'ROWS', start: { kind: 'preceding', offset: 1 }, end: { kind: 'current_row' } };
const suffix: WindowFrame = { units: 'ROWS', start: { kind: 'current_row' }, end: { kind: 'unbounded_following' } };

/** fn(column 1) OVER (ORDER BY column 0 frame), column 0 being 0, 1, 2, ... */
function over(fn: WindowFn, argType: DataType, values: Vector, frame: WindowFrame | null): Readable[] {
  const n = values.length;
  const batch: Batch = { length: n, columns: [vec(ORD, Array.from({ length: n }, (_, i) => i)), values] };
  const c: WindowCall = {
    fn,
    args: [col(1, argType)],
    partitionBy: [],
    orderBy: [{ expr: col(0, ORD), desc: false, nullsFirst: false }],
    frame,
    type: windowResultType(fn, [argType]),
  };
  return read(evaluateWindows(batch, [c])[0], c.type);
}

describe('exact NUMBER sums', () => {
  const N = Types.number(38, 0);
  const big = 2n ** 53n - 1n;
  const values = [big, big, -big, 5n, big, null, 3n];

  it('running and sliding sums past 2^53 stay exact, in either vector layout', () => {
    const expectedRunning = ['9007199254740991', '18014398509481982', '9007199254740991', '9007199254740996', '18014398509481987', '18014398509481987', '18014398509481990'];
    const expectedSliding = ['9007199254740991', '18014398509481982', '0', '-9007199254740986', '9007199254740996', '9007199254740991', '3'];
    for (const v of [vec(N, values), asDec(vec(N, values))]) {
      expect(over('sum', N, v, null)).toEqual(expectedRunning);
      expect(over('sum', N, v, slidingTwo)).toEqual(expectedSliding);
    }
  });

  it('AVG of wide sums rounds half away from zero at the result scale', () => {
    const v = vec(N, [big, big, 2n, -3n, -4n]);
    expect(over('avg', N, v, slidingTwo)).toEqual(['9007199254740991.000000', '9007199254740991.000000', '4503599627370496.500000', '-0.500000', '-3.500000']);
    const third = vec(Types.number(10, 2), ['1.00', '0.01', '0.01', '-0.02']);
    // Suffix frames: 1.00 / 4, 0.00 / 3, -0.01 / 2, -0.02 / 1; AVG(NUMBER(10,2)) has scale 8.
    expect(over('avg', Types.number(10, 2), third, suffix)).toEqual(['0.25000000', '0.00000000', '-0.00500000', '-0.02000000']);
  });

  it('a SUM past NUMBER(38) is a DataError', () => {
    const huge = 9n * 10n ** 37n;
    const v: Vector = { kind: 'dec', length: 2, values: [huge, huge], nulls: null };
    expect(() => over('sum', Types.number(38, 0), v, null)).toThrow(/out of representable range/);
  });

  it('COUNT and SUM over an all-NULL frame: 0 and NULL', () => {
    const v = vec(Types.number(10, 2), [null, null, '1.50']);
    expect(over('count', Types.number(10, 2), v, slidingTwo)).toEqual(['0', '0', '1']);
    expect(over('sum', Types.number(10, 2), v, slidingTwo)).toEqual([null, null, '1.50']);
    expect(over('avg', Types.number(10, 2), v, slidingTwo)).toEqual([null, null, '1.50000000']);
  });
});

describe('FLOAT sums', () => {
  const FL = Types.float;

  it('infinities and NaN leave the frame with the rows that brought them', () => {
    const v = vec(FL, [1, Infinity, 2, NaN, 3, -Infinity, 4, 5]);
    expect(over('sum', FL, v, slidingTwo)).toEqual([1, Infinity, Infinity, NaN, NaN, -Infinity, -Infinity, 9]);
    const mixed = vec(FL, [Infinity, -Infinity, 1]);
    expect(over('sum', FL, mixed, suffix)).toEqual([NaN, -Infinity, 1]);
  });

  it('removing a huge value does not lose the small ones added next to it', () => {
    const v = vec(FL, [1e20, 1, 1, 1]);
    expect(over('sum', FL, v, slidingTwo)).toEqual([1e20, 1e20, 2, 2]);
    expect(over('avg', FL, v, slidingTwo)).toEqual([1e20, 5e19, 1, 1]);
  });

  it('MIN and MAX order NaN above every number', () => {
    const v = vec(FL, [1, NaN, -2, null]);
    expect(over('max', FL, v, null)).toEqual([1, NaN, NaN, NaN]);
    expect(over('min', FL, v, null)).toEqual([1, 1, -2, -2]);
    expect(over('min', FL, vec(FL, [NaN, null]), null)).toEqual([NaN, NaN]);
  });
});

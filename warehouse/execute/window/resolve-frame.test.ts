import { describe, expect, it } from 'vitest';
import { CompilationError } from '../../../storage/errors/firn-error.js';
import { Types } from '../../../storage/types/data-type.js';
import type { SortKey } from '../../fragment/bound-expr.js';
import type { FrameBound, WindowCall, WindowFn, WindowFrame } from '../../fragment/window-call.js';
import { col } from '../expr-test-kit.js';
import { resolveFrame } from './resolve-frame.js';

const N = Types.number(10, 0);
const byN: SortKey = { expr: col(0, N), desc: false, nullsFirst: false };
const byS: SortKey = { expr: col(1, Types.varchar), desc: false, nullsFirst: false };
const UP: FrameBound = { kind: 'unbounded_preceding' };
const UF: FrameBound = { kind: 'unbounded_following' };
const CR: FrameBound = { kind: 'current_row' };
const P = (offset: number): FrameBound => ({ kind: 'preceding', offset });
const F = (offset: number): FrameBound => ({ kind: 'following', offset });

function call(fn: WindowFn, orderBy: SortKey[], frame: WindowFrame | null): WindowCall {
  return { fn, args: [col(0, N)], partitionBy: [], orderBy, frame, type: N };
}

describe('resolveFrame defaults (Snowflake)', () => {
  it('aggregates: cumulative RANGE with ORDER BY, the whole partition without', () => {
    for (const fn of ['sum', 'avg', 'count', 'count_star', 'min', 'max'] as const) {
      expect(resolveFrame(call(fn, [byN], null))).toEqual({ units: 'RANGE', start: UP, end: CR });
      expect(resolveFrame(call(fn, [], null))).toEqual({ units: 'ROWS', start: UP, end: UF });
    }
  });

  it('FIRST_VALUE and LAST_VALUE: the whole partition even with ORDER BY', () => {
    expect(resolveFrame(call('first_value', [byN], null))).toEqual({ units: 'ROWS', start: UP, end: UF });
    expect(resolveFrame(call('last_value', [byN], null))).toEqual({ units: 'ROWS', start: UP, end: UF });
  });

  it('ranking functions and LAG/LEAD take no frame', () => {
    const frame: WindowFrame = { units: 'ROWS', start: P(1), end: CR };
    for (const fn of ['row_number', 'rank', 'dense_rank', 'ntile', 'lag', 'lead'] as const) expect(resolveFrame(call(fn, [byN], frame))).toBeNull();
  });

  it('an explicit valid frame is returned as is', () => {
    const frame: WindowFrame = { units: 'RANGE', start: P(2.5), end: F(0) };
    expect(resolveFrame(call('sum', [byN], frame))).toBe(frame);
  });
});

describe('resolveFrame rejects bad frames', () => {
  const bad: [string, WindowFrame, SortKey[]][] = [
    ['requires an ORDER BY', { units: 'ROWS', start: UP, end: CR }, []],
    ['cannot start at UNBOUNDED FOLLOWING', { units: 'ROWS', start: UF, end: UF }, [byN]],
    ['cannot end at UNBOUNDED PRECEDING', { units: 'ROWS', start: UP, end: UP }, [byN]],
    ['starts after it ends', { units: 'ROWS', start: CR, end: P(1) }, [byN]],
    ['starts after it ends', { units: 'RANGE', start: P(2), end: P(4) }, [byN]],
    ['starts after it ends', { units: 'ROWS', start: F(2), end: F(1) }, [byN]],
    ['non-negative', { units: 'ROWS', start: P(-1), end: CR }, [byN]],
    ['whole number', { units: 'ROWS', start: P(1.5), end: CR }, [byN]],
    ['exactly one ORDER BY', { units: 'RANGE', start: P(1), end: CR }, [byN, byN]],
    ['cannot order by VARCHAR', { units: 'RANGE', start: P(1), end: CR }, [byS]],
  ];
  for (const [message, frame, orderBy] of bad) {
    it(message, () => {
      expect(() => resolveFrame(call('sum', orderBy, frame))).toThrow(CompilationError);
      expect(() => resolveFrame(call('sum', orderBy, frame))).toThrow(message);
    });
  }

  it('RANGE without an offset may order by several keys of any type', () => {
    const frame: WindowFrame = { units: 'RANGE', start: UP, end: CR };
    expect(resolveFrame(call('max', [byS, byN], frame))).toBe(frame);
  });
});

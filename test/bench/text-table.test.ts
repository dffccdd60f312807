import { describe, expect, it } from 'vitest';
import { formatTable } from '../../bench/text-table.js';

describe('formatTable', () => {
  it('pads to the widest cell, the first column left, the others right, and pads short rows', () => {
    expect(formatTable(['query', 'ms'], [['q1', '12.5'], ['q10', '3.0'], ['q2']])).toBe(
      ['query |   ms', '------|-----', 'q1    | 12.5', 'q10   |  3.0', 'q2    |'].join('\n'),
    );
  });

  it('left-aligns the columns it is told to', () => {
    expect(formatTable(['a', 'note'], [['x', 'ok'], ['y', 'failed']], [0, 1])).toBe(['a | note', '--|-------', 'x | ok', 'y | failed'].join('\n'));
  });
});

import { describe, expect, it } from 'vitest';
import { Types } from '../../../../storage/types/data-type.js';
import { batchOf, col, dictVec, lit, read, vec } from '../../expr-test-kit.js';
import { splitBatch } from './split-to-table-exec.js';

const I = Types.number(38, 0);
const S = Types.varchar;

/** Rows of the output: the input's (an id, then strings), then SEQ, INDEX and VALUE. */
function rows(batches: ReturnType<typeof splitBatch>): unknown[][] {
  const out: unknown[][] = [];
  for (const b of batches) {
    const w = b.columns.length - 3;
    const cols = [read(b.columns[0], I), ...b.columns.slice(1, w).map((c) => read(c, S)), read(b.columns[w], I), read(b.columns[w + 1], I), read(b.columns[w + 2], S)];
    for (let r = 0; r < b.length; r++) out.push(cols.map((c) => c[r]));
  }
  return out;
}

describe('split_to_table_exec', () => {
  it("repeats each row once per part, with its SEQ, 1-based INDEX and VALUE; '' is one empty part, NULL none", () => {
    const b = batchOf(vec(I, [1, 2, 3, 4]), dictVec(['a.b.c', 'd', '', null]));
    const out = rows(splitBatch(b, { string: col(1, S), delimiter: lit('.', S) }, (i) => 10 + i));
    expect(out).toEqual([
      ['1', 'a.b.c', '10', '1', 'a'],
      ['1', 'a.b.c', '10', '2', 'b'],
      ['1', 'a.b.c', '10', '3', 'c'],
      ['2', 'd', '11', '1', 'd'],
      ['3', '', '12', '1', ''],
    ]);
  });

  it('splits at a many-character delimiter; an empty or NULL delimiter gives the whole string or nothing', () => {
    const b = batchOf(vec(I, [1, 2, 3]), dictVec(['x--y', 'x--y', 'x--y']), dictVec(['--', '', null]));
    const out = rows(splitBatch(b, { string: col(1, S), delimiter: col(2, S) }, (i) => i + 1)).map((r) => r.slice(4));
    expect(out).toEqual([['1', 'x'], ['2', 'y'], ['1', 'x--y']]);
  });
});

import { describe, expect, it } from 'vitest';
import { Types } from '../../../../storage/types/data-type.js';
import { batchOf, col, dictVec, read, vec } from '../../expr-test-kit.js';
import { flattenBatch } from './flatten-exec.js';

const I = Types.number(38, 0);
const S = Types.varchar;
const V = Types.variant;
const BASE = { path: '', outer: false, recursive: false, mode: 'BOTH' } as const;

/** Rows of the output: the input's id, then SEQ, KEY, PATH, INDEX, VALUE, THIS (the input's VARIANT column left out). */
function rows(batches: Iterable<import('../../../../storage/types/vector.js').Batch>): unknown[][] {
  const out: unknown[][] = [];
  for (const b of batches) {
    const w = b.columns.length - 6;
    const cols = [read(b.columns[0], I), read(b.columns[w], I), read(b.columns[w + 1], S), read(b.columns[w + 2], S), read(b.columns[w + 3], I), read(b.columns[w + 4], V), read(b.columns[w + 5], V)];
    for (let r = 0; r < b.length; r++) out.push(cols.map((c) => c[r]));
  }
  return out;
}

describe('flatten_exec', () => {
  it('expands arrays (INDEX, [i] paths; undefined skipped) and objects (KEY, key paths); other values give nothing', () => {
    const b = batchOf(vec(I, [1, 2, 3, 4, 5]), dictVec(['[10,undefined,"x"]', '{"a":1,"b c":{}}', '5', '[]', null]));
    expect(rows(flattenBatch(b, { ...BASE, expr: col(1, V) }, (i) => 100 + i))).toEqual([
      ['1', '100', null, '[0]', '0', '10', '[10,undefined,"x"]'],
      ['1', '100', null, '[2]', '2', '"x"', '[10,undefined,"x"]'],
      ['2', '101', 'a', 'a', null, '1', '{"a":1,"b c":{}}'],
      ['2', '101', 'b c', "['b c']", null, '{}', '{"a":1,"b c":{}}'],
    ]);
  });

  it('OUTER gives one row of NULL KEY/INDEX/VALUE to a row with nothing to expand; PATH is the path, THIS what was found', () => {
    const b = batchOf(vec(I, [1, 2, 3]), dictVec(['{"p":[]}', '{"q":1}', null]));
    expect(rows(flattenBatch(b, { ...BASE, path: 'p', outer: true, expr: col(1, V) }, (i) => i + 1))).toEqual([
      ['1', '1', null, 'p', null, null, '[]'],
      ['2', '2', null, 'p', null, null, null],
      ['3', '3', null, 'p', null, null, null],
    ]);
  });

  it('RECURSIVE expands depth first, each element before its own elements, as far as MODE allows', () => {
    const b = batchOf(vec(I, [1]), dictVec(['{"a":[1,{"b":2}],"c":{"d":[3]}}']));
    const paths = (mode: 'OBJECT' | 'ARRAY' | 'BOTH') => rows(flattenBatch(b, { ...BASE, recursive: true, mode, expr: col(1, V) }, () => 1)).map((r) => r[3]);
    expect(paths('BOTH')).toEqual(['a', 'a[0]', 'a[1]', 'a[1].b', 'c', 'c.d', 'c.d[0]']);
    expect(paths('OBJECT')).toEqual(['a', 'c', 'c.d']);
    expect(paths('ARRAY')).toEqual([]);
  });

  it('bounds each output batch, splitting one row\'s elements across batches when needed', () => {
    const b = batchOf(vec(I, [1, 2]), dictVec(['[1,2,3,4,5]', '[6,7]']));
    const batches = [...flattenBatch(b, { ...BASE, expr: col(1, V) }, (i) => i + 1, 3)];
    expect(batches.map((x) => x.length)).toEqual([3, 3, 1]);
    expect(rows(batches).map((r) => `${r[0]}:${r[5]}`)).toEqual(['1:1', '1:2', '1:3', '1:4', '1:5', '2:6', '2:7']);
  });
});

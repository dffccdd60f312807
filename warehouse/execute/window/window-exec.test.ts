/**
 * The window operator end to end on Snowflake's documented examples (expected values copied
 * from the documentation's result tables), plus input spread over several batches.
 */
import { describe, expect, it } from 'vitest';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { SortKey } from '../../fragment/bound-expr.js';
import type { WindowCall, WindowFn, WindowFrame } from '../../fragment/window-call.js';
import { col, lit, read, vec, type Readable } from '../expr-test-kit.js';
import { WindowExec } from './window-exec.js';
import { windowResultType } from './window-result-type.js';

const INT = Types.number(38, 0);

function call(fn: WindowFn, args: WindowCall['args'], partitionBy: WindowCall['partitionBy'], orderBy: SortKey[], frame: WindowFrame | null = null, ignoreNulls = false): WindowCall {
  return { fn, args, partitionBy, orderBy, frame, ignoreNulls, type: windowResultType(fn, args.map((a) => a.type)) };
}

const asc = (index: number, type: DataType): SortKey => ({ expr: col(index, type), desc: false, nullsFirst: false });

function run(types: DataType[], batches: Batch[], calls: WindowCall[]): Readable[][] {
  const exec = new WindowExec(types, calls);
  for (const b of batches) exec.consume(b);
  const out = exec.finish();
  return out.columns.map((c, i) => read(c, exec.outputTypes[i]));
}

describe('WindowExec on the documented examples', () => {
  // https://docs.snowflake.com/en/sql-reference/functions-window-syntax, "Window frame with an unbounded starting position".
  const p = [0, 0, 0, 100, 100, 100, 100, 100, 200, 200, 200, 200, 200, 200, 300, 300];
  const o = [1, 2, 3, 1, 2, 2, 3, 3, 1, 1, 1, 2, 3, 3, 1, 1];
  const i = [10, 20, 30, 10, 30, 5, 11, 120, 10000, 200, 808080, 33333, null, 4, null, null];
  const types = [INT, INT, INT];
  const batch: Batch = { length: p.length, columns: [vec(INT, p), vec(INT, o), vec(INT, i)] };
  const aggregates = (frame: WindowFrame | null) =>
    (['count', 'sum', 'avg', 'min', 'max'] as const).map((fn) => call(fn, [col(2, INT)], [col(0, INT)], [asc(1, INT)], frame));

  it('the default frame with ORDER BY is RANGE UNBOUNDED PRECEDING .. CURRENT ROW (peers included)', () => {
    const [, , , count, sum, avg, min, max] = run(types, [batch], aggregates(null));
    expect(count).toEqual(['1', '2', '3', '1', '3', '3', '5', '5', '3', '3', '3', '4', '5', '5', '0', '0']);
    expect(sum).toEqual(['10', '30', '60', '10', '45', '45', '176', '176', '818280', '818280', '818280', '851613', '851617', '851617', null, null]);
    expect(avg).toEqual([
      '10.000000', '15.000000', '20.000000', '10.000000', '15.000000', '15.000000', '35.200000', '35.200000',
      '272760.000000', '272760.000000', '272760.000000', '212903.250000', '170323.400000', '170323.400000', null, null,
    ]);
    expect(min).toEqual(['10', '10', '10', '10', '5', '5', '5', '5', '200', '200', '200', '200', '4', '4', null, null]);
    expect(max).toEqual(['10', '20', '30', '10', '30', '30', '120', '120', '808080', '808080', '808080', '808080', '808080', '808080', null, null]);
  });

  it('ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW counts rows one by one', () => {
    const frame: WindowFrame = { units: 'ROWS', start: { kind: 'unbounded_preceding' }, end: { kind: 'current_row' } };
    const [, , , count, sum, avg, min, max] = run(types, [batch], aggregates(frame));
    expect(count).toEqual(['1', '2', '3', '1', '2', '3', '4', '5', '1', '2', '3', '4', '4', '5', '0', '0']);
    expect(sum).toEqual(['10', '30', '60', '10', '40', '45', '56', '176', '10000', '10200', '818280', '851613', '851613', '851617', null, null]);
    expect(avg?.slice(3, 8)).toEqual(['10.000000', '20.000000', '15.000000', '14.000000', '35.200000']);
    expect(avg?.slice(8, 14)).toEqual(['10000.000000', '5100.000000', '272760.000000', '212903.250000', '212903.250000', '170323.400000']);
    expect(min).toEqual(['10', '10', '10', '10', '10', '5', '5', '5', '10000', '200', '200', '200', '200', '4', null, null]);
    expect(max).toEqual(['10', '20', '30', '10', '30', '30', '30', '120', '10000', '10000', '808080', '808080', '808080', '808080', null, null]);
  });

  it('LAG(revenue, 1, 0) per employee (https://docs.snowflake.com/en/sql-reference/functions/lag)', () => {
    const D = Types.number(10, 2);
    const emp = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2];
    const year = [2010, 2011, 2012, 2013, 2010, 2011, 2012, 2013, 2012, 2013];
    const revenue = ['1000', '1500', '500', '750', '10000', '12500', '15000', '20000', '500', '800'];
    const b: Batch = { length: 10, columns: [vec(INT, emp), vec(INT, year), vec(D, revenue)] };
    const lag = call('lag', [col(2, D), lit(1, INT), lit(0, D)], [col(0, INT)], [asc(1, INT)]);
    const [, , , prev] = run([INT, INT, D], [b], [lag]);
    expect(prev).toEqual(['0.00', '1000.00', '1500.00', '500.00', '0.00', '10000.00', '12500.00', '15000.00', '0.00', '500.00']);
  });

  it('LAG IGNORE NULLS takes the closest earlier non-NULL value', () => {
    const b: Batch = { length: 7, columns: [vec(INT, [1, 2, 3, 4, 5, 6, 7]), vec(INT, [5, 4, null, 2, null, null, 6])] };
    const lag = call('lag', [col(1, INT)], [], [asc(0, INT)], null, true);
    expect(run([INT, INT], [b], [lag])[2]).toEqual([null, '5', '4', '4', '2', '2', '2']);
  });

  it('FIRST_VALUE and LAST_VALUE default to the whole partition, unlike the aggregates (Snowflake, not ANSI)', () => {
    const b: Batch = { length: 5, columns: [vec(Types.varchar, ['a', 'a', 'a', 'b', 'b']), vec(INT, [3, 1, 2, 9, 8]), vec(INT, [30, 10, 20, 90, 80])] };
    const order = [asc(1, INT)];
    const out = run([Types.varchar, INT, INT], [b], [
      call('first_value', [col(2, INT)], [col(0, Types.varchar)], order),
      call('last_value', [col(2, INT)], [col(0, Types.varchar)], order),
      call('sum', [col(2, INT)], [col(0, Types.varchar)], order),
    ]);
    expect(out[3]).toEqual(['10', '10', '10', '80', '80']);
    expect(out[4]).toEqual(['30', '30', '30', '90', '90']);
    expect(out[5]).toEqual(['60', '10', '30', '170', '80']);
  });
});

describe('WindowExec over several batches', () => {
  it('partitions spanning batches see all their rows; input columns come first, in input order', () => {
    const V = Types.varchar;
    const b1: Batch = { length: 3, columns: [vec(V, ['a', 'b', 'a']), vec(INT, [5, 7, 1])] };
    const b2: Batch = { length: 0, columns: [vec(V, []), vec(INT, [])] };
    const b3: Batch = { length: 3, columns: [vec(V, ['b', 'a', null]), vec(INT, [2, 3, 4])] };
    const exec = new WindowExec([V, INT], [
      call('row_number', [], [col(0, V)], [asc(1, INT)]),
      call('count_star', [], [col(0, V)], []),
    ]);
    exec.consume(b1);
    exec.consume(b2);
    exec.consume(b3);
    const out = exec.finish();
    expect(exec.outputTypes).toEqual([V, INT, Types.number(18, 0), Types.number(18, 0)]);
    expect(out.length).toBe(6);
    expect(read(out.columns[0], V)).toEqual(['a', 'b', 'a', 'b', 'a', null]);
    expect(read(out.columns[2], Types.number(18, 0))).toEqual(['3', '2', '1', '1', '2', '1']);
    expect(read(out.columns[3], Types.number(18, 0))).toEqual(['3', '2', '3', '2', '3', '1']);
    expect(() => exec.consume(b1)).toThrow(/after finish/);
  });

  it('no input gives an empty batch with every output column', () => {
    const exec = new WindowExec([INT], [call('rank', [], [], [asc(0, INT)]), call('lag', [col(0, INT)], [], [asc(0, INT)])]);
    const out = exec.finish();
    expect(out.length).toBe(0);
    expect(out.columns.map((c) => c.length)).toEqual([0, 0, 0]);
  });
});

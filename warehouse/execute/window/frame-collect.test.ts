import { describe, expect, it } from 'vitest';
import { DataError } from '../../../storage/errors/firn-error.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { WindowCall } from '../../fragment/window-call.js';
import { col, read, vec } from '../expr-test-kit.js';
import { evaluateWindows } from './evaluate-windows.js';
import { windowResultType } from './window-result-type.js';

const T = Types.varchar;
const N = Types.number(4, 0);
const V = Types.variant;

type Row = [g: string, o: number | null, s: string | null, v: string | null];

/** g (partition), o (order key), s (the value's text, as the binder casts it), v (OBJECT_AGG's VARIANT value). */
function batchOf(rows: Row[]): Batch {
  return {
    length: rows.length,
    columns: [vec(T, rows.map((r) => r[0])), vec(N, rows.map((r) => (r[1] === null ? null : BigInt(r[1])))), vec(T, rows.map((r) => r[2])), vec(V, rows.map((r) => r[3]))],
  };
}

const DATA: Row[] = [
  ['a', 2, '"x"', '1'],
  ['a', 1, '"y"', '2'],
  ['b', 1, null, '3'],
  ['a', 2, '"w"', null],
  ['a', 3, '"x"', '4'],
  ['b', 2, '"z"', '5'],
  ['c', 1, null, null],
];

function call(fn: 'listagg' | 'array_agg' | 'object_agg', more: Partial<WindowCall> & { args: WindowCall['args'] }): WindowCall {
  return { fn, partitionBy: [col(0, T)], orderBy: [], frame: null, type: windowResultType(fn, more.args.map((a) => a.type)), ...more };
}

const results = (calls: WindowCall[], rows: Row[] = DATA) => evaluateWindows(batchOf(rows), calls).map((v, i) => read(v, calls[i].type));

describe('LISTAGG / ARRAY_AGG / OBJECT_AGG OVER (...)', () => {
  it('give every row its partition\'s value: WITHIN GROUP order, ties and no keys by text, DISTINCT keeps the first, NULLs skipped', () => {
    const listagg = call('listagg', { args: [col(2, T), col(1, N)], withinGroup: [{ desc: true, nullsFirst: true }], delimiter: ',' });
    const distinct = call('listagg', { args: [col(2, T)], distinct: true, delimiter: '|' });
    const arrays = call('array_agg', { args: [col(2, V)] });
    const objects = call('object_agg', { args: [col(2, T), col(3, V)] });
    const [l, d, a] = results([listagg, distinct, arrays]);
    const [o] = results([objects], [...DATA.filter((r) => r[0] !== 'a'), ['d', 1, '"k"', '[1]'], ['d', 2, '"j"', '"t"']]);
    expect(l).toEqual(['"x","w","x","y"', '"x","w","x","y"', '"z"', '"x","w","x","y"', '"x","w","x","y"', '"z"', '']);
    expect(d).toEqual(['"w"|"x"|"y"', '"w"|"x"|"y"', '"z"', '"w"|"x"|"y"', '"w"|"x"|"y"', '"z"', '']);
    expect(a).toEqual(['["w","x","x","y"]', '["w","x","x","y"]', '["z"]', '["w","x","x","y"]', '["w","x","x","y"]', '["z"]', '[]']);
    // OBJECT_AGG skips an entry whose key or value is NULL; keys come sorted.
    expect(o).toEqual(['{"\\"z\\"":5}', '{"\\"z\\"":5}', '{}', '{"\\"j\\"":"t","\\"k\\"":[1]}', '{"\\"j\\"":"t","\\"k\\"":[1]}']);
  });

  it('OBJECT_AGG refuses a key twice in a partition', () => {
    expect(() => results([call('object_agg', { args: [col(0, T), col(3, V)] })])).toThrow(DataError);
    expect(() => results([call('object_agg', { args: [col(0, T), col(3, V)] })])).toThrow("Duplicate field key 'a'");
  });

  it('ARRAY_AGG with ORDER BY: the frame\'s values in window order, peers by text, whatever order rows arrive in', () => {
    const cumulative = call('array_agg', { args: [col(2, V)], orderBy: [{ expr: col(1, N), desc: false, nullsFirst: false }] });
    const sliding = { ...cumulative, frame: { units: 'ROWS' as const, start: { kind: 'preceding' as const, offset: 1 }, end: { kind: 'current_row' as const } } };
    const [c] = results([cumulative]);
    expect(c).toEqual(['["y","w","x"]', '["y"]', '[]', '["y","w","x"]', '["y","w","x","x"]', '["z"]', '[]']);
    const reversed = results([cumulative], [...DATA].reverse())[0];
    expect(reversed).toEqual([...c].reverse());
    const [s] = results([sliding]);
    // Partition a in window order: y(1), the peers x, w (2), x(3); w's frame is the peers x, w: by text.
    expect(s).toEqual(['["y","x"]', '["y"]', '[]', '["w","x"]', '["w","x"]', '["z"]', '[]']);
  });
});

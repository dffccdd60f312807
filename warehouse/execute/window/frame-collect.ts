/**
 * LISTAGG, ARRAY_AGG and OBJECT_AGG as window functions: each row's value is the aggregate
 * (collect-accumulator.ts's results) over its frame (frame-bounds.ts).
 *
 * Contract (the binder has cast the value to its text form, so `args[0]` is a 'str' vector;
 * OBJECT_AGG's `args[1]` is its VARIANT value):
 *  - Entries are the frame's rows with a non-NULL value (OBJECT_AGG: key and value non-NULL).
 *  - Without ORDER BY in OVER the frame is the partition: the value is computed once per
 *    partition, its entries ordered as the aggregate orders them: by the WITHIN GROUP keys
 *    (args[1..], orders `withinGroup`), ties by the text, then by input row; DISTINCT keeps a
 *    text's first entry in that order (OBJECT_AGG: a (key, value) pair's).
 *  - With ORDER BY (ARRAY_AGG only) the entries of a frame come in the window's order, rows
 *    tied on every ORDER BY key by their text, so the result does not depend on the order rows
 *    reached the operator.
 *  - LISTAGG joins with `delimiter`, '' for no entries; ARRAY_AGG '[...]', [] for none;
 *    OBJECT_AGG an object with sorted keys ({} for none), a key twice in a frame is DataError
 *    INVALID_ARGUMENT_VALUE "Duplicate field key", as in Snowflake.
 * Frames of consecutive rows that are equal (peers of a RANGE frame) share one computed text.
 */
import { DataError, InternalError } from '../../../storage/errors/firn-error.js';
import { objectText } from '../../../storage/types/variant-json.js';
import type { StrVector, Vector } from '../../../storage/types/vector.js';
import type { WindowCall } from '../../fragment/window-call.js';
import { keyComparator, type RowComparator } from '../sort/row-comparator.js';
import type { FrameBounds } from './frame-bounds.js';
import type { WindowLayout } from './window-layout.js';

export function frameCollect(call: WindowCall, layout: WindowLayout, args: readonly Vector[], bounds: FrameBounds): Vector {
  const { n, perm } = layout;
  const value = text(args[0], call.fn);
  const objectValue = call.fn === 'object_agg' ? text(args[1], call.fn) : null;
  const present = (r: number): boolean => !isNull(value, r) && (objectValue === null || !isNull(objectValue, r));
  const valueOf = (r: number): string => value.dict[value.codes[r]];
  const byText: RowComparator = (a, b) => {
    const x = valueOf(a);
    const y = valueOf(b);
    return x < y ? -1 : x > y ? 1 : a - b;
  };
  const render = renderer(call, valueOf, objectValue === null ? null : (r) => objectValue.dict[objectValue.codes[r]]);
  const out = new Array<string>(n);
  const { start, end } = bounds;
  if (call.orderBy.length === 0) {
    // One value per partition, in the aggregate's order.
    const keys = (call.withinGroup ?? []).map((o, j) => keyComparator(args[1 + j], o));
    const order: RowComparator = (a, b) => {
      for (const k of keys) {
        const c = k(a, b);
        if (c !== 0) return c;
      }
      return byText(a, b);
    };
    for (let p = 0; p < n; p++) {
      if (p > 0 && start[p] === start[p - 1] && end[p] === end[p - 1]) {
        out[perm[p]] = out[perm[p - 1]];
        continue;
      }
      const rows: number[] = [];
      for (let q = start[p]; q < end[p]; q++) if (present(perm[q])) rows.push(perm[q]);
      rows.sort(order);
      out[perm[p]] = render(rows);
    }
  } else {
    for (let p = 0; p < n; p++) {
      if (p > 0 && start[p] === start[p - 1] && end[p] === end[p - 1]) {
        out[perm[p]] = out[perm[p - 1]];
        continue;
      }
      const rows: number[] = [];
      let q = start[p];
      while (q < end[p]) {
        // A run of peers (ORDER BY ties) inside the frame, ordered by text.
        const stop = Math.min(layout.peerEnd[q], end[p]);
        const run: number[] = [];
        for (let k = q; k < stop; k++) if (present(perm[k])) run.push(perm[k]);
        if (run.length > 1) run.sort(byText);
        for (const r of run) rows.push(r);
        q = stop;
      }
      out[perm[p]] = render(rows);
    }
  }
  return { kind: 'str', length: n, codes: Int32Array.from({ length: n }, (_, i) => i), dict: n === 0 ? [''] : out, nulls: null };
}

/** The result text of entries (input rows, already in order), DISTINCT applied. */
function renderer(call: WindowCall, valueOf: (r: number) => string, objectValueOf: ((r: number) => string) | null): (rows: number[]) => string {
  const distinct = (rows: number[]): number[] => {
    if (!call.distinct) return rows;
    const seen = new Set<string>();
    return rows.filter((r) => {
      const key = objectValueOf === null ? valueOf(r) : `${valueOf(r)}\u0000${objectValueOf(r)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  };
  switch (call.fn) {
    case 'listagg':
      return (rows) => distinct(rows).map(valueOf).join(call.delimiter ?? '');
    case 'array_agg':
      return (rows) => `[${distinct(rows).map(valueOf).join(',')}]`;
    case 'object_agg':
      return (rows) => {
        const members: [string, string][] = [];
        const keys = new Set<string>();
        for (const r of distinct(rows)) {
          const k = valueOf(r);
          if (keys.has(k)) throw new DataError('INVALID_ARGUMENT_VALUE', `Duplicate field key '${k}'`);
          keys.add(k);
          members.push([k, objectValueOf!(r)]);
        }
        return objectText(members);
      };
    default:
      throw new InternalError(`${call.fn} is not a collecting window function`);
  }
}

function text(v: Vector, fn: string): StrVector {
  if (v.kind !== 'str') throw new InternalError(`${fn.toUpperCase()} OVER got a ${v.kind} vector`);
  return v;
}

function isNull(v: Vector, r: number): boolean {
  return v.nulls !== null && v.nulls[r] !== 0;
}

/**
 * Window frames as position intervals: for every sorted position p (window-layout.ts) the
 * frame is positions [start[p], end[p]) of p's partition, empty when end[p] <= start[p].
 *
 * Contract: both arrays are non-decreasing within a partition for every frame form, which is
 * what lets the aggregate kernels slide over them in one linear pass.
 *  - ROWS: offsets count positions, clipped to the partition.
 *  - RANGE: UNBOUNDED bounds are the partition ends, CURRENT ROW is the edge of the current
 *    row's peer group, and `n PRECEDING/FOLLOWING` compare values of the single ORDER BY key:
 *    with ASC, `n PRECEDING` starts at the first row whose key >= key - n and `n FOLLOWING`
 *    ends after the last row whose key <= key + n (mirrored for DESC), found with one
 *    pointer sweep per partition. As Snowflake documents ("RANGE BETWEEN behavior when the
 *    ORDER BY expression contains NULL values"), an offset bound never reaches a row whose key
 *    is NULL unless the current row's key is NULL, in which case the bound is the edge of the
 *    NULL peer group; UNBOUNDED bounds do include the NULL rows. FLOAT NaN keys (ordered above
 *    every number) are treated the same way. Key arithmetic is in doubles (exact for DATE,
 *    NUMBER scaled integers while |key +- offset| <= 2^53; TIMESTAMP_NTZ keys in whole
 *    microseconds, see rangeKeys); NUMBER keys
 *    held in wide 'dec' vectors are not supported.
 */
import { InternalError, NotSupportedError } from '../../../storage/errors/firn-error.js';
import { MAX_EXACT, type Vector } from '../../../storage/types/vector.js';
import type { FrameBound, WindowFrame } from '../../fragment/window-call.js';
import type { SortOrder } from '../sort/row-comparator.js';
import type { WindowLayout } from './window-layout.js';

export type FrameBounds = { start: Int32Array; end: Int32Array };

/** The ORDER BY key of a RANGE frame with an offset, as evaluated over the input batch. */
export type RangeKey = { vector: Vector; order: SortOrder };

export function frameBounds(layout: WindowLayout, frame: WindowFrame, rangeKey: RangeKey | null): FrameBounds {
  const start = new Int32Array(layout.n);
  const end = new Int32Array(layout.n);
  let keys: RangeKeys | null = null;
  const keysFor = (): RangeKeys => {
    if (rangeKey === null) throw new InternalError('RANGE frame with an offset needs its ORDER BY key');
    return (keys ??= rangeKeys(layout, rangeKey));
  };
  fillBound(layout, frame.start, true, frame.units, start, keysFor);
  fillBound(layout, frame.end, false, frame.units, end, keysFor);
  return { start, end };
}

/**
 * Range keys in sorted position order: d[p] is the key (negated for DESC, so d never
 * decreases within a partition's ordinary rows); special[p] = 1 for a NULL or NaN key.
 */
type RangeKeys = { d: Float64Array; special: Uint8Array };

function rangeKeys(layout: WindowLayout, key: RangeKey): RangeKeys {
  const { n, perm } = layout;
  const v = key.vector;
  const d = new Float64Array(n);
  const special = new Uint8Array(n);
  const sign = key.order.desc ? -1 : 1;
  const nulls = v.nulls;
  let read: (r: number) => number;
  if (v.kind === 'f64' || v.kind === 'i32') {
    const x = v.values;
    read = (r) => x[r];
  } else if (v.kind === 'ts') {
    // INTERVAL offsets over TIMESTAMP_NTZ are in microseconds (window-call.ts): the key is read
    // as whole microseconds, exact within 2^53 us of 1970 (years 1685..2255); nanoseconds below a
    // microsecond do not move a frame edge (peer groups still compare them exactly).
    const s = v.secs;
    const ns = v.nanos;
    read = (r) => s[r] * 1_000_000 + Math.floor(ns[r] / 1000);
  } else if (v.kind === 'dec') {
    const x = v.values;
    const big = BigInt(MAX_EXACT);
    read = (r) => {
      if (x[r] > big || x[r] < -big) throw new NotSupportedError('A RANGE window frame offset over NUMBER values beyond 2^53 (scaled)');
      return Number(x[r]);
    };
  } else {
    throw new InternalError(`RANGE frame offset over a ${v.kind} vector`);
  }
  for (let p = 0; p < n; p++) {
    const r = perm[p];
    if (nulls !== null && nulls[r] !== 0) {
      special[p] = 1;
      continue;
    }
    const x = read(r);
    if (x !== x) special[p] = 1;
    else d[p] = sign * x;
  }
  return { d, special };
}

function fillBound(
  layout: WindowLayout,
  bound: FrameBound,
  isStart: boolean,
  units: WindowFrame['units'],
  out: Int32Array,
  keysFor: () => RangeKeys,
): void {
  const { partitionStarts, peerStart, peerEnd } = layout;
  const parts = partitionStarts.length - 1;
  for (let k = 0; k < parts; k++) {
    const ps = partitionStarts[k];
    const pe = partitionStarts[k + 1];
    switch (bound.kind) {
      case 'unbounded_preceding':
        out.fill(ps, ps, pe);
        break;
      case 'unbounded_following':
        out.fill(pe, ps, pe);
        break;
      case 'current_row':
        if (units === 'ROWS') for (let p = ps; p < pe; p++) out[p] = isStart ? p : p + 1;
        else out.set((isStart ? peerStart : peerEnd).subarray(ps, pe), ps);
        break;
      case 'preceding':
      case 'following': {
        const shift = bound.kind === 'preceding' ? -bound.offset : bound.offset;
        if (units === 'ROWS') {
          const at = isStart ? shift : shift + 1;
          for (let p = ps; p < pe; p++) out[p] = Math.min(Math.max(p + at, ps), pe);
        } else {
          rangeOffsetBound(keysFor(), peerStart, peerEnd, ps, pe, shift, isStart, out);
        }
        break;
      }
    }
  }
}

/**
 * One partition's `n PRECEDING/FOLLOWING` RANGE bound. A start bound is the first ordinary
 * position j with d[j] >= d[p] + shift, an (exclusive) end bound the first with
 * d[j] > d[p] + shift; the target grows with p, so j only moves forward.
 */
function rangeOffsetBound(
  keys: RangeKeys,
  peerStart: Int32Array,
  peerEnd: Int32Array,
  ps: number,
  pe: number,
  shift: number,
  isStart: boolean,
  out: Int32Array,
): void {
  const { d, special } = keys;
  // NULL and NaN keys sit at the partition's ends, around the ordinary rows [a, b).
  let a = ps;
  while (a < pe && special[a] !== 0) a++;
  let b = pe;
  while (b > a && special[b - 1] !== 0) b--;
  let j = a;
  for (let p = ps; p < pe; p++) {
    if (special[p] !== 0) {
      out[p] = isStart ? peerStart[p] : peerEnd[p];
      continue;
    }
    const target = d[p] + shift;
    if (isStart) while (j < b && d[j] < target) j++;
    else while (j < b && d[j] <= target) j++;
    out[p] = j;
  }
}

/**
 * Comparisons of TIMESTAMP_NTZ values ('ts' vectors: whole seconds + nanoseconds, see
 * storage/types/vector.ts) for the comparison operators and IN lists of constants.
 *
 * Contract: compareTimestamps(op, a, b, n) is a op b per row (NULL where either side is), each
 * side a 'ts' vector or a constant (bigint nanoseconds since the epoch); values that differ
 * only in nanoseconds compare by them. matchTimestamps marks the rows equal to one of the
 * constants. Per row, the order is the sign of
 *   (xs - ys) || (xn - yn)
 * (seconds first, nanoseconds on a tie; both differences are exact doubles), written into a
 * Float64Array and then tested by one loop per operator chosen once per batch.
 */
import { allocF64, allocU8 } from '../batch/array-pool.js';
import { InternalError } from '../../../storage/errors/firn-error.js';
import { nanosToTs } from '../../../storage/types/timestamp-nanos.js';
import type { BoolVector, TsVector, Vector } from '../../../storage/types/vector.js';
import { isConst, nullsOf, orNulls, type Val } from './vector-kit.js';

const EQ = 0;
const NE = 1;
const LT = 2;
const LE = 3;
const GT = 4;

function tsOf(v: Val, n: number): TsVector {
  if (isConst(v)) {
    const [s, ns] = nanosToTs(v.value as bigint);
    return { kind: 'ts', length: n, secs: new Float64Array(1).fill(s), nanos: new Int32Array(1).fill(ns), nulls: null };
  }
  if ((v as Vector).kind !== 'ts') throw new InternalError(`timestamp comparison over a '${(v as Vector).kind}' vector`);
  return v as TsVector;
}

/** out[i] = (d[i] op 0), one loop per operator (op as in comparison.ts's CmpOp). */
function signTest(op: number, d: Float64Array, out: Uint8Array, n: number): void {
  if (op === EQ) for (let i = 0; i < n; i++) out[i] = +(d[i] === 0);
  else if (op === NE) for (let i = 0; i < n; i++) out[i] = +(d[i] !== 0);
  else if (op === LT) for (let i = 0; i < n; i++) out[i] = +(d[i] < 0);
  else if (op === LE) for (let i = 0; i < n; i++) out[i] = +(d[i] <= 0);
  else if (op === GT) for (let i = 0; i < n; i++) out[i] = +(d[i] > 0);
  else for (let i = 0; i < n; i++) out[i] = +(d[i] >= 0);
}

export function compareTimestamps(op: number, a: Val, b: Val, n: number): BoolVector {
  const nulls = orNulls(nullsOf(a, n), nullsOf(b, n), n);
  const x = tsOf(a, n);
  const y = tsOf(b, n);
  const d = allocF64(n);
  const xs = x.secs;
  const xn = x.nanos;
  const ys = y.secs;
  const yn = y.nanos;
  if (isConst(b)) {
    const cs = ys[0];
    const cn = yn[0];
    for (let i = 0; i < n; i++) d[i] = xs[i] - cs || xn[i] - cn;
  } else if (isConst(a)) {
    const cs = xs[0];
    const cn = xn[0];
    for (let i = 0; i < n; i++) d[i] = cs - ys[i] || cn - yn[i];
  } else {
    for (let i = 0; i < n; i++) d[i] = xs[i] - ys[i] || xn[i] - yn[i];
  }
  const out = allocU8(n);
  signTest(op, d, out, n);
  return { kind: 'bool', length: n, values: out, nulls };
}

/** out[i] = 1 when row i of a 'ts' vector equals one of the (non-NULL) constants. */
export function matchTimestamps(v: Vector, keys: readonly bigint[], out: Uint8Array, n: number): void {
  if (v.kind !== 'ts') throw new InternalError(`timestamp IN over a '${v.kind}' vector`);
  // Seconds -> the nanoseconds listed for them; rows probe the seconds first.
  const bySecond = new Map<number, number[]>();
  for (const k of keys) {
    const [s, ns] = nanosToTs(k);
    const list = bySecond.get(s);
    if (list) list.push(ns);
    else bySecond.set(s, [ns]);
  }
  const { secs, nanos } = v;
  for (let i = 0; i < n; i++) {
    const list = bySecond.get(secs[i]);
    out[i] = list !== undefined && list.includes(nanos[i]) ? 1 : 0;
  }
}

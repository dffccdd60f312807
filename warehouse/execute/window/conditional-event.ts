/**
 * CONDITIONAL_TRUE_EVENT(b) and CONDITIONAL_CHANGE_EVENT(x): window event numbers, one linear
 * pass per partition over sorted positions, written straight to the input rows.
 *
 * Contract (Snowflake's definitions): both start at 0 in every partition. CONDITIONAL_TRUE_EVENT
 * adds 1 at each row where b is TRUE, the row itself included (NULL is not TRUE; the binder has
 * cast numbers to BOOLEAN). CONDITIONAL_CHANGE_EVENT(x) is CONDITIONAL_TRUE_EVENT(x != LAG(x)):
 * it adds 1 where x differs from the previous row's x, so a row or a previous row with a NULL x
 * adds nothing. Values compare as ORDER BY compares them (FLOAT NaN equals NaN). Results are
 * NUMBER(18,0) 'f64' vectors in input row order.
 */
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { Vector } from '../../../storage/types/vector.js';
import { keyComparator } from '../sort/row-comparator.js';
import type { WindowLayout } from './window-layout.js';

export function conditionalEvent(fn: 'conditional_true_event' | 'conditional_change_event', layout: WindowLayout, arg: Vector): Vector {
  const { n, perm, partitionStarts } = layout;
  const out = new Float64Array(n);
  const nulls = arg.nulls;
  const parts = partitionStarts.length - 1;
  if (fn === 'conditional_true_event') {
    if (arg.kind !== 'bool') throw new InternalError(`CONDITIONAL_TRUE_EVENT got a ${arg.kind} vector`);
    const b = arg.values;
    for (let k = 0; k < parts; k++) {
      let c = 0;
      for (let p = partitionStarts[k]; p < partitionStarts[k + 1]; p++) {
        const r = perm[p];
        if (b[r] !== 0 && (nulls === null || nulls[r] === 0)) c++;
        out[r] = c;
      }
    }
  } else {
    const cmp = keyComparator(arg, { desc: false, nullsFirst: false });
    for (let k = 0; k < parts; k++) {
      let c = 0;
      for (let p = partitionStarts[k]; p < partitionStarts[k + 1]; p++) {
        const r = perm[p];
        if (p > partitionStarts[k]) {
          const q = perm[p - 1];
          if ((nulls === null || (nulls[r] === 0 && nulls[q] === 0)) && cmp(q, r) !== 0) c++;
        }
        out[r] = c;
      }
    }
  }
  return { kind: 'f64', length: n, values: out, nulls: null };
}

/**
 * Filter: keep the rows of a batch where a BOOLEAN vector is TRUE (a WHERE clause result).
 *
 * Contract: NULL in the mask counts as FALSE (SQL). When every row passes, the input batch
 * itself is returned (vectors are immutable, so sharing is safe). `selectionFromMask` is the
 * selection-vector half, for callers that gather more than one batch by the same mask.
 */
import { borrowI32, recycleArray, shrink } from './array-pool.js';
import { InternalError } from '../../../storage/errors/firn-error.js';
import type { Batch, BoolVector } from '../../../storage/types/vector.js';
import { gatherBatch } from './gather-batch.js';

export function filterBatch(batch: Batch, mask: BoolVector): Batch {
  if (mask.length !== batch.length) {
    throw new InternalError(`filter mask has ${mask.length} rows, batch has ${batch.length}`);
  }
  const sel = selectionFromMask(mask);
  const out = sel.length === batch.length ? batch : gatherBatch(batch, sel);
  recycleArray(sel);
  return out;
}

/** Indices of the TRUE rows of a BOOLEAN vector, ascending (borrowed from the array pool: see batch/array-pool.ts). */
export function selectionFromMask(mask: BoolVector): Int32Array {
  const sel = borrowI32(mask.length);
  // Each loop is a function of its own that returns right after it, so V8's on-stack
  // replacement of the loop has nothing after it without type feedback (see combineBits in
  // functions/logic.ts): the call after the loop kept deoptimizing here too.
  const m = mask.nulls === null ? trueRows(mask.values, mask.length, sel) : trueNonNullRows(mask.values, mask.nulls, mask.length, sel);
  return shrink(sel, m);
}

/** Branch-free form of: if (values[i]) sel[m++] = i;  (BOOLEAN values are 0 or 1); answers m. */
function trueRows(values: Uint8Array, n: number, sel: Int32Array): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    sel[m] = i;
    m += values[i];
  }
  return m;
}

/** Branch-free form of: if (values[i] && !nulls[i]) sel[m++] = i; answers m. */
function trueNonNullRows(values: Uint8Array, nulls: Uint8Array, n: number, sel: Int32Array): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    sel[m] = i;
    m += values[i] & (nulls[i] ^ 1);
  }
  return m;
}

/**
 * Gather over a whole batch: every column gathered by the same selection vector.
 *
 * Contract: see gather-vector.ts; `count` defaults to the selection's length.
 */
import type { Batch } from '../../../storage/types/vector.js';
import { gatherVector } from './gather-vector.js';

export function gatherBatch(batch: Batch, sel: Int32Array, count: number = sel.length): Batch {
  return { length: count, columns: batch.columns.map((v) => gatherVector(v, sel, count)) };
}

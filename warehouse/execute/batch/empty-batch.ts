/**
 * The zero-row batch of a list of column types: what an operator returns when nothing
 * survives, so callers never special-case "no batch".
 */
import type { DataType } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import { nullVector } from './null-vector.js';

export function emptyBatch(types: readonly DataType[]): Batch {
  return { length: 0, columns: types.map((t) => nullVector(t, 0)) };
}

/**
 * Concatenation: many batches of one column layout become one batch (collecting worker
 * results, compacting top-N buffers, merging sorted partials).
 *
 * Contract: `types` are the column types; every batch has one vector per type. A NUMBER
 * column may be 'f64' in some batches and 'dec' in others (values past 2^53); the result is
 * then 'dec'. 'str' vectors that all share one dictionary keep it; otherwise their
 * dictionaries are appended or merged (see concatVectors), so repeated compaction never
 * grows a dictionary past twice the rows it serves. A NULL-typed column
 * becomes an all-NULL vector. Zero batches give the empty batch of `types`. `alloc` makes the
 * per-row arrays (see storage/arrow/concat-vectors.ts).
 */
import type { DataType } from '../../../storage/types/data-type.js';
import { InternalError } from '../../../storage/errors/firn-error.js';
import { concatVectors as concatParts, type ArrayAlloc } from '../../../storage/arrow/concat-vectors.js';
import type { Batch, Vector } from '../../../storage/types/vector.js';
import { strDictSize } from '../../../storage/arrow/utf8-dict.js';
import { emptyBatch } from './empty-batch.js';
import { nullVector } from './null-vector.js';

export function concatBatches(types: readonly DataType[], batches: readonly Batch[], alloc?: ArrayAlloc): Batch {
  const parts = batches.filter((b) => b.length > 0);
  if (parts.length === 0) return emptyBatch(types);
  if (parts.length === 1) return parts[0];
  for (const b of parts) {
    if (b.columns.length !== types.length) {
      throw new InternalError(`concat: batch has ${b.columns.length} columns, expected ${types.length}`);
    }
  }
  const length = parts.reduce((s, b) => s + b.length, 0);
  const columns = types.map((t, c) => concatVectors(t, parts.map((b) => b.columns[c]), length, alloc));
  return { length, columns };
}

/**
 * Concatenates vectors of one column. String dictionaries are appended when together they
 * are no larger than twice the rows (cheap, and they stay bounded by the rows they serve),
 * and merged into one deduplicated dictionary of the strings in use otherwise (slices and
 * gathers of a big vector keep its whole dictionary). See storage/arrow/concat-vectors.ts.
 */
export function concatVectors(type: DataType, vs: readonly Vector[], length: number = vs.reduce((s, v) => s + v.length, 0), alloc?: ArrayAlloc): Vector {
  if (type.kind === 'NULL') return nullVector(type, length);
  let dictEntries = 0;
  for (const v of vs) if (v.kind === 'str') dictEntries += strDictSize(v);
  return concatParts(vs, dictEntries <= 2 * length ? 'append' : 'merge', alloc);
}

/**
 * ROWS_PER_RESULTSET: a query's result cut to its first `n` rows.
 *
 * Contract: a streamed result yields its batches until n rows have gone by (the last one cut),
 * then ends its source early (its iterator's `return()`), which cancels the statement's remaining work
 * (statement-result.ts); a collected result keeps its first n rows. Nothing else changes.
 */
import type { Batch } from '../../storage/types/vector.js';
import { sliceBatch } from '../../warehouse/execute/batch/slice-batch.js';
import type { StatementResult } from './statement-result.js';

export function limitRows(result: StatementResult, n: number): StatementResult {
  if (result.stream) return { ...result, stream: firstRows(result.stream, n) };
  return result.batch.length > n ? { ...result, batch: sliceBatch(result.batch, 0, n) } : result;
}

/** The source's batches up to n rows; leaving the loop early ends the source (for await calls its return()). */
async function* firstRows(source: AsyncIterable<Batch>, n: number): AsyncGenerator<Batch> {
  let left = n;
  for await (const b of source) {
    if (b.length <= left) {
      left -= b.length;
      yield b;
    } else {
      yield sliceBatch(b, 0, left);
      left = 0;
    }
    if (left === 0) break;
  }
}

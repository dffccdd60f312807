/**
 * A query's jsonv2 answer as pieces of text, encoded batch by batch as its rows stream in, so
 * a 10M-row SELECT never builds one giant string and its first rows can be sent before its
 * last are computed (http-server.ts writes each piece as it comes, chunked).
 *
 * Contract: the concatenated pieces are one JSON object with exactly the fields
 * encodeJsonV2 answers (same cells, same rowType, same stats and context), written with `data`
 * first: `numRows` and `partitionInfo` are only known after the last row, so
 * `resultSetMetaData` and the rest follow `data` (JSON objects are unordered). The first piece
 * holds the opening and the first rows (or the whole answer), so a failure while computing
 * the first batch happens before anything is sent; a batch is encoded SLICE_ROWS rows at a
 * time, yielding the event loop between slices, and written as pieces of about PIECE_CHARS
 * characters (whole rows), each escaped on its own; `stats` are read after the
 * stream's end, once they are complete. The result's `stream` is read to its end (or, when the
 * consumer stops, abandoned through `return()`, which stops the statement).
 */
import { InternalError } from '../../storage/errors/firn-error.js';
import type { StatementResult } from '../session/statement-result.js';
import { sliceBatch } from '../../warehouse/execute/batch/slice-batch.js';
import { answerFields, encodeCells, resultSetMetaData, type EncodeOptions } from './encode-jsonv2.js';

/** About how much text one piece holds (more when one row alone is longer). */
export const PIECE_CHARS = 1 << 20;

/** Rows encoded at once: bounds the event loop's time per step whatever the batch size. */
const SLICE_ROWS = 4096;

export async function* encodeJsonV2Stream(result: StatementResult, opts: EncodeOptions): AsyncGenerator<string> {
  if (!result.stream) throw new InternalError('encodeJsonV2Stream needs a streamed result');
  let numRows = 0;
  let size = 2;
  let head = '{"data":[';
  for await (const batch of result.stream) {
    for (let start = 0; start < batch.length; start += SLICE_ROWS) {
      const slice = sliceBatch(batch, start, Math.min(batch.length, start + SLICE_ROWS));
      const { data, size: cells } = encodeCells(result.columns, slice);
      size += cells + (numRows > 0 ? 1 : 0) + slice.length - 1;
      // Pieces of about PIECE_CHARS: the event loop never builds (or escapes) one batch's whole text at once.
      let piece = '';
      for (let r = 0; r < data.length; r++) {
        piece += `${numRows + r > 0 ? ',' : ''}${JSON.stringify(data[r])}`;
        if (piece.length >= PIECE_CHARS) {
          yield head + piece;
          head = '';
          piece = '';
        }
      }
      numRows += slice.length;
      if (piece !== '') {
        yield head + piece;
        head = '';
      }
      // Let other requests (GET /healthz, SELECT 1) run between slices of a long answer.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  const tail = { ...resultSetMetaData(result.columns, numRows, size), ...answerFields(result, opts) };
  yield `${head}],${JSON.stringify(tail).slice(1)}`;
}

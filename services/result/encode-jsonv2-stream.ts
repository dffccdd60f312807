/**
 * A query's jsonv2 answer as pieces of text, encoded batch by batch as its rows stream in, so
 * a 10M-row SELECT never builds one giant string and its first rows can be sent before its
 * last are computed (http-server.ts writes each piece as it comes, chunked).
 *
 * Contract: the concatenated pieces are one JSON object with exactly the fields
 * encodeJsonV2 answers (same cells, same rowType, same stats and context), written with `data`
 * first: `numRows` and `partitionInfo` are only known after the last row, so
 * `resultSetMetaData` and the rest follow `data` (JSON objects are unordered). The first piece
 * holds the opening and the first non-empty batch (or the whole answer), so a failure while
 * computing the first batch happens before anything is sent; `stats` are read after the
 * stream's end, once they are complete. The result's `stream` is read to its end (or, when the
 * consumer stops, abandoned through `return()`, which stops the statement).
 */
import { InternalError } from '../../storage/errors/firn-error.js';
import type { StatementResult } from '../session/statement-result.js';
import { answerFields, encodeCells, resultSetMetaData, type EncodeOptions } from './encode-jsonv2.js';

export async function* encodeJsonV2Stream(result: StatementResult, opts: EncodeOptions): AsyncGenerator<string> {
  if (!result.stream) throw new InternalError('encodeJsonV2Stream needs a streamed result');
  let numRows = 0;
  let size = 2;
  let head = '{"data":[';
  for await (const batch of result.stream) {
    if (batch.length === 0) continue;
    const { data, size: cells } = encodeCells(result.columns, batch);
    const rows = JSON.stringify(data);
    const piece = `${numRows > 0 ? ',' : ''}${rows.slice(1, -1)}`;
    size += cells + (numRows > 0 ? 1 : 0) + batch.length - 1;
    numRows += batch.length;
    if (head !== '') {
      yield head + piece;
      head = '';
    } else {
      yield piece;
    }
  }
  const tail = { ...resultSetMetaData(result.columns, numRows, size), ...answerFields(result, opts) };
  yield `${head}],${JSON.stringify(tail).slice(1)}`;
}

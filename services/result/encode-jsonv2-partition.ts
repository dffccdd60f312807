/**
 * One partition of a SQL API v2 result as pieces of JSON text, encoded from the stored batches
 * as they are read (services/statements/result-batches.ts), so a 10M-row result never builds
 * one giant string: a client fetches it partition by partition, and each partition is written
 * piece by piece.
 *
 * Contract: the concatenated pieces are one JSON object, `data` first (the rows, every cell
 * as encodeCells encodes it: encode-jsonv2.ts), then the fields `tail` answers once every row
 * was encoded, given the partition's row count and its `data` text size (every character
 * once, JSON escapes not counted: encodeCells's measure; partition 0
 * carries resultSetMetaData, whose partitionInfo needs that size, and the answer's status
 * fields; later partitions carry `data` alone, as Snowflake's do). A batch is encoded
 * SLICE_ROWS rows at a time, yielding the event loop between slices, and written as pieces of
 * about PIECE_CHARS characters (whole rows), each escaped on its own. `nullText` (the API's
 * nullable=false) writes SQL NULL as the string "null".
 */
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { sliceBatch } from '../../warehouse/execute/batch/slice-batch.js';
import { encodeCells, type Cell } from './encode-jsonv2.js';

/** About how much text one piece holds (more when one row alone is longer). */
export const PIECE_CHARS = 256 * 1024;

/** Rows encoded at once: bounds the event loop's time per step whatever the batch size. */
const SLICE_ROWS = 4096;

export type PartitionTail = (numRows: number, dataBytes: number) => Record<string, unknown>;

export async function* encodeJsonV2Partition(columns: Column[], batches: AsyncIterable<Batch>, tail: PartitionTail | null, opts: { nullText?: boolean } = {}): AsyncGenerator<string> {
  let numRows = 0;
  let size = 2;
  let head = '{"data":[';
  for await (const batch of batches) {
    for (let start = 0; start < batch.length; start += SLICE_ROWS) {
      const slice = sliceBatch(batch, start, Math.min(batch.length, start + SLICE_ROWS));
      const { data, size: cells } = encodeCells(columns, slice);
      // "null" (6 characters) where null (4) was measured.
      const texts = opts.nullText ? nullsAsText(data) : 0;
      size += cells + 2 * texts + (numRows > 0 ? 1 : 0) + slice.length - 1;
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
      // Let other requests run between slices of a long partition.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  if (tail === null) {
    yield `${head}]}`;
    return;
  }
  const rest = JSON.stringify(tail(numRows, size));
  yield rest === '{}' ? `${head}]}` : `${head}],${rest.slice(1)}`;
}

/** Replaces every NULL cell by the string "null"; answers how many there were. */
function nullsAsText(data: Cell[][]): number {
  let n = 0;
  for (const row of data) {
    for (let c = 0; c < row.length; c++) {
      if (row[c] === null) {
        row[c] = 'null';
        n++;
      }
    }
  }
  return n;
}

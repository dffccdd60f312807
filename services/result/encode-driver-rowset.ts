/**
 * Encodes result rows for snowflake-sdk's GS v1 protocol (services/server/driver/): the
 * query-request answer's `rowtype` and `rowset`, and the text of a result chunk.
 *
 * Contract:
 * - Cells are those of jsonv2 (encode-jsonv2.ts: decimal text, days since the epoch, epoch
 *   seconds with 9 fraction digits, JSON null for NULL), except BOOLEAN, which is "1" / "0"
 *   as Snowflake's v1 rowsets have it (the Node and Python drivers read those).
 * - `rowtype` entries are jsonv2's rowType entries (Snowflake's lower-case type names and
 *   metadata fields).
 * - `encodeChunkPieces` yields a result's rows (a range of them, as batches) as a chunk body: rows joined by commas
 *   WITHOUT the outer brackets (the driver adds them), in pieces of about PIECE_CHARS,
 *   SLICE_ROWS rows encoded at a time with the event loop yielded between slices.
 */
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { sliceBatch } from '../../warehouse/execute/batch/slice-batch.js';
import { encodeCells, rowTypeOf, type Cell, type RowTypeEntry } from './encode-jsonv2.js';
/** About how much text one piece of a chunk holds (more when one row alone is longer). */
const PIECE_CHARS = 1 << 20;
/** Rows encoded at once: bounds the event loop's time per step whatever the batch size. */
const SLICE_ROWS = 4096;

export function driverRowtype(columns: Column[]): RowTypeEntry[] {
  return columns.map(rowTypeOf);
}

/** The rows of `batch` as v1 cells. */
export function encodeDriverRows(columns: Column[], batch: Batch): Cell[][] {
  const { data } = encodeCells(columns, batch);
  for (let c = 0; c < columns.length; c++) {
    if (columns[c]!.type.kind !== 'BOOLEAN') continue;
    for (let r = 0; r < data.length; r++) {
      const row = data[r]!;
      const v = row[c];
      if (v !== null) row[c] = v === 'true' ? '1' : '0';
    }
  }
  return data;
}

/** The rows of `batches` as one chunk body, in pieces (see the module comment). */
export async function* encodeChunkPieces(columns: Column[], batches: AsyncIterable<Batch>): AsyncGenerator<string> {
  let piece = '';
  let first = true;
  for await (const batch of batches) {
    for (let start = 0; start < batch.length; start += SLICE_ROWS) {
      const rows = encodeDriverRows(columns, sliceBatch(batch, start, Math.min(batch.length, start + SLICE_ROWS)));
      for (const row of rows) {
        piece += `${first ? '' : ','}${JSON.stringify(row)}`;
        first = false;
        if (piece.length >= PIECE_CHARS) {
          yield piece;
          piece = '';
        }
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  if (piece !== '') yield piece;
}

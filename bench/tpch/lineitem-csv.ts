/**
 * Lineitem batches as CSV text (tpch-csv.ts's format: '|' separated, a header line, NUMBER(p,2)
 * with two decimals, DATE as YYYY-MM-DD). Load it with
 * FILE_FORMAT = (TYPE = CSV FIELD_DELIMITER = '|' SKIP_HEADER = 1).
 *
 * Contract: encodeLineitemCsv(batch, start, end) returns rows [start, end) of a batch laid
 * out as LINEITEM_COLUMNS (as LineitemGenerator makes them), each ending in '\n';
 * lineitemCsvHeader() is the header line.
 */
import type { Batch } from '../../storage/types/vector.js';
import { LINEITEM_COLUMNS } from './lineitem-generator.js';
import { csvHeader, encodeCsv } from './tpch-csv.js';

export function lineitemCsvHeader(): string {
  return csvHeader(LINEITEM_COLUMNS);
}

export function encodeLineitemCsv(batch: Batch, start: number, end: number): string {
  return encodeCsv(LINEITEM_COLUMNS, batch, start, end);
}

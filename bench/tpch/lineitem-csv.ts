/**
 * Lineitem batches as CSV text, dbgen's flavour: fields separated by '|', NUMBER(p,2) with two
 * decimals, DATE as YYYY-MM-DD, strings unquoted (lineitem strings never hold '|', quotes or
 * newlines), '\n' line ends. Unlike dbgen's .tbl files there is a header line with the
 * column names and no trailing '|' (so a CSV reader sees exactly 16 fields). Load it with
 * FILE_FORMAT = (TYPE = CSV FIELD_DELIMITER = '|' SKIP_HEADER = 1).
 *
 * Contract: encodeLineitemCsv(batch, start, end) returns rows [start, end) of a batch laid
 * out as LINEITEM_COLUMNS (as LineitemGenerator makes them), each ending in '\n';
 * lineitemCsvHeader() is the header line. Values must be non-negative (lineitem's are).
 */
import { formatDate } from '../../storage/types/value-text.js';
import type { Batch, F64Vector, I32Vector, StrVector } from '../../storage/types/vector.js';
import { LINEITEM_COLUMNS } from './lineitem-generator.js';

export const CSV_DELIMITER = '|';

export function lineitemCsvHeader(): string {
  return `${LINEITEM_COLUMNS.map((c) => c.name).join(CSV_DELIMITER)}\n`;
}

const dateText = new Map<number, string>();
function date(day: number): string {
  let s = dateText.get(day);
  if (s === undefined) {
    s = formatDate(day);
    dateText.set(day, s);
  }
  return s;
}

/** A non-negative scaled integer with scale 2 as text: 2116823 -> "21168.23". */
function cents(v: number): string {
  const frac = v % 100;
  return `${(v - frac) / 100}.${frac < 10 ? '0' : ''}${frac}`;
}

export function encodeLineitemCsv(batch: Batch, start: number, end: number): string {
  const c = batch.columns;
  const f = (i: number) => (c[i] as F64Vector).values;
  const d = (i: number) => (c[i] as I32Vector).values;
  const s = (i: number) => c[i] as StrVector;
  const [orderkey, partkey, suppkey, linenumber, quantity, price, discount, tax] = [0, 1, 2, 3, 4, 5, 6, 7].map(f);
  const [returnflag, linestatus] = [s(8), s(9)];
  const [shipdate, commitdate, receiptdate] = [d(10), d(11), d(12)];
  const [shipinstruct, shipmode, comment] = [s(13), s(14), s(15)];
  const D = CSV_DELIMITER;
  const lines: string[] = new Array(end - start);
  for (let i = start; i < end; i++) {
    lines[i - start] =
      `${orderkey[i]}${D}${partkey[i]}${D}${suppkey[i]}${D}${linenumber[i]}${D}` +
      `${cents(quantity[i])}${D}${cents(price[i])}${D}${cents(discount[i])}${D}${cents(tax[i])}${D}` +
      `${returnflag.dict[returnflag.codes[i]]}${D}${linestatus.dict[linestatus.codes[i]]}${D}` +
      `${date(shipdate[i])}${D}${date(commitdate[i])}${D}${date(receiptdate[i])}${D}` +
      `${shipinstruct.dict[shipinstruct.codes[i]]}${D}${shipmode.dict[shipmode.codes[i]]}${D}${comment.dict[comment.codes[i]]}\n`;
  }
  return lines.join('');
}

/**
 * TPC-H batches as CSV text, dbgen's flavour: fields separated by '|', NUMBER(p,s) with exactly
 * s decimals, DATE as YYYY-MM-DD, strings unquoted (TPC-H strings never hold '|', quotes or
 * newlines), '\n' line ends. Unlike dbgen's .tbl files there is a header line with the column
 * names and no trailing '|' (so a CSV reader sees exactly one field per column). Load it with
 * FILE_FORMAT = (TYPE = CSV FIELD_DELIMITER = '|' SKIP_HEADER = 1).
 *
 * Contract: encodeCsv(columns, batch, start, end) returns rows [start, end) of a batch laid out
 * as `columns` (NUMBER as 'f64' scaled integers, DATE as 'i32', VARCHAR as 'str', no NULLs),
 * each ending in '\n'; csvHeader(columns) is the header line. The cell kernel is chosen once
 * per column.
 */
import { InternalError } from '../../storage/errors/firn-error.js';
import type { Column } from '../../storage/types/schema.js';
import { formatDate } from '../../storage/types/value-text.js';
import type { Batch, Vector } from '../../storage/types/vector.js';

export const CSV_DELIMITER = '|';

export function csvHeader(columns: readonly Column[]): string {
  return `${columns.map((c) => c.name).join(CSV_DELIMITER)}\n`;
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

/** A scaled integer with `scale` decimals as text: 2116823, 2 -> "21168.23"; -5, 2 -> "-0.05". */
function scaled(v: number, unit: number, scale: number): string {
  const abs = Math.abs(v);
  const frac = String(abs % unit).padStart(scale, '0');
  return `${v < 0 ? '-' : ''}${(abs - (abs % unit)) / unit}.${frac}`;
}

/** The kernel that turns one column's row i into text, picked from the column's type and vector kind. */
function cellText(column: Column, vec: Vector): (i: number) => string {
  const t = column.type;
  if (vec.nulls !== null) throw new InternalError(`TPC-H column ${column.name} has NULLs`);
  if (t.kind === 'VARCHAR' && vec.kind === 'str') return (i) => vec.dict[vec.codes[i]];
  if (t.kind === 'DATE' && vec.kind === 'i32') return (i) => date(vec.values[i]);
  if (t.kind === 'NUMBER' && vec.kind === 'f64') {
    if (t.scale === 0) return (i) => String(vec.values[i]);
    const unit = 10 ** t.scale;
    return (i) => scaled(vec.values[i], unit, t.scale);
  }
  throw new InternalError(`no CSV text for column ${column.name} (${t.kind} as '${vec.kind}')`);
}

export function encodeCsv(columns: readonly Column[], batch: Batch, start: number, end: number): string {
  if (end <= start) return '';
  const lines: string[] = new Array(end - start).fill('');
  columns.forEach((column, c) => {
    const text = cellText(column, batch.columns[c]);
    const sep = c === 0 ? '' : CSV_DELIMITER;
    for (let i = start; i < end; i++) lines[i - start] += sep + text(i);
  });
  return `${lines.join('\n')}\n`;
}

/**
 * Turns jsonv2 cells (strings as the SQL API sends them, see services/result/encode-jsonv2.ts)
 * back into what a person or a JSON consumer wants, driven by the column's rowType entry.
 *
 * Contract: displayCell gives the text the table and CSV formats print (dates as
 * YYYY-MM-DD, timestamps as YYYY-MM-DD HH:MM:SS.fff[fff[fff]] (every nanosecond kept), times as HH:MM:SS[.fff[fff[fff]]], decimals exactly as sent, NULL as
 * "NULL"); jsonCell gives a typed JSON value (numbers as numbers only when a JSON number
 * carries them exactly, otherwise the sent string).
 */
import { formatDate, formatEpochSecondsText, formatTime, parseTimeSeconds } from '../../storage/types/value-text.js';
import type { Cell, RowTypeEntry } from '../result/encode-jsonv2.js';

/** Text of a cell for the table and CSV formats; null for SQL NULL. */
export function cellText(cell: Cell, col: RowTypeEntry): string | null {
  if (cell === null) return null;
  switch (col.type) {
    case 'date':
      return formatDate(Number(cell));
    case 'timestamp_ntz':
      return formatEpochSecondsText(cell);
    case 'time':
      return formatTime(parseTimeSeconds(cell));
    default:
      return cell;
  }
}

/**
 * Whether a decimal string comes back unchanged from a double: true when it has at most 15
 * significant digits (what a double always holds), or when its shortest round-trip text is
 * the same decimal.
 */
function exactAsJsonNumber(text: string): boolean {
  const digits = text.replace(/[-+.]/g, '');
  const first = digits.search(/[1-9]/);
  if (first < 0) return true;
  let last = digits.length - 1;
  while (digits[last] === '0') last--;
  const n = Number(text);
  if (!Number.isFinite(n)) return false;
  if (last - first + 1 <= 15) return true;
  const canonical = text.includes('.') ? text.replace(/\.?0+$/, '') : text;
  return String(n) === canonical;
}

/** A typed JSON value for a cell (the --format json output). */
export function jsonCell(cell: Cell, col: RowTypeEntry): unknown {
  if (cell === null) return null;
  switch (col.type) {
    case 'fixed':
      return exactAsJsonNumber(cell) ? Number(cell) : cell;
    case 'real':
      return cell === 'NaN' || cell === 'inf' || cell === '-inf' ? cell : Number(cell);
    case 'boolean':
      return cell === 'true';
    case 'date':
    case 'timestamp_ntz':
    case 'time':
      return cellText(cell, col);
    default:
      return cell;
  }
}

/**
 * The CSV result format (RFC 4180 but for the line ends): a header line of column names, `\n`
 * line ends as Unix tools expect (sort, cut, awk), fields quoted when they hold a comma, quote,
 * CR or LF (quotes doubled), so a value's own line breaks never split a record.
 *
 * Contract: NULL is an empty unquoted field and the empty string is "" so the two stay
 * distinct; values use the same text as the table format (dates YYYY-MM-DD, decimals as sent).
 */
import type { RowsView } from './rows-view.js';
import { cellText } from './cell-text.js';

const NEEDS_QUOTES = /[",\r\n]/;

function field(s: string): string {
  return s === '' || NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatCsv(result: RowsView): string {
  const cols = result.resultSetMetaData.rowType;
  if (cols.length === 0) return '';
  const lines: string[] = [cols.map((c) => field(c.name)).join(',')];
  for (const row of result.data) {
    let line = '';
    for (let c = 0; c < cols.length; c++) {
      const t = cellText(row[c] ?? null, cols[c]!);
      if (c > 0) line += ',';
      if (t !== null) line += field(t);
    }
    lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * CSV export of a result as the page shows it (its current sort order): RFC 4180 with a header
 * row of column names, `\n` line endings, fields quoted when they hold a comma, quote, CR or
 * LF (quotes doubled), NULL as an empty field, values as displayValue writes them (exact
 * NUMBERs, ISO-like DATE and TIMESTAMP).
 */
import { displayValue, type ResultColumn } from './result-columns.js';

function field(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(columns: readonly ResultColumn[], order: readonly number[]): string {
  const lines = [columns.map((c) => field(c.name)).join(',')];
  for (const row of order) lines.push(columns.map((c) => field(displayValue(c, row))).join(','));
  return `${lines.join('\n')}\n`;
}

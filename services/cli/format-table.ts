/**
 * The human result format: an aligned, bordered table like Snowflake's and DuckDB's CLIs,
 * numbers right-aligned, NULL printed as NULL, dates and timestamps readable.
 *
 * Contract: formatTable returns the table text ending in a newline (no footer; see
 * print-result.ts). Cells are converted column by column; tabs and line breaks inside a
 * value are shown escaped so every row stays on one line.
 */
import type { RowsView } from './rows-view.js';
import { cellText } from './cell-text.js';

const NON_ASCII = /[^\x00-\x7f]/;

/** Display width in terminal columns, counting code points (surrogate pairs once). */
function width(s: string): number {
  return NON_ASCII.test(s) ? Array.from(s).length : s.length;
}

function escapeControls(s: string): string {
  return s.replace(/[\t\r\n]/g, (ch) => (ch === '\t' ? '\\t' : ch === '\r' ? '\\r' : '\\n'));
}

export function formatTable(result: RowsView): string {
  const cols = result.resultSetMetaData.rowType;
  const rows = result.data;
  if (cols.length === 0) return '';
  const texts: string[][] = [];
  const widths: number[] = [];
  const rightAlign: boolean[] = [];
  for (let c = 0; c < cols.length; c++) {
    const col = cols[c]!;
    const out: string[] = new Array(rows.length);
    let w = width(col.name);
    for (let r = 0; r < rows.length; r++) {
      const t = cellText(rows[r]![c] ?? null, col);
      const s = t === null ? 'NULL' : escapeControls(t);
      out[r] = s;
      const sw = width(s);
      if (sw > w) w = sw;
    }
    texts.push(out);
    widths.push(w);
    rightAlign.push(col.type === 'fixed' || col.type === 'real');
  }
  const pad = (s: string, c: number, right: boolean) => {
    const fill = ' '.repeat(widths[c]! - width(s));
    return right ? fill + s : s + fill;
  };
  const rule = (edge: string, join: string) => `${edge}${widths.map((w) => '-'.repeat(w + 2)).join(join)}${edge}`;
  const lines: string[] = [rule('+', '+')];
  lines.push(`| ${cols.map((col, c) => pad(escapeControls(col.name), c, rightAlign[c]!)).join(' | ')} |`);
  lines.push(rule('|', '+'));
  for (let r = 0; r < rows.length; r++) {
    let line = '|';
    for (let c = 0; c < cols.length; c++) line += ` ${pad(texts[c]![r]!, c, rightAlign[c]!)} |`;
    lines.push(line);
  }
  lines.push(rule('+', '+'));
  return `${lines.join('\n')}\n`;
}

/**
 * A plain-text table as the bench prints them: one header line, a rule, one line per row;
 * the first column left-aligned, the others right-aligned (numbers), unless listed in `left`.
 *
 * Contract: formatTable(header, rows, left?) pads every cell to its column's widest cell and
 * joins cells with ' | '; rows shorter than the header are padded with empty cells.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], left: readonly number[] = [0]): string {
  const cells = rows.map((row) => header.map((_, c) => row[c] ?? ''));
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c].length)));
  const line = (row: readonly string[]) => row.map((cell, c) => (left.includes(c) ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}

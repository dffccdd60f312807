/**
 * Prints one statement's outcome in the chosen format, and its error the one way every CLI
 * path reports errors: "Error <code> (<sqlState>): <message>" on stderr.
 *
 * Contract: table output ends with the footer "N rows (X ms, partitions scanned a/b)";
 * json and csv print only the data so they can be piped into other tools.
 */
import type { RowsView } from './rows-view.js';
import type { StatementOutcome } from './firn-client.js';
import { formatCsv } from './format-csv.js';
import { formatJson } from './format-json.js';
import { formatTable } from './format-table.js';

export const OutputFormat = { TABLE: 'table', JSON: 'json', CSV: 'csv' } as const;
export type OutputFormat = (typeof OutputFormat)[keyof typeof OutputFormat];

export function isOutputFormat(s: string): s is OutputFormat {
  return s === 'table' || s === 'json' || s === 'csv';
}

export function footer(result: RowsView): string {
  const n = result.resultSetMetaData.numRows;
  const rows = `${n} ${n === 1 ? 'row' : 'rows'}`;
  const s = result.stats;
  if (!s) return rows;
  return `${rows} (${Math.round(s.elapsedMs)} ms, partitions scanned ${s.partitionsScanned}/${s.partitionsTotal})`;
}

export function renderResult(result: RowsView, format: OutputFormat): string {
  switch (format) {
    case 'json':
      return formatJson(result);
    case 'csv':
      return formatCsv(result);
    case 'table':
      return `${formatTable(result)}${footer(result)}\n`;
  }
}

/** A statement's outcome, or rows the CLI made itself (PUT, GET). */
export type PrintableOutcome = StatementOutcome | { kind: 'ok'; result: RowsView };

/** Writes the outcome; returns whether the statement succeeded. */
export function printOutcome(
  outcome: PrintableOutcome,
  format: OutputFormat,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): boolean {
  switch (outcome.kind) {
    case 'ok':
      out.write(renderResult(outcome.result, format));
      return true;
    case 'failed':
      err.write(`Error ${outcome.code} (${outcome.sqlState}): ${outcome.message}\n`);
      return false;
    case 'unauthenticated':
    case 'unreachable':
    case 'protocol':
      err.write(`${outcome.message}\n`);
      return false;
  }
}

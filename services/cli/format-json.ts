/**
 * The JSON result format: an array of objects keyed by column name with typed values
 * (numbers, booleans, null; dates, timestamps and inexact numbers as strings, see
 * cell-text.ts).
 *
 * Contract: a statement's result is one JSON document on one line, the array of its rows, so
 * the output of several statements (a script, `firn sql -f`) is JSON Lines: one document per
 * statement, each line valid JSON. A column name seen twice gets a suffix (_2, _3, ...) so no
 * value is lost.
 */
import type { RowsView } from './rows-view.js';
import { jsonCell } from './cell-text.js';

function uniqueKeys(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    let key = name;
    for (let k = 2; seen.has(key); k++) key = `${name}_${k}`;
    seen.add(key);
    return key;
  });
}

export function formatJson(result: RowsView): string {
  const cols = result.resultSetMetaData.rowType;
  const keys = uniqueKeys(cols.map((c) => c.name));
  const rows: string[] = [];
  for (const row of result.data) {
    const obj: Record<string, unknown> = {};
    for (let c = 0; c < cols.length; c++) obj[keys[c]!] = jsonCell(row[c] ?? null, cols[c]!);
    rows.push(JSON.stringify(obj));
  }
  return `[${rows.join(',')}]\n`;
}

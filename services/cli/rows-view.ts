/**
 * What the CLI's result formats read: column types, rows of jsonv2 cells and, for the table
 * footer, the stats. A server's answer (JsonV2ResultSet) is one; so are the rows the CLI makes
 * itself for PUT and GET (stage-transfer.ts), which run in the client.
 */
import type { Cell, RowTypeEntry } from '../result/encode-jsonv2.js';
import type { QueryStats } from '../session/statement-result.js';

export type RowsView = { resultSetMetaData: { numRows: number; rowType: RowTypeEntry[] }; data: Cell[][]; stats?: QueryStats };

/** A text (or, `numeric`, right-aligned NUMBER) column of rows the CLI made. */
export function localColumn(name: string, numeric = false): RowTypeEntry {
  return { name, database: '', schema: '', table: '', type: numeric ? 'fixed' : 'text', nullable: true, precision: numeric ? 38 : null, scale: numeric ? 0 : null, length: null, byteLength: null, collation: null };
}

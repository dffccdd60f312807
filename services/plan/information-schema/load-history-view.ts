/**
 * INFORMATION_SCHEMA.LOAD_HISTORY: one row per file COPY INTO committed into a live table
 * of the database, newest first, with Snowflake's columns and types (LAST_LOAD_TIME is
 * TIMESTAMP_NTZ in UTC, as Firn has no TIMESTAMP_LTZ). Like Snowflake's view it shows at
 * most 10,000 rows, and the history of a dropped table is gone. Only the tables the role sees
 * have rows.
 */
import { Types } from '../../../storage/types/data-type.js';
import type { Column } from '../../../storage/types/schema.js';
import type { SystemView } from './system-view-contract.js';

const MAX_ROWS = 10_000;
const text = Types.varchar;
const number = Types.number(38, 0);

const COLUMNS: Column[] = [
  { name: 'SCHEMA_NAME', type: text, nullable: false },
  { name: 'FILE_NAME', type: text, nullable: false },
  { name: 'TABLE_NAME', type: text, nullable: false },
  { name: 'LAST_LOAD_TIME', type: Types.timestampNtz, nullable: false },
  { name: 'STATUS', type: text, nullable: false },
  { name: 'ROW_COUNT', type: number, nullable: false },
  { name: 'ROW_PARSED', type: number, nullable: false },
  { name: 'FIRST_ERROR_MESSAGE', type: text, nullable: true },
  { name: 'FIRST_ERROR_LINE_NUMBER', type: number, nullable: true },
  { name: 'FIRST_ERROR_CHARACTER_POSITION', type: number, nullable: true },
  { name: 'FIRST_ERROR_COL_NAME', type: text, nullable: true },
  { name: 'ERROR_COUNT', type: number, nullable: false },
  { name: 'ERROR_LIMIT', type: number, nullable: false },
];

const big = (n: number | null): bigint | null => (n === null ? null : BigInt(n));

export const loadHistoryView: SystemView = {
  name: 'LOAD_HISTORY',
  columns: COLUMNS,
  rows: (catalog, database, _retention, sees) =>
    catalog
      .loadHistory(database, { limit: MAX_ROWS })
      .filter((r) => sees.table({ id: r.tableId, database: r.database, schema: r.schema }))
      .map((r) => [
        r.schema,
        r.fileName,
        r.table,
        r.loadedAt,
        r.status,
        big(r.rowsLoaded),
        big(r.rowsParsed),
        r.firstErrorMessage,
        big(r.firstErrorLineNumber),
        big(r.firstErrorCharacterPosition),
        r.firstErrorColumnName,
        big(r.errorCount),
        big(r.errorLimit),
      ]),
};

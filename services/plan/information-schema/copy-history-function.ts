/**
 * INFORMATION_SCHEMA.COPY_HISTORY(TABLE_NAME => 'name', START_TIME => ts [, END_TIME => ts]),
 * as in Snowflake: the files COPY INTO loaded into one table (the load history Firn keeps for
 * LOAD_HISTORY: load-history-view.ts) whose load finished within [START_TIME, END_TIME]
 * (END_TIME defaults to now) and within the last 14 days (the function's window), newest
 * first, with Snowflake's columns and types (LAST_LOAD_TIME TIMESTAMP_LTZ). TABLE_NAME follows
 * Snowflake's identifier rules, 1 to 3 parts, relative to the function's database (`db.
 * INFORMATION_SCHEMA.COPY_HISTORY`, else the session's) and the session's schema; a session's
 * temporary table is found by its name.
 *
 * Firn keeps each file's full name (FILE_NAME, as COPY reports it), not its stage apart, so
 * STAGE_LOCATION is NULL; it has no pipes, so the PIPE_* columns and FIRST_COMMIT_TIME are NULL.
 *
 * Who sees what (Snowflake's rule for bulk loads): a role with ACCOUNTADMIN (Firn's stand-in
 * for the account's MONITOR privilege) sees any table's history; another role only that of a
 * table it sees (USAGE on its database and schema and any privilege on it); any other table
 * reads as missing (002003).
 */
import { Types } from '../../../storage/types/data-type.js';
import type { Column } from '../../../storage/types/schema.js';
import { canSeeTable, hasRole } from '../../access/access-check.js';
import { tableNotFound } from '../../access/access-errors.js';
import { SystemRoles } from '../../access/privilege-names.js';
import { temporaryKey } from '../../session/temporary-objects.js';
import type { InformationSchemaFunction } from './information-schema-function.js';
import { retentionOf, usableDatabase } from './system-view.js';
import { CompilationError } from '../../../storage/errors/firn-error.js';

/** Snowflake's window of COPY_HISTORY: loads of the last 14 days. */
const WINDOW_MS = 14 * 86_400_000;
const text = Types.varchar;
const number = Types.number(38, 0);
const ts = Types.timestampLtz;

const COLUMNS: Column[] = [
  { name: 'FILE_NAME', type: text, nullable: false },
  { name: 'STAGE_LOCATION', type: text, nullable: true },
  { name: 'LAST_LOAD_TIME', type: ts, nullable: false },
  { name: 'ROW_COUNT', type: number, nullable: false },
  { name: 'ROW_PARSED', type: number, nullable: false },
  { name: 'FILE_SIZE', type: number, nullable: false },
  { name: 'FIRST_ERROR_MESSAGE', type: text, nullable: true },
  { name: 'FIRST_ERROR_LINE_NUMBER', type: number, nullable: true },
  { name: 'FIRST_ERROR_CHARACTER_POS', type: number, nullable: true },
  { name: 'FIRST_ERROR_COLUMN_NAME', type: text, nullable: true },
  { name: 'ERROR_COUNT', type: number, nullable: false },
  { name: 'ERROR_LIMIT', type: number, nullable: false },
  { name: 'STATUS', type: text, nullable: false },
  { name: 'TABLE_CATALOG_NAME', type: text, nullable: false },
  { name: 'TABLE_SCHEMA_NAME', type: text, nullable: false },
  { name: 'TABLE_NAME', type: text, nullable: false },
  { name: 'PIPE_CATALOG_NAME', type: text, nullable: true },
  { name: 'PIPE_SCHEMA_NAME', type: text, nullable: true },
  { name: 'PIPE_NAME', type: text, nullable: true },
  { name: 'PIPE_RECEIVED_TIME', type: ts, nullable: true },
  { name: 'FIRST_COMMIT_TIME', type: ts, nullable: true },
];

/** Snowflake's STATUS words for Firn's load outcomes. */
const STATUS_TEXT = { LOADED: 'Loaded', PARTIALLY_LOADED: 'Partially loaded', LOAD_FAILED: 'Load failed' } as const;

const big = (n: number | null): bigint | null => (n === null ? null : BigInt(n));

export const copyHistory: InformationSchemaFunction = {
  name: 'COPY_HISTORY',
  params: ['TABLE_NAME', 'START_TIME', 'END_TIME'],
  columns: COLUMNS,
  rows: (ctx, args, functionDatabase) => {
    args.require('TABLE_NAME');
    args.require('START_TIME');
    const parts = args.name('TABLE_NAME', 3)!;
    const nowMs = retentionOf(ctx).nowMs;
    const from = Math.max(args.instantMs('START_TIME')!, nowMs - WINDOW_MS);
    const to = args.instantMs('END_TIME') ?? nowMs;
    const database = usableDatabase(ctx, parts.length === 3 ? parts[0] : functionDatabase);
    const schema = parts.length >= 2 ? parts[parts.length - 2] : ctx.session.schema;
    if (!schema) throw new CompilationError('OBJECT_NOT_FOUND', 'Cannot perform operation. This session does not have a current schema. Call \'USE SCHEMA\', or use a qualified name.');
    const name = parts[parts.length - 1];
    const stored = ctx.session.temporary?.tables.get(temporaryKey(database, schema, name)) ?? name;
    const table = ctx.catalog.getTable(database, schema, stored);
    if (!table || !(hasRole(ctx, SystemRoles.ACCOUNTADMIN) || canSeeTable(ctx, table))) throw tableNotFound(`${database}.${schema}.${name}`);
    return ctx.catalog
      .loadHistory(database)
      .filter((r) => r.tableId === table.id && r.loadedAt.getTime() >= from && r.loadedAt.getTime() <= to)
      .map((r) => [
        r.fileName,
        null,
        r.loadedAt,
        big(r.rowsLoaded),
        big(r.rowsParsed),
        big(r.fileSize),
        r.firstErrorMessage,
        big(r.firstErrorLineNumber),
        big(r.firstErrorCharacterPosition),
        r.firstErrorColumnName,
        big(r.errorCount),
        big(r.errorLimit),
        STATUS_TEXT[r.status],
        r.database,
        r.schema,
        name,
        null,
        null,
        null,
        null,
        null,
      ]);
  },
};

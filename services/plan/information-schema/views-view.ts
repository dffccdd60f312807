/**
 * INFORMATION_SCHEMA.VIEWS: a row for each view of the database that the role sees (USAGE on its
 * database and schema and any privilege on it), with Snowflake's columns, the database's own
 * INFORMATION_SCHEMA views first (as Snowflake lists them: no owner, no definition). VIEW_DEFINITION
 * is the whole CREATE statement as written, as Snowflake shows it, and is empty for a secure view
 * the role does not own. CHECK_OPTION, IS_UPDATABLE and INSERTABLE_INTO are "not applicable" in
 * Snowflake: 'NONE', 'NO', 'NO'. LAST_ALTERED and LAST_DDL are the view's creation (CREATE OR
 * REPLACE makes a new one); LAST_DDL_BY is not recorded (null). Times are TIMESTAMP_NTZ in UTC.
 */
import { Types } from '../../../storage/types/data-type.js';
import type { Column } from '../../../storage/types/schema.js';
import type { SystemCell, SystemView } from './system-view-contract.js';

/** The reserved schema's name, as system-view.ts resolves it (not imported: system-view.ts imports this file). */
const INFORMATION_SCHEMA = 'INFORMATION_SCHEMA';

const text = Types.varchar;
const ts = Types.timestampNtz;

const COLUMNS: Column[] = [
  ['TABLE_CATALOG', text, false],
  ['TABLE_SCHEMA', text, false],
  ['TABLE_NAME', text, false],
  ['TABLE_OWNER', text, true],
  ['VIEW_DEFINITION', text, true],
  ['CHECK_OPTION', text, true],
  ['IS_UPDATABLE', text, true],
  ['INSERTABLE_INTO', text, true],
  ['IS_SECURE', text, false],
  ['CREATED', ts, false],
  ['LAST_ALTERED', ts, false],
  ['LAST_DDL', ts, false],
  ['LAST_DDL_BY', text, true],
  ['COMMENT', text, true],
].map(([name, type, nullable]) => ({ name: name as string, type: type as Column['type'], nullable: nullable as boolean }));

export const viewsView: SystemView = {
  name: 'VIEWS',
  columns: COLUMNS,
  rows: (catalog, database, _retention, sees, views) => {
    const rows: SystemCell[][] = [];
    const created = catalog.getDatabase(database)?.createdAt;
    if (created) {
      for (const v of views) rows.push([database, INFORMATION_SCHEMA, v.name, null, null, 'NONE', 'NO', 'NO', 'NO', created, created, created, null, null]);
    }
    for (const schema of catalog.listSchemas(database)) {
      for (const v of catalog.views.listViews(schema.id)) {
        const listed = sees.listed(v.name);
        if (!listed || !sees.view(v, schema)) continue;
        const definition = v.secure && !sees.ownsView(v) ? '' : v.text;
        const owner = catalog.grants.ownerOf('VIEW', v.id) ?? v.owner;
        rows.push([database, schema.name, listed.name, owner, definition, 'NONE', 'NO', 'NO', v.secure ? 'YES' : 'NO', v.createdAt, v.createdAt, v.createdAt, null, v.comment]);
      }
    }
    return rows;
  },
};

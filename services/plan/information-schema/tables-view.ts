/**
 * INFORMATION_SCHEMA.TABLES: a row for each live table of the database that the role sees
 * (USAGE on its database and schema and any privilege on it), with Snowflake's columns.
 * ROW_COUNT and BYTES are the table's live micro-partitions at its current version (exact:
 * the catalog's partition rows), CLUSTERING_KEY is `LINEAR(k1, k2)` (null without CLUSTER BY)
 * and AUTO_CLUSTERING_ON says whether the background compactor keeps it clustered,
 * RETENTION_TIME the table's effective DATA_RETENTION_TIME_IN_DAYS, TABLE_OWNER the role that
 * owns it, LAST_ALTERED its last committed version (DML or DDL). Firn's tables are BASE TABLEs,
 * permanent or transient (IS_TRANSIENT; not temporary, dynamic or Iceberg), and have no comments; the columns
 * Snowflake marks "not applicable" are null, IS_INSERTABLE_INTO and IS_TYPED 'YES' as Snowflake
 * shows them. Times are TIMESTAMP_NTZ in UTC (Snowflake's are TIMESTAMP_LTZ). The database's
 * INFORMATION_SCHEMA views are listed too, as Snowflake lists them: TABLE_TYPE 'VIEW', no owner,
 * no ROW_COUNT, BYTES or RETENTION_TIME, created with the database; and so are the user's views the
 * role sees (TABLE_TYPE 'VIEW', their owner and comment, LAST_ALTERED their creation). The
 * session's own temporary tables are listed under their names (TABLE_TYPE 'TEMPORARY TABLE',
 * IS_TEMPORARY 'YES'); other sessions' are not.
 */
import { Types } from '../../../storage/types/data-type.js';
import type { Column } from '../../../storage/types/schema.js';
import type { SystemCell, SystemView } from './system-view-contract.js';

/** The reserved schema's name, as system-view.ts resolves it (not imported: system-view.ts imports this file). */
const INFORMATION_SCHEMA = 'INFORMATION_SCHEMA';

const text = Types.varchar;
const number = Types.number(38, 0);

const COLUMNS: Column[] = [
  { name: 'TABLE_CATALOG', type: text, nullable: false },
  { name: 'TABLE_SCHEMA', type: text, nullable: false },
  { name: 'TABLE_NAME', type: text, nullable: false },
  { name: 'TABLE_OWNER', type: text, nullable: true },
  { name: 'TABLE_TYPE', type: text, nullable: false },
  { name: 'IS_TRANSIENT', type: text, nullable: false },
  { name: 'CLUSTERING_KEY', type: text, nullable: true },
  { name: 'ROW_COUNT', type: number, nullable: true },
  { name: 'BYTES', type: number, nullable: true },
  { name: 'RETENTION_TIME', type: number, nullable: true },
  { name: 'SELF_REFERENCING_COLUMN_NAME', type: text, nullable: true },
  { name: 'REFERENCE_GENERATION', type: text, nullable: true },
  { name: 'USER_DEFINED_TYPE_CATALOG', type: text, nullable: true },
  { name: 'USER_DEFINED_TYPE_SCHEMA', type: text, nullable: true },
  { name: 'USER_DEFINED_TYPE_NAME', type: text, nullable: true },
  { name: 'IS_INSERTABLE_INTO', type: text, nullable: false },
  { name: 'IS_TYPED', type: text, nullable: false },
  { name: 'COMMIT_ACTION', type: text, nullable: true },
  { name: 'CREATED', type: Types.timestampNtz, nullable: false },
  { name: 'LAST_ALTERED', type: Types.timestampNtz, nullable: false },
  { name: 'AUTO_CLUSTERING_ON', type: text, nullable: false },
  { name: 'COMMENT', type: text, nullable: true },
  { name: 'IS_TEMPORARY', type: text, nullable: false },
  { name: 'IS_ICEBERG', type: text, nullable: false },
  { name: 'IS_DYNAMIC', type: text, nullable: false },
];

export const tablesView: SystemView = {
  name: 'TABLES',
  columns: COLUMNS,
  rows: (catalog, database, retention, sees, views) => {
    const rows: SystemCell[][] = [];
    const created = catalog.getDatabase(database)?.createdAt;
    if (created) {
      for (const v of views) {
        rows.push([database, INFORMATION_SCHEMA, v.name, null, 'VIEW', 'NO', null, null, null, null, null, null, null, null, null, 'NO', 'NO', null, created, created, 'NO', null, 'NO', 'NO', 'NO']);
      }
    }
    for (const schema of catalog.listSchemas(database)) {
      const sizes = new Map(catalog.tableSizes(database, schema.name).map((s) => [s.tableId, s]));
      for (const t of catalog.listTables(database, schema.name)) {
        const size = sizes.get(t.id);
        const listed = sees.listed(t.name);
        if (!size || !listed || !sees.table(t)) continue;
        const clustered = t.clusterBy.length > 0;
        rows.push([
          database,
          schema.name,
          listed.name,
          catalog.grants.ownerOf('TABLE', t.id),
          listed.temporary ? 'TEMPORARY TABLE' : 'BASE TABLE',
          t.transient && !listed.temporary ? 'YES' : 'NO',
          clustered ? `LINEAR(${t.clusterBy.join(', ')})` : null,
          BigInt(size.rowCount),
          BigInt(size.bytes),
          BigInt(catalog.retentionDaysOf(t.id, retention.defaultRetentionDays)),
          null,
          null,
          null,
          null,
          null,
          'YES',
          'YES',
          null,
          t.createdAt,
          size.lastAltered,
          clustered ? 'YES' : 'NO',
          null,
          listed.temporary ? 'YES' : 'NO',
          'NO',
          'NO',
        ]);
      }
      for (const v of catalog.views.listViews(schema.id)) {
        const listed = sees.listed(v.name);
        if (!listed || !sees.view(v, schema)) continue;
        const owner = catalog.grants.ownerOf('VIEW', v.id) ?? v.owner;
        rows.push([database, schema.name, listed.name, owner, 'VIEW', 'NO', null, null, null, null, null, null, null, null, null, 'NO', 'NO', null, v.createdAt, v.createdAt, 'NO', v.comment, 'NO', 'NO', 'NO']);
      }
    }
    return rows;
  },
};

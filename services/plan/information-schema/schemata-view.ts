/**
 * INFORMATION_SCHEMA.SCHEMATA: a row for each schema of the database the role sees (USAGE on
 * the database and any privilege on the schema, as SHOW SCHEMAS), and one for the database's
 * INFORMATION_SCHEMA itself, as in Snowflake, with Snowflake's columns. Firn has no transient
 * or managed-access schemas and no comments. RETENTION_TIME is the schema's effective
 * DATA_RETENTION_TIME_IN_DAYS (its own, else its database's, else the account default).
 * Times are TIMESTAMP_NTZ in UTC; LAST_ALTERED is the creation (Firn records no schema
 * alteration time); INFORMATION_SCHEMA has no owner, its database's creation time and
 * retention 0 (it holds no data).
 */
import { Types } from '../../../storage/types/data-type.js';
import type { Column } from '../../../storage/types/schema.js';
import type { SystemCell, SystemView } from './system-view-contract.js';

const text = Types.varchar;

const COLUMNS: Column[] = [
  { name: 'CATALOG_NAME', type: text, nullable: false },
  { name: 'SCHEMA_NAME', type: text, nullable: false },
  { name: 'SCHEMA_OWNER', type: text, nullable: true },
  { name: 'IS_TRANSIENT', type: text, nullable: false },
  { name: 'IS_MANAGED_ACCESS', type: text, nullable: false },
  { name: 'RETENTION_TIME', type: Types.number(38, 0), nullable: false },
  { name: 'DEFAULT_CHARACTER_SET_CATALOG', type: text, nullable: true },
  { name: 'DEFAULT_CHARACTER_SET_SCHEMA', type: text, nullable: true },
  { name: 'DEFAULT_CHARACTER_SET_NAME', type: text, nullable: true },
  { name: 'SQL_PATH', type: text, nullable: true },
  { name: 'CREATED', type: Types.timestampNtz, nullable: false },
  { name: 'LAST_ALTERED', type: Types.timestampNtz, nullable: false },
  { name: 'COMMENT', type: text, nullable: true },
];

/** The reserved schema's name, as system-view.ts resolves it (not imported: system-view.ts imports this file). */
const INFORMATION_SCHEMA = 'INFORMATION_SCHEMA';

export const schemataView: SystemView = {
  name: 'SCHEMATA',
  columns: COLUMNS,
  rows: (catalog, database, retention, sees) => {
    const db = catalog.getDatabase(database);
    if (!db) return [];
    const rows: SystemCell[][] = catalog
      .listSchemas(database)
      .filter((s) => sees.schema(s))
      .map((s) => [
        database,
        s.name,
        catalog.grants.ownerOf('SCHEMA', s.id),
        'NO',
        'NO',
        BigInt(catalog.containerRetentionDays({ kind: 'schema', database, schema: s.name }, retention.defaultRetentionDays)),
        null,
        null,
        null,
        null,
        s.createdAt,
        s.createdAt,
        null,
      ]);
    rows.push([database, INFORMATION_SCHEMA, null, 'NO', 'NO', 0n, null, null, null, null, db.createdAt, db.createdAt, null]);
    return rows.sort((a, b) => ((a[1] as string) < (b[1] as string) ? -1 : 1));
  },
};

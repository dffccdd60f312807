/**
 * INFORMATION_SCHEMA.DATABASES: a row for each database of the account the statement's role
 * sees (any privilege on it, as SHOW DATABASES), whichever database's INFORMATION_SCHEMA is
 * read, with Snowflake's columns. Firn has no transient databases (IS_TRANSIENT 'NO'), no
 * comments and no replication; a database is STANDARD. RETENTION_TIME is the database's
 * DATA_RETENTION_TIME_IN_DAYS, else the account default. CREATED and LAST_ALTERED are
 * TIMESTAMP_NTZ in UTC (Snowflake's are TIMESTAMP_LTZ); Firn records no alteration time for a
 * database, so LAST_ALTERED is its creation.
 */
import { Types } from '../../../storage/types/data-type.js';
import type { Column } from '../../../storage/types/schema.js';
import type { SystemView } from './system-view-contract.js';

const text = Types.varchar;
const number = Types.number(38, 0);

const COLUMNS: Column[] = [
  { name: 'DATABASE_NAME', type: text, nullable: false },
  { name: 'DATABASE_OWNER', type: text, nullable: true },
  { name: 'IS_TRANSIENT', type: text, nullable: false },
  { name: 'COMMENT', type: text, nullable: true },
  { name: 'CREATED', type: Types.timestampNtz, nullable: false },
  { name: 'LAST_ALTERED', type: Types.timestampNtz, nullable: false },
  { name: 'RETENTION_TIME', type: number, nullable: false },
  { name: 'TYPE', type: text, nullable: false },
];

export const databasesView: SystemView = {
  name: 'DATABASES',
  columns: COLUMNS,
  rows: (catalog, _database, retention, sees) =>
    catalog
      .listDatabases()
      .filter((d) => sees.database(d))
      .map((d) => [
        d.name,
        catalog.grants.ownerOf('DATABASE', d.id),
        'NO',
        null,
        d.createdAt,
        d.createdAt,
        BigInt(catalog.containerRetentionDays({ kind: 'database', database: d.name }, retention.defaultRetentionDays)),
        'STANDARD',
      ]),
};

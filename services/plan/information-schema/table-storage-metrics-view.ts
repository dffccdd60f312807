/**
 * INFORMATION_SCHEMA.TABLE_STORAGE_METRICS: the bytes of every table of the database, live or
 * dropped until GC purges it, with Snowflake's columns (catalog.storageMetrics). An object's
 * bytes belong to the table whose partition first referenced it: ACTIVE_BYTES while that
 * table's current version holds it, TIME_TRAVEL_BYTES while only its history within retention
 * does, RETAINED_FOR_CLONE_BYTES while only clones still hold it. Firn keeps no fail-safe copy
 * (FAILSAFE_BYTES is 0) and has no transient tables (IS_TRANSIENT is 'NO'). Times are
 * TIMESTAMP_NTZ in UTC; classes are computed at bind time with the account's default retention.
 * Only the tables the role sees (by id, dropped ones too) have rows.
 */
import { Types } from '../../../storage/types/data-type.js';
import type { Column } from '../../../storage/types/schema.js';
import type { SystemView } from './system-view-contract.js';

const text = Types.varchar;
const number = Types.number(38, 0);

const COLUMNS: Column[] = [
  { name: 'TABLE_CATALOG', type: text, nullable: false },
  { name: 'TABLE_SCHEMA', type: text, nullable: false },
  { name: 'TABLE_NAME', type: text, nullable: false },
  { name: 'ID', type: number, nullable: false },
  { name: 'CLONE_GROUP_ID', type: number, nullable: false },
  { name: 'IS_TRANSIENT', type: text, nullable: false },
  { name: 'ACTIVE_BYTES', type: number, nullable: false },
  { name: 'TIME_TRAVEL_BYTES', type: number, nullable: false },
  { name: 'FAILSAFE_BYTES', type: number, nullable: false },
  { name: 'RETAINED_FOR_CLONE_BYTES', type: number, nullable: false },
  { name: 'TABLE_DROPPED', type: Types.timestampNtz, nullable: true },
  { name: 'TABLE_CREATED', type: Types.timestampNtz, nullable: false },
];

export const tableStorageMetricsView: SystemView = {
  name: 'TABLE_STORAGE_METRICS',
  columns: COLUMNS,
  rows: (catalog, database, ctx, sees) =>
    catalog
      .storageMetrics(database, ctx)
      .filter((m) => sees.table({ id: m.tableId, database: m.database, schema: m.schema }))
      .map((m) => [
        m.database,
        m.schema,
        m.name,
        BigInt(m.tableId),
        BigInt(m.cloneGroupId),
        'NO',
        BigInt(m.activeBytes),
        BigInt(m.timeTravelBytes),
        0n,
        BigInt(m.retainedForCloneBytes),
        m.droppedAt,
        m.createdAt,
      ]),
};

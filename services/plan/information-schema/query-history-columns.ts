/**
 * The columns of query history, shared by SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY and
 * INFORMATION_SCHEMA.QUERY_HISTORY(): Snowflake's names and types for what Firn records
 * (catalog.usage, usage-store.ts). Times are TIMESTAMP_LTZ, as in Snowflake; TOTAL_ELAPSED_TIME and QUEUED_OVERLOAD_TIME are milliseconds;
 * PERCENTAGE_SCANNED_FROM_CACHE is a FLOAT from 0.0 to 1.0, as in Snowflake.
 * BYTES_SPILLED_TO_LOCAL_STORAGE is Snowflake's name for the bytes operators spilled to
 * local disk (Firn spills nowhere else); BYTES_SPILLED repeats it under the name.
 * SESSION_ID, USER_NAME and ROLE_NAME (Snowflake's names and order, after SCHEMA_NAME) are the
 * session, who ran the statement and its role; NULL for statements recorded before Firn kept them.
 * QUERY_TAG (after CLUSTER_NUMBER, as in Snowflake) is the session's QUERY_TAG when the
 * statement ran, NULL when it had none (Snowflake shows '' there).
 */
import type { QueryRecord } from '../../catalog/usage-store.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Column } from '../../../storage/types/schema.js';
import type { SystemCell } from './system-view-contract.js';

const text = Types.varchar;
const number = Types.number(38, 0);
const ts = Types.timestampLtz;

export const QUERY_HISTORY_COLUMNS: Column[] = [
  { name: 'QUERY_ID', type: text, nullable: false },
  { name: 'QUERY_TEXT', type: text, nullable: false },
  { name: 'DATABASE_NAME', type: text, nullable: true },
  { name: 'SCHEMA_NAME', type: text, nullable: true },
  { name: 'SESSION_ID', type: number, nullable: true },
  { name: 'USER_NAME', type: text, nullable: true },
  { name: 'ROLE_NAME', type: text, nullable: true },
  { name: 'WAREHOUSE_ID', type: number, nullable: true },
  { name: 'WAREHOUSE_NAME', type: text, nullable: true },
  { name: 'WAREHOUSE_SIZE', type: text, nullable: true },
  { name: 'CLUSTER_NUMBER', type: number, nullable: true },
  { name: 'QUERY_TAG', type: text, nullable: true },
  { name: 'EXECUTION_STATUS', type: text, nullable: false },
  { name: 'ERROR_CODE', type: text, nullable: true },
  { name: 'ERROR_MESSAGE', type: text, nullable: true },
  { name: 'START_TIME', type: ts, nullable: false },
  { name: 'END_TIME', type: ts, nullable: false },
  { name: 'TOTAL_ELAPSED_TIME', type: number, nullable: false },
  { name: 'BYTES_SCANNED', type: number, nullable: false },
  { name: 'PERCENTAGE_SCANNED_FROM_CACHE', type: Types.float, nullable: false },
  { name: 'ROWS_PRODUCED', type: number, nullable: false },
  { name: 'PARTITIONS_SCANNED', type: number, nullable: false },
  { name: 'PARTITIONS_TOTAL', type: number, nullable: false },
  { name: 'BYTES_SPILLED_TO_LOCAL_STORAGE', type: number, nullable: false },
  { name: 'BYTES_SPILLED', type: number, nullable: false },
  { name: 'QUEUED_OVERLOAD_TIME', type: number, nullable: false },
];

const big = (n: number | null): bigint | null => (n === null ? null : BigInt(Math.round(n)));

/** One recorded statement as a row of QUERY_HISTORY_COLUMNS. */
export function queryHistoryRow(r: QueryRecord): SystemCell[] {
  return [
    r.queryId,
    r.queryText,
    r.databaseName,
    r.schemaName,
    big(r.sessionId),
    r.userName,
    r.roleName,
    big(r.warehouseId),
    r.warehouseName,
    r.warehouseSize,
    big(r.clusterNumber),
    r.queryTag,
    r.executionStatus,
    r.errorCode,
    r.errorMessage,
    new Date(r.startTime),
    new Date(r.endTime),
    big(r.totalElapsedTime),
    big(r.bytesScanned),
    r.percentageScannedFromCache,
    big(r.rowsProduced),
    big(r.partitionsScanned),
    big(r.partitionsTotal),
    big(r.bytesSpilled),
    big(r.bytesSpilled),
    big(r.queuedOverloadTime),
  ];
}

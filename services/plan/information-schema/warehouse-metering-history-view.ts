/**
 * SNOWFLAKE.ACCOUNT_USAGE.WAREHOUSE_METERING_HISTORY: the credits each warehouse used per
 * hour (UTC clock hours), with Snowflake's columns: START_TIME and END_TIME bound the hour
 * (TIMESTAMP_LTZ), CREDITS_USED = CREDITS_USED_COMPUTE + CREDITS_USED_CLOUD_SERVICES,
 * the latter 0 (Firn bills no cloud services), credits as NUMBER(38, 9). The credits are the
 * catalog's cluster segments priced by services/scheduler/warehouse-credits.ts (per second per
 * running cluster, 60 s minimum per start); a cluster still running counts up to the
 * statement's start. The last 365 days (METERING_RETENTION_DAYS), ordered by warehouse name,
 * then hour.
 */
import { Types } from '../../../storage/types/data-type.js';
import type { Column } from '../../../storage/types/schema.js';
import { METERING_RETENTION_DAYS } from '../../catalog/usage-store.js';
import { creditMsToScaled, hourlyCredits, MS_PER_HOUR } from '../../scheduler/warehouse-credits.js';
import type { SystemView } from './system-view-contract.js';

const credits = Types.number(38, 9);

const COLUMNS: Column[] = [
  { name: 'START_TIME', type: Types.timestampLtz, nullable: false },
  { name: 'END_TIME', type: Types.timestampLtz, nullable: false },
  { name: 'WAREHOUSE_ID', type: Types.number(38, 0), nullable: false },
  { name: 'WAREHOUSE_NAME', type: Types.varchar, nullable: false },
  { name: 'CREDITS_USED', type: credits, nullable: false },
  { name: 'CREDITS_USED_COMPUTE', type: credits, nullable: false },
  { name: 'CREDITS_USED_CLOUD_SERVICES', type: credits, nullable: false },
];

export const warehouseMeteringHistoryView: SystemView = {
  name: 'WAREHOUSE_METERING_HISTORY',
  columns: COLUMNS,
  rows: (catalog, _database, ctx) =>
    hourlyCredits(catalog.usage.segments(ctx.nowMs - METERING_RETENTION_DAYS * 86_400_000, ctx.nowMs + 1), ctx.nowMs).map((h) => {
      const used = creditMsToScaled(h.creditMs);
      return [new Date(h.hourStart), new Date(h.hourStart + MS_PER_HOUR), BigInt(h.warehouseId), h.warehouseName, used, used, 0n];
    }),
};

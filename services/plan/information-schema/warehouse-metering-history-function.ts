/**
 * INFORMATION_SCHEMA.WAREHOUSE_METERING_HISTORY(DATE_RANGE_START => t [, DATE_RANGE_END => t]
 * [, WAREHOUSE_NAME => 'name']), as in Snowflake: the credits each warehouse (or the named
 * one) used per UTC hour, for the hours that overlap [DATE_RANGE_START, DATE_RANGE_END) and
 * lie within the last 6 months (the function's window), ordered by warehouse name, then hour,
 * with Snowflake's columns (times TIMESTAMP_LTZ, credits NUMBER(38, 9)). A DATE argument is its
 * midnight UTC, so `DATE_RANGE_START => '2026-03-09', DATE_RANGE_END => '2026-03-10'` is that
 * day. DATE_RANGE_END defaults to now, so a range starting an hour ago answers the running
 * hour. The credits are those of SNOWFLAKE.ACCOUNT_USAGE.WAREHOUSE_METERING_HISTORY
 * (warehouse-metering-history-view.ts). The name follows Snowflake's identifier rules.
 *
 * Who sees what: as in Snowflake, only a role with ACCOUNTADMIN gets rows (Firn has no MONITOR
 * USAGE privilege); to another role the function answers none.
 */
import { Types } from '../../../storage/types/data-type.js';
import type { Column } from '../../../storage/types/schema.js';
import { hasRole } from '../../access/access-check.js';
import { SystemRoles } from '../../access/privilege-names.js';
import { creditMsToScaled, hourlyCredits, MS_PER_HOUR } from '../../scheduler/warehouse-credits.js';
import type { InformationSchemaFunction } from './information-schema-function.js';
import { retentionOf } from './system-view.js';

/** Snowflake's window of the function: the last 6 months (here 183 days). */
const WINDOW_MS = 183 * 86_400_000;
const credits = Types.number(38, 9);

const COLUMNS: Column[] = [
  { name: 'START_TIME', type: Types.timestampLtz, nullable: false },
  { name: 'END_TIME', type: Types.timestampLtz, nullable: false },
  { name: 'WAREHOUSE_NAME', type: Types.varchar, nullable: false },
  { name: 'CREDITS_USED', type: credits, nullable: false },
  { name: 'CREDITS_USED_COMPUTE', type: credits, nullable: false },
  { name: 'CREDITS_USED_CLOUD_SERVICES', type: credits, nullable: false },
];

export const warehouseMeteringHistory: InformationSchemaFunction = {
  name: 'WAREHOUSE_METERING_HISTORY',
  params: ['DATE_RANGE_START', 'DATE_RANGE_END', 'WAREHOUSE_NAME'],
  columns: COLUMNS,
  rows: (ctx, args) => {
    args.require('DATE_RANGE_START');
    const nowMs = retentionOf(ctx).nowMs;
    const from = Math.max(args.instantMs('DATE_RANGE_START')!, nowMs - WINDOW_MS);
    const to = args.instantMs('DATE_RANGE_END') ?? nowMs + 1;
    const warehouse = args.name('WAREHOUSE_NAME')?.[0];
    if (!hasRole(ctx, SystemRoles.ACCOUNTADMIN) || from >= to) return [];
    // Billed as the view bills (a run's 60 s minimum and resizes span segments), then cut to the range.
    const hours = hourlyCredits(ctx.catalog.usage.segments(nowMs - WINDOW_MS - MS_PER_HOUR, nowMs + 1), nowMs);
    return hours
      .filter((h) => h.hourStart + MS_PER_HOUR > from && h.hourStart < to && (warehouse === undefined || h.warehouseName === warehouse))
      .map((h) => {
        const used = creditMsToScaled(h.creditMs);
        return [new Date(h.hourStart), new Date(h.hourStart + MS_PER_HOUR), h.warehouseName, used, used, 0n];
      });
  },
};

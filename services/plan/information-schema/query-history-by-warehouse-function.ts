/**
 * INFORMATION_SCHEMA.QUERY_HISTORY_BY_WAREHOUSE([WAREHOUSE_NAME =>] 'name', ...): the
 * QUERY_HISTORY family (query-history-function.ts) narrowed to the statements that ran on one
 * warehouse (by the name it had then). The name follows Snowflake's identifier rules; the
 * default is the current warehouse, and a session without one answers nothing.
 */
import { queryHistoryFunction } from './query-history-function.js';

export const queryHistoryByWarehouse = queryHistoryFunction('QUERY_HISTORY_BY_WAREHOUSE', {
  param: 'WAREHOUSE_NAME',
  filter: (ctx, args) => {
    const warehouseName = args.name('WAREHOUSE_NAME')?.[0] ?? ctx.session.warehouse;
    return warehouseName === null || warehouseName === undefined ? null : { warehouseName };
  },
});

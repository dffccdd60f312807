/**
 * SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY: every statement the account ran that the catalog
 * still keeps (usage-store.ts: QUERY_HISTORY_RETENTION_DAYS, QUERY_HISTORY_MAX_ROWS), newest
 * first, successes and failures (parse errors included), with Snowflake's columns
 * (query-history-columns.ts). Unlike Snowflake's view, which lags by up to 45 minutes, a
 * statement shows as soon as it has ended.
 */
import type { SystemView } from './system-view-contract.js';
import { QUERY_HISTORY_COLUMNS, queryHistoryRow } from './query-history-columns.js';

export const queryHistoryView: SystemView = {
  name: 'QUERY_HISTORY',
  columns: QUERY_HISTORY_COLUMNS,
  rows: (catalog) => catalog.usage.queryHistory().map(queryHistoryRow),
};

/**
 * INFORMATION_SCHEMA.QUERY_HISTORY and the QUERY_HISTORY_BY_* family built on it, as in
 * Snowflake: `QUERY_HISTORY([END_TIME_RANGE_START =>] ts [, [END_TIME_RANGE_END =>] ts]
 * [, [RESULT_LIMIT =>] n] [, INCLUDE_CLIENT_GENERATED_STATEMENT => b])`; a BY_* function takes
 * its dimension first (SESSION_ID, USER_NAME, WAREHOUSE_NAME: query-history-by-*-function.ts).
 * It answers the statements that ended within the range (default: the last 7 days, the
 * functions' window in Snowflake), newest start first, at most RESULT_LIMIT of them (default
 * 100, 1 to 10,000), with the columns of query-history-columns.ts. Firn runs no
 * client-generated statements, so INCLUDE_CLIENT_GENERATED_STATEMENT (a BOOLEAN) changes
 * nothing.
 *
 * Who sees what: the current user's statements, and everyone's to a role with ACCOUNTADMIN
 * (Firn has no MONITOR privilege on warehouses); a BY_* filter narrows that further, so
 * QUERY_HISTORY_BY_USER of another user answers nothing to a role without ACCOUNTADMIN.
 */
import { Types } from '../../../storage/types/data-type.js';
import type { QueryHistoryFilter } from '../../catalog/usage-store.js';
import type { BindContext } from '../bind-context.js';
import type { InformationSchemaFunction } from './information-schema-function.js';
import { QUERY_HISTORY_COLUMNS, queryHistoryRow } from './query-history-columns.js';
import { retentionOf } from './system-view.js';
import type { TableFunctionArgs } from './table-function-args.js';

/** Snowflake's window of the QUERY_HISTORY functions when no range is given. */
const DEFAULT_WINDOW_MS = 7 * 86_400_000;
const DEFAULT_RESULT_LIMIT = 100;
const MAX_RESULT_LIMIT = 10_000;
const RANGE_PARAMS = ['END_TIME_RANGE_START', 'END_TIME_RANGE_END', 'RESULT_LIMIT', 'INCLUDE_CLIENT_GENERATED_STATEMENT'] as const;

/**
 * A BY_* function's dimension: its parameter, and the filter it reads from its argument or,
 * when none is given, from the session (its default); null when there is nothing to match.
 */
export type QueryHistoryDimension = {
  param: string;
  filter(ctx: BindContext, args: TableFunctionArgs): QueryHistoryFilter | null;
};

/** A function of the QUERY_HISTORY family: QUERY_HISTORY itself without a dimension. */
export function queryHistoryFunction(name: string, dimension?: QueryHistoryDimension): InformationSchemaFunction {
  return {
    name,
    params: dimension ? [dimension.param, ...RANGE_PARAMS] : RANGE_PARAMS,
    columns: QUERY_HISTORY_COLUMNS,
    rows: (ctx, args) => {
      const nowMs = retentionOf(ctx).nowMs;
      const endFrom = args.instantMs('END_TIME_RANGE_START') ?? nowMs - DEFAULT_WINDOW_MS;
      const endTo = args.instantMs('END_TIME_RANGE_END');
      const limit = args.integer('RESULT_LIMIT') ?? DEFAULT_RESULT_LIMIT;
      if (limit < 1 || limit > MAX_RESULT_LIMIT) throw args.invalid('RESULT_LIMIT', `between 1 and ${MAX_RESULT_LIMIT}`);
      args.constant('INCLUDE_CLIENT_GENERATED_STATEMENT', Types.boolean);
      const narrowed = dimension ? dimension.filter(ctx, args) : {};
      if (narrowed === null) return [];
      // The current user's statements; a role with ACCOUNTADMIN sees everyone's.
      const everyone = ctx.session.privileges?.inherits('ACCOUNTADMIN') ?? ctx.session.user === undefined;
      const own = everyone ? undefined : ctx.session.user;
      if (own !== undefined && narrowed.userName !== undefined && narrowed.userName !== own) return [];
      const filter: QueryHistoryFilter = { endFrom, limit, ...narrowed, ...(own !== undefined ? { userName: own } : {}) };
      if (endTo !== undefined) filter.endTo = endTo;
      return ctx.catalog.usage.queryHistory(filter).map(queryHistoryRow);
    },
  };
}

export const queryHistory = queryHistoryFunction('QUERY_HISTORY');

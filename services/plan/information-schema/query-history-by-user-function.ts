/**
 * INFORMATION_SCHEMA.QUERY_HISTORY_BY_USER([USER_NAME =>] 'name', ...): the QUERY_HISTORY
 * family (query-history-function.ts) narrowed to one user's statements. The name follows
 * Snowflake's identifier rules ('alice' is ALICE, '"Alice"' is Alice); the default is the
 * current user.
 */
import { queryHistoryFunction } from './query-history-function.js';

export const queryHistoryByUser = queryHistoryFunction('QUERY_HISTORY_BY_USER', {
  param: 'USER_NAME',
  filter: (ctx, args) => {
    const userName = args.name('USER_NAME')?.[0] ?? ctx.session.user;
    return userName === undefined ? null : { userName };
  },
});

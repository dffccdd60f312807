/**
 * INFORMATION_SCHEMA.QUERY_HISTORY_BY_SESSION([SESSION_ID =>] id, ...): the QUERY_HISTORY
 * family (query-history-function.ts) narrowed to one session's statements. SESSION_ID is a
 * number (CURRENT_SESSION()'s text converts); the default is the current session, and a
 * statement outside any session (no id) answers nothing.
 */
import { queryHistoryFunction } from './query-history-function.js';

export const queryHistoryBySession = queryHistoryFunction('QUERY_HISTORY_BY_SESSION', {
  param: 'SESSION_ID',
  filter: (ctx, args) => {
    const sessionId = args.integer('SESSION_ID') ?? ctx.session.sessionId;
    return sessionId === undefined ? null : { sessionId };
  },
});

/**
 * Session ids: the number a login session is known by (the driver's sessionId) and the one a
 * request outside any login session runs under (a SQL API request with an access token is its
 * own session), as CURRENT_SESSION() answers and QUERY_HISTORY records them (SESSION_ID).
 *
 * Contract: `nextSessionId` never answers the same id twice in a process, and ids of a later
 * process are larger than those of an earlier one on the same clock (the first id is the
 * process start in epoch ms, times 1000), so query history kept across restarts never merges
 * two sessions while fewer than 1000 sessions a millisecond start. Ids stay safe integers.
 */
let next = Date.now() * 1000;

export function nextSessionId(): number {
  return next++;
}

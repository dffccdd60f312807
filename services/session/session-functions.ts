/**
 * Snowflake's session context functions: CURRENT_USER(), CURRENT_ROLE(), CURRENT_WAREHOUSE(),
 * CURRENT_DATABASE(), CURRENT_SCHEMA(), CURRENT_ACCOUNT(), CURRENT_REGION(),
 * CURRENT_VERSION(), CURRENT_SESSION(), CURRENT_STATEMENT(), IS_ROLE_IN_SESSION(role) and
 * LAST_QUERY_ID([n]). Their values are the session's, fixed for the statement, so the engine
 * puts them into the parsed statement as literals before it binds it (`withSessionValues`):
 * every clause, subquery and DML form sees them without the binder or the warehouse knowing
 * about sessions. An unaliased select item that calls one keeps the column name Snowflake
 * gives it (`CURRENT_USER()`), not the literal's.
 *
 * Contract:
 * - A function with no value in the session (no current warehouse, database or schema) is a
 *   VARCHAR NULL, as in Snowflake. The names take no arguments (TYPE_MISMATCH otherwise), but
 *   IS_ROLE_IN_SESSION and LAST_QUERY_ID.
 * - CURRENT_ACCOUNT() is Firn's one account, FIRN (as GRANT ... ON ACCOUNT names it);
 *   CURRENT_REGION() is LOCAL (Firn runs in no cloud region); CURRENT_VERSION() the version of
 *   the running Firn (firn-version.ts); CURRENT_SESSION() the session's id as VARCHAR, as in
 *   Snowflake (SessionContext.sessionId: services/access/session-id.ts); and
 *   CURRENT_STATEMENT() the text of the statement being run, as the request gave it.
 * - IS_ROLE_IN_SESSION(role) is TRUE when the session's role is `role` or inherits it (PUBLIC
 *   included): a string constant becomes a BOOLEAN literal (an unquoted name is upper-cased, a
 *   name in double quotes taken as written), any other expression `UPPER(expr) IN (<the
 *   session's roles>)`; NULL gives NULL.
 * - LAST_QUERY_ID(n): the id of the n-th statement the session ran (1 = its first), or with
 *   n < 0 the n-th most recent (-1, the default = the statement before this one); NULL when the
 *   session has no such statement. `n` must be an integer constant. The session's statements
 *   are `SessionContext.history`; `appendQueryId` records one (the engine does, after each
 *   statement, in the context it answers with), keeping the newest MAX_SESSION_QUERY_IDS.
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import { ACCOUNT_NAME } from '../access/privilege-names.js';
import { exprText } from '../plan/expr-text.js';
import type { Expr, Statement } from '../sql/ast.js';
import { firnVersion } from './firn-version.js';
import type { SessionContext, SessionHistory } from './statement-result.js';

/** How many of a session's most recent query ids LAST_QUERY_ID can reach back to. */
export const MAX_SESSION_QUERY_IDS = 1000;

/** The region CURRENT_REGION() names: Firn runs in no cloud region. */
const REGION = 'LOCAL';

/** What the session functions read: the session, and the text of the statement being run. */
type Current = { session: SessionContext; statement: string | undefined };

const CONTEXT_FUNCTIONS: Readonly<Record<string, (c: Current) => string | null | undefined>> = {
  CURRENT_USER: (c) => c.session.user,
  CURRENT_ROLE: (c) => c.session.role,
  CURRENT_WAREHOUSE: (c) => c.session.warehouse,
  CURRENT_DATABASE: (c) => c.session.database,
  CURRENT_SCHEMA: (c) => c.session.schema,
  CURRENT_ACCOUNT: () => ACCOUNT_NAME,
  CURRENT_REGION: () => REGION,
  CURRENT_VERSION: () => firnVersion(),
  CURRENT_SESSION: (c) => (c.session.sessionId === undefined ? null : String(c.session.sessionId)),
  CURRENT_STATEMENT: (c) => c.statement,
};
const LAST_QUERY_ID = 'LAST_QUERY_ID';
const IS_ROLE_IN_SESSION = 'IS_ROLE_IN_SESSION';

/**
 * `st` with every call of a session function replaced by its value (a new tree; `st` is
 * unchanged). `statement`: the statement's text, for CURRENT_STATEMENT() (NULL without it).
 */
export function withSessionValues(st: Statement, session: SessionContext, statement?: string): Statement {
  return callsSessionFunction(st) ? (substitute(st, { session, statement }) as Statement) : st;
}

/** The session's history with `queryId` as its newest statement. */
export function appendQueryId(history: SessionHistory | undefined, queryId: string): SessionHistory {
  const ids = [...(history?.ids ?? []), queryId];
  const over = Math.max(0, ids.length - MAX_SESSION_QUERY_IDS);
  return { ids: over > 0 ? ids.slice(over) : ids, dropped: (history?.dropped ?? 0) + over };
}

function isSessionCall(node: Record<string, unknown>): node is Extract<Expr, { kind: 'function' }> {
  return node.kind === 'function' && typeof node.name === 'string' && (node.name in CONTEXT_FUNCTIONS || node.name === LAST_QUERY_ID || node.name === IS_ROLE_IN_SESSION);
}

function callsSessionFunction(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(callsSessionFunction);
  if (node === null || typeof node !== 'object') return false;
  const o = node as Record<string, unknown>;
  return isSessionCall(o) || Object.values(o).some(callsSessionFunction);
}

function substitute(node: unknown, current: Current): unknown {
  if (Array.isArray(node)) return node.map((n) => substitute(n, current));
  if (node === null || typeof node !== 'object') return node;
  const o = node as Record<string, unknown>;
  if (isSessionCall(o)) return valueOf(o, current);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = substitute(v, current);
  // A select item `expr` without an alias is named after its text: keep the call's text.
  if (o.kind === 'expr' && o.alias === null && 'expr' in o && callsSessionFunction(o.expr)) out.alias = exprText(o.expr as Expr).toUpperCase();
  return out;
}

function valueOf(call: Extract<Expr, { kind: 'function' }>, current: Current): Expr {
  if (call.distinct || call.star) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${call.name} does not take ${call.star ? '*' : 'DISTINCT'}`);
  const context = CONTEXT_FUNCTIONS[call.name];
  if (context) {
    if (call.args.length > 0) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: Invalid argument types for function '${call.name}': it takes no arguments`);
    return text(context(current) ?? null);
  }
  const session = current.session;
  if (call.name === IS_ROLE_IN_SESSION) return roleInSession(call, session);
  if (call.args.length > 1) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: Invalid argument types for function '${LAST_QUERY_ID}': it takes at most one argument`);
  const n = call.args.length === 0 ? -1 : integerConstant(call.args[0]);
  return text(nthQueryId(session.history, n));
}

/** The n-th statement of the history (1-based from the first, or from the newest when negative). */
function nthQueryId(history: SessionHistory | undefined, n: number): string | null {
  if (!history || n === 0) return null;
  const i = n > 0 ? n - 1 - history.dropped : history.ids.length + n;
  return history.ids[i] ?? null;
}

function integerConstant(e: Expr): number {
  const negative = e.kind === 'unary' && e.op === '-';
  const inner = e.kind === 'unary' && (e.op === '-' || e.op === '+') ? e.expr : e;
  if (inner.kind !== 'number' || !/^\d+$/.test(inner.text)) {
    throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: argument 1 of function ${LAST_QUERY_ID} must be an integer constant, got ${exprText(e)}`);
  }
  const n = Number(inner.text);
  return negative ? -n : n;
}

/** The roles IS_ROLE_IN_SESSION finds: the session's role, those it inherits, and PUBLIC. */
function sessionRoles(session: SessionContext): ReadonlySet<string> {
  return session.privileges?.roles ?? new Set(session.role === undefined ? ['PUBLIC'] : [session.role, 'PUBLIC']);
}

/** A role name given as a string: upper-cased unless it is in double quotes. */
function roleName(text: string): string {
  const t = text.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : t.toUpperCase();
}

function roleInSession(call: Extract<Expr, { kind: 'function' }>, session: SessionContext): Expr {
  if (call.args.length !== 1) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: Invalid argument types for function '${IS_ROLE_IN_SESSION}': it takes one argument, a role name`);
  const arg = call.args[0];
  const roles = sessionRoles(session);
  if (arg.kind === 'string') return { kind: 'boolean', value: roles.has(roleName(arg.value)) };
  if (arg.kind === 'null') return { kind: 'cast', expr: { kind: 'null' }, type: { name: 'BOOLEAN', params: [] }, try: false };
  const upper: Expr = { kind: 'function', name: 'UPPER', args: [arg], distinct: false, star: false };
  return { kind: 'in_list', expr: upper, list: [...roles].map((r): Expr => ({ kind: 'string', value: r })), negated: false };
}

/** A VARCHAR literal, or a VARCHAR NULL. */
function text(value: string | null): Expr {
  if (value === null) return { kind: 'cast', expr: { kind: 'null' }, type: { name: 'VARCHAR', params: [] }, try: false };
  return { kind: 'string', value };
}

/**
 * Snowflake's session context functions: CURRENT_USER(), CURRENT_ROLE(), CURRENT_WAREHOUSE(),
 * CURRENT_DATABASE(), CURRENT_SCHEMA(), CURRENT_SESSION() (the session id as VARCHAR, as in
 * Snowflake) and LAST_QUERY_ID([n]). Their values are the session's,
 * fixed for the statement, so the engine puts them into the parsed statement as literals before
 * it binds it (`withSessionValues`): every clause, subquery and DML form sees them without the
 * binder or the warehouse knowing about sessions. An unaliased select item that calls one keeps
 * the column name Snowflake gives it (`CURRENT_USER()`), not the literal's.
 *
 * Contract:
 * - A function with no value in the session (no current warehouse, database or schema) is a
 *   VARCHAR NULL, as in Snowflake. The names take no arguments (TYPE_MISMATCH otherwise).
 * - LAST_QUERY_ID(n): the id of the n-th statement the session ran (1 = its first), or with
 *   n < 0 the n-th most recent (-1, the default = the statement before this one); NULL when the
 *   session has no such statement. `n` must be an integer constant. The session's statements
 *   are `SessionContext.history`; `appendQueryId` records one (the engine does, after each
 *   statement, in the context it answers with), keeping the newest MAX_SESSION_QUERY_IDS.
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import { exprText } from '../plan/expr-text.js';
import type { Expr, Statement } from '../sql/ast.js';
import type { SessionContext, SessionHistory } from './statement-result.js';

/** How many of a session's most recent query ids LAST_QUERY_ID can reach back to. */
export const MAX_SESSION_QUERY_IDS = 1000;

const CONTEXT_FUNCTIONS: Readonly<Record<string, (s: SessionContext) => string | null | undefined>> = {
  CURRENT_USER: (s) => s.user,
  CURRENT_ROLE: (s) => s.role,
  CURRENT_WAREHOUSE: (s) => s.warehouse,
  CURRENT_DATABASE: (s) => s.database,
  CURRENT_SCHEMA: (s) => s.schema,
  CURRENT_SESSION: (s) => (s.sessionId === undefined ? null : String(s.sessionId)),
};
const LAST_QUERY_ID = 'LAST_QUERY_ID';

/** `st` with every call of a session function replaced by its value (a new tree; `st` is unchanged). */
export function withSessionValues(st: Statement, session: SessionContext): Statement {
  return callsSessionFunction(st) ? (substitute(st, session) as Statement) : st;
}

/** The session's history with `queryId` as its newest statement. */
export function appendQueryId(history: SessionHistory | undefined, queryId: string): SessionHistory {
  const ids = [...(history?.ids ?? []), queryId];
  const over = Math.max(0, ids.length - MAX_SESSION_QUERY_IDS);
  return { ids: over > 0 ? ids.slice(over) : ids, dropped: (history?.dropped ?? 0) + over };
}

function isSessionCall(node: Record<string, unknown>): node is Extract<Expr, { kind: 'function' }> {
  return node.kind === 'function' && typeof node.name === 'string' && (node.name in CONTEXT_FUNCTIONS || node.name === LAST_QUERY_ID);
}

function callsSessionFunction(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(callsSessionFunction);
  if (node === null || typeof node !== 'object') return false;
  const o = node as Record<string, unknown>;
  return isSessionCall(o) || Object.values(o).some(callsSessionFunction);
}

function substitute(node: unknown, session: SessionContext): unknown {
  if (Array.isArray(node)) return node.map((n) => substitute(n, session));
  if (node === null || typeof node !== 'object') return node;
  const o = node as Record<string, unknown>;
  if (isSessionCall(o)) return valueOf(o, session);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = substitute(v, session);
  // A select item `expr` without an alias is named after its text: keep the call's text.
  if (o.kind === 'expr' && o.alias === null && 'expr' in o && callsSessionFunction(o.expr)) out.alias = exprText(o.expr as Expr).toUpperCase();
  return out;
}

function valueOf(call: Extract<Expr, { kind: 'function' }>, session: SessionContext): Expr {
  if (call.distinct || call.star) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${call.name} does not take ${call.star ? '*' : 'DISTINCT'}`);
  const context = CONTEXT_FUNCTIONS[call.name];
  if (context) {
    if (call.args.length > 0) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: Invalid argument types for function '${call.name}': it takes no arguments`);
    return text(context(session) ?? null);
  }
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

/** A VARCHAR literal, or a VARCHAR NULL. */
function text(value: string | null): Expr {
  if (value === null) return { kind: 'cast', expr: { kind: 'null' }, type: { name: 'VARCHAR', params: [] }, try: false };
  return { kind: 'string', value };
}

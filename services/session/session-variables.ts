/**
 * Snowflake's session variables: SET, UNSET, SHOW VARIABLES and `$name` in statements.
 *
 * Why here: a variable belongs to the session (SessionContext.variables), like USE's context:
 * SET answers with a context holding the new variables, the engine hands each statement's
 * context to the next one of the request, and a login session (driver-sessions.ts: the
 * snowflake-sdk driver and SQL API requests on its token) keeps it between requests. A SQL API
 * v2 request on a bearer token is its own session, as in Snowflake: its variables end with it.
 *
 * Contract:
 * - SET evaluates its expressions (or its query) once, when it runs, as a query of this
 *   session, before it assigns any name: `SET (min, max) = (50, 2 * $min)` reads the old
 *   `$min`. Each variable keeps the value and the type its expression had (NUMBER(2,0) for 10,
 *   VARCHAR(7) for 'example', a DATE for a date...). A query giving more than one row is
 *   SUBQUERY_MULTIPLE_ROWS (090150), none sets NULLs; a query with another number of columns
 *   than of names is VARIABLE_COUNT_MISMATCH (390205).
 * - `withVariableValues` puts the session's values into a parsed statement before it binds:
 *   every `$name` becomes a `variable_value` node (the binder makes it a literal of the
 *   variable's type: services/plan/bind-expr.ts), every IDENTIFIER($name) in FROM the object
 *   name the variable's text holds (object-name-text.ts; a value that is not text, or text that
 *   is no name, is INVALID_IDENTIFIER). So the statement's JSON, the result cache's key, holds
 *   the values, and a cached `SELECT $x` is never answered for another value of x. A name the
 *   session has not set is VARIABLE_NOT_FOUND (002211, 02000): "Session variable '$X' does not
 *   exist", as Snowflake words it, with the line and position of the `$X`.
 * - Names are identifiers: unquoted ones upper-cased (`$x` reads X), "quoted" ones verbatim.
 * - UNSET removes the names it lists (a name not set is no error); SHOW VARIABLES [LIKE] lists
 *   them by name with Snowflake's columns: session_id (NULL: Firn numbers no sessions),
 *   created_on, updated_on, name, value (the value as TO_VARCHAR gives it; NULL for NULL), type
 *   (the SQL API's type name: fixed, real, text, boolean, date, timestamp_ntz, time), comment.
 */
import { CompilationError, DataError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import { scalarAt } from '../../storage/types/scalar-at.js';
import { scalarToExact, type Scalar } from '../../storage/types/scalar.js';
import type { Column } from '../../storage/types/schema.js';
import { evaluateExpr } from '../../warehouse/execute/evaluate-expr.js';
import { variableNotFound } from '../plan/variable-not-found.js';
import { rowTypeOf } from '../result/encode-jsonv2.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import type { Expr, ObjectName, Query, Statement, VariableRef } from '../sql/ast.js';
import { objectNameFromText } from '../sql/object-name-text.js';
import { status, type Answer } from './answer.js';
import type { Deadline } from './deadline.js';
import type { EngineEnv } from './engine-env.js';
import { likeFilter } from './like-filter.js';
import { planQuerySliced, runPlanned, type QueryRunStats } from './run-query.js';
import type { SessionContext, SessionVariable, SessionVariables } from './statement-result.js';

const NO_VARIABLES: SessionVariables = new Map();

/** `st` with the session's values in place of its `$name`s (a new tree; `st` is unchanged). */
export function withVariableValues(st: Statement, variables: SessionVariables | undefined): Statement {
  return usesVariables(st) ? (substitute(st, variables ?? NO_VARIABLES) as Statement) : st;
}

function isVariable(o: Record<string, unknown>): o is Extract<Expr, { kind: 'variable' }> {
  return o.kind === 'variable' && typeof o.name === 'string';
}

function isVariableName(o: Record<string, unknown>): o is ObjectName & { variable: VariableRef } {
  return Array.isArray(o.parts) && typeof o.variable === 'object' && o.variable !== null;
}

function usesVariables(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(usesVariables);
  if (node === null || typeof node !== 'object') return false;
  const o = node as Record<string, unknown>;
  return isVariable(o) || isVariableName(o) || Object.values(o).some(usesVariables);
}

function substitute(node: unknown, variables: SessionVariables): unknown {
  if (Array.isArray(node)) return node.map((n) => substitute(n, variables));
  if (node === null || typeof node !== 'object') return node;
  const o = node as Record<string, unknown>;
  if (isVariable(o)) {
    const v = lookup(variables, o);
    return { kind: 'variable_value', name: o.name, type: v.type, value: scalarToExact(v.value) } satisfies Expr;
  }
  if (isVariableName(o)) return tableNameOf(lookup(variables, o.variable), o.variable);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = substitute(v, variables);
  return out;
}

function lookup(variables: SessionVariables, ref: VariableRef): SessionVariable {
  const v = variables.get(ref.name);
  if (v === undefined) throw variableNotFound(ref);
  return v;
}

/** IDENTIFIER($name) in FROM: the table name the variable's text holds. */
function tableNameOf(v: SessionVariable, ref: VariableRef): ObjectName {
  if (typeof v.value !== 'string') {
    throw new CompilationError('INVALID_IDENTIFIER', `SQL compilation error: invalid identifier '$${ref.name}': IDENTIFIER() needs a text variable, not a ${v.type.kind} one`);
  }
  return objectNameFromText(v.value, 3);
}

/**
 * SET: evaluates the values as one query of the session (see the module comment) and answers
 * Snowflake's status with the session's new variables in its context, and the query's run
 * stats.
 */
export async function runSetVariables(
  env: EngineEnv,
  st: Extract<Statement, { kind: 'set_variables' }>,
  session: SessionContext,
  queryId: string,
  deadline: Deadline | null,
): Promise<Answer & { stats: QueryRunStats }> {
  const planned = await planQuerySliced(env, st.query ?? valuesQuery(st.values ?? []), session, queryId);
  const ran = await runPlanned(env, planned, session, queryId, deadline);
  let row: Scalar[] | null = null;
  let rows = 0;
  for await (const batch of ran.batches) {
    if (batch.length === 0) continue;
    rows += batch.length;
    // Stopping after a second row stops the run; its failure is the statement's answer.
    if (rows > 1) break;
    row = ran.columns.map((c, i) => scalarAt(batch.columns[i]!, 0, c.type));
  }
  if (rows > 1) {
    await ran.done.catch(() => {});
    throw new DataError('SUBQUERY_MULTIPLE_ROWS', 'Single-row subquery returns more than one row.');
  }
  const stats = await ran.done;
  if (ran.columns.length !== st.names.length) {
    throw new CompilationError('VARIABLE_COUNT_MISMATCH', `SQL compilation error: SET assigns ${ran.columns.length} value${ran.columns.length === 1 ? '' : 's'} to ${st.names.length} variable${st.names.length === 1 ? '' : 's'}`);
  }
  const now = Date.now();
  const variables = new Map(session.variables ?? NO_VARIABLES);
  st.names.forEach((name, i) => {
    const before = variables.get(name);
    variables.set(name, { type: ran.columns[i]!.type, value: row === null ? null : row[i]!, createdMs: before?.createdMs ?? now, updatedMs: now });
  });
  return { ...status('Statement executed successfully.'), context: { ...session, variables }, stats };
}

/** `SELECT e1, e2, ...` without FROM: the values of SET's expressions, evaluated as a query. */
function valuesQuery(values: Expr[]): Query {
  return {
    with: [],
    body: {
      kind: 'select',
      distinct: false,
      items: values.map((expr, i) => ({ kind: 'expr', expr, alias: `V${i + 1}` })),
      from: null,
      where: null,
      groupBy: [],
      groupingSets: null,
      having: null,
      qualify: null,
    },
    orderBy: [],
    limit: null,
    offset: null,
  };
}

/** UNSET: the session without the names listed. */
export function runUnsetVariables(st: Extract<Statement, { kind: 'unset_variables' }>, session: SessionContext): Answer {
  const variables = new Map(session.variables ?? NO_VARIABLES);
  for (const name of st.names) variables.delete(name);
  return { ...status('Statement executed successfully.'), context: { ...session, variables } };
}

const SHOW_COLUMNS: Column[] = [
  { name: 'session_id', type: Types.number(38, 0), nullable: true },
  { name: 'created_on', type: Types.timestampNtz, nullable: false },
  { name: 'updated_on', type: Types.timestampNtz, nullable: false },
  { name: 'name', type: Types.varchar, nullable: false },
  { name: 'value', type: Types.varchar, nullable: true },
  { name: 'type', type: Types.varchar, nullable: false },
  { name: 'comment', type: Types.varchar, nullable: true },
];

/** SHOW VARIABLES [LIKE '<pattern>']: the session's variables, by name. */
export function runShowVariables(st: Extract<Statement, { kind: 'show_variables' }>, session: SessionContext): Answer {
  const like = likeFilter(st.like);
  const rows = [...(session.variables ?? NO_VARIABLES)]
    .filter(([name]) => like(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, v]): Scalar[] => [null, nanos(v.createdMs), nanos(v.updatedMs), name, valueText(v), rowTypeOf({ name, type: v.type, nullable: true }).type, null]);
  return { columns: SHOW_COLUMNS, batch: rowsToBatch(SHOW_COLUMNS, rows) };
}

/** A variable's value as TO_VARCHAR gives it (the cast kernel's text), NULL for NULL. */
function valueText(v: SessionVariable): string | null {
  if (v.value === null) return null;
  if (v.type.kind === 'VARCHAR') return v.value as string;
  const cast = { kind: 'cast' as const, expr: { kind: 'literal' as const, value: v.value, type: v.type }, type: Types.varchar, try: false };
  return scalarAt(evaluateExpr(cast, { length: 1, columns: [] }), 0, Types.varchar) as string;
}

function nanos(ms: number): bigint {
  return BigInt(ms) * 1_000_000n;
}

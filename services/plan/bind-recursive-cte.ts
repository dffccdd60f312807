/**
 * Recursive common table expressions, the binder's half:
 *   WITH [RECURSIVE] r [(c1, ...)] AS (anchor UNION ALL recursive-clause) SELECT ... FROM r ...
 * A CTE is recursive when its query refers to its own name (`refersTo`), whether or not the WITH
 * says RECURSIVE, as in Snowflake. Its definition becomes an init plan, a RecursiveUnionNode
 * (logical-plan.ts), which the engine runs before the plans after it (run-recursive-cte.ts); each
 * reference to the CTE is a `recursive_cte` leaf naming that init plan, one init plan per CTE
 * and statement however often the CTE is referenced.
 *
 * Contract (Snowflake's rules for the two clauses):
 *  - The CTE's query is `anchor UNION ALL recursive-clause`, with no ORDER BY or LIMIT of its
 *    own (the anchor may itself be a UNION ALL of several queries); anything else, and an anchor
 *    that refers to the CTE, is SYNTAX (001003).
 *  - Column names: the CTE's column list, else the anchor's. Types: the anchor's, with NUMBER
 *    widened to 38 digits (its scale kept) and VARCHAR to the longest, since values grow as the
 *    recursion goes on (n + 1, path || '/' || name); a NULL column is VARCHAR. The recursive
 *    clause's columns are cast to them (a cast that cannot be is the cast's error).
 *  - The recursive clause refers to the CTE exactly once, and only through projections,
 *    filters, lateral FLATTEN / SPLIT_TO_TABLE and joins on a side whose rows the join keeps
 *    (either side of an inner or cross join, the left of LEFT, SEMI, ANTI and MARK joins, the
 *    right of RIGHT): never below an aggregate, GROUP BY or DISTINCT, a window function, ORDER BY,
 *    LIMIT, a set operation, nor inside a subquery or on the NULL side of an outer join. Each
 *    is SYNTAX with a message saying which. So each run of the clause reads only the rows the
 *    run before it returned, and its rows are a function of each of those rows alone.
 *  - A CTE that reaches itself through another CTE (mutual recursion) is NOT_SUPPORTED, and so
 *    is a recursive CTE where the statement plans no init plans.
 */
import { CompilationError, NotSupportedError } from '../../storage/errors/firn-error.js';
import { Types, typesEqual, type DataType } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { ObjectName, Query, QueryBody } from '../sql/ast.js';
import type { BindContext, QueryBinder } from './bind-context.js';
import { castTo } from './bind-expr.js';
import { planColumns, planInputs, type JoinType, type LogicalPlan, type RecursiveUnionNode } from './logical-plan.js';

/** A CTE as a WITH clause defines it. */
export type CteDefinition = { name: string; columns: string[] | null; query: Query };

/** Whether `query` refers to a table named `name` (a one-part name) that no WITH inside it shadows. */
export function refersTo(query: Query, name: string): boolean {
  return mentions(query, name);
}

function mentions(node: unknown, name: string): boolean {
  if (Array.isArray(node)) return node.some((n) => mentions(n, name));
  if (node === null || typeof node !== 'object') return false;
  const o = node as Record<string, unknown>;
  // A query whose own WITH defines the name means its CTE everywhere inside it.
  if (Array.isArray(o.with) && 'body' in o && (o.with as CteDefinition[]).some((w) => w.name === name)) return false;
  if (o.kind === 'table') {
    const parts = (o.name as ObjectName).parts;
    if (parts.length === 1 && parts[0] === name) return true;
  }
  for (const v of Object.values(o)) if (mentions(v, name)) return true;
  return false;
}

/** Each statement's recursive CTEs bound so far (by its init plan list), so a second reference reuses the first's init plan. */
const boundCtes = new WeakMap<LogicalPlan[], Map<CteDefinition, LogicalPlan>>();

/** The `recursive_cte` leaf of `cte` (whose query refers to itself), its definition added to the statement's init plans. */
export function bindRecursiveCte(ctx: BindContext, cte: CteDefinition, binder: QueryBinder): LogicalPlan {
  const initPlans = ctx.initPlans;
  if (!initPlans) throw new NotSupportedError(`The recursive common table expression '${cte.name}' in this statement`);
  let known = boundCtes.get(initPlans);
  if (!known) boundCtes.set(initPlans, (known = new Map()));
  const done = known.get(cte);
  if (done) return done;

  const q = cte.query;
  const body = q.body;
  if (body.kind !== 'set_operation' || body.op !== 'UNION' || !body.all || q.orderBy.length > 0 || q.limit !== null || q.offset !== null) {
    throw compileError(`the recursive common table expression '${cte.name}' must be an anchor clause, UNION ALL and a recursive clause, with no ORDER BY or LIMIT of its own`);
  }
  let inner: BindContext = { ...ctx, binding: new Set([...(ctx.binding ?? []), cte.name]), workingTable: undefined };
  if (q.with.length > 0) {
    const ctes = new Map(ctx.ctes ?? []);
    for (const w of q.with) ctes.set(w.name, w);
    inner = { ...inner, ctes };
  }

  const anchorQuery = wrap(body.left);
  if (refersTo(anchorQuery, cte.name)) throw compileError(`the anchor clause of the recursive common table expression '${cte.name}' refers to it; only its recursive clause may`);
  const anchor = binder.bindQuery(inner, anchorQuery);
  const anchorColumns = planColumns(anchor);
  const names = cte.columns ?? anchorColumns.map((c) => c.name);
  if (names.length !== anchorColumns.length) {
    throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: '${cte.name}' names ${names.length} column${names.length === 1 ? '' : 's'} but its query returns ${anchorColumns.length}`);
  }
  const columns: Column[] = anchorColumns.map((c, i) => ({ name: names[i], type: widened(c.type), nullable: true }));

  const before = initPlans.length;
  const step = binder.bindQuery({ ...inner, workingTable: { cte, columns } }, wrap(body.right));
  if (initPlans.slice(before).some((p) => workingTables(p) > 0)) throw misplaced(cte.name, 'inside a subquery');
  if (checkStep(step, cte.name) !== 1) throw compileError(`the recursive clause of the recursive common table expression '${cte.name}' must refer to it exactly once`);
  const stepColumns = planColumns(step);
  if (stepColumns.length !== columns.length) {
    throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: invalid number of result columns for set operator input branches, expected ${columns.length}, got ${stepColumns.length} in branch 2`);
  }

  const node: RecursiveUnionNode = { kind: 'recursive_union', name: cte.name, anchor: conform(anchor, columns), recursive: conform(step, columns), columns };
  const leaf: LogicalPlan = { kind: 'recursive_cte', id: initPlans.push(node) - 1, name: cte.name, columns };
  known.set(cte, leaf);
  return leaf;
}

function wrap(body: QueryBody): Query {
  return { with: [], body, orderBy: [], limit: null, offset: null };
}

/** A column type wide enough for the values the recursion computes from the anchor's. */
function widened(t: DataType): DataType {
  switch (t.kind) {
    case 'NULL':
    case 'VARCHAR':
      return Types.varchar;
    case 'NUMBER':
      return Types.number(38, t.scale);
    default:
      return t;
  }
}

/** `plan` with the CTE's column types (its names are the RecursiveUnionNode's). */
function conform(plan: LogicalPlan, columns: Column[]): LogicalPlan {
  const have = planColumns(plan);
  if (have.every((c, i) => typesEqual(c.type, columns[i].type))) return plan;
  // Over a select list the casts go into it, where constant folding can fold them.
  if (plan.kind === 'project') return { ...plan, exprs: plan.exprs.map((e, i) => castTo(e, columns[i].type)) };
  return { kind: 'project', input: plan, exprs: have.map((c, i) => castTo({ kind: 'column', index: i, type: c.type }, columns[i].type)), names: have.map((c) => c.name) };
}

/** Joins that keep every row of their left side (whatever the right holds), and of their right side. */
const KEEPS_LEFT: ReadonlySet<JoinType> = new Set<JoinType>(['INNER', 'CROSS', 'LEFT', 'SEMI', 'ANTI', 'NULL_AWARE_ANTI', 'MARK', 'NULL_AWARE_MARK']);
const KEEPS_RIGHT: ReadonlySet<JoinType> = new Set<JoinType>(['INNER', 'CROSS', 'RIGHT']);
/** Joins whose right side is a subquery of the WHERE clause or select list (bind-subqueries.ts). */
const SUBQUERY_JOINS: ReadonlySet<JoinType> = new Set<JoinType>(['SEMI', 'ANTI', 'NULL_AWARE_ANTI', 'MARK', 'NULL_AWARE_MARK']);

const BELOW: Partial<Record<LogicalPlan['kind'], string>> = {
  aggregate: 'below an aggregate function, GROUP BY or DISTINCT',
  window: 'below a window function',
  sort: 'below ORDER BY',
  limit: 'below LIMIT',
  set_operation: 'below a set operation',
};

/** The working tables the recursive clause reaches where it may (see the module comment); throws where it may not. */
function checkStep(p: LogicalPlan, name: string): number {
  switch (p.kind) {
    case 'working_table':
      return 1;
    case 'project':
    case 'filter':
    case 'split_to_table':
    case 'flatten':
      return checkStep(p.input, name);
    case 'join': {
      const left = checkStep(p.left, name);
      const right = checkStep(p.right, name);
      if (left > 0 && !KEEPS_LEFT.has(p.joinType)) throw misplaced(name, 'on the NULL side of an outer join');
      if (right > 0 && !KEEPS_RIGHT.has(p.joinType)) throw misplaced(name, SUBQUERY_JOINS.has(p.joinType) ? 'inside a subquery' : 'on the NULL side of an outer join');
      return left + right;
    }
    default:
      if (planInputs(p).some((c) => workingTables(c) > 0)) throw misplaced(name, BELOW[p.kind] ?? `below ${p.kind}`);
      return 0;
  }
}

function workingTables(p: LogicalPlan): number {
  return p.kind === 'working_table' ? 1 : planInputs(p).reduce((n, c) => n + workingTables(c), 0);
}

function misplaced(name: string, where: string): CompilationError {
  return compileError(`the recursive clause of the recursive common table expression '${name}' refers to it ${where}; it may only be read through projections, filters and joins that keep its rows`);
}

function compileError(message: string): CompilationError {
  return new CompilationError('SYNTAX', `SQL compilation error: ${message}`);
}

/**
 * Views are expanded at bind time: a view named in FROM binds as its stored query, re-parsed
 * from its text, in its own context, and appears in the plan as that query's operators (no
 * view node; the optimizer then pushes filters and projections through it like through a
 * derived table).
 *
 * Contract:
 * - `findView` answers the view a resolved name names in a live schema, or null (then the name
 *   is looked up as a table).
 * - `bindView` checks the reader's SELECT on the view (services/access/view-access.ts), then binds
 *   the query with the view owner's rights: the owner's role and privileges, and the view's
 *   database and schema for unqualified names, as Snowflake does; outer CTEs are not visible in
 *   it. A view that reaches itself again (through OR REPLACE of the views it reads) fails with
 *   VIEW_DEFINITION_INVALID, as does one whose query no longer produces as many columns as the
 *   view declared when it was created. Any error from binding the query is reported as
 *   "Failure during expansion of view '<name>': <error>", with the error's own code.
 * - Every view expanded is recorded in `ctx.views` (id and stamp), which the result cache keys on,
 *   so replacing a view never serves a result of its old query.
 * - A secure view's plan is topped by a `secure` Project, which outer filters do not cross
 *   (except conjuncts that can raise no error): as in Snowflake, a secure view's query is not
 *   optimized in ways that could expose rows its own filters hide, e.g. through an error of an
 *   outer predicate evaluated on them.
 * - Parsed queries are kept per view id and stamp (at most PARSED_KEPT); a stamp changes whenever
 *   the view is created or replaced.
 */
import { CompilationError, FirnError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import type { SchemaInfo } from '../catalog/catalog.js';
import type { ViewRecord } from '../catalog/view-store.js';
import { RolePrivileges } from '../access/role-privileges.js';
import { requireView } from '../access/view-access.js';
import type { Query } from '../sql/ast.js';
import { parseSql } from '../sql/parse-sql.js';
import { castTo } from './bind-expr.js';
import type { BindContext } from './bind-context.js';
import { planColumns, type LogicalPlan } from './logical-plan.js';
import { typesEqual } from '../../storage/types/data-type.js';
import { temporaryKey } from '../session/temporary-objects.js';

/** A view found by name, with where it lives. */
export type FoundView = { view: ViewRecord; schema: SchemaInfo; database: string; qualified: string };

/** Parsed view queries kept between statements. */
const PARSED_KEPT = 256;
const parsed = new Map<string, Query>();

/** What changes whenever the view is created or replaced (COPY GRANTS keeps the id, not the time). */
export function viewStamp(view: ViewRecord): string {
  return `${view.id}@${view.createdAt.getTime()}`;
}

export function findView(ctx: Pick<BindContext, 'catalog' | 'session'>, n: { database: string; schema: string; table: string }, permanent = false): FoundView | null {
  const schema = ctx.catalog.getSchema(n.database, n.schema);
  if (!schema) return null;
  // The session's temporary view of that name comes first (services/session/temporary-objects.ts).
  const temporary = permanent ? undefined : ctx.session.temporary?.views.get(temporaryKey(n.database, n.schema, n.table));
  const view = (temporary !== undefined ? ctx.catalog.views.getView(schema.id, temporary) : null) ?? ctx.catalog.views.getView(schema.id, n.table);
  return view ? { view, schema, database: n.database, qualified: `${n.database}.${n.schema}.${n.table}` } : null;
}

/** The view's query bound with its owner's rights (see the module comment); `bindQuery` is the query binder's entry point. */
export function bindView(ctx: BindContext, found: FoundView, bindQuery: (ctx: BindContext, q: Query) => LogicalPlan): LogicalPlan {
  const { view } = found;
  requireView(ctx, view, found, 'SELECT');
  if (ctx.expanding?.has(view.id)) {
    throw new CompilationError('VIEW_DEFINITION_INVALID', `SQL compilation error: View '${clipValue(found.qualified)}' refers to itself.`);
  }
  ctx.views?.set(view.id, viewStamp(view));
  const session = { ...ctx.session, database: found.database, schema: found.schema.name };
  if (ctx.session.role !== undefined) {
    const owner = ctx.catalog.grants.ownerOf('VIEW', view.id) ?? view.owner;
    session.role = owner;
    session.privileges = RolePrivileges.forOwner(ctx.catalog.grants, owner);
  }
  const inner: BindContext = {
    catalog: ctx.catalog,
    session,
    initPlans: ctx.initPlans,
    travel: ctx.travel,
    views: ctx.views,
    expanding: new Set([...(ctx.expanding ?? []), view.id]),
  };
  let plan: LogicalPlan;
  try {
    plan = bindQuery(inner, parseView(view));
  } catch (err) {
    // The same error (class, code, SQLSTATE), its message saying which view it came from.
    if (err instanceof FirnError && err.codeName !== 'INTERNAL' && !err.message.includes('Failure during expansion of view')) {
      err.message = `SQL compilation error: Failure during expansion of view '${clipValue(view.name)}': ${err.message.replace(/^SQL compilation error:\s*/, '')}`;
    }
    throw err;
  }
  const cols = planColumns(plan);
  if (cols.length !== view.columns.length) {
    throw new CompilationError(
      'VIEW_DEFINITION_INVALID',
      `SQL compilation error: View definition for '${clipValue(found.qualified)}' declared ${view.columns.length} column(s), but view query produces ${cols.length} column(s).`,
    );
  }
  // The view's columns keep their declared names; a type a base table's change altered is cast back to the declared one.
  const same = cols.every((c, i) => c.name === view.columns[i].name && typesEqual(c.type, view.columns[i].type));
  if (same && !view.secure) return plan;
  return {
    kind: 'project',
    input: plan,
    exprs: cols.map((c, i) => castTo({ kind: 'column', index: i, type: c.type }, view.columns[i].type)),
    names: view.columns.map((c) => c.name),
    ...(view.secure ? { secure: true } : {}),
  };
}

function parseView(view: ViewRecord): Query {
  const key = viewStamp(view);
  const kept = parsed.get(key);
  if (kept) return kept;
  const statements = parseSql(view.query);
  const st = statements[0];
  if (statements.length !== 1 || st.kind !== 'query') throw new CompilationError('VIEW_DEFINITION_INVALID', `SQL compilation error: View '${clipValue(view.name)}' has no query.`);
  if (parsed.size >= PARSED_KEPT) parsed.delete(parsed.keys().next().value as string);
  parsed.set(key, st.query);
  return st.query;
}
